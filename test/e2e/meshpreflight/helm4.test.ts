/**
 * kubectl meshpreflight with Helm 4 (from npm, test/support/tools.ts): the preflight sees helm 4
 * on PATH as a supported client, then `check` before and after a real `helm upgrade` by Helm 4 of
 * the Gloo Edge 1.16.27 release, done in the runbook's order (the 1.17.0 CRDs first). The
 * release record `check` reads is the one Helm 4 wrote.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SandboxHandle } from '../../../sandbox/index.js';
import { glooEdgeCrdFacts } from '../../../sandbox/products/gloo-edge/crds.js';
import { syntheticCrd } from '../../../sandbox/products/synthetic-crd.js';
import { ClientEnv, expectSuccess, type TestCluster } from '../../support/cluster.js';
import { requireSandbox, startE2eCluster } from '../../support/target.js';
import { ensureHelm4 } from '../../support/tools.js';
import { aChart } from '../../fixtures/chart-builder.js';
import { aCrd } from '../../fixtures/crd-builder.js';
import { startOciRegistry, type OciRegistry } from '../../support/oci-registry.js';
import { startChartRepository, type LoopbackServer } from '../../../demo/charts/repository.js';
import { chartFromLive, checkOf, fakeGlooctl, lineOf, parseReport, statusOf } from './support.js';

describe('kubectl meshpreflight with Helm 4: check before and after a real helm 4 upgrade of Gloo Edge 1.16.27 → 1.17.0', function () {
  this.timeout(240_000);
  let cluster: TestCluster & { sandbox?: SandboxHandle };
  let client: ClientEnv;
  let helm4: string;
  let scratch: string;
  let repo: LoopbackServer;
  let registry: OciRegistry;

  before(async function () {
    helm4 = await ensureHelm4();
    cluster = await startE2eCluster({ installs: ['gloo-edge@1.16.27'], k8sVersion: '1.29.14' });
    requireSandbox(this, cluster, 'a Gloo Edge 1.16.27 release it upgrades with a test chart');
    client = new ClientEnv(cluster.kubeconfig);
    symlinkSync(helm4, join(client.home, 'bin', 'helm'));
    fakeGlooctl(client, '1.17.0');
    scratch = mkdtempSync(join(tmpdir(), 'meshpreflight-helm4-'));
    writeFileSync(join(scratch, 'versions.txt'), '1.16.27\n1.17.0\n');
    const crd = aCrd().forKind('gateway.solo.io', 'Gateway').withVersion('v1').withVersion('v2', { served: false }).build();
    repo = await startChartRepository([
      {
        name: 'gloo',
        version: '1.17.0',
        file: 'charts/gloo-1.17.0.tgz',
        data: aChart().named('gloo', '1.17.0').withCrdFile('gateway.yaml', [crd]).build(),
      },
    ]);
  });
  after(async () => {
    client?.dispose();
    await repo?.close();
    await registry?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    await cluster?.close();
  });

  it('accepts helm 4 on PATH as a supported Helm before the upgrade', async () => {
    const version = expectSuccess(await client.run('helm', ['version', '--short']), 'helm version').stdout;
    assert.match(version, /^v4\./);
    const result = await client.kubectl([
      'meshpreflight',
      '--profile',
      'gloo-edge',
      '--to',
      '1.17.0',
      '--versions-from',
      join(scratch, 'versions.txt'),
    ]);
    assert.equal(result.exitCode, 0, result.stdout + result.stderr);
    assert.match(lineOf(result.stdout, 'helm-client'), /^√ \[helm-client\] helm v4\./);
    assert.match(lineOf(result.stdout, 'helm-release'), /^√ /);
  });

  it('pulls the --crds-from chart REPO/NAME with helm 4 (the shared helm pull source)', async () => {
    expectSuccess(await client.run('helm', ['repo', 'add', 'e2e', repo.url]), 'helm 4 repo add');
    const result = await client.kubectl([
      'meshpreflight',
      '--profile',
      'gloo-edge',
      '--to',
      '1.17.0',
      '--versions-from',
      join(scratch, 'versions.txt'),
      '--crds-from',
      'e2e/gloo',
      '-o',
      'json',
    ]);
    assert.equal(result.exitCode, 0, result.stdout + result.stderr);
    // The chart's Gateway CRD still serves v1, the version the installed objects are stored in.
    assert.notEqual(statusOf(parseReport(result), 'crds-stored-versions'), 'fail');
    assert.notEqual(statusOf(parseReport(result), 'crds-stored-versions'), 'skip');
    assert.ok(
      repo.requests.some((r) => r.path === '/charts/gloo-1.17.0.tgz' && /^Helm\/4\./.test(String(r.headers['user-agent']))),
      repo.requests.map((r) => `${r.path} ${String(r.headers['user-agent'])}`).join(', '),
    );
  });

  it('pulls an oci:// --crds-from chart with helm 4 from a plain-http registry only with --insecure-http', async () => {
    registry = await startOciRegistry();
    const archive = join(scratch, 'gloo-1.17.0.tgz');
    const crd = aCrd().forKind('gateway.solo.io', 'Gateway').withVersion('v1').withVersion('v2', { served: false }).build();
    writeFileSync(archive, aChart().named('gloo', '1.17.0').withCrdFile('gateway.yaml', [crd]).build());
    expectSuccess(await client.run('helm', ['push', archive, `oci://${registry.host}/charts`, '--plain-http']), 'helm 4 push');
    const args = ['meshpreflight', '--profile', 'gloo-edge', '--to', '1.17.0', '--versions-from', join(scratch, 'versions.txt')];
    const source = `oci://${registry.host}/charts/gloo`;

    const refused = await client.kubectl([...args, '--crds-from', source]);
    assert.equal(refused.exitCode, 3, refused.stdout + refused.stderr);
    const errors = refused.stderr.split('\n').filter((line) => line.startsWith('error: '));
    assert.equal(errors.length, 1, refused.stderr);
    assert.match(
      errors[0] ?? '',
      /helm pull oci:\/\/127\.0\.0\.1:\d+\/charts\/gloo --version 1\.17\.0 failed: .*HTTP response to HTTPS client.*\(pass --insecure-http to reach a plain-http registry\)$/,
    );

    const seen = registry.requests.length;
    const result = await client.kubectl([...args, '--crds-from', source, '--insecure-http', '-o', 'json']);
    assert.equal(result.exitCode, 0, result.stdout + result.stderr);
    assert.notEqual(statusOf(parseReport(result), 'crds-stored-versions'), 'fail');
    assert.notEqual(statusOf(parseReport(result), 'crds-stored-versions'), 'skip');
    const pulled = registry.requests.slice(seen).map((r) => `${r.method} ${r.path}`);
    assert.ok(
      pulled.some((line) => /^GET \/v2\/charts\/gloo\/blobs\/sha256:/.test(line)),
      `helm pulled the chart layer: ${pulled.join(', ')}`,
    );
  });

  it('passes check on 1.16.27 and fails --expect 1.17.0 before the upgrade', async () => {
    const installed = await client.kubectl(['meshpreflight', 'check', '--profile', 'gloo-edge']);
    assert.equal(installed.exitCode, 0, installed.stdout + installed.stderr);
    const early = await client.kubectl(['meshpreflight', 'check', '--profile', 'gloo-edge', '--expect', '1.17.0']);
    assert.equal(early.exitCode, 1, early.stdout);
    assert.match(lineOf(early.stdout, 'control-plane-version'), /^× \[control-plane-version\] not everything runs 1\.17\.0/);
  });

  it('passes --expect 1.17.0 after the 1.17.0 CRDs and a helm 4 upgrade, reading the release Helm 4 wrote', async () => {
    const crds = { apiVersion: 'v1', kind: 'List', items: glooEdgeCrdFacts('1.17.0').map(syntheticCrd) };
    expectSuccess(
      await client.kubectl(['apply', '--server-side', '--force-conflicts', '-f', '-'], { input: JSON.stringify(crds) }),
      'apply 1.17.0 CRDs',
    );
    expectSuccess(
      await client.kubectl([
        'wait',
        '--for=condition=Established',
        'crd/listeneroptions.gateway.solo.io',
        'crd/httplisteneroptions.gateway.solo.io',
        'crd/gatewayparameters.gateway.gloo.solo.io',
        '--timeout=60s',
      ]),
      'wait Established',
    );
    const chart = join(scratch, 'gloo');
    await chartFromLive(client, chart);
    expectSuccess(await client.run(helm4, ['upgrade', 'gloo', chart, '-n', 'gloo-system', '--wait', '--timeout', '90s']), 'helm 4 upgrade');
    const history = expectSuccess(await client.run(helm4, ['history', 'gloo', '-n', 'gloo-system', '-o', 'json']), 'helm history');
    const revisions = JSON.parse(history.stdout) as Array<{ revision: number; status: string; chart: string }>;
    assert.deepEqual(
      revisions.map((r) => `${r.revision} ${r.status} ${r.chart}`),
      ['1 superseded gloo-1.16.27', '2 deployed gloo-1.17.0'],
    );

    const after = await client.kubectl(['meshpreflight', 'check', '--profile', 'gloo-edge', '--expect', '1.17.0', '-o', 'json']);
    assert.equal(after.exitCode, 0, after.stdout + after.stderr);
    const report = parseReport(after);
    assert.equal(report.installed.version, '1.17.0');
    assert.equal(report.installed.source, 'Helm release gloo-system/gloo (chart gloo 1.17.0, revision 2)');
    for (const id of ['control-plane-rolled-out', 'control-plane-version', 'helm-release', 'crds-established']) {
      assert.equal(checkOf(report, id).status, 'ok', `${id}: ${checkOf(report, id).message}`);
    }
    // Without --expect, the version the Helm 4 release records is the one expected.
    const plain = await client.kubectl(['meshpreflight', 'check', '--profile', 'gloo-edge']);
    assert.equal(plain.exitCode, 0, plain.stdout);
    assert.match(lineOf(plain.stdout, 'control-plane-version'), /run 1\.17\.0/);
  });
});
