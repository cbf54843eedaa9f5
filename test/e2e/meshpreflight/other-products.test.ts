/**
 * `kubectl meshpreflight` on the two other products, through kubectl plugin discovery: NGINX
 * Service Mesh 1.7.0 → 2.0.0 (nginx-meshctl's text `version`, chart 0.7.0 = mesh 1.7.0, a major
 * hop with its version note) and Gloo Mesh 0.10.7 → 0.11.3 (meshctl's JSON, a pre-1.0 minor,
 * v1beta1 CRDs that Kubernetes 1.22+ no longer serves).
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SandboxHandle } from '../../../sandbox/index.js';
import { ClientEnv, type TestCluster } from '../../support/cluster.js';
import { requireSandbox, startE2eCluster } from '../../support/target.js';
import { checkOf, lineOf, parseReport, putScript, realHelmOnPath } from './support.js';

describe('kubectl meshpreflight on NGINX Service Mesh 1.7.0 and Gloo Mesh 0.10.7', function () {
  this.timeout(180_000);
  let cluster: TestCluster & { sandbox?: SandboxHandle };
  let client: ClientEnv;

  before(async function () {
    cluster = await startE2eCluster({ installs: ['nginx-service-mesh@1.7.0', 'gloo-mesh@0.10.7'], k8sVersion: '1.29.14' });
    requireSandbox(this, cluster, 'known NGINX Service Mesh and Gloo Mesh installs');
    client = new ClientEnv(cluster.kubeconfig);
    realHelmOnPath(client);
    writeFileSync(join(client.home, 'nsm.txt'), '1.6.0\n1.7.0\n2.0.0\n');
    writeFileSync(join(client.home, 'gm.txt'), '0.10.0\n0.10.7\n0.11.0\n0.11.3\n');
  });
  after(async () => {
    client?.dispose();
    await cluster?.close();
  });

  it('plans NGINX Service Mesh 1.7.0 → 2.0.0 as one breaking major hop with its note, reading nginx-meshctl text output', async () => {
    putScript(client, 'nginx-meshctl', 'echo "nginx-meshctl - v2.0.0"; echo "nginx-mesh-api - v1.7.0"');
    const result = await client.kubectl([
      'meshpreflight',
      '--profile',
      'nginx-service-mesh',
      '--to',
      '2.0.0',
      '--versions-from',
      join(client.home, 'nsm.txt'),
      '-o',
      'json',
    ]);
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    const report = parseReport(result);
    assert.equal(report.installed.version, '1.7.0', 'the chart appVersion, not chart 0.7.0');
    assert.equal(checkOf(report, 'cli-version').status, 'ok');
    assert.deepEqual(
      report.plan?.hops.map((h) => `${h.from}->${h.to}`),
      ['1.7.0->2.0.0'],
    );
    assert.match(checkOf(report, 'upgrade-path').message, /may break: 1\.7\.0 → 2\.0\.0 \(a new major version\)/);
    assert.match(checkOf(report, 'version-notes').details?.join('\n') ?? '', /MeshConfig/);
    assert.equal(checkOf(report, 'kubernetes-version').status, 'ok');
    const check = await client.kubectl(['meshpreflight', 'check', '--profile', 'nginx-service-mesh']);
    assert.equal(check.exitCode, 0, check.stdout);
    assert.match(lineOf(check.stdout, 'control-plane-version'), /run 1\.7\.0/);
  });

  it('warns that every Gloo Mesh 0.x minor breaks and fails Kubernetes 1.29 for its v1beta1 CRDs, reading meshctl JSON', async () => {
    putScript(client, 'meshctl', `echo '{"client":{"version":"0.11.3"},"server":[]}'`);
    const result = await client.kubectl([
      'meshpreflight',
      '--profile',
      'gloo-mesh',
      '--to',
      '0.11.3',
      '--versions-from',
      join(client.home, 'gm.txt'),
    ]);
    assert.equal(result.exitCode, 1, result.stderr);
    assert.match(lineOf(result.stdout, 'cli-version'), /^√ \[cli-version\] meshctl 0\.11\.3 matches the target/);
    assert.match(lineOf(result.stdout, 'latest-patch'), /^√ \[latest-patch\] 0\.10\.7 is the latest patch of 0\.10/);
    assert.match(
      lineOf(result.stdout, 'upgrade-path'),
      /^‼ \[upgrade-path\] 1 hop\(s\): 0\.10\.7 → 0\.11\.3; may break: 0\.10\.7 → 0\.11\.3 \(pre-1\.0, every minor\)/,
    );
    assert.match(
      lineOf(result.stdout, 'kubernetes-version'),
      /^× \[kubernetes-version\] Kubernetes v1\.29\.14 is outside Gloo Mesh 0\.11\.3's supported range <1\.22\.0-0/,
    );
    assert.match(
      result.stdout,
      /1\. 0\.10\.7 → 0\.11\.3 \(minor, breaking\)\n {3}CLI: {2}meshctl 0\.11\.x\n {3}CRDs: helm crdsync --version 0\.11\.3 -n gloo-mesh/,
    );
  });
});
