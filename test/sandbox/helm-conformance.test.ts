/**
 * Conformance of the sandbox's product installs, judged by the real helm 3 and helm 4
 * binaries: the seeded release Secret is in Helm's own storage format, so `helm list` and
 * `helm status` read it as they would on a real cluster.
 */
import { strict as assert } from 'node:assert';
import type { SandboxHandle } from '../../sandbox/index.js';
import { ClientEnv, expectSuccess } from '../support/cluster.js';
import { startTestSandbox } from '../support/target.js';
import { ensureHelm4, helm3Path } from '../support/tools.js';

interface HelmListEntry {
  name: string;
  namespace: string;
  status: string;
  chart: string;
  app_version: string;
}

const helms: Array<{ name: string; path: () => Promise<string> }> = [
  { name: 'helm 3', path: async () => helm3Path() },
  { name: 'helm 4', path: ensureHelm4 },
];

describe('helm against the sandbox', function () {
  this.timeout(180_000);
  let sandbox: SandboxHandle;
  let client: ClientEnv;

  before(async function () {
    sandbox = await startTestSandbox({ installs: ['gloo-mesh@0.10.7', 'nginx-service-mesh@1.7.0'] });
    client = new ClientEnv(sandbox.kubeconfigPath);
  });

  after(async function () {
    client?.dispose();
    await sandbox?.close();
  });

  for (const helm of helms) {
    it(`${helm.name} lists the seeded releases as deployed`, async function () {
      const bin = await helm.path();
      const version = expectSuccess(await client.run(bin, ['version', '--template', '{{.Version}}']), `${helm.name} version`);
      assert.match(version.stdout, helm.name === 'helm 3' ? /^v3\./ : /^v4\./);
      const out = expectSuccess(
        await client.run(bin, ['list', '-A', '-o', 'json', '--kubeconfig', sandbox.kubeconfigPath]),
        `${helm.name} list`,
      );
      const releases = JSON.parse(out.stdout) as HelmListEntry[];
      const mesh = releases.find((r) => r.namespace === 'gloo-mesh');
      assert.ok(mesh, `a release in gloo-mesh among ${out.stdout}`);
      assert.equal(mesh.status, 'deployed');
      assert.equal(mesh.chart, 'gloo-mesh-0.10.7');
      const nsm = releases.find((r) => r.namespace === 'nginx-mesh');
      assert.ok(nsm);
      assert.equal(nsm.chart, 'nginx-service-mesh-0.7.0');
      assert.equal(nsm.app_version, '1.7.0');
    });

    it(`${helm.name} shows the release status and its manifest`, async function () {
      const bin = await helm.path();
      const status = expectSuccess(
        await client.run(bin, ['status', 'gloo-mesh', '-n', 'gloo-mesh', '--kubeconfig', sandbox.kubeconfigPath]),
        `${helm.name} status`,
      );
      assert.match(status.stdout, /STATUS: deployed/);
      const manifest = expectSuccess(
        await client.run(bin, ['get', 'manifest', 'gloo-mesh', '-n', 'gloo-mesh', '--kubeconfig', sandbox.kubeconfigPath]),
        `${helm.name} get manifest`,
      );
      assert.match(manifest.stdout, /kind: Deployment/);
      assert.match(manifest.stdout, /name: networking/);
    });
  }

  it('helm 3 installs and uninstalls a chart (protobuf Secret writes, server-side objects)', async function () {
    const bin = helm3Path();
    const chart = await writeTinyChart(client.home);
    const install = expectSuccess(
      await client.run(bin, [
        'install',
        'tiny',
        chart,
        '-n',
        'default',
        '--kubeconfig',
        sandbox.kubeconfigPath,
        '--wait',
        '--timeout',
        '60s',
      ]),
      'helm install',
    );
    assert.match(install.stdout, /STATUS: deployed/);
    const cm = expectSuccess(
      await client.kubectl(['get', 'configmap', 'tiny-config', '-n', 'default', '-o', 'jsonpath={.data.greeting}']),
      'get cm',
    );
    assert.equal(cm.stdout, 'hello');
    expectSuccess(await client.run(bin, ['uninstall', 'tiny', '-n', 'default', '--kubeconfig', sandbox.kubeconfigPath]), 'helm uninstall');
    const gone = await client.kubectl(['get', 'configmap', 'tiny-config', '-n', 'default']);
    assert.equal(gone.exitCode, 1);
  });
});

async function writeTinyChart(home: string): Promise<string> {
  const { mkdirSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const dir = join(home, 'tiny');
  mkdirSync(join(dir, 'templates'), { recursive: true });
  writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: tiny\nversion: 0.1.0\nappVersion: "1.0"\n');
  writeFileSync(
    join(dir, 'templates', 'cm.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: tiny-config\ndata:\n  greeting: hello\n',
  );
  writeFileSync(
    join(dir, 'templates', 'deploy.yaml'),
    [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: tiny',
      'spec:',
      '  replicas: 1',
      '  selector:',
      '    matchLabels: {app: tiny}',
      '  template:',
      '    metadata:',
      '      labels: {app: tiny}',
      '    spec:',
      '      containers:',
      '      - name: app',
      '        image: busybox:1.36',
      '',
    ].join('\n'),
  );
  return dir;
}
