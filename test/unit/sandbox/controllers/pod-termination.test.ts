import { strict as assert } from 'node:assert';
import { SandboxApi } from '../../../../sandbox/api/internal-api.js';
import type { KubeObject } from '../../../../sandbox/api/types.js';
import { aDeployment, aStatefulSet } from '../../../fixtures/workload-builder.js';
import { startHarness, ensureNamespace, podsIn, statusOf, type ControllerHarness } from '../../../support/controller-harness.js';
import { eventually } from '../../../support/eventually.js';

const deployments = { group: 'apps', version: 'v1', resource: 'deployments' };
const statefulSets = { group: 'apps', version: 'v1', resource: 'statefulsets' };
const pods = { group: '', version: 'v1', resource: 'pods' };

function scaleTo(world: ControllerHarness, gvr: typeof deployments, name: string, replicas: number): void {
  const current = world.api.get(gvr, 'mesh', name) as KubeObject;
  world.api.update(gvr, { ...current, spec: { ...(current.spec as object), replicas } });
}

describe('graceful pod deletion (podTerminationMs)', function () {
  let world: ControllerHarness;

  beforeEach(function () {
    world = startHarness({ podTerminationMs: 80 }, new SandboxApi(undefined, { gracefulPodDeletion: true }));
    ensureNamespace(world.api, 'mesh');
  });

  afterEach(function () {
    world.stop();
  });

  it('keeps the pods of a Deployment scaled to 0 terminating after status.replicas is 0, then removes them', async function () {
    world.api.create(deployments, aDeployment().named('web').inNamespace('mesh').withReplicas(2).build());
    await eventually(() => assert.equal(statusOf(world.api, deployments, 'mesh', 'web').availableReplicas, 2), 5000, 5);
    const events: string[] = [];
    const unsubscribe = world.api.subscribe((e) => {
      if (e.groupResource.resource !== 'pods') return;
      if (e.type === 'DELETED') events.push('deleted');
      else if (e.object.metadata.deletionTimestamp) events.push('terminating');
    });
    scaleTo(world, deployments, 'web', 0);
    await eventually(() => assert.equal(statusOf(world.api, deployments, 'mesh', 'web').replicas ?? 0, 0), 5000, 5);
    // The ReplicaSet counts only active pods, as the real one does: the pods are still there.
    const left = podsIn(world.api, 'mesh');
    assert.equal(left.length, 2);
    assert.ok(left.every((p) => p.metadata.deletionTimestamp !== undefined && p.metadata.deletionGracePeriodSeconds === 30));
    await eventually(() => assert.equal(podsIn(world.api, 'mesh').length, 0), 5000, 5);
    unsubscribe();
    assert.deepEqual(events.slice(0, 2), ['terminating', 'terminating']);
    assert.equal(events.filter((e) => e === 'deleted').length, 2);
  });

  it('lets a StatefulSet delete its next pod only once the terminating one is gone, counting it meanwhile', async function () {
    world.api.create(statefulSets, aStatefulSet().named('db').inNamespace('mesh').withReplicas(2).build());
    await eventually(() => assert.equal(statusOf(world.api, statefulSets, 'mesh', 'db').readyReplicas, 2), 5000, 5);
    // Every status written while scaling down counts the pods there are, terminating ones included.
    const miscounts: string[] = [];
    const unsubscribe = world.api.subscribe((e) => {
      if (e.groupResource.resource !== 'statefulsets' || e.type === 'DELETED') return;
      const replicas = (e.object.status as { replicas?: number } | undefined)?.replicas ?? 0;
      const present = podsIn(world.api, 'mesh').length;
      if (replicas !== present) miscounts.push(`status.replicas ${replicas} with ${present} pods`);
    });
    scaleTo(world, statefulSets, 'db', 0);
    await eventually(() => assert.ok(podsIn(world.api, 'mesh').some((p) => p.metadata.deletionTimestamp)), 5000, 5);
    const [first, second] = podsIn(world.api, 'mesh');
    assert.equal(first?.metadata.deletionTimestamp, undefined, 'db-0 waits while db-1 terminates');
    assert.notEqual(second?.metadata.deletionTimestamp, undefined);
    assert.equal(statusOf(world.api, statefulSets, 'mesh', 'db').replicas, 2);
    await eventually(
      () => {
        assert.equal(podsIn(world.api, 'mesh').length, 0);
        assert.equal(statusOf(world.api, statefulSets, 'mesh', 'db').replicas, 0);
      },
      5000,
      5,
    );
    unsubscribe();
    assert.deepEqual(miscounts, []);
  });

  it('removes a terminating pod at once on a grace-0 delete (kubectl delete --grace-period=0 --force)', async function () {
    world.api.create(deployments, aDeployment().named('web').inNamespace('mesh').withReplicas(1).build());
    await eventually(() => assert.equal(podsIn(world.api, 'mesh').length, 1), 5000, 5);
    const name = podsIn(world.api, 'mesh')[0]!.metadata.name ?? '';
    world.api.delete(pods, 'mesh', name, { gracePeriodSeconds: 60 });
    assert.equal(world.api.get(pods, 'mesh', name)?.metadata.deletionGracePeriodSeconds, 60);
    world.api.delete(pods, 'mesh', name, { gracePeriodSeconds: 0 });
    assert.equal(world.api.get(pods, 'mesh', name), undefined);
  });
});

describe('pod deletion without podTerminationMs', function () {
  it('stays immediate, as before', async function () {
    const world = startHarness();
    try {
      ensureNamespace(world.api, 'mesh');
      world.api.create(deployments, aDeployment().named('web').inNamespace('mesh').withReplicas(1).build());
      await eventually(() => assert.equal(podsIn(world.api, 'mesh').length, 1), 5000, 5);
      const name = podsIn(world.api, 'mesh')[0]!.metadata.name ?? '';
      world.api.delete(pods, 'mesh', name);
      assert.equal(world.api.get(pods, 'mesh', name), undefined);
    } finally {
      world.stop();
    }
  });
});
