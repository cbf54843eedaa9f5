/**
 * The API semantics the sandbox shares between HTTP and in-process callers: resourceVersions,
 * generation, optimistic concurrency, the status subresource, finalizers, namespaces, CRDs and
 * pagination, as a real apiserver backed by etcd behaves.
 */
import { strict as assert } from 'node:assert';
import { etcdMaxRequestBytes } from '../../../../sandbox/api/internal-api.js';
import { ApiError } from '../../../../sandbox/api/status.js';
import type { KubeObject, StoredEvent } from '../../../../sandbox/api/types.js';
import { ObjectStore } from '../../../../sandbox/store/object-store.js';
import { aCrd } from '../../../fixtures/crd-builder.js';
import { aConfigMap, aNamespace, aSandboxApi, aWidget, establish, gvr } from './sandbox-api-builders.js';

function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  assert.fail('expected an ApiError');
}

describe('the sandbox API', function () {
  describe('metadata on create and update', function () {
    it('assigns uid, an RFC3339 creationTimestamp, generation 1 and a numeric resourceVersion on create', function () {
      const api = aSandboxApi();
      const created = api.create(gvr.configmaps, aConfigMap('a'));
      assert.match(created.metadata.uid ?? '', /^[0-9a-f-]{36}$/);
      assert.match(created.metadata.creationTimestamp ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.equal(created.metadata.generation, 1);
      assert.match(created.metadata.resourceVersion ?? '', /^\d+$/);
    });

    it('gives every change a higher resourceVersion from one global counter', function () {
      const api = aSandboxApi();
      const a = api.create(gvr.configmaps, aConfigMap('a'));
      const b = api.create(gvr.configmaps, aConfigMap('b'));
      const a2 = api.update(gvr.configmaps, { ...a, data: { key: 'changed' } });
      assert.ok(Number(b.metadata.resourceVersion) > Number(a.metadata.resourceVersion));
      assert.ok(Number(a2.metadata.resourceVersion) > Number(b.metadata.resourceVersion));
    });

    it('keeps the resourceVersion and sends no event for an update that changes nothing', function () {
      const api = aSandboxApi();
      const a = api.create(gvr.configmaps, aConfigMap('a'));
      const events: StoredEvent[] = [];
      api.subscribe((e) => events.push(e));
      const again = api.update(gvr.configmaps, a);
      assert.equal(again.metadata.resourceVersion, a.metadata.resourceVersion);
      assert.equal(events.length, 0);
    });

    it('bumps generation when the spec changes but not when only labels change', function () {
      const api = aSandboxApi({ widgets: true });
      const w = api.create(gvr.widgets, aWidget('w'));
      const labelled = api.update(gvr.widgets, { ...w, metadata: { ...w.metadata, labels: { a: 'b' } } });
      assert.equal(labelled.metadata.generation, 1);
      const resized = api.update(gvr.widgets, { ...labelled, spec: { size: 2 } });
      assert.equal(resized.metadata.generation, 2);
    });

    it('refuses a stale resourceVersion with 409 Conflict in the real wording', function () {
      const api = aSandboxApi();
      const a = api.create(gvr.configmaps, aConfigMap('a'));
      api.update(gvr.configmaps, { ...a, data: { key: 'v2' } });
      const error = apiError(() => api.update(gvr.configmaps, { ...a, data: { key: 'v3' } }));
      assert.equal(error.code, 409);
      assert.equal(
        error.message,
        'Operation cannot be fulfilled on configmaps "a": the object has been modified; please apply your changes to the latest version and try again',
      );
    });

    it('answers 409 AlreadyExists for a second create of the same name', function () {
      const api = aSandboxApi();
      api.create(gvr.configmaps, aConfigMap('a'));
      const error = apiError(() => api.create(gvr.configmaps, aConfigMap('a')));
      assert.equal(error.reason, 'AlreadyExists');
      assert.equal(error.message, 'configmaps "a" already exists');
    });

    it('completes generateName with a five-character suffix', function () {
      const api = aSandboxApi();
      const created = api.create(gvr.configmaps, {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { generateName: 'gen-', namespace: 'default' },
      });
      assert.match(created.metadata.name ?? '', /^gen-[a-z0-9]{5}$/);
    });

    it('refuses a metadata.name that YAML 1.1 turned into a boolean with 400', function () {
      const api = aSandboxApi();
      const error = apiError(() =>
        api.create(gvr.configmaps, {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: true as unknown as string, namespace: 'default' },
        }),
      );
      assert.equal(error.code, 400);
      assert.match(error.message, /cannot unmarshal bool into Go struct field ObjectMeta\.metadata\.name of type string/);
    });

    it('persists nothing on a dry run', function () {
      const api = aSandboxApi();
      const type = api.resourceType(gvr.configmaps);
      assert.ok(type);
      api.createObject(type, 'default', aConfigMap('dry'), { dryRun: true });
      assert.equal(api.get(gvr.configmaps, 'default', 'dry'), undefined);
    });
  });

  describe('namespaces', function () {
    it('answers 404 namespaces "x" not found for a create into a missing namespace', function () {
      const api = aSandboxApi();
      const error = apiError(() => api.create(gvr.configmaps, aConfigMap('a', 'missing')));
      assert.equal(error.code, 404);
      assert.equal(error.message, 'namespaces "missing" not found');
    });

    it('forbids creates in a terminating namespace', function () {
      const api = aSandboxApi();
      api.create(gvr.namespaces, aNamespace('going'));
      api.delete(gvr.namespaces, undefined, 'going');
      const error = apiError(() => api.create(gvr.configmaps, aConfigMap('a', 'going')));
      assert.equal(error.code, 403);
      assert.match(error.message, /unable to create new content in namespace going because it is being terminated/);
    });

    it('keeps a deleted namespace Terminating until its kubernetes finalizer is removed', function () {
      const api = aSandboxApi();
      api.create(gvr.namespaces, aNamespace('going'));
      const marked = api.delete(gvr.namespaces, undefined, 'going');
      assert.equal((marked?.status as { phase?: string }).phase, 'Terminating');
      const current = api.get(gvr.namespaces, undefined, 'going') as KubeObject;
      api.update(gvr.namespaces, { ...current, spec: { finalizers: [] } });
      assert.equal(api.get(gvr.namespaces, undefined, 'going'), undefined);
    });
  });

  describe('deletion', function () {
    it('marks an object with finalizers for deletion and removes it with the last finalizer', function () {
      const api = aSandboxApi();
      api.create(gvr.configmaps, aConfigMap('a', 'default', { finalizers: ['example.test/hold'] }));
      const events: StoredEvent[] = [];
      api.subscribe((e) => events.push(e));
      api.delete(gvr.configmaps, 'default', 'a');
      const marked = api.get(gvr.configmaps, 'default', 'a') as KubeObject;
      assert.ok(marked.metadata.deletionTimestamp);
      api.update(gvr.configmaps, { ...marked, metadata: { ...marked.metadata, finalizers: [] } });
      assert.equal(api.get(gvr.configmaps, 'default', 'a'), undefined);
      assert.deepEqual(
        events.map((e) => e.type),
        ['MODIFIED', 'DELETED'],
      );
    });

    it('refuses a delete whose uid precondition does not match with 409', function () {
      const api = aSandboxApi();
      api.create(gvr.configmaps, aConfigMap('a'));
      const error = apiError(() => api.delete(gvr.configmaps, 'default', 'a', { preconditions: { uid: 'other' } }));
      assert.equal(error.code, 409);
      assert.match(error.message, /Precondition failed: UID in precondition: other/);
    });

    it('adds the orphan finalizer for propagationPolicy Orphan, which the garbage collector acts on', function () {
      const api = aSandboxApi();
      api.create(gvr.configmaps, aConfigMap('a'));
      const marked = api.delete(gvr.configmaps, 'default', 'a', { propagationPolicy: 'Orphan' });
      assert.deepEqual(marked?.metadata.finalizers, ['orphan']);
    });

    it('deletes every custom resource of a CRD with the CRD', function () {
      const api = aSandboxApi({ widgets: true });
      api.create(gvr.widgets, aWidget('w'));
      api.delete(gvr.crds, undefined, 'widgets.example.test');
      assert.equal(api.resourceType(gvr.widgets), undefined);
      assert.equal(api.store.count({ group: 'example.test', resource: 'widgets' }), 0);
    });
  });

  describe('custom resources and CRDs', function () {
    it('serves a CRD only once it is Established', function () {
      const api = aSandboxApi();
      api.create(gvr.crds, aCrd().forKind('example.test', 'Widget').build());
      assert.equal(api.resourceType(gvr.widgets), undefined);
      establish(api, 'widgets.example.test');
      assert.ok(api.resourceType(gvr.widgets));
    });

    it('records the storage version in status.storedVersions', function () {
      const api = aSandboxApi({ widgets: true });
      const crd = api.get(gvr.crds, undefined, 'widgets.example.test') as KubeObject;
      assert.deepEqual((crd.status as { storedVersions?: string[] }).storedVersions, ['v1']);
    });

    it('ignores status on the main endpoint and spec on the status subresource', function () {
      const api = aSandboxApi({ widgets: true });
      const w = api.create(gvr.widgets, { ...aWidget('w'), status: { ready: true } });
      assert.equal(w.status, undefined);
      const withStatus = api.updateStatus(gvr.widgets, { ...w, spec: { size: 9 }, status: { ready: true } });
      assert.deepEqual(withStatus.status, { ready: true });
      assert.deepEqual(withStatus.spec, { size: 1 });
      const main = api.update(gvr.widgets, { ...withStatus, status: { ready: false } });
      assert.deepEqual(main.status, { ready: true });
    });

    it('refuses strategic merge patches on custom resources with 415', function () {
      const api = aSandboxApi({ widgets: true });
      api.create(gvr.widgets, aWidget('w'));
      const type = api.resourceType(gvr.widgets);
      assert.ok(type);
      const error = apiError(() => api.patchObject(type, 'default', 'w', { type: 'strategic', body: { spec: { size: 2 } } }));
      assert.equal(error.code, 415);
    });

    it('creates a missing object with server-side apply and reports it as created', function () {
      const api = aSandboxApi({ widgets: true });
      const type = api.resourceType(gvr.widgets);
      assert.ok(type);
      const result = api.patchObject(type, 'default', 'w', { type: 'apply', body: aWidget('w') }, { fieldManager: 'kubectl' });
      assert.equal(result.created, true);
      assert.equal(result.object.metadata.managedFields?.[0]?.manager, 'kubectl');
    });

    it('scales through the scale subresource mapping', function () {
      const api = aSandboxApi({ widgets: true });
      api.create(gvr.widgets, aWidget('w', 'default', { replicas: 1 }));
      const type = api.resourceType(gvr.widgets);
      assert.ok(type);
      const scale = api.patchScale(type, 'default', 'w', { type: 'merge', body: { spec: { replicas: 4 } } });
      assert.equal(scale.spec.replicas, 4);
      assert.equal((api.get(gvr.widgets, 'default', 'w')?.spec as { replicas: number }).replicas, 4);
    });
  });

  describe("etcd's request limit", function () {
    const blobs = { group: 'etcd.example.test', version: 'v1', resource: 'blobs' };
    function blobApi() {
      const api = aSandboxApi();
      api.create(
        gvr.crds,
        aCrd()
          .forKind('etcd.example.test', 'Blob')
          .withVersion('v1', { schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } })
          .build(),
      );
      establish(api, 'blobs.etcd.example.test');
      return api;
    }
    const blob = (name: string, bytes: number): KubeObject =>
      ({
        apiVersion: 'etcd.example.test/v1',
        kind: 'Blob',
        metadata: { name, namespace: 'default' },
        data: 'x'.repeat(bytes),
      }) as KubeObject;

    it('refuses a custom resource past 1.5 MiB as kube-apiserver passes etcd on: 500, no reason, nothing stored', function () {
      const api = blobApi();
      const error = apiError(() => api.create(blobs, blob('big', etcdMaxRequestBytes)));
      assert.equal(error.code, 500);
      assert.equal(error.status.reason, undefined);
      assert.equal(error.status.message, 'etcdserver: request is too large');
      assert.equal(api.get(blobs, 'default', 'big'), undefined);
    });

    it('passes the dry run of it (a dry run never reaches etcd) and an object just under the limit', function () {
      const api = blobApi();
      api.createObject(api.resourceType(blobs)!, 'default', blob('big', etcdMaxRequestBytes), { dryRun: true });
      const fits = api.create(blobs, blob('fits', etcdMaxRequestBytes - 1024));
      const grown = apiError(() => api.update(blobs, { ...fits, data: 'x'.repeat(etcdMaxRequestBytes) }));
      assert.equal(grown.status.message, 'etcdserver: request is too large');
    });
  });

  describe('the store', function () {
    it('stores an object handed over as is, with the same JSON as the copy it makes otherwise', function () {
      const store = new ObjectStore();
      const gr = { group: '', resource: 'configmaps' };
      const shapes: KubeObject[] = [
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'default' }, data: { k: 'v' } },
        { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', resourceVersion: '1', namespace: 'default', labels: { x: 'y' } } },
        { kind: 'ConfigMap', metadata: { namespace: 'default', name: 'c' }, apiVersion: 'v1' },
      ];
      for (const shape of shapes) {
        const copied = store.put(gr, structuredClone(shape), 'ADDED');
        const handed = structuredClone(shape);
        const stored = store.put(gr, handed, 'MODIFIED', true);
        assert.equal(stored, handed, 'not copied');
        assert.equal(
          JSON.stringify({ ...stored, metadata: { ...stored.metadata, resourceVersion: 'n' } }),
          JSON.stringify({ ...copied, metadata: { ...copied.metadata, resourceVersion: 'n' } }),
        );
        assert.equal(Number(stored.metadata.resourceVersion), Number(copied.metadata.resourceVersion) + 1);
        assert.deepEqual(Object.keys(stored.metadata), Object.keys(copied.metadata));
      }
    });
  });

  describe('subscribers', function () {
    it('hand each event the stored metadata uncopied and a copy of the object that cannot change the store', function () {
      const api = aSandboxApi();
      const events: StoredEvent[] = [];
      api.subscribe((e) => events.push(e));
      api.create(gvr.configmaps, aConfigMap('a', 'default', { labels: { app: 'web' } }));
      const [event] = events;
      assert.ok(event);
      const stored = api.store.get({ group: '', resource: 'configmaps' }, 'default', 'a');
      assert.equal(event.metadata, stored?.metadata, 'the metadata view is the stored metadata itself');
      assert.deepEqual(event.object.metadata, event.metadata);
      assert.notEqual(event.object.metadata, stored?.metadata, 'the object is a copy');
      (event.object.metadata.labels as Record<string, string>).app = 'changed';
      assert.equal(api.get(gvr.configmaps, 'default', 'a')?.metadata.labels?.app, 'web');
    });
  });

  describe('lists', function () {
    it('pages through 10,000 objects with limit and continue, each once and in key order', function () {
      const api = aSandboxApi();
      const type = api.resourceType(gvr.configmaps);
      assert.ok(type);
      for (let i = 0; i < 10_000; i++) api.createObject(type, 'default', aConfigMap(`cm-${String(i).padStart(5, '0')}`));
      const names: string[] = [];
      let token: string | undefined;
      let firstRemaining: number | undefined;
      let pages = 0;
      do {
        const page = api.listPage(type, { namespace: 'default', limit: 500, ...(token ? { continue: token } : {}) });
        if (pages === 0) firstRemaining = page.remainingItemCount;
        names.push(...page.items.map((o) => o.metadata.name ?? ''));
        token = page.continue;
        pages++;
      } while (token);
      assert.equal(pages, 20);
      assert.equal(firstRemaining, 9_500);
      assert.equal(new Set(names).size, 10_000);
      assert.deepEqual(names, [...names].sort());
    });

    it('filters by label and field selectors and across namespaces', function () {
      const api = aSandboxApi();
      api.create(gvr.namespaces, aNamespace('other'));
      api.create(gvr.configmaps, aConfigMap('a', 'default', { labels: { app: 'web' } }));
      api.create(gvr.configmaps, aConfigMap('b', 'other', { labels: { app: 'db' } }));
      api.create(gvr.configmaps, aConfigMap('c', 'other'));
      const names = (selector: { labelSelector?: string; fieldSelector?: string; namespace?: string }): string[] =>
        api.list(gvr.configmaps, selector).map((o) => `${o.metadata.namespace}/${o.metadata.name}`);
      assert.deepEqual(names({ labelSelector: 'app in (web,db)' }), ['default/a', 'other/b']);
      assert.deepEqual(names({ labelSelector: '!app' }), ['other/c']);
      assert.deepEqual(names({ fieldSelector: 'metadata.namespace=other' }), ['other/b', 'other/c']);
      assert.deepEqual(names({ namespace: 'other', fieldSelector: 'metadata.name!=b' }), ['other/c']);
    });

    it('rejects a continue token it did not issue with 400', function () {
      const api = aSandboxApi();
      const type = api.resourceType(gvr.configmaps);
      assert.ok(type);
      const error = apiError(() => api.listPage(type, { continue: 'bm90LWEtdG9rZW4' }));
      assert.equal(error.code, 400);
    });
  });
});
