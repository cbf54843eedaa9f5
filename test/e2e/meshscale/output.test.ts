/**
 * `kubectl meshscale down|up -o json|yaml|name`: the result as data on stdout (as `kubectl scale -o`
 * gives it), progress still on stderr, and a dry run's would-be changes in the document.
 */
import assert from 'node:assert/strict';
import yaml from 'js-yaml';
import { ClientEnv, expectSuccess, type TestCluster } from '../../support/cluster.js';
import { startE2eCluster } from '../../support/target.js';
import { scaleGlooMeshTo } from './setup.js';

interface Row {
  name: string;
  desired: number | null;
  recordedOriginal: number | null;
}
interface Result {
  verb: string;
  namespace: string;
  dryRun: string;
  workloads: Row[];
  changes?: string[];
  consequences?: string[];
  purged?: Record<string, number>;
  wouldPurge?: Record<string, number>;
}

describe('kubectl meshscale down and up with -o json|yaml|name', function () {
  this.timeout(120_000);
  let cluster: TestCluster;
  let client: ClientEnv;

  before(async () => {
    cluster = await startE2eCluster({ installs: ['gloo-mesh@0.10.7'] });
    client = new ClientEnv(cluster.kubeconfig);
    await scaleGlooMeshTo(client, 2);
  });
  after(async () => {
    client?.dispose();
    await cluster?.close();
  });

  const replicas = async (name: string): Promise<string> =>
    expectSuccess(await client.kubectl(['-n', 'gloo-mesh', 'get', `deploy/${name}`, '-o', 'jsonpath={.spec.replicas}']), 'get').stdout;

  it('a dry run prints the would-be changes and the unchanged workloads as JSON, writing nothing', async () => {
    const r = expectSuccess(
      await client.kubectl(['meshscale', 'down', '--profile', 'gloo-mesh', '--purge-discovery', '--dry-run', '-o', 'json']),
      'down --dry-run -o json',
    );
    const result = JSON.parse(r.stdout) as Result;
    assert.equal(result.verb, 'down');
    assert.equal(result.namespace, 'gloo-mesh');
    assert.equal(result.dryRun, 'client');
    assert.deepEqual(
      result.workloads.map((w) => [w.name, w.desired]),
      [
        ['networking', 2],
        ['discovery', 2],
      ],
    );
    assert.ok(result.changes && result.changes.some((c) => /networking/.test(c)), r.stdout);
    assert.ok(result.wouldPurge && 'Mesh' in result.wouldPurge, r.stdout);
    assert.equal(result.purged, undefined);
    assert.equal(await replicas('networking'), '2');
  });

  it('down -o yaml: the workloads at 0 with their recorded counts and the purged resources, no sentence on stdout', async () => {
    const r = expectSuccess(
      await client.kubectl(['meshscale', 'down', '--profile', 'gloo-mesh', '--purge-discovery', '--timeout', '60s', '-o', 'yaml']),
      'down -o yaml',
    );
    assert.doesNotMatch(r.stdout, /purged discovery resources:|scaled down/);
    const result = yaml.load(r.stdout) as Result;
    assert.equal(result.dryRun, 'none');
    assert.equal(result.changes, undefined);
    assert.deepEqual(
      result.workloads.map((w) => [w.name, w.desired, w.recordedOriginal]),
      [
        ['networking', 0, 2],
        ['discovery', 0, 2],
      ],
    );
    assert.ok(result.purged && Object.values(result.purged).reduce((a, b) => a + b, 0) > 0, r.stdout);
    assert.equal(await replicas('discovery'), '0');
  });

  it('up -o name prints each workload as kubectl does, in the order they were scaled', async () => {
    const r = expectSuccess(
      await client.kubectl(['meshscale', 'up', '--profile', 'gloo-mesh', '--quiet-period', '200ms', '--timeout', '60s', '-o', 'name']),
      'up -o name',
    );
    assert.equal(r.stdout, 'deployment.apps/discovery\ndeployment.apps/networking\n');
    assert.equal(await replicas('networking'), '2');
  });

  it('refuses an output format down does not have as kubectl does (the error, then where the usage is), exit 2, before any write', async () => {
    const r = await client.kubectl(['meshscale', 'down', '--profile', 'gloo-mesh', '-o', 'wide']);
    assert.equal(r.exitCode, 2, r.stderr);
    assert.match(
      r.stderr,
      /^error: invalid argument "wide" for "--output" flag: must be one of json, yaml, name\nSee 'kubectl meshscale down --help' for usage\.\n$/,
    );
    assert.equal(r.stdout, '');
    assert.equal(await replicas('networking'), '2');
  });
});

describe('kubectl meshscale on a version without one of its profile workloads (Gloo Edge 1.16: no gateway Deployment)', function () {
  this.timeout(120_000);
  let cluster: TestCluster;
  let client: ClientEnv;

  before(async () => {
    cluster = await startE2eCluster({ installs: ['gloo-edge@1.16.27'] });
    client = new ClientEnv(cluster.kubeconfig);
  });
  after(async () => {
    client?.dispose();
    await cluster?.close();
  });

  it('names only the workloads it scaled: -o name and the closing sentence leave out the one skipped', async () => {
    const down = expectSuccess(
      await client.kubectl(['meshscale', 'down', '--profile', 'gloo-edge', '--timeout', '60s', '-o', 'name']),
      'down',
    );
    assert.match(down.stderr, /deployment\/gateway not found in gloo-system: optional, skipped/);
    assert.equal(down.stdout, 'deployment.apps/discovery\ndeployment.apps/gloo\n');
    const up = expectSuccess(await client.kubectl(['meshscale', 'up', '--profile', 'gloo-edge', '--timeout', '60s']), 'up');
    assert.equal(up.stdout, 'scaled up gloo, discovery in gloo-system\n');
  });

  it('status in a namespace without the product says so on stderr, as kubectl get does, and still prints the rows', async () => {
    const status = expectSuccess(
      await client.kubectl(['meshscale', 'status', '--profile', 'gloo-edge', '-n', 'default', '-o', 'json']),
      'status',
    );
    assert.equal(
      status.stderr,
      "Warning: none of these workloads is in namespace default (the profile's namespace is gloo-system): is the product installed there?\n",
    );
    assert.deepEqual(
      (JSON.parse(status.stdout) as { workloads: Row[] }).workloads.map((row) => row.desired),
      [null, null, null],
    );
    const installed = expectSuccess(await client.kubectl(['meshscale', 'status', '--profile', 'gloo-edge']), 'status');
    assert.equal(installed.stderr, '');
  });
});
