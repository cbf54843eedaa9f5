import assert from 'node:assert/strict';
import { ClientEnv, expectSuccess, type TestCluster } from '../../support/cluster.js';
import { startE2eCluster } from '../../support/target.js';
import type { SandboxHandle } from '../../../sandbox/index.js';

describe('kubectl meshscale warnings about an HPA and a PodDisruptionBudget on Gloo Mesh 0.10.7', function () {
  this.timeout(120_000);
  let cluster: TestCluster & { sandbox?: SandboxHandle };
  let client: ClientEnv;

  before(async function () {
    cluster = await startE2eCluster({ installs: ['gloo-mesh@0.10.7'] });
    client = new ClientEnv(cluster.kubeconfig);
    const labels = JSON.parse(
      expectSuccess(await client.kubectl(['-n', 'gloo-mesh', 'get', 'deploy/networking', '-o', 'jsonpath={.spec.template.metadata.labels}']), 'labels').stdout,
    ) as Record<string, string>;
    const manifests = {
      apiVersion: 'v1',
      kind: 'List',
      items: [
        {
          apiVersion: 'autoscaling/v2',
          kind: 'HorizontalPodAutoscaler',
          metadata: { name: 'discovery-hpa', namespace: 'gloo-mesh' },
          spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'discovery' }, minReplicas: 1, maxReplicas: 3 },
        },
        {
          apiVersion: 'policy/v1',
          kind: 'PodDisruptionBudget',
          metadata: { name: 'networking-pdb', namespace: 'gloo-mesh' },
          spec: { minAvailable: 1, selector: { matchLabels: labels } },
        },
      ],
    };
    expectSuccess(await client.kubectl(['apply', '-f', '-'], { input: JSON.stringify(manifests) }), 'apply hpa and pdb');
  });
  after(async () => {
    client?.dispose();
    await cluster?.close();
  });

  it('shows the HPA in status, warns about both on down and about the HPA on up', async () => {
    const status = expectSuccess(await client.kubectl(['meshscale', 'status', '--profile', 'gloo-mesh']), 'status');
    assert.match(status.stdout.split('\n').find((l) => l.includes('discovery'))!, /discovery-hpa\s*$/);
    assert.match(status.stdout.split('\n').find((l) => l.includes('networking'))!, /\s-\s*$/);

    const down = expectSuccess(await client.kubectl(['meshscale', 'down', '--profile', 'gloo-mesh', '--timeout', '60s']), 'down');
    assert.match(down.stderr, /warning: horizontalpodautoscaler\/discovery-hpa targets deployment\/discovery/);
    assert.match(down.stderr, /warning: poddisruptionbudget\/networking-pdb \(minAvailable 1\) selects the pods of deployment\/networking/);
    assert.doesNotMatch(down.stderr, /poddisruptionbudget\/networking-pdb .*deployment\/discovery/);

    const up = expectSuccess(await client.kubectl(['meshscale', 'up', '--profile', 'gloo-mesh', '--quiet-period', '300ms', '--timeout', '60s']), 'up');
    assert.match(up.stderr, /warning: horizontalpodautoscaler\/discovery-hpa targets deployment\/discovery .*resumes autoscaling/);
  });
});
