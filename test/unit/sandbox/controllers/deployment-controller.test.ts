import { strict as assert } from 'node:assert';
import type { KubeObject } from '../../../../sandbox/api/types.js';
import { aDeployment } from '../../../fixtures/workload-builder.js';
import { startHarness, ensureNamespace, podsIn, statusOf, type ControllerHarness } from '../../../support/controller-harness.js';
import { eventually } from '../../../support/eventually.js';
import { FakeInternalApi } from '../../../support/fake-internal-api.js';

const deployments = { group: 'apps', version: 'v1', resource: 'deployments' };
const replicaSets = { group: 'apps', version: 'v1', resource: 'replicasets' };

function conditionReason(status: Record<string, unknown>, type: string): string | undefined {
  return (status.conditions as Array<{ type: string; reason: string }> | undefined)?.find((c) => c.type === type)?.reason;
}

describe('the Deployment controller', function () {
  let world: ControllerHarness;

  beforeEach(function () {
    world = startHarness();
    ensureNamespace(world.api, 'shop');
  });

  afterEach(function () {
    world.stop();
  });

  it('creates a ReplicaSet and ready pods for a new Deployment, and converges its status', async function () {
    world.api.create(deployments, aDeployment().named('web').inNamespace('shop').withReplicas(3).build());
    const status = await eventually(
      () => {
        const s = statusOf(world.api, deployments, 'shop', 'web');
        assert.equal(s.availableReplicas, 3);
        return s;
      },
      5000,
      5,
    );
    assert.deepEqual(
      { replicas: status.replicas, updated: status.updatedReplicas, ready: status.readyReplicas, observed: status.observedGeneration },
      { replicas: 3, updated: 3, ready: 3, observed: 1 },
    );
    assert.equal('unavailableReplicas' in status, false, 'unavailableReplicas is omitted at zero, as a real server omits it');
    assert.equal(conditionReason(status, 'Available'), 'MinimumReplicasAvailable');
    assert.equal(conditionReason(status, 'Progressing'), 'NewReplicaSetAvailable');
    const [rs] = world.api.list(replicaSets, { namespace: 'shop' });
    const hash = rs?.metadata.labels?.['pod-template-hash'] ?? '';
    assert.match(hash, /^[bcdfghjklmnpqrstvwxz2456789]+$/);
    assert.equal(rs?.metadata.name, `web-${hash}`);
    assert.equal(rs?.metadata.ownerReferences?.[0]?.controller, true);
    const pods = podsIn(world.api, 'shop');
    assert.equal(pods.length, 3);
    for (const pod of pods) {
      assert.match(pod.metadata.name ?? '', new RegExp(`^web-${hash}-[bcdfghjklmnpqrstvwxz2456789]{5}$`));
      assert.deepEqual(pod.metadata.labels, { app: 'web', 'pod-template-hash': hash });
      assert.equal(pod.metadata.ownerReferences?.[0]?.name, rs?.metadata.name);
      assert.equal((pod.spec as { nodeName?: string }).nodeName, 'sandbox-node');
      assert.equal((pod.status as { phase?: string }).phase, 'Running');
    }
  });

  it('does not report pods available before the rollout delay has passed', async function () {
    const slow = startHarness({ rolloutMs: 400 });
    try {
      ensureNamespace(slow.api, 'shop');
      slow.api.create(deployments, aDeployment().named('web').inNamespace('shop').withReplicas(2).build());
      const status = await eventually(
        () => {
          const s = statusOf(slow.api, deployments, 'shop', 'web');
          assert.equal(s.replicas, 2);
          return s;
        },
        2000,
        5,
      );
      assert.equal(status.availableReplicas, undefined);
      assert.equal(status.unavailableReplicas, 2);
      assert.equal(conditionReason(status, 'Available'), 'MinimumReplicasUnavailable');
    } finally {
      slow.stop();
    }
  });

  it('deletes pods on scale-down and converges the status to the smaller count', async function () {
    world.api.create(deployments, aDeployment().named('web').inNamespace('shop').withReplicas(3).build());
    await eventually(() => assert.equal(statusOf(world.api, deployments, 'shop', 'web').availableReplicas, 3), 5000, 5);
    const current = world.api.get(deployments, 'shop', 'web') as KubeObject;
    world.api.update(deployments, { ...current, spec: { ...(current.spec as object), replicas: 1 } });
    await eventually(
      () => {
        const s = statusOf(world.api, deployments, 'shop', 'web');
        assert.deepEqual([s.observedGeneration, s.replicas, s.availableReplicas, s.updatedReplicas], [2, 1, 1, 1]);
        assert.equal(podsIn(world.api, 'shop').length, 1);
      },
      5000,
      5,
    );
  });

  it('rolls out a template change through a new ReplicaSet, replacing every pod', async function () {
    world.api.create(deployments, aDeployment().named('web').inNamespace('shop').withReplicas(2).build());
    await eventually(() => assert.equal(statusOf(world.api, deployments, 'shop', 'web').availableReplicas, 2), 5000, 5);
    const before = new Set(podsIn(world.api, 'shop').map((p) => p.metadata.name));
    const current = world.api.get(deployments, 'shop', 'web') as KubeObject;
    const restarted = aDeployment()
      .named('web')
      .inNamespace('shop')
      .withReplicas(2)
      .withTemplateAnnotation('kubectl.kubernetes.io/restartedAt', '2026-01-01T00:00:00Z')
      .build();
    world.api.update(deployments, { ...current, spec: restarted.spec });
    let sawRollingOut = false;
    await eventually(
      () => {
        const s = statusOf(world.api, deployments, 'shop', 'web');
        if (s.observedGeneration === 2 && (s.updatedReplicas !== 2 || s.replicas !== 2)) sawRollingOut = true;
        assert.deepEqual([s.observedGeneration, s.replicas, s.updatedReplicas, s.availableReplicas], [2, 2, 2, 2]);
        assert.equal(conditionReason(s, 'Progressing'), 'NewReplicaSetAvailable');
      },
      5000,
      2,
    );
    assert.ok(sawRollingOut, 'the status passed through an unfinished rollout');
    const after = podsIn(world.api, 'shop');
    assert.equal(after.length, 2);
    assert.ok(
      after.every((p) => !before.has(p.metadata.name)),
      'every old pod was replaced',
    );
    const sets = world.api.list(replicaSets, { namespace: 'shop' });
    assert.equal(sets.length, 2);
    assert.deepEqual(sets.map((rs) => (rs.spec as { replicas: number }).replicas).sort(), [0, 2]);
    assert.equal(world.api.get(deployments, 'shop', 'web')?.metadata.annotations?.['deployment.kubernetes.io/revision'], '2');
  });

  it('never finishes a rollout to an image no registry serves: the new pod stays in ImagePullBackOff, old pods keep serving', async function () {
    world.api.create(deployments, aDeployment().named('web').inNamespace('shop').withReplicas(2).build());
    await eventually(() => assert.equal(statusOf(world.api, deployments, 'shop', 'web').availableReplicas, 2), 5000, 5);
    const current = world.api.get(deployments, 'shop', 'web') as KubeObject;
    const broken = aDeployment().named('web').inNamespace('shop').withReplicas(2).withImage('registry.invalid/web:2').build();
    world.api.update(deployments, { ...current, spec: broken.spec });
    const stuck = await eventually(
      () => {
        const pod = podsIn(world.api, 'shop').find(
          (p) => (p.spec as { containers: Array<{ image: string }> }).containers[0]?.image === 'registry.invalid/web:2',
        );
        const waiting = (pod?.status as { containerStatuses?: Array<{ state: { waiting?: { reason: string } } }> } | undefined)
          ?.containerStatuses?.[0]?.state.waiting?.reason;
        assert.equal(waiting, 'ImagePullBackOff');
        return pod;
      },
      5000,
      5,
    );
    assert.equal((stuck?.status as { phase: string }).phase, 'Pending');
    // Well past the rollout delay, the Deployment is still mid-rollout on its old pods.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const s = statusOf(world.api, deployments, 'shop', 'web');
    assert.equal(s.observedGeneration, 2);
    assert.ok((s.updatedReplicas as number) < 2 || (s.availableReplicas as number) < 2 || (s.replicas as number) > 2, JSON.stringify(s));
    assert.ok((s.availableReplicas as number) >= 1, 'old pods keep serving');
  });

  it('converges the same way over the FakeInternalApi that plugin unit tests use', async function () {
    const fake = startHarness({}, new FakeInternalApi());
    try {
      ensureNamespace(fake.api, 'shop');
      fake.api.create(deployments, aDeployment().named('web').inNamespace('shop').withReplicas(2).build());
      await eventually(() => assert.equal(statusOf(fake.api, deployments, 'shop', 'web').availableReplicas, 2), 5000, 5);
      assert.equal(podsIn(fake.api, 'shop').length, 2);
    } finally {
      fake.stop();
    }
  });
});
