import assert from 'node:assert/strict';
import { ClientEnv, expectSuccess, type TestCluster } from '../../support/cluster.js';
import { requireSandbox, startE2eCluster } from '../../support/target.js';
import { eventually } from '../../support/eventually.js';
import type { SandboxHandle } from '../../../sandbox/index.js';
import { scaleGlooMeshTo } from './setup.js';

describe('kubectl meshscale down and up on Gloo Mesh 0.10.7', function () {
  this.timeout(120_000);
  let cluster: TestCluster & { sandbox?: SandboxHandle };
  let client: ClientEnv;

  before(async function () {
    // Pods stay terminating for a second after a scale-down, as on a real cluster (where the grace
    // period is 30 s): `down` must wait for them, not only for status.replicas to read 0.
    cluster = await startE2eCluster({ installs: ['gloo-mesh@0.10.7'], delays: { podTerminationMs: 1000 } });
    requireSandbox(this, cluster, 'the scale order is read from its audit log');
    client = new ClientEnv(cluster.kubeconfig);
    await scaleGlooMeshTo(client, 2);
  });
  after(async () => {
    client?.dispose();
    await cluster?.close();
  });

  it('scales down networking then discovery, records the counts and purges discovery resources', async () => {
    cluster.sandbox!.audit.clear();
    const result = expectSuccess(
      await client.kubectl(['meshscale', 'down', '--profile', 'gloo-mesh', '--purge-discovery', '--timeout', '60s']),
      'down',
    );
    assert.match(result.stdout, /purged discovery resources:/);
    const scales = cluster.sandbox!.audit.entries().filter((e) => e.verb === 'patch' && /\/deployments\/[^/]+\/scale$/.test(e.path));
    assert.deepEqual(
      scales.map((e) => /\/deployments\/([^/]+)\/scale$/.exec(e.path)![1]),
      ['networking', 'discovery'],
    );
    const pods = expectSuccess(await client.kubectl(['-n', 'gloo-mesh', 'get', 'pods', '-o', 'name']), 'get pods');
    assert.deepEqual(
      pods.stdout.split('\n').filter((l) => /networking|discovery/.test(l)),
      [],
      'no pod of either workload, not even terminating',
    );
    // discovery was scaled only once networking's pods were gone (their DELETE events precede it).
    const networkingPodsGone = cluster
      .sandbox!.audit.entries()
      .findIndex((e) => e.verb === 'watch' && /\/pods$/.test(e.path) && /networking/.test(e.query));
    assert.ok(networkingPodsGone >= 0, 'down watched the networking pods');
    for (const plural of ['meshes', 'workloads', 'traffictargets']) {
      const listed = expectSuccess(await client.kubectl(['get', `${plural}.discovery.mesh.gloo.solo.io`, '-A', '-o', 'name']), 'get');
      assert.equal(listed.stdout.trim(), '', plural);
    }
    const status = expectSuccess(await client.kubectl(['meshscale', 'status', '--profile', 'gloo-mesh', '-o', 'json']), 'status');
    const rows = (JSON.parse(status.stdout) as { workloads: Array<{ name: string; recordedOriginal: number }> }).workloads;
    assert.deepEqual(
      rows.map((r) => [r.name, r.recordedOriginal]),
      [
        ['networking', 2],
        ['discovery', 2],
      ],
    );
  });

  it('keeps the recorded counts when down runs again', async () => {
    expectSuccess(await client.kubectl(['meshscale', 'down', '--profile', 'gloo-mesh', '--timeout', '60s']), 'down again');
    const status = expectSuccess(await client.kubectl(['meshscale', 'status', '--profile', 'gloo-mesh', '-o', 'json']), 'status');
    const rows = (JSON.parse(status.stdout) as { workloads: Array<{ recordedOriginal: number }> }).workloads;
    assert.deepEqual(
      rows.map((r) => r.recordedOriginal),
      [2, 2],
    );
  });

  it('scales discovery first, waits for its resources to settle, then networking, restoring 2 replicas', async () => {
    cluster.sandbox!.audit.clear();
    const result = expectSuccess(
      await client.kubectl(['meshscale', 'up', '--profile', 'gloo-mesh', '--quiet-period', '500ms', '--timeout', '60s']),
      'up',
    );
    // Settled only once the simulator had rewritten all it finds: 2 meshes, 6 traffic targets, 6 workloads.
    assert.match(result.stderr, /discovery settled: TrafficTarget=6 Workload=6 Mesh=2\n/);
    const entries = cluster.sandbox!.audit.entries();
    const scaleIndex = (name: string): number =>
      entries.findIndex((e) => e.verb === 'patch' && e.path.endsWith(`/deployments/${name}/scale`));
    assert.ok(scaleIndex('discovery') >= 0 && scaleIndex('networking') > scaleIndex('discovery'));
    // The settle wait listed each discovery kind once between the two scale writes, then watched it
    // from there (no polling). Watches are audited when they end, so wait for them to be recorded.
    const between = entries.slice(scaleIndex('discovery'), scaleIndex('networking'));
    const { time: discoveryScaled } = entries[scaleIndex('discovery')]!;
    const { time: networkingScaled } = entries[scaleIndex('networking')]!;
    for (const plural of ['meshes', 'workloads', 'traffictargets']) {
      const path = `/apis/discovery.mesh.gloo.solo.io/v1alpha2/${plural}`;
      assert.equal(between.filter((e) => e.verb === 'list' && e.path === path).length, 1, `one list of ${plural}`);
      await eventually(() => {
        const watches = cluster
          .sandbox!.audit.entries()
          .filter((e) => e.verb === 'watch' && e.path === path && e.time >= discoveryScaled && e.time <= networkingScaled);
        assert.equal(watches.length, 1, `one watch of ${plural} during the settle wait`);
      }, 5000);
    }
    const meshes = expectSuccess(await client.kubectl(['get', 'meshes.discovery.mesh.gloo.solo.io', '-A', '-o', 'name']), 'get');
    assert.notEqual(meshes.stdout.trim(), '', 'the discovery simulator rewrote its resources');
    for (const name of ['networking', 'discovery']) {
      const replicas = expectSuccess(
        await client.kubectl(['-n', 'gloo-mesh', 'get', `deploy/${name}`, '-o', 'jsonpath={.spec.replicas}']),
        'get',
      );
      assert.equal(replicas.stdout.trim(), '2');
    }
  });

  it('refuses up for a workload at 0 with no record and no --replicas with exit 9, and takes --replicas', async () => {
    expectSuccess(await client.kubectl(['-n', 'gloo-mesh', 'scale', 'deploy/networking', '--replicas=0']), 'kubectl scale');
    const result = await client.kubectl(['meshscale', 'up', '--profile', 'gloo-mesh']);
    assert.equal(result.exitCode, 9);
    assert.equal(result.stderr, 'error: deployment/networking is at 0 replicas with no recorded original count: pass --replicas N\n');
    expectSuccess(
      await client.kubectl(['meshscale', 'up', '--profile', 'gloo-mesh', '--replicas', '1', '--quiet-period', '300ms', '--timeout', '60s']),
      'up --replicas',
    );
    const replicas = expectSuccess(
      await client.kubectl(['-n', 'gloo-mesh', 'get', 'deploy/networking', '-o', 'jsonpath={.spec.replicas}']),
      'get',
    );
    assert.equal(replicas.stdout.trim(), '1');
  });

  it('names an unknown --only workload and the known ones, exit 2', async () => {
    const result = await client.kubectl(['meshscale', 'down', '--profile', 'gloo-mesh', '--only', 'nope']);
    assert.equal(result.exitCode, 2);
    assert.match(result.stderr, /^error: unknown workload "nope" for profile gloo-mesh: known workloads are networking, discovery\n/);
  });

  it('refuses an unknown --workload with exit 9, and a namespace without the product', async () => {
    const unknown = await client.kubectl(['meshscale', 'down', '--workload', 'deploy/nope', '-n', 'gloo-mesh']);
    assert.equal(unknown.exitCode, 9);
    assert.equal(unknown.stderr, 'error: deployment/nope not found in namespace gloo-mesh: is the product installed there?\n');
    const elsewhere = await client.kubectl(['meshscale', 'down', '--profile', 'gloo-mesh', '-n', 'default']);
    assert.equal(elsewhere.exitCode, 9);
    assert.equal(
      elsewhere.stderr,
      'error: deployment/networking, deployment/discovery not found in namespace default: is the product installed there?\n',
    );
  });

  it('rejects an unknown profile with exit 2', async () => {
    const result = await client.kubectl(['meshscale', 'down', '--profile', 'nope']);
    assert.equal(result.exitCode, 2);
    assert.match(result.stderr, /unknown profile "nope"/);
  });
});
