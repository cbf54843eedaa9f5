/**
 * Shell completion as users get it: `kubectl __complete <plugin> …` finds the plugin's
 * kubectl_complete-<plugin> hook on PATH (kubectl 1.26+), and `helm __complete crdsync …` runs the
 * plugin's plugin.complete after a real `helm plugin install plugins/helm-crdsync`, on Helm 3 and
 * Helm 4. No cluster is needed: candidates come from the commands and the kubeconfig.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { ClientEnv } from '../../support/cluster.js';
import { repoRoot } from '../../support/paths.js';
import { ensureHelm4, helm3Path } from '../../support/tools.js';

/** candidates are the completion lines before cobra's ":<directive>" line. */
function candidates(stdout: string): string[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith(':'))
    .map((line) => line.split('\t')[0] ?? '');
}

describe('shell completion through kubectl and helm', function () {
  this.timeout(120_000);
  let client: ClientEnv;

  before(() => {
    const dir = mkdtempSync(path.join(tmpdir(), 'completion-kubeconfig-'));
    const kubeconfig = path.join(dir, 'config');
    writeFileSync(
      kubeconfig,
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:9' } }],
        users: [{ name: 'u', user: { token: 'not-printed' } }],
        contexts: [
          { name: 'prod-east', context: { cluster: 'c', user: 'u', namespace: 'payments' } },
          { name: 'staging', context: { cluster: 'c', user: 'u' } },
        ],
        'current-context': 'staging',
      }),
    );
    client = new ClientEnv(kubeconfig);
  });
  after(() => client?.dispose());

  const kubectlComplete = async (words: string[]): Promise<string[]> => {
    const result = await client.kubectl(['__complete', ...words]);
    assert.equal(result.exitCode, 0, result.stderr);
    return candidates(result.stdout);
  };

  for (const plugin of ['meshbackup', 'meshscale', 'meshpreflight']) {
    it(`completes kubectl ${plugin}'s verbs`, async () => {
      const verbs = await kubectlComplete([plugin, '']);
      assert.ok(verbs.includes('version'), verbs.join(' '));
      assert.ok(verbs.length >= 2, verbs.join(' '));
    });
  }

  it('completes flags, --profile names, contexts and namespaces from the kubeconfig, and -o choices', async () => {
    assert.deepEqual(await kubectlComplete(['meshscale', 'down', '--dry']), ['--dry-run']);
    assert.deepEqual(await kubectlComplete(['meshscale', 'down', '--profile', '']), ['gloo-mesh', 'gloo-edge', 'nginx-service-mesh']);
    assert.deepEqual(await kubectlComplete(['meshbackup', 'save', '--context', '']), ['prod-east', 'staging']);
    assert.ok((await kubectlComplete(['meshbackup', 'save', '-n', 'pay'])).includes('payments'));
    assert.deepEqual(await kubectlComplete(['meshscale', 'status', '-o', 'j']), ['json']);
  });

  it('lets the shell complete file names for -f', async () => {
    const result = await client.kubectl(['__complete', 'meshbackup', 'restore', '-f', '']);
    assert.match(result.stdout, /^:0$/m, 'ShellCompDirectiveDefault: the shell completes files');
  });

  for (const major of [3, 4] as const) {
    it(`completes helm crdsync on Helm ${major} after helm plugin install plugins/helm-crdsync`, async () => {
      const helm = major === 3 ? helm3Path() : await ensureHelm4();
      const home = mkdtempSync(path.join(tmpdir(), `completion-helm${major}-`));
      try {
        const env = {
          HELM_PLUGINS: path.join(home, 'data', 'plugins'),
          HELM_DATA_HOME: path.join(home, 'data'),
          HELM_CONFIG_HOME: path.join(home, 'config'),
          HELM_CACHE_HOME: path.join(home, 'cache'),
        };
        const install = ['plugin', 'install', path.join(repoRoot, 'plugins', 'helm-crdsync'), ...(major === 4 ? ['--verify=false'] : [])];
        const installed = await execa(helm, install, { env, reject: false });
        assert.equal(installed.exitCode, 0, String(installed.stderr));
        if (major === 4) {
          // Helm 3.6 completes a word starting with "-" itself (the plugin command has no flags
          // of its own there) and never asks plugin.complete; Helm 4 asks.
          const result = await execa(helm, ['__complete', 'crdsync', '--dry'], { env, reject: false });
          assert.equal(result.exitCode, 0, String(result.stderr));
          assert.ok(candidates(String(result.stdout)).includes('--dry-run'), String(result.stdout));
        }
        const versions = await execa(helm, ['__complete', 'crdsync', '--profile', 'gloo'], { env, reject: false });
        assert.deepEqual(candidates(String(versions.stdout)), ['gloo-mesh', 'gloo-edge']);
      } finally {
        rmSync(home, { recursive: true, force: true });
      }
    });
  }
});
