/**
 * The npm route's help fast path (scripts/release/help-texts.ts): dist/bin/<plugin>.mjs prints
 * help rendered at build time and imports the program for anything else. Every help invocation,
 * in every environment help may depend on, must print what the program prints today (a text
 * left stale by an edit after the build fails here), and every other invocation must reach the
 * program. The binaries' fast path is checked against the program in install.test.ts.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import module from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assertSameAsProgram, helpCases, runFile, runProgram, type HelpCase } from '../support/help-cases.js';
import { writeModuleLogHook } from '../support/module-log.js';
import { binEntries, pluginNames, repoRoot } from '../support/paths.js';
import { ensureNodeRuntime, hostTarget } from '../../scripts/release/node-runtimes.js';

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

  it("keeps the program in Node's compile cache where Node has one (22.1+), and not when NODE_DISABLE_COMPILE_CACHE is set", async function () {
    const host = hostTarget();
    if (!host) this.skip();
    // The Node the binaries embed (22): it has module.enableCompileCache.
    const node22 = await ensureNodeRuntime(host, path.join(repoRoot, '.cache'));
    const plugin = 'kubectl-meshscale';
    const expected = await runProgram(plugin)(['version', '--client'], {});
    // Not NODE_COMPILE_CACHE (which turns the cache on by itself): the launcher's call uses
    // os.tmpdir()/node-compile-cache, so each run gets its own TMPDIR.
    const filesIn = (dir: string): string[] => {
      const cacheDir = path.join(dir, 'node-compile-cache');
      return existsSync(cacheDir) ? readdirSync(cacheDir, { recursive: true, encoding: 'utf8' }) : [];
    };
    const tmp = (name: string): string => {
      const dir = path.join(work, name);
      mkdirSync(dir);
      return dir;
    };

    const cache = tmp('compile-cache');
    const cached = await runFile(node22, [binEntries[plugin] ?? '', 'version', '--client'], { TMPDIR: cache });
    assert.deepEqual(cached, expected);
    assert.ok(filesIn(cache).length > 1, `nothing cached in ${cache}`);
    // A second run reads the cache and answers the same.
    assert.deepEqual(await runFile(node22, [binEntries[plugin] ?? '', 'version', '--client'], { TMPDIR: cache }), expected);

    const off = tmp('compile-cache-off');
    const disabled = await runFile(node22, [binEntries[plugin] ?? '', 'version', '--client'], {
      TMPDIR: off,
      NODE_DISABLE_COMPILE_CACHE: '1',
    });
    assert.deepEqual(disabled, expected);
    assert.deepEqual(filesIn(off), []);

    // The Node running the tests: without the call (Node 20) the launcher still runs the program.
    const here = tmp('compile-cache-here');
    assert.deepEqual(await runFile(process.execPath, [binEntries[plugin] ?? '', 'version', '--client'], { TMPDIR: here }), expected);
    assert.equal(filesIn(here).length > 0, typeof (module as { enableCompileCache?: unknown }).enableCompileCache === 'function');
  });

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
