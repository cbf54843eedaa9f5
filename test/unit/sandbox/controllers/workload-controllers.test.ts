import { strict as assert } from 'node:assert';
import type { KubeObject } from '../../../../sandbox/api/types.js';
import { aDaemonSet, aJob, aStatefulSet } from '../../../fixtures/workload-builder.js';
import { startHarness, ensureNamespace, podsIn, statusOf, type ControllerHarness } from '../../../support/controller-harness.js';
import { eventually } from '../../../support/eventually.js';

const statefulSets = { group: 'apps', version: 'v1', resource: 'statefulsets' };
const daemonSets = { group: 'apps', version: 'v1', resource: 'daemonsets' };
const jobs = { group: 'batch', version: 'v1', resource: 'jobs' };
const pods = { group: '', version: 'v1', resource: 'pods' };

describe('the StatefulSet, DaemonSet and Job controllers', function () {
  let world: ControllerHarness;

  beforeEach(function () {
    world = startHarness();
    ensureNamespace(world.api, 'data');
  });

  afterEach(function () {
    world.stop();
  });

  it('creates StatefulSet pods in ordinal order, each after the previous is ready', async function () {
    const created: string[] = [];
    const unsubscribe = world.api.subscribe((e) => {
      if (e.type === 'ADDED' && e.groupResource.resource === 'pods') {
        const earlier = podsIn(world.api, 'data').filter((p) => p.metadata.name !== e.object.metadata.name);
        const allReady = earlier.every((p) =>
          (p.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions?.some(
            (c) => c.type === 'Ready' && c.status === 'True',
          ),
        );
        created.push(`${e.object.metadata.name ?? ''}${allReady ? '' : ' (before the previous was ready)'}`);
      }
    });
    world.api.create(statefulSets, aStatefulSet().named('db').inNamespace('data').withReplicas(3).build());
    const status = await eventually(
      () => {
        const s = statusOf(world.api, statefulSets, 'data', 'db');
        assert.equal(s.readyReplicas, 3);
        return s;
      },
      5000,
      5,
    );
    unsubscribe();
    assert.deepEqual(created, ['db-0', 'db-1', 'db-2']);
    assert.match(String(status.updateRevision), /^db-[bcdfghjklmnpqrstvwxz2456789]+$/);
    assert.equal(status.currentRevision, status.updateRevision);
    assert.deepEqual(
      [status.replicas, status.availableReplicas, status.currentReplicas, status.updatedReplicas, status.observedGeneration],
      [3, 3, 3, 3, 1],
    );
  });

  it('deletes StatefulSet pods from the highest ordinal down on scale-down', async function () {
    world.api.create(statefulSets, aStatefulSet().named('db').inNamespace('data').withReplicas(3).build());
    await eventually(() => assert.equal(statusOf(world.api, statefulSets, 'data', 'db').readyReplicas, 3), 5000, 5);
    const deleted: string[] = [];
    const unsubscribe = world.api.subscribe((e) => {
      if (e.type === 'DELETED' && e.groupResource.resource === 'pods') deleted.push(e.object.metadata.name ?? '');
    });
    const current = world.api.get(statefulSets, 'data', 'db') as KubeObject;
    world.api.update(statefulSets, { ...current, spec: { ...(current.spec as object), replicas: 1 } });
    await eventually(() => assert.equal(statusOf(world.api, statefulSets, 'data', 'db').replicas, 1), 5000, 5);
    unsubscribe();
    assert.deepEqual(deleted, ['db-2', 'db-1']);
    assert.deepEqual(
      podsIn(world.api, 'data').map((p) => p.metadata.name),
      ['db-0'],
    );
  });

  it('runs one DaemonSet pod on the sandbox node and reports it scheduled and ready', async function () {
    world.api.create(daemonSets, aDaemonSet().named('agent').inNamespace('data').build());
    const status = await eventually(
      () => {
        const s = statusOf(world.api, daemonSets, 'data', 'agent');
        assert.equal(s.numberReady, 1);
        return s;
      },
      5000,
      5,
    );
    assert.deepEqual(
      [
        status.desiredNumberScheduled,
        status.currentNumberScheduled,
        status.updatedNumberScheduled,
        status.numberAvailable,
        status.observedGeneration,
      ],
      [1, 1, 1, 1, 1],
    );
    assert.match(podsIn(world.api, 'data')[0]?.metadata.name ?? '', /^agent-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  });

  it('completes a Job after the job delay, with its pod Succeeded and the Complete condition', async function () {
    world.api.create(jobs, aJob().named('certgen').inNamespace('data').build());
    const status = await eventually(
      () => {
        const s = statusOf(world.api, jobs, 'data', 'certgen');
        assert.equal(s.succeeded, 1);
        return s;
      },
      5000,
      5,
    );
    const conditions = status.conditions as Array<{ type: string; status: string }>;
    assert.ok(conditions.some((c) => c.type === 'Complete' && c.status === 'True'));
    assert.ok(typeof status.completionTime === 'string' && typeof status.startTime === 'string');
    const [pod] = world.api.list(pods, { namespace: 'data' });
    assert.equal((pod?.status as { phase?: string }).phase, 'Succeeded');
    assert.equal(pod?.metadata.labels?.['job-name'], 'certgen');
  });
});
