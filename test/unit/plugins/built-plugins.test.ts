/**
 * Runs the BUILT plugins as real processes (run `npx tsc -p tsconfig.json` first).
 */
import assert from 'node:assert/strict';
import { execa } from 'execa';
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeModuleLogHook } from '../../support/module-log.js';

// dist/test/unit/plugins/ → repository root
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');
const plugins: Array<[string, string]> = [
  ['kubectl-meshbackup', 'kubectl meshbackup'],
  ['kubectl-meshscale', 'kubectl meshscale'],
  ['kubectl-meshpreflight', 'kubectl meshpreflight'],
  ['helm-crdsync', 'helm crdsync'],
];
const version = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
const isolatedEnv = { KUBECONFIG: '/nonexistent/kubeconfig', HOME: '/nonexistent', PATH: process.env.PATH ?? '' };

function run(name: string, args: string[], extraOptions: { env?: Record<string, string>; nodeOptions?: string[]; main?: string } = {}) {
  const main = extraOptions.main ?? path.join(root, 'dist', 'plugins', name, 'main.js');
  return execa('node', [...(extraOptions.nodeOptions ?? []), main, ...args], {
    reject: false,
    env: { ...isolatedEnv, ...extraOptions.env },
    extendEnv: false,
  });
}

for (const [name, script] of plugins) {
  describe(`${name} (built)`, () => {
    it('prints help naming the script and the version command, exit 0', async () => {
      const result = await run(name, ['--help']);
      assert.equal(result.exitCode, 0);
      assert.match(result.stdout, new RegExp(`${script} version`));
      assert.equal(result.stderr, '');
    });

    it('rejects an unknown flag with exit 2, one error line and the help hint', async () => {
      const result = await run(name, ['version', '--no-such-flag']);
      assert.equal(result.exitCode, 2);
      assert.deepEqual(result.stderr.split('\n'), ['error: unknown flag: --no-such-flag', `See '${script} version --help' for usage.`]);
    });

    it('prints the client version without a server', async () => {
      const result = await run(name, ['version', '--client']);
      assert.equal(result.exitCode, 0);
      assert.match(result.stdout, new RegExp(`^Client Version: v${version.replace(/\./g, '\\.')}$`, 'm'));
    });

    it('prints the client version, then one line and exit 4 when there is no kubeconfig', async () => {
      const result = await run(name, ['version']);
      assert.equal(result.exitCode, 4);
      assert.match(result.stdout, /Client Version:/);
      assert.equal(result.stderr.trim().split('\n').length, 1);
    });

    // yargs picks its messages' language from LANG; the bundle lacks its locale files, so without
    // a fixed locale the tsc build said "Optionen:" where the bundle said "Options:".
    it('prints English help and usage errors under a German locale, from the tsc build and the npm bundle', async () => {
      const german = { LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' };
      for (const main of [undefined, path.join(root, 'dist', 'bin', `${name}.mjs`)]) {
        const help = await run(name, ['--help'], { env: german, main });
        assert.equal(help.exitCode, 0, help.stderr);
        assert.match(help.stdout, /^Options:$/m, main ?? 'tsc build');
        const usage = await run(name, ['version', '--nope'], { env: german, main });
        assert.equal(usage.stderr.split('\n')[0], 'error: unknown flag: --nope', main ?? 'tsc build');
      }
    });

    it('answers -o json with the client version', async () => {
      const result = await run(name, ['version', '--client', '-o', 'json']);
      assert.equal((JSON.parse(result.stdout) as { clientVersion: { plugin: string } }).clientVersion.plugin, name);
    });
  });
}

describe('lazy loading of @kubernetes/client-node', () => {
  let hooks: string;
  let log: string;

  before(() => {
    const dir = mkdtempSync(path.join(tmpdir(), 'lazy-load-'));
    ({ log, register: hooks } = writeModuleLogHook(dir, 'resolved.log'));
  });

  const loadedClientNode = () => readFileSync(log, 'utf8').includes('@kubernetes/client-node');

  beforeEach(() => writeFileSync(log, ''));

  it('does not load it for --help', async () => {
    const result = await run('kubectl-meshbackup', ['--help'], { nodeOptions: ['--import', hooks] });
    assert.equal(result.exitCode, 0);
    assert.ok(readFileSync(log, 'utf8').includes('run-plugin.js'), 'the hook must see our own modules');
    assert.equal(loadedClientNode(), false);
    // Nor the archive and diff libraries, which only reading or writing an archive needs.
    assert.doesNotMatch(readFileSync(log, 'utf8'), /node_modules\/(tar|diff)\//);
  });

  /** writeKubeconfig writes a kubeconfig for an unreachable http:// server with the given user and cluster extras. */
  const writeKubeconfig = (user: Record<string, unknown>, cluster: Record<string, unknown> = {}): string => {
    const kubeconfig = path.join(path.dirname(log), 'kubeconfig');
    writeFileSync(
      kubeconfig,
      JSON.stringify({
        clusters: [{ name: 'c', cluster: { server: 'http://127.0.0.1:9', ...cluster } }],
        users: [{ name: 'u', user }],
        contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'x',
      }),
    );
    return kubeconfig;
  };

  it('does not load it when version asks a server with static credentials', async () => {
    const kubeconfig = writeKubeconfig({ token: 'static-token' });
    const result = await run('kubectl-meshbackup', ['version', '--kubeconfig', kubeconfig], { nodeOptions: ['--import', hooks] });
    assert.equal(result.exitCode, 4, result.stderr);
    assert.match(result.stderr, /^Unable to connect to the server: /);
    assert.ok(readFileSync(log, 'utf8').includes('static-credentials.js'), 'the hook must see the connect path');
    assert.equal(loadedClientNode(), false);
  });

  it('does load it for a cluster behind a proxy (the hook can see it)', async () => {
    const kubeconfig = writeKubeconfig({ token: 'static-token' }, { 'proxy-url': 'http://127.0.0.1:9' });
    const result = await run('kubectl-meshbackup', ['version', '--kubeconfig', kubeconfig], { nodeOptions: ['--import', hooks] });
    assert.equal(result.exitCode, 4, result.stderr);
    assert.match(result.stderr, /^Unable to connect to the server: /);
    assert.equal(loadedClientNode(), true);
  });

  it('does not load it when every shared module except the client-node credential fallback is imported', async () => {
    const shared = path.join(root, 'dist', 'shared');
    const files: string[] = [];
    const walk = (dir: string): void => {
      for (const entry of readdirSync(dir)) {
        const full = path.join(dir, entry);
        if (statSync(full).isDirectory()) walk(full);
        else if (entry.endsWith('.js') && entry !== 'client-node-credentials.js') files.push(full);
      }
    };
    walk(shared);
    const script = files.map((file) => `await import(${JSON.stringify(`file://${file}`)});`).join('\n');
    const result = await execa('node', ['--import', hooks, '--input-type=module', '-e', script], { reject: false });
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(loadedClientNode(), false);
  });
});
