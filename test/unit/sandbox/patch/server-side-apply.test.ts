import { strict as assert } from 'node:assert';
import { ApiError } from '../../../../sandbox/api/status.js';
import type { KubeObject, ManagedFieldsEntry } from '../../../../sandbox/api/types.js';
import { applyServerSide, recordUpdateManager } from '../../../../sandbox/patch/index.js';
import { aBuiltinType, aCustomType, aDeployment, aWidget } from '../builders.js';

const deployments = aBuiltinType('Deployment');

function entries(object: KubeObject): ManagedFieldsEntry[] {
  return object.metadata.managedFields ?? [];
}

function entryOf(object: KubeObject, manager: string): ManagedFieldsEntry {
  const entry = entries(object).find((e) => e.manager === manager);
  assert.ok(entry, `no managedFields entry for ${manager}: ${JSON.stringify(entries(object))}`);
  return entry;
}

function conflictOf(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  assert.fail('expected a 409 apply conflict');
}

/** createdBy records a create by a non-apply manager, as the store does for POST. */
function createdBy(manager: string, object: KubeObject): KubeObject {
  return recordUpdateManager(deployments, undefined, object, manager, '2024-01-01T00:00:00Z');
}

describe('server-side apply', function () {
  it('creates an object owned entirely by the applier', function () {
    const applied = aDeployment().withReplicas(2).build();
    const created = applyServerSide({
      type: deployments,
      live: undefined,
      applied,
      fieldManager: 'kubectl',
      force: false,
      now: '2024-01-02T00:00:00Z',
    });
    assert.equal((created.spec as Record<string, unknown>).replicas, 2);
    assert.deepEqual(
      entries(created).map((e) => [e.manager, e.operation, e.apiVersion, e.time]),
      [['kubectl', 'Apply', 'apps/v1', '2024-01-02T00:00:00Z']],
    );
    const fields = JSON.stringify(entryOf(created, 'kubectl').fieldsV1);
    assert.match(fields, /"f:replicas":\{\}/);
    assert.match(fields, /"k:\{\\"name\\":\\"app\\"\}":\{".":\{\},"f:image":\{\},"f:name":\{\}\}/);
    assert.match(fields, /"f:selector":\{\}/, 'a label selector is owned as one atomic value');
  });

  it('never records managedFields, resourceVersion or the name among the owned fields', function () {
    const applied = aDeployment().build();
    applied.metadata.resourceVersion = '5';
    const created = applyServerSide({ type: deployments, live: undefined, applied, fieldManager: 'helm', force: false, now: 't' });
    const fields = entryOf(created, 'helm').fieldsV1;
    assert.deepEqual(Object.keys(fields).sort(), ['f:metadata', 'f:spec']);
    assert.deepEqual(Object.keys(fields['f:metadata'] as object), ['f:labels']);
  });

  it('conflicts with the client-side apply manager over a changed replica count, with the real message', function () {
    const live = createdBy('kubectl-client-side-apply', aDeployment().withReplicas(1).build());
    const err = conflictOf(() =>
      applyServerSide({
        type: deployments,
        live,
        applied: aDeployment().withReplicas(3).build(),
        fieldManager: 'kubectl',
        force: false,
        now: 't',
      }),
    );
    assert.equal(err.code, 409);
    assert.equal(err.reason, 'Conflict');
    assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1: .spec.replicas');
    assert.deepEqual(err.status.details?.causes, [
      { reason: 'FieldManagerConflict', message: 'conflict with "kubectl-client-side-apply" using apps/v1', field: '.spec.replicas' },
    ]);
  });

  it('lists several conflicts per manager', function () {
    const live = createdBy('kubectl-client-side-apply', aDeployment().withReplicas(1).build());
    const applied = aDeployment().withReplicas(3).withContainers({ name: 'app', image: 'registry.example/app:2.0' }).build();
    const err = conflictOf(() => applyServerSide({ type: deployments, live, applied, fieldManager: 'kubectl', force: false, now: 't' }));
    assert.equal(
      err.message,
      'Apply failed with 2 conflicts: conflicts with "kubectl-client-side-apply" using apps/v1:\n- .spec.replicas\n- .spec.template.spec.containers[name="app"].image',
    );
  });

  it('shares ownership without conflict when the applied value equals the live one', function () {
    const live = createdBy('kubectl-create', aDeployment().withReplicas(2).build());
    const applied = applyServerSide({
      type: deployments,
      live,
      applied: aDeployment().withReplicas(2).build(),
      fieldManager: 'kubectl',
      force: false,
      now: 't',
    });
    assert.match(JSON.stringify(entryOf(applied, 'kubectl-create').fieldsV1), /f:replicas/);
    assert.match(JSON.stringify(entryOf(applied, 'kubectl').fieldsV1), /f:replicas/);
  });

  it('takes ownership of conflicting fields when forced', function () {
    const live = createdBy('kubectl-client-side-apply', aDeployment().withReplicas(1).build());
    const forced = applyServerSide({
      type: deployments,
      live,
      applied: aDeployment().withReplicas(3).build(),
      fieldManager: 'kubectl',
      force: true,
      now: 't',
    });
    assert.equal((forced.spec as Record<string, unknown>).replicas, 3);
    assert.doesNotMatch(JSON.stringify(entryOf(forced, 'kubectl-client-side-apply').fieldsV1), /f:replicas/);
    assert.match(JSON.stringify(entryOf(forced, 'kubectl').fieldsV1), /f:replicas/);
  });

  it('conflicts with kubectl-scale after a scale, since the scale took spec.replicas over', function () {
    const applied = applyServerSide({
      type: deployments,
      live: undefined,
      applied: aDeployment().withReplicas(2).build(),
      fieldManager: 'helm',
      force: false,
      now: 't0',
    });
    const scaled = { ...applied, spec: { ...(applied.spec as Record<string, unknown>), replicas: 0 } };
    const afterScale = recordUpdateManager(deployments, applied, scaled, 'kubectl-scale', 't1', 'scale');
    assert.doesNotMatch(JSON.stringify(entryOf(afterScale, 'helm').fieldsV1), /f:replicas/);
    const err = conflictOf(() =>
      applyServerSide({
        type: deployments,
        live: afterScale,
        applied: aDeployment().withReplicas(2).build(),
        fieldManager: 'helm',
        force: false,
        now: 't2',
      }),
    );
    assert.equal(
      err.message,
      'Apply failed with 1 conflict: conflict with "kubectl-scale" with subresource "scale" using apps/v1: .spec.replicas',
    );
  });

  it('removes a field the manager applied before and no longer applies', function () {
    const first = applyServerSide({
      type: deployments,
      live: undefined,
      applied: aDeployment().withReplicas(2).build(),
      fieldManager: 'kubectl',
      force: false,
      now: 't0',
    });
    const second = applyServerSide({
      type: deployments,
      live: first,
      applied: aDeployment().build(),
      fieldManager: 'kubectl',
      force: false,
      now: 't1',
    });
    assert.equal((second.spec as Record<string, unknown>).replicas, undefined);
  });

  it('removes a container the manager no longer applies', function () {
    const first = applyServerSide({
      type: deployments,
      live: undefined,
      applied: aDeployment().withContainers({ name: 'app', image: 'a' }, { name: 'old', image: 'o' }).build(),
      fieldManager: 'kubectl',
      force: false,
      now: 't0',
    });
    const second = applyServerSide({
      type: deployments,
      live: first,
      applied: aDeployment().withContainers({ name: 'app', image: 'a' }).build(),
      fieldManager: 'kubectl',
      force: false,
      now: 't1',
    });
    const containers = (
      ((second.spec as Record<string, unknown>).template as Record<string, Record<string, unknown>>).spec as Record<string, unknown>
    ).containers as Array<Record<string, unknown>>;
    assert.deepEqual(
      containers.map((c) => c.name),
      ['app'],
    );
  });

  it('keeps a field it stops applying when another manager also owns it', function () {
    const first = applyServerSide({
      type: deployments,
      live: undefined,
      applied: aDeployment().withReplicas(2).build(),
      fieldManager: 'kubectl',
      force: false,
      now: 't0',
    });
    const shared = applyServerSide({
      type: deployments,
      live: first,
      applied: aDeployment().withReplicas(2).build(),
      fieldManager: 'helm',
      force: false,
      now: 't1',
    });
    const dropped = applyServerSide({
      type: deployments,
      live: shared,
      applied: aDeployment().build(),
      fieldManager: 'kubectl',
      force: false,
      now: 't2',
    });
    assert.equal((dropped.spec as Record<string, unknown>).replicas, 2);
  });

  it('conflicts with before-first-apply on an object nobody has claimed', function () {
    const live = aDeployment().withReplicas(1).build();
    const err = conflictOf(() =>
      applyServerSide({
        type: deployments,
        live,
        applied: aDeployment().withReplicas(4).build(),
        fieldManager: 'kubectl',
        force: false,
        now: 't',
      }),
    );
    assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "before-first-apply" using apps/v1: .spec.replicas');
  });

  it('refuses an apply configuration that carries managedFields', function () {
    const applied = aDeployment().build();
    applied.metadata.managedFields = [
      { manager: 'x', operation: 'Apply', apiVersion: 'apps/v1', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': {} } },
    ];
    assert.throws(
      () => applyServerSide({ type: deployments, live: undefined, applied, fieldManager: 'kubectl', force: false, now: 't' }),
      (err: unknown) => err instanceof ApiError && err.code === 400,
    );
  });

  it('rewrites the client-side last-applied annotation when kubectl applies server-side', function () {
    const csa = aDeployment().withReplicas(1).build();
    csa.metadata.annotations = { 'kubectl.kubernetes.io/last-applied-configuration': '{"old":true}\n' };
    const live = createdBy('kubectl-client-side-apply', csa);
    const applied = applyServerSide({
      type: deployments,
      live,
      applied: aDeployment().withReplicas(1).build(),
      fieldManager: 'kubectl',
      force: false,
      now: 't',
    });
    const annotation = applied.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'] ?? '';
    assert.ok(annotation.endsWith('\n'));
    assert.deepEqual(JSON.parse(annotation), JSON.parse(JSON.stringify(aDeployment().withReplicas(1).build())));
    assert.ok(annotation.startsWith('{"apiVersion":"apps/v1","kind":"Deployment","metadata":'), 'keys are sorted as Go encodes maps');
  });

  it('leaves the last-applied annotation alone for other managers', function () {
    const csa = aDeployment().build();
    csa.metadata.annotations = { 'kubectl.kubernetes.io/last-applied-configuration': '{"old":true}\n' };
    const applied = applyServerSide({
      type: deployments,
      live: createdBy('kubectl-client-side-apply', csa),
      applied: aDeployment().build(),
      fieldManager: 'helm',
      force: false,
      now: 't',
    });
    assert.equal(applied.metadata.annotations?.['kubectl.kubernetes.io/last-applied-configuration'], '{"old":true}\n');
  });

  it('requires a field manager, as PatchOptions validation does', function () {
    assert.throws(
      () =>
        applyServerSide({ type: deployments, live: undefined, applied: aDeployment().build(), fieldManager: '', force: false, now: 't' }),
      (err: unknown) =>
        err instanceof ApiError &&
        err.code === 422 &&
        err.message === 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    );
  });

  it('merges a custom resource list marked x-kubernetes-list-type map per item and replaces atomic lists', function () {
    const schema = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            routes: {
              type: 'array',
              'x-kubernetes-list-type': 'map',
              'x-kubernetes-list-map-keys': ['name'],
              items: { type: 'object', properties: { name: { type: 'string' }, weight: { type: 'integer' } } },
            },
            hosts: { type: 'array', items: { type: 'string' } },
          },
        },
      },
    };
    const type = aCustomType(schema);
    const mine = applyServerSide({
      type,
      live: undefined,
      applied: aWidget({ routes: [{ name: 'a', weight: 1 }], hosts: ['x'] }),
      fieldManager: 'one',
      force: false,
      now: 't0',
    });
    const both = applyServerSide({
      type,
      live: mine,
      applied: aWidget({ routes: [{ name: 'b', weight: 2 }], hosts: ['x'] }),
      fieldManager: 'two',
      force: false,
      now: 't1',
    });
    assert.deepEqual((both.spec as Record<string, unknown>).routes, [
      { name: 'a', weight: 1 },
      { name: 'b', weight: 2 },
    ]);
    const err = conflictOf(() =>
      applyServerSide({ type, live: both, applied: aWidget({ hosts: ['y'] }), fieldManager: 'two', force: false, now: 't2' }),
    );
    assert.equal(err.message, 'Apply failed with 1 conflict: conflict with "one": .spec.hosts');
  });
});

