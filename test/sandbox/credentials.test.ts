/**
 * How the built plugins get their credentials, run through the real kubectl (plugin discovery on
 * PATH) against the sandbox. A module-resolve hook, passed to the plugin through NODE_OPTIONS,
 * records every module the plugin loads:
 *  - with static material (a token, a token file) the plugin scales a Deployment down and up —
 *    reads, merge patches of the scale subresource, watches — without @kubernetes/client-node;
 *  - with an exec credential plugin it loads client-node, which runs the plugin and uses its token.
 * Sandbox tier: a real cluster's kubeconfig may legitimately need client-node (EKS, GKE use exec).
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import type { SandboxHandle } from '../../sandbox/index.js';
import { ClientEnv, expectSuccess, type CommandResult } from '../support/cluster.js';
import { startTestSandbox } from '../support/target.js';
import { writeModuleLogHook } from '../support/module-log.js';
import { aDeployment } from '../fixtures/workload-builder.js';

const deployments = { group: 'apps', version: 'v1', resource: 'deployments' };

describe("plugins connect with the kubeconfig's credentials, loading client-node only when they need it", function () {
  this.timeout(120_000);
  let sandbox: SandboxHandle;
  let dir: string;
  let hooks: string;
  let moduleLog: string;

  before(async function () {
    sandbox = await startTestSandbox();
    sandbox.api.create(
      { group: '', version: 'v1', resource: 'namespaces' },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'creds' } },
    );
    sandbox.api.create(deployments, aDeployment().named('web').inNamespace('creds').withReplicas(2).build());
    dir = mkdtempSync(path.join(tmpdir(), 'credentials-e2e-'));
    ({ log: moduleLog, register: hooks } = writeModuleLogHook(dir));
  });

  after(async function () {
    await sandbox?.close();
  });

  /** writeKubeconfig writes <dir>/<name>/config for the sandbox with the given user. */
  const writeKubeconfig = (name: string, user: Record<string, unknown>): string => {
    const folder = path.join(dir, name);
    const file = path.join(folder, 'config');
    const cluster: Record<string, unknown> = {
      server: sandbox.url,
      'certificate-authority-data': Buffer.from(sandbox.caPem).toString('base64'),
    };
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      file,
      yaml.dump({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'sandbox', cluster }],
        users: [{ name, user }],
        contexts: [{ name: 'sandbox', context: { cluster: 'sandbox', user: name, namespace: 'creds' } }],
        'current-context': 'sandbox',
      }),
      { mode: 0o600 },
    );
    return file;
  };

  /** downAndUp scales deploy/web to 0 and back through kubectl, returning both results and the modules the plugin loaded. */
  const downAndUp = async (kubeconfig: string): Promise<{ down: CommandResult; up: CommandResult; modules: string }> => {
    writeFileSync(moduleLog, '');
    const client = new ClientEnv(kubeconfig, { NODE_OPTIONS: `--import ${hooks}` });
    try {
      const down = await client.kubectl(['meshscale', 'down', '--workload', 'deploy/web']);
      const up = await client.kubectl(['meshscale', 'up', '--workload', 'deploy/web']);
      return { down, up, modules: readFileSync(moduleLog, 'utf8') };
    } finally {
      client.dispose();
    }
  };

  // The plugins run as the npm route's bundles (dist/bin): their own modules are chunks named
  // after the source file (static-credentials-HASH.mjs), and client-node lives in the chunk of
  // its only importer, client-node-credentials. The tsc layout's names are matched too.
  const connectedStatically = /(shared\/kube\/static-credentials\.js|\/static-credentials-[A-Z0-9]+\.mjs)/;
  const loadedClientNode = /(@kubernetes\/client-node|client-node-credentials(-[A-Z0-9]+)?\.m?js)/;

  const replicasOfWeb = (): number =>
    (sandbox.api.get(deployments, 'creds', 'web') as unknown as { spec: { replicas: number } }).spec.replicas;

  it('scales down and up with a bearer token without loading client-node', async function () {
    sandbox.audit.clear();
    const { down, up, modules } = await downAndUp(writeKubeconfig('token-user', { token: sandbox.adminToken }));
    expectSuccess(down, 'meshscale down');
    expectSuccess(up, 'meshscale up');
    assert.equal(replicasOfWeb(), 2);
    assert.match(modules, connectedStatically, 'the hook saw the plugin connect');
    assert.doesNotMatch(modules, loadedClientNode);
    const entries = sandbox.audit.entries();
    assert.ok(
      entries.some((entry) => entry.verb === 'watch'),
      'the waits watched over the transport',
    );
    assert.ok(entries.some((entry) => entry.verb === 'patch' && entry.path.endsWith('/deployments/web/scale')));
    assert.deepEqual([...new Set(entries.map((entry) => entry.user))], ['sandbox-admin']);
  });

  it('reads a token file given relative to the kubeconfig without loading client-node', async function () {
    const kubeconfig = writeKubeconfig('token-file-user', { tokenFile: 'token' });
    writeFileSync(path.join(path.dirname(kubeconfig), 'token'), `${sandbox.adminToken}\n`);
    const { down, up, modules } = await downAndUp(kubeconfig);
    expectSuccess(down, 'meshscale down');
    expectSuccess(up, 'meshscale up');
    assert.equal(replicasOfWeb(), 2);
    assert.match(modules, connectedStatically, 'the hook saw the plugin connect');
    assert.doesNotMatch(modules, loadedClientNode);
  });

  it('loads client-node for an exec credential plugin, which runs the plugin and sends its token', async function () {
    const kubeconfig = writeKubeconfig('exec-user', {
      exec: { apiVersion: 'client.authentication.k8s.io/v1', command: './exec-credential.sh', args: ['sandbox'], interactiveMode: 'Never' },
    });
    const calls = path.join(dir, 'exec-calls.log');
    writeFileSync(calls, '');
    const script = path.join(path.dirname(kubeconfig), 'exec-credential.sh');
    // kubectl sets KUBERNETES_EXEC_INFO for its exec plugins, client-node does not: each call
    // records which of the two ran it.
    writeFileSync(
      script,
      `#!/bin/sh
if [ -n "$KUBERNETES_EXEC_INFO" ]; then echo kubectl >> ${JSON.stringify(calls)}; else echo plugin >> ${JSON.stringify(calls)}; fi
printf '%s' '${JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1', kind: 'ExecCredential', status: { token: sandbox.adminToken } })}'
`,
    );
    chmodSync(script, 0o755);
    sandbox.audit.clear();
    const { down, up, modules } = await downAndUp(kubeconfig);
    expectSuccess(down, 'meshscale down');
    expectSuccess(up, 'meshscale up');
    assert.equal(replicasOfWeb(), 2);
    assert.match(modules, loadedClientNode);
    assert.match(readFileSync(calls, 'utf8'), /^plugin$/m, 'client-node ran the exec plugin');
    const entries = sandbox.audit.entries();
    assert.ok(entries.some((entry) => entry.verb === 'watch'));
    assert.deepEqual([...new Set(entries.map((entry) => entry.user))], ['sandbox-admin']);
  });
});
