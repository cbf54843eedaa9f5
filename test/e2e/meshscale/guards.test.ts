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
      expectSuccess(
        await client.kubectl(['-n', 'gloo-mesh', 'get', 'deploy/networking', '-o', 'jsonpath={.spec.template.metadata.labels}']),
        'labels',
      ).stdout,
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

  it('lists with --dry-run=server what down would change and, apart, what the HPA and the PDB would do, changing nothing', async () => {
    const replicas = async (name: string): Promise<string> =>
      expectSuccess(
        await client.kubectl(['-n', 'gloo-mesh', 'get', `deploy/${name}`, '-o', 'jsonpath={.spec.replicas}']),
        'get',
      ).stdout.trim();
    const before = [await replicas('networking'), await replicas('discovery')];
    const dry = expectSuccess(
      await client.kubectl(['meshscale', 'down', '--profile', 'gloo-mesh', '--purge-discovery', '--dry-run=server']),
      'down --dry-run=server',
    );
    const [changes, consequences] = dry.stdout.split('HPA/PDB consequences:\n');
    assert.match(changes!, /^server dry run \(dryRun=All\): nothing was changed; "down" in gloo-mesh would:\n/);
    assert.match(
      changes!,
      new RegExp(`deployment/networking: replicas ${before[0]} -> 0, record meshscale.mesh-upgrade.io/original-replicas=${before[0]}\n`),
    );
    assert.match(changes!, /deployment\/discovery: replicas \d+ -> 0, record /);
    assert.match(changes!, /then delete the discovery.mesh.gloo.solo.io resources: TrafficTarget=\d+ Workload=\d+ Mesh=\d+/);
    assert.match(
      consequences!,
      /^ {2}PDB networking-pdb \(minAvailable 1\) selects the pods of deployment\/networking: .*would block eviction/m,
    );
    assert.match(consequences!, /^ {2}HPA discovery-hpa targets deployment\/discovery: min 1, max 3 — .*scale it back up to at least 1/m);
    assert.deepEqual([await replicas('networking'), await replicas('discovery')], before, 'nothing was scaled');
    const annotations = expectSuccess(
      await client.kubectl(['-n', 'gloo-mesh', 'get', 'deploy/networking', '-o', 'jsonpath={.metadata.annotations}']),
      'get',
    );
    assert.doesNotMatch(annotations.stdout, /original-replicas/, 'nothing was recorded');
  });

  it('shows the HPA in status, warns about both on down and about the HPA on up', async () => {
    const status = expectSuccess(await client.kubectl(['meshscale', 'status', '--profile', 'gloo-mesh']), 'status');
    assert.match(
      status.stdout.split('\n').find((l) => l.includes('discovery'))!,
      /discovery-hpa\s*$/,
    );
    assert.match(
      status.stdout.split('\n').find((l) => l.includes('networking'))!,
      /\s-\s*$/,
    );

    const down = expectSuccess(await client.kubectl(['meshscale', 'down', '--profile', 'gloo-mesh', '--timeout', '60s']), 'down');
    assert.match(down.stderr, /warning: horizontalpodautoscaler\/discovery-hpa targets deployment\/discovery/);
    assert.match(down.stderr, /warning: poddisruptionbudget\/networking-pdb \(minAvailable 1\) selects the pods of deployment\/networking/);
    assert.doesNotMatch(down.stderr, /poddisruptionbudget\/networking-pdb .*deployment\/discovery/);

    const up = expectSuccess(
      await client.kubectl(['meshscale', 'up', '--profile', 'gloo-mesh', '--quiet-period', '300ms', '--timeout', '60s']),
      'up',
    );
    assert.match(up.stderr, /warning: horizontalpodautoscaler\/discovery-hpa targets deployment\/discovery .*resumes autoscaling/);
  });
});
