/**
 * The npm route's help fast path (scripts/release/help-texts.ts): dist/bin/<plugin>.mjs prints
 * help rendered at build time and imports the program for anything else. Every help invocation,
 * in every environment help may depend on, must print what the program prints today (a text
 * left stale by an edit after the build fails here), and every other invocation must reach the
 * program. The binaries' fast path is checked against the program in install.test.ts.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertSameAsProgram, helpCases, runFile, runProgram, type HelpCase } from '../support/help-cases.js';
import { writeModuleLogHook } from '../support/module-log.js';
import { binEntries, pluginNames, repoRoot } from '../support/paths.js';

const programOf = (plugin: string): string => path.join(repoRoot, 'dist', 'bin', 'chunks', `${plugin}.mjs`);

describe('npm route: help rendered at build time', function () {
  this.timeout(300_000);
  let work: string;
  before(() => {
    work = mkdtempSync(path.join(tmpdir(), 'help-fast-path-'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  /** loadsProgram runs the launcher with args and says whether it imported the program. */
  const loadsProgram = async (plugin: string, args: readonly string[]): Promise<boolean> => {
    const hook = writeModuleLogHook(work, `${plugin}.log`);
    const r = await runFile(process.execPath, ['--import', hook.register, binEntries[plugin] ?? '', ...args], {});
    assert.notEqual(r.exitCode, -1, r.stderr);
    return readFileSync(hook.log, 'utf8')
      .split('\n')
      .filter((u) => u.startsWith('file:'))
      .some((u) => fileURLToPath(u) === programOf(plugin));
  };

  for (const plugin of pluginNames) {
    describe(plugin, () => {
      let cases: HelpCase[];
      before(async () => {
        cases = await helpCases(plugin);
      });

      it('prints every help text as the program does: no arguments, -h, --help, <verb> -h|--help; HELM_DEBUG; German locale', async () => {
        await assertSameAsProgram(plugin, (args, env) => runFile(process.execPath, [binEntries[plugin] ?? '', ...args], env), cases);
      });

      it('serves --help and <verb> -h without loading the program', async () => {
        assert.equal(await loadsProgram(plugin, ['--help']), false);
        assert.equal(await loadsProgram(plugin, ['version', '-h']), false);
      });

      it('hands every other call to the program, with the program’s answer', async () => {
        const others: HelpCase[] = [
          ['--help', '--nope'],
          ['version', '--help', 'extra'],
          ['__complete', ''],
          ['version', '--client'],
          [''],
        ].map((args) => ({ args, env: {} }));
        for (const c of others) assert.equal(await loadsProgram(plugin, c.args), true, JSON.stringify(c.args));
        const launcher = (args: readonly string[], env: Readonly<Record<string, string>>) =>
          runFile(process.execPath, [binEntries[plugin] ?? '', ...args], env);
        const program = runProgram(plugin);
        for (const c of others) assert.deepEqual(await launcher(c.args, c.env), await program(c.args, c.env), JSON.stringify(c.args));
      });
    });
  }

  for (const plugin of pluginNames.filter((p) => p.startsWith('kubectl-'))) {
    it(`kubectl_complete-${plugin.slice('kubectl-'.length)} still answers completion through the launcher`, async () => {
      const shim = binEntries[`kubectl_complete-${plugin.slice('kubectl-'.length)}`] ?? '';
      const viaShim = await runFile(process.execPath, [shim, ''], {});
      const direct = await runFile(process.execPath, [programOf(plugin), '__complete', ''], {});
      assert.equal(viaShim.exitCode, 0, viaShim.stderr);
      assert.deepEqual(viaShim, direct);
      assert.match(viaShim.stdout, /^version\t/m);
    });
  }
});
