import assert from 'node:assert/strict';
import { defineCommand, type CommandContext } from '../../../../shared/cli/command.js';
import { withDryRun, withDuration, withOutput, withProfile } from '../../../../shared/cli/flags.js';
import { Interrupt, throwIfAborted } from '../../../../shared/cli/interrupt.js';
import { runPluginWith, type PluginDefinition } from '../../../../shared/cli/run-plugin.js';
import { testStreams } from '../../../../shared/io/streams.js';

/** A toy plugin with one verb that records what its Options saw. */
function toyPlugin(seen: unknown[], work: (ctx: CommandContext) => Promise<void> = async () => undefined): PluginDefinition {
  const apply = defineCommand({
    name: 'apply',
    describe: 'Apply something',
    examples: [['$0 apply --dry-run', 'Look first']],
    flags: (argv) =>
      withOutput(
        withDuration(withDryRun(withProfile(argv)), 'timeout', { default: '5m', min: '1s', max: '1h', describe: 'Wait' }),
        ['table', 'json'] as const,
        'table',
      ),
    options: (ctx) => {
      let args: { dryRun: string; timeout: number; output: string; profile?: string } | undefined;
      return {
        complete: (argv) => void (args = argv),
        validate: () => seen.push({ validated: args }),
        run: async () => {
          seen.push({ ran: args });
          await work(ctx);
        },
      };
    },
  });
  return { toolName: 'kubectl-toy', scriptName: 'kubectl toy', description: 'A toy.', host: 'kubectl', commands: () => [apply] };
}

async function run(definition: PluginDefinition, args: string[], interrupt = new Interrupt()) {
  const io = testStreams();
  const code = await runPluginWith(definition, { args, io, env: {}, interrupt, homeDir: '/nonexistent' });
  return { code, out: io.out.text(), err: io.err.text() };
}

describe('runPlugin, the skeleton of every plugin', () => {
  it('hands typed, parsed flags to complete, then validate, then run', async () => {
    const seen: unknown[] = [];
    const result = await run(toyPlugin(seen), ['apply', '--dry-run', '--timeout', '90s', '-o', 'json', '--profile', 'gloo-mesh']);
    assert.equal(result.code, 0, result.err);
    const expected = { dryRun: 'client', timeout: 90_000, output: 'json', profile: 'gloo-mesh' };
    assert.deepEqual(
      seen.map((entry) => Object.keys(entry as object)[0]),
      ['validated', 'ran'],
    );
    assert.deepEqual(
      Object.fromEntries(Object.entries((seen[1] as { ran: Record<string, unknown> }).ran).filter(([key]) => key in expected)),
      expected,
    );
  });

  it('prints help with an Examples section and no --version flag', async () => {
    const result = await run(toyPlugin([]), ['apply', '--help']);
    assert.equal(result.code, 0);
    assert.match(result.out, /Examples:\n {2}kubectl toy apply --dry-run\s+Look first/);
    assert.doesNotMatch(result.out, /--version/);
    const verb = await run(toyPlugin([]), ['apply', '--version']);
    assert.equal(verb.code, 2);
    assert.equal(verb.err, "error: unknown flag: --version\nSee 'kubectl toy apply --help' for usage.\n");
  });

  it('answers a bad value in one line, kubectl-worded, exit 2, before anything runs', async () => {
    const seen: unknown[] = [];
    const result = await run(toyPlugin(seen), ['apply', '--timeout', '999999h']);
    assert.equal(result.code, 2);
    assert.equal(
      result.err,
      'error: invalid argument "999999h" for "--timeout" flag: must be between 1s and 1h\nSee \'kubectl toy apply --help\' for usage.\n',
    );
    assert.deepEqual(seen, []);
  });

  it('adds the version verb', async () => {
    const result = await run(toyPlugin([]), ['version', '--client']);
    assert.equal(result.code, 0);
    assert.match(result.out, /^Client Version: v/);
  });

  it('ends a command that stops at a safe point after Ctrl-C with exit 130, and after SIGTERM with 143', async () => {
    for (const [signal, code] of [
      ['SIGINT', 130],
      ['SIGTERM', 143],
    ] as const) {
      const interrupt = new Interrupt();
      const work = async (ctx: CommandContext): Promise<void> => {
        const stop = ctx.signal;
        interrupt.receive(signal);
        throwIfAborted(stop);
      };
      const result = await run(toyPlugin([], work), ['apply'], interrupt);
      assert.equal(result.code, code);
      assert.equal(result.err, `error: ${signal === 'SIGINT' ? 'interrupted' : 'terminated'}\n`);
    }
  });

  it('answers __complete with verbs, then flags, then flag values', async () => {
    assert.equal(
      (await run(toyPlugin([]), ['__complete', ''])).out,
      'apply\tApply something\nversion\tPrint the client and server version information\n:4\n',
    );
    assert.match((await run(toyPlugin([]), ['__complete', 'apply', '--dry'])).out, /^--dry-run\t.*\n:4\n$/);
    assert.equal((await run(toyPlugin([]), ['__complete', 'apply', '-o', ''])).out, 'table\njson\n:4\n');
    assert.equal((await run(toyPlugin([]), ['__complete', 'apply', '--output=j'])).out, '--output=json\n:4\n');
    assert.match(
      (await run(toyPlugin([]), ['__complete', 'apply', '--profile', 'gloo'])).out,
      /^gloo-mesh\tGloo Mesh\ngloo-edge\tGloo Edge\n:4\n$/,
    );
  });
});
