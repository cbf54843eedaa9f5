import { strict as assert } from 'node:assert';
import { aCrd } from '../../../fixtures/crd-builder.js';
import { aDeployment } from '../../../fixtures/workload-builder.js';
import { startHarness, ensureNamespace, podsIn, statusOf, type ControllerHarness } from '../../../support/controller-harness.js';
import { eventually } from '../../../support/eventually.js';

const crds = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' };
const namespaces = { group: '', version: 'v1', resource: 'namespaces' };
const deployments = { group: 'apps', version: 'v1', resource: 'deployments' };
const replicaSets = { group: 'apps', version: 'v1', resource: 'replicasets' };
const configMaps = { group: '', version: 'v1', resource: 'configmaps' };
const widgets = { group: 'widgets.example.test', version: 'v1', resource: 'widgets' };

describe('the CRD, namespace and garbage-collection controllers', function () {
  let world: ControllerHarness;

  beforeEach(function () {
    world = startHarness({ crdEstablishMs: 60 });
  });

  afterEach(function () {
    world.stop();
  });

  it('establishes a CRD only after the establish delay, with acceptedNames copied from spec.names', async function () {
    const started = Date.now();
    world.api.create(crds, aCrd().withVersion('v1').build());
    assert.equal(world.api.resourceType(widgets), undefined, 'not served before it is Established');
    const status = await eventually(
      () => {
        const s = statusOf(world.api, crds, undefined, 'widgets.widgets.example.test');
        assert.ok((s.conditions as Array<{ type: string }> | undefined)?.some((c) => c.type === 'Established'));
        return s;
      },
      5000,
      5,
    );
    assert.ok(Date.now() - started >= 55, `established after ${Date.now() - started} ms`);
    const conditions = status.conditions as Array<{ type: string; status: string }>;
    assert.deepEqual(
      conditions.map((c) => `${c.type}=${c.status}`),
      ['NamesAccepted=True', 'Established=True'],
    );
    assert.deepEqual(status.acceptedNames, { kind: 'Widget', listKind: 'WidgetList', plural: 'widgets', singular: 'widget' });
    assert.deepEqual(status.storedVersions, ['v1']);
    assert.ok(world.api.resourceType(widgets));
  });

  it('leaves a CRD whose names another CRD of the group accepted NamesAccepted=False, not Established and not served, until that one goes', async function () {
    world.api.create(crds, aCrd().build());
    await eventually(() => assert.ok(world.api.resourceType(widgets)), 5000, 5);
    // Another plural, the same kind: the real NamingConditionController answers KindConflict.
    world.api.create(crds, aCrd().forKind('widgets.example.test', 'Widget', 'widgetz').build());
    const conditionsOf = () =>
      ((statusOf(world.api, crds, undefined, 'widgetz.widgets.example.test').conditions ?? []) as Array<Record<string, string>>).map(
        (c) => `${c.type}=${c.status} ${c.reason}: ${c.message}`,
      );
    await eventually(() => assert.equal(conditionsOf().length, 2), 5000, 5);
    // singular, kind and listKind all conflict; like the real controller, the condition names the last one judged.
    assert.deepEqual(conditionsOf(), [
      'NamesAccepted=False ListKindConflict: "WidgetList" is already in use',
      'Established=False NotAccepted: not all names are accepted',
    ]);
    assert.deepEqual(statusOf(world.api, crds, undefined, 'widgetz.widgets.example.test').acceptedNames, { plural: 'widgetz' });
    assert.equal(world.api.resourceType({ ...widgets, resource: 'widgetz' }), undefined, 'not served');
    world.api.delete(crds, undefined, 'widgets.widgets.example.test');
    await eventually(
      () =>
        assert.deepEqual(
          conditionsOf().map((c) => c.split(' ')[0]),
          ['NamesAccepted=True', 'Established=True'],
        ),
      5000,
      5,
    );
    assert.ok(world.api.resourceType({ ...widgets, resource: 'widgetz' }));
  });

  it('empties a terminating namespace of every namespaced object, then lets it go', async function () {
    world.api.create(crds, aCrd().withVersion('v1').build());
    await eventually(() => assert.ok(world.api.resourceType(widgets)), 5000, 5);
    ensureNamespace(world.api, 'doomed');
    ensureNamespace(world.api, 'kept');
    for (const ns of ['doomed', 'kept']) {
      world.api.create(configMaps, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'settings', namespace: ns },
        data: { a: '1' },
      });
      world.api.create(widgets, {
        apiVersion: 'widgets.example.test/v1',
        kind: 'Widget',
        metadata: { name: 'w', namespace: ns },
        spec: { size: 1 },
      });
    }
    world.api.create(deployments, aDeployment().named('web').inNamespace('doomed').withReplicas(1).build());
    await eventually(() => assert.equal(podsIn(world.api, 'doomed').length, 1), 5000, 5);
    world.api.delete(namespaces, undefined, 'doomed');
    assert.equal((world.api.get(namespaces, undefined, 'doomed')?.status as { phase?: string }).phase, 'Terminating');
    await eventually(() => assert.equal(world.api.get(namespaces, undefined, 'doomed'), undefined), 5000, 5);
    for (const gvr of [configMaps, widgets, deployments, replicaSets]) assert.deepEqual(world.api.list(gvr, { namespace: 'doomed' }), []);
    assert.equal(podsIn(world.api, 'doomed').length, 0);
    assert.equal(world.api.list(configMaps, { namespace: 'kept' }).length, 1);
    assert.equal(world.api.list(widgets, { namespace: 'kept' }).length, 1);
  });

  it('deletes the ReplicaSets and pods of a deleted Deployment', async function () {
    ensureNamespace(world.api, 'shop');
    world.api.create(deployments, aDeployment().named('web').inNamespace('shop').withReplicas(2).build());
    await eventually(() => assert.equal(statusOf(world.api, deployments, 'shop', 'web').availableReplicas, 2), 5000, 5);
    world.api.delete(deployments, 'shop', 'web');
    await eventually(
      () => {
        assert.deepEqual(world.api.list(replicaSets, { namespace: 'shop' }), []);
        assert.deepEqual(podsIn(world.api, 'shop'), []);
      },
      5000,
      5,
    );
  });

  it('leaves the ReplicaSet of a Deployment deleted with propagationPolicy Orphan, without its owner reference', async function () {
    ensureNamespace(world.api, 'shop');
    world.api.create(deployments, aDeployment().named('web').inNamespace('shop').withReplicas(1).build());
    await eventually(() => assert.equal(statusOf(world.api, deployments, 'shop', 'web').availableReplicas, 1), 5000, 5);
    world.api.delete(deployments, 'shop', 'web', { propagationPolicy: 'Orphan' });
    await eventually(() => assert.equal(world.api.get(deployments, 'shop', 'web'), undefined), 5000, 5);
    const [rs] = world.api.list(replicaSets, { namespace: 'shop' });
    assert.ok(rs, 'the ReplicaSet stays');
    assert.equal(rs.metadata.ownerReferences, undefined);
    assert.equal(podsIn(world.api, 'shop').length, 1);
  });

  it('keeps a Deployment deleted with propagationPolicy Foreground until its ReplicaSets and pods are gone', async function () {
    ensureNamespace(world.api, 'shop');
    world.api.create(deployments, aDeployment().named('web').inNamespace('shop').withReplicas(2).build());
    await eventually(() => assert.equal(statusOf(world.api, deployments, 'shop', 'web').availableReplicas, 2), 5000, 5);
    const marked = world.api.delete(deployments, 'shop', 'web', { propagationPolicy: 'Foreground' });
    assert.deepEqual(marked?.metadata.finalizers, ['foregroundDeletion']);
    await eventually(() => assert.equal(world.api.get(deployments, 'shop', 'web'), undefined), 5000, 5);
    assert.deepEqual(world.api.list(replicaSets, { namespace: 'shop' }), []);
    assert.deepEqual(podsIn(world.api, 'shop'), []);
  });

  it('collects an object that got its owner reference by an update, and leaves one whose reference was removed', async function () {
    ensureNamespace(world.api, 'shop');
    const owner = world.api.create(configMaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'owner', namespace: 'shop' } });
    const ownerRef = { apiVersion: 'v1', kind: 'ConfigMap', name: 'owner', uid: owner.metadata.uid ?? '' };
    const adopted = world.api.create(configMaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'adopted', namespace: 'shop' } });
    world.api.update(configMaps, { ...adopted, metadata: { ...adopted.metadata, ownerReferences: [ownerRef] } });
    const released = world.api.create(configMaps, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'released', namespace: 'shop', ownerReferences: [ownerRef] },
    });
    world.api.delete(configMaps, 'shop', 'released');
    world.api.create(configMaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'released', namespace: 'shop' } });
    assert.ok(released.metadata.uid);
    world.api.delete(configMaps, 'shop', 'owner');
    await eventually(() => assert.equal(world.api.get(configMaps, 'shop', 'adopted'), undefined), 5000, 5);
    assert.ok(world.api.get(configMaps, 'shop', 'released'), 'a recreated object without the reference stays');
  });

  it('writes nothing in response to thousands of objects of kinds no controller manages', async function () {
    world.api.create(crds, aCrd().withVersion('v1').build());
    await eventually(() => assert.ok(world.api.resourceType(widgets)), 5000, 5);
    ensureNamespace(world.api, 'bulk');
    let writes = 0;
    const unsubscribe = world.api.subscribe(() => writes++);
    for (let i = 0; i < 3000; i++)
      world.api.create(widgets, {
        apiVersion: 'widgets.example.test/v1',
        kind: 'Widget',
        metadata: { name: `w-${i}`, namespace: 'bulk' },
        spec: { size: i },
      });
    await new Promise((resolve) => setTimeout(resolve, 50));
    unsubscribe();
    assert.equal(writes, 3000, "only the test's own creates");
  });
});
