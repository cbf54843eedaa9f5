/**
 * `kubectl meshpreflight check` before and after a real `helm upgrade` (helm 3) of the Gloo Edge
 * release on the sandbox: the chart is the live control plane with 1.17.0 images, so the upgrade
 * rolls every Deployment; then a rejected VirtualService and a resource stuck terminating fail it.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SandboxHandle } from '../../../sandbox/index.js';
import { glooEdgeCrdFacts } from '../../../sandbox/products/gloo-edge/crds.js';
import { syntheticCrd } from '../../../sandbox/products/synthetic-crd.js';
import { ClientEnv, expectSuccess, type TestCluster } from '../../support/cluster.js';
import { requireSandbox, startE2eCluster } from '../../support/target.js';
import { eventually } from '../../support/eventually.js';
import { helm3Path } from '../../support/tools.js';
import { aCrd } from '../../fixtures/crd-builder.js';
import { chartFromLive, checkOf, lineOf, parseReport } from './support.js';

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

  it('fails while a leftover CRD holds the names of a 1.17.0 CRD (NamesAccepted=False, never Established), naming the conflict', async () => {
    // A hand-made or pre-release CRD of the same group that claims kind ListenerOption under another plural.
    const leftover = aCrd().forKind('gateway.solo.io', 'ListenerOption', 'listeneropts').build();
    expectSuccess(await client.kubectl(['create', '-f', '-'], { input: JSON.stringify(leftover) }), 'create leftover CRD');
    expectSuccess(
      await client.kubectl(['wait', '--for=condition=Established', 'crd/listeneropts.gateway.solo.io', '--timeout=60s']),
      'wait leftover',
    );
    const crds = { apiVersion: 'v1', kind: 'List', items: glooEdgeCrdFacts('1.17.0').map(syntheticCrd) };
    expectSuccess(
      await client.kubectl(['apply', '--server-side', '--force-conflicts', '-f', '-'], { input: JSON.stringify(crds) }),
      'apply 1.17.0 CRDs',
    );
    // As on a real server, the CRD is created but its names are refused: it waits, not Established.
    expectSuccess(
      await client.kubectl(['wait', '--for=condition=NamesAccepted=False', 'crd/listeneroptions.gateway.solo.io', '--timeout=60s']),
      'wait NamesAccepted=False',
    );
    const table = await client.kubectl(['meshpreflight', 'check', '--profile', 'gloo-edge', '--expect', '1.17.0']);
    assert.equal(table.exitCode, 1, table.stdout + table.stderr);
    assert.match(
      lineOf(table.stdout, 'crds-established'),
      /^× \[crds-established\] 1 CRD\(s\) not Established: listeneroptions\.gateway\.solo\.io/,
    );
    const json = await client.kubectl(['meshpreflight', 'check', '--profile', 'gloo-edge', '--expect', '1.17.0', '-o', 'json']);
    assert.equal(json.exitCode, 1);
    const check = checkOf(parseReport(json), 'crds-established');
    assert.equal(check.status, 'fail');
    assert.match(
      check.details?.join('\n') ?? '',
      /listeneroptions\.gateway\.solo\.io: NamesAccepted=False \((Kind|ListKind|Singular)Conflict: "[A-Za-z]+" is already in use\); Established=False \(NotAccepted: not all names are accepted\)/,
    );
    expectSuccess(await client.kubectl(['delete', 'crd', 'listeneropts.gateway.solo.io']), 'delete leftover CRD');
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

  it('fails while a rollout cannot finish (the new image cannot be pulled), and passes again after rollout undo', async () => {
    // registry.invalid never resolves (RFC 2606): the new pod stays in ImagePullBackOff, the old ones keep serving.
    expectSuccess(
      await client.kubectl([
        '-n',
        'gloo-system',
        'set',
        'image',
        'deployment/discovery',
        'discovery=registry.invalid/solo-io/discovery:1.17.0',
      ]),
      'set image',
    );
    // Once the controller has observed the new spec, the rollout is reported stuck mid-way (not merely "not observed yet").
    await eventually(
      async () => {
        const result = await client.kubectl(['meshpreflight', 'check', '--profile', 'gloo-edge', '--expect', '1.17.0', '-o', 'json']);
        assert.equal(result.exitCode, 1, result.stdout + result.stderr);
        const check = checkOf(parseReport(result), 'control-plane-rolled-out');
        assert.equal(check.status, 'fail');
        assert.match(
          check.details?.join('\n') ?? '',
          /^deployment\/discovery: (\d\/1 replicas (updated|available)|1 old replica\(s\) still running)$/m,
        );
      },
      30_000,
      500,
    );
    const pods = expectSuccess(
      await client.kubectl([
        '-n',
        'gloo-system',
        'get',
        'pods',
        '-l',
        'gloo=discovery',
        '-o',
        'jsonpath={.items[*].status.containerStatuses[*].state.waiting.reason}',
      ]),
      'get pods',
    );
    assert.match(pods.stdout, /ImagePullBackOff/);
    const table = await client.kubectl(['meshpreflight', 'check', '--profile', 'gloo-edge', '--expect', '1.17.0']);
    assert.equal(table.exitCode, 1);
    assert.match(
      lineOf(table.stdout, 'control-plane-rolled-out'),
      /^× \[control-plane-rolled-out\] the control plane has not rolled out: deployment\/discovery: /,
    );
    assert.match(table.stdout, /hint: kubectl -n gloo-system rollout status deployment\/NAME/);

    expectSuccess(await client.kubectl(['-n', 'gloo-system', 'rollout', 'undo', 'deployment/discovery']), 'rollout undo');
    expectSuccess(
      await client.kubectl(['-n', 'gloo-system', 'rollout', 'status', 'deployment/discovery', '--timeout=60s']),
      'rollout status',
    );
    const after = await client.kubectl(['meshpreflight', 'check', '--profile', 'gloo-edge', '--expect', '1.17.0']);
    assert.equal(after.exitCode, 0, after.stdout + after.stderr);
    assert.match(lineOf(after.stdout, 'control-plane-rolled-out'), /^√ /);
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
