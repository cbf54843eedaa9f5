import assert from 'node:assert/strict';
import { ClientEnv, expectSuccess, type TestCluster } from '../../support/cluster.js';
import { startE2eCluster } from '../../support/target.js';
import type { SandboxHandle } from '../../../sandbox/index.js';

describe('kubectl meshscale down and up on NGINX Service Mesh 1.7.0 (a StatefulSet among the workloads)', function () {
  this.timeout(120_000);
  let cluster: TestCluster & { sandbox?: SandboxHandle };
  let client: ClientEnv;

  before(async function () {
    cluster = await startE2eCluster({ installs: ['nginx-service-mesh@1.7.0'], delays: { podTerminationMs: 500 } });
    client = new ClientEnv(cluster.kubeconfig);
    expectSuccess(await client.kubectl(['-n', 'nginx-mesh', 'scale', 'statefulset/spire-server', '--replicas=2']), 'kubectl scale');
    expectSuccess(await client.kubectl(['-n', 'nginx-mesh', 'rollout', 'status', 'statefulset/spire-server', '--timeout=60s']), 'rollout');
  });
  after(async () => {
    client?.dispose();
    await cluster?.close();
  });

  it('scales every workload to 0 and back, restoring the StatefulSet to 2', async () => {
    expectSuccess(await client.kubectl(['meshscale', 'down', '--profile', 'nginx-service-mesh', '--timeout', '60s']), 'down');
    const zero = expectSuccess(
      await client.kubectl(['-n', 'nginx-mesh', 'get', 'statefulset/spire-server', '-o', 'jsonpath={.spec.replicas}']),
      'get',
    );
    assert.equal(zero.stdout.trim(), '0');
    // Every workload of the profile is down to zero pods, terminating ones included.
    const pods = expectSuccess(await client.kubectl(['-n', 'nginx-mesh', 'get', 'pods', '-o', 'name']), 'get pods');
    const profilePods = pods.stdout
      .split('\n')
      .filter((l) => /^pod\/(nginx-mesh-api|nginx-mesh-controller|nginx-mesh-metrics|nats-server|spire-server)-/.test(l));
    assert.deepEqual(profilePods, []);
    const status = expectSuccess(await client.kubectl(['meshscale', 'status', '--profile', 'nginx-service-mesh', '-o', 'json']), 'status');
    const rows = (JSON.parse(status.stdout) as { workloads: Array<{ kind: string; name: string; recordedOriginal: number | null }> })
      .workloads;
    assert.deepEqual(
      rows.find((r) => r.name === 'spire-server'),
      { ...rows.find((r) => r.name === 'spire-server'), kind: 'StatefulSet', recordedOriginal: 2 },
    );
    expectSuccess(
      await client.kubectl(['meshscale', 'up', '--profile', 'nginx-service-mesh', '--quiet-period', '300ms', '--timeout', '60s']),
      'up',
    );
    const restored = expectSuccess(
      await client.kubectl(['-n', 'nginx-mesh', 'get', 'statefulset/spire-server', '-o', 'jsonpath={.spec.replicas}']),
      'get',
    );
    assert.equal(restored.stdout.trim(), '2');
  });
});