describe('field ownership of non-apply writes', function () {
  it('records an Update entry owning every field set on create', function () {
    const created = createdBy('kubectl-create', aDeployment().withReplicas(1).build());
    assert.deepEqual(
      entries(created).map((e) => [e.manager, e.operation, e.apiVersion]),
      [['kubectl-create', 'Update', 'apps/v1']],
    );
    const fields = entryOf(created, 'kubectl-create').fieldsV1;
    assert.deepEqual((fields['f:metadata'] as Record<string, unknown>)['f:labels'], { '.': {}, 'f:app': {} });
  });

  it('records only the changed fields on update and keeps the other managers', function () {
    const created = createdBy('kubectl-create', aDeployment().withReplicas(1).build());
    const changed = { ...created, spec: { ...(created.spec as Record<string, unknown>), replicas: 5 } };
    const updated = recordUpdateManager(deployments, created, changed, 'kubectl-edit', 't1');
    assert.deepEqual(entryOf(updated, 'kubectl-edit').fieldsV1, { 'f:spec': { 'f:replicas': {} } });
    assert.doesNotMatch(JSON.stringify(entryOf(updated, 'kubectl-create').fieldsV1), /f:replicas/);
  });

  it('drops an entry left with no fields', function () {
    const created = recordUpdateManager(
      aBuiltinType('ConfigMap'),
      undefined,
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'default' }, data: { a: '1' } },
      'first',
      't0',
    );
    const rewritten = recordUpdateManager(aBuiltinType('ConfigMap'), created, { ...created, data: { a: '2' } }, 'second', 't1');
    assert.deepEqual(
      entries(rewritten).map((e) => e.manager),
      ['second'],
    );
  });

  it('adds no entry for a write that changes nothing', function () {
    const created = createdBy('kubectl-create', aDeployment().build());
    const same = recordUpdateManager(deployments, created, JSON.parse(JSON.stringify(created)) as KubeObject, 'kubectl-replace', 't1');
    assert.deepEqual(
      entries(same).map((e) => e.manager),
      ['kubectl-create'],
    );
  });
});
