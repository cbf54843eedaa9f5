/**
 * `kubectl meshpreflight check` before and after a real `helm upgrade` (helm 3) of the Gloo Edge
 * release on the sandbox: the chart is the live control plane with 1.17.0 images, so the upgrade
 * rolls every Deployment; then a rejected VirtualService and a resource stuck terminating fail it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SandboxHandle } from '../../../sandbox/index.js';
import { glooEdgeCrdFacts } from '../../../sandbox/products/gloo-edge/crds.js';
import { syntheticCrd } from '../../../sandbox/products/synthetic-crd.js';
import { ClientEnv, expectSuccess, type TestCluster } from '../../support/cluster.js';
import { requireSandbox, startE2eCluster } from '../../support/target.js';
import { helm3Path } from '../../support/tools.js';
import { checkOf, lineOf, parseReport } from './support.js';

/** chartFromLive writes a chart `gloo` 1.17.0 whose templates are the live Deployments with 1.17.0 images. */
async function chartFromLive(client: ClientEnv, dir: string): Promise<void> {
  mkdirSync(join(dir, 'templates'), { recursive: true });
  writeFileSync(join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: gloo\nversion: 1.17.0\n');
  for (const name of ['gloo', 'discovery', 'gateway-proxy']) {
    const live = JSON.parse(
      expectSuccess(await client.kubectl(['-n', 'gloo-system', 'get', 'deployment', name, '-o', 'json']), 'get').stdout,
    ) as {
      metadata: Record<string, unknown> & { annotations?: Record<string, string> };
      spec: { template: { spec: { containers: Array<{ image: string }> } } };
      status?: unknown;
    };
    delete live.status;
    for (const key of ['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'managedFields']) delete live.metadata[key];
    delete live.metadata.annotations?.['deployment.kubernetes.io/revision'];
    for (const container of live.spec.template.spec.containers) container.image = container.image.replace(/:1\.16\.27$/, ':1.17.0');
    writeFileSync(join(dir, 'templates', `${name}.json`), JSON.stringify(live));
  }
}

describe('kubectl meshpreflight check before and after a real helm upgrade of Gloo Edge 1.16.27 → 1.17.0', function () {
  this.timeout(180_000);
  let cluster: TestCluster & { sandbox?: SandboxHandle };
  let client: ClientEnv;
  let scratch: string;

  before(async function () {
    cluster = await startE2eCluster({ installs: ['gloo-edge@1.16.27'], k8sVersion: '1.29.14' });
    requireSandbox(this, cluster, 'a Gloo Edge 1.16.27 release it upgrades with a test chart');
    client = new ClientEnv(cluster.kubeconfig);
    scratch = mkdtempSync(join(tmpdir(), 'meshpreflight-check-'));
  });
  after(async () => {
    client?.dispose();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    await cluster?.close();
  });

  it('passes on the installed version and fails --expect 1.17.0 before the upgrade, in table and JSON alike', async () => {
    const installed = await client.kubectl(['meshpreflight', 'check', '--profile', 'gloo-edge']);
    assert.equal(installed.exitCode, 0, installed.stdout + installed.stderr);
    assert.match(
      lineOf(installed.stdout, 'control-plane-version'),
      /^√ \[control-plane-version\] 3 control-plane image\(s\) run 1\.16\.27/,
    );
    for (const output of ['table', 'json']) {
      const early = await client.kubectl(['meshpreflight', 'check', '--profile', 'gloo-edge', '--expect', '1.17.0', '-o', output]);
      assert.equal(early.exitCode, 1, early.stderr);
      if (output === 'json') {
        const check = checkOf(parseReport(early), 'control-plane-version');
        assert.equal(check.status, 'fail');
        assert.ok(check.details?.includes('deployment/gloo quay.io/solo-io/gloo:1.16.27'), check.details?.join('\n'));
      }
    }
  });

  it('fails --expect 1.17.0 after a helm upgrade that skipped the CRD step (Helm never upgrades crds/), naming the crdsync to run', async () => {
    const chart = join(scratch, 'gloo');
    await chartFromLive(client, chart);
    expectSuccess(
      await client.run(helm3Path(), ['upgrade', 'gloo', chart, '-n', 'gloo-system', '--wait', '--timeout', '60s']),
      'helm upgrade',
    );
    const result = await client.kubectl(['meshpreflight', 'check', '--profile', 'gloo-edge', '--expect', '1.17.0']);
    assert.equal(result.exitCode, 1, result.stdout);
    assert.match(
      lineOf(result.stdout, 'crds-established'),
      /^× \[crds-established\] 3 CRD\(s\) of Gloo Edge 1\.17\.0 missing: listeneroptions\.gateway\.solo\.io, httplisteneroptions\.gateway\.solo\.io, gatewayparameters\.gateway\.gloo\.solo\.io/,
    );
    assert.match(result.stdout, /hint: helm crdsync --version 1\.17\.0 -n gloo-system/);
    assert.match(lineOf(result.stdout, 'control-plane-version'), /^√ /);
  });

  it('passes --expect 1.17.0 once the 1.17.0 CRDs are applied and helm upgrade has rolled the control plane', async () => {
    // The CRD step, by hand until helm crdsync lands: the sandbox's own 1.17.0 CRDs.
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
        'crd/gatewayparameters.gateway.gloo.solo.io',
        '--timeout=60s',
      ]),
      'wait',
    );
    const after = await client.kubectl(['meshpreflight', 'check', '--profile', 'gloo-edge', '--expect', '1.17.0', '-o', 'json']);
    assert.equal(after.exitCode, 0, after.stdout + after.stderr);
    const report = parseReport(after);
    assert.equal(report.kind, 'UpgradeCheckReport');
    assert.equal(report.installed.version, '1.17.0');
    for (const id of [
      'product-installed',
      'control-plane-rolled-out',
      'control-plane-version',
      'helm-release',
      'crds-established',
      'resources-accepted',
      'nothing-terminating',
    ]) {
      assert.equal(checkOf(report, id).status, 'ok', `${id}: ${checkOf(report, id).message}`);
    }
  });

  it('fails on a rejected VirtualService and on a resource stuck terminating', async () => {
    expectSuccess(
      await client.kubectl([
        '-n',
        'gloo-system',
        'patch',
        'virtualservice',
        'default',
        '--type',
        'merge',
        '-p',
        '{"status":{"statuses":{"gloo-system":{"state":"Rejected","reason":"route has no destination"}}}}',
      ]),
      'reject',
    );
    const rejected = await client.kubectl(['meshpreflight', 'check', '--profile', 'gloo-edge']);
    assert.equal(rejected.exitCode, 1);
    assert.match(lineOf(rejected.stdout, 'resources-accepted'), /^× \[resources-accepted\] 1 resource\(s\) rejected/);
    assert.match(rejected.stdout, /VirtualService gloo-system\/default: Rejected \(route has no destination\)/);

    expectSuccess(
      await client.kubectl([
        '-n',
        'gloo-system',
        'patch',
        'virtualservice',
        'default',
        '--type',
        'merge',
        '-p',
        '{"metadata":{"finalizers":["example.com/hold"]},"status":null}',
      ]),
      'finalizer',
    );
    expectSuccess(await client.kubectl(['-n', 'gloo-system', 'delete', 'virtualservice', 'default', '--wait=false']), 'delete');
    const stuck = await client.kubectl(['meshpreflight', 'check', '--profile', 'gloo-edge']);
    assert.equal(stuck.exitCode, 1);
    assert.match(lineOf(stuck.stdout, 'nothing-terminating'), /^× \[nothing-terminating\] 1 object\(s\) terminating/);
    assert.match(stuck.stdout, /VirtualService gloo-system\/default since .* \(finalizers: example\.com\/hold\)/);
  });
});
