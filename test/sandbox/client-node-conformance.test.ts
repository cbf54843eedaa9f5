/**
 * Conformance of the sandbox API server, judged by @kubernetes/client-node 1.x: the generic
 * KubernetesObjectApi (legacy per-group-version discovery), typed APIs, pagination, the scale
 * subresource, errors, and watch.
 */
import { strict as assert } from 'node:assert';
import * as k8s from '@kubernetes/client-node';
import type { SandboxHandle } from '../../sandbox/index.js';
import { startTestSandbox } from '../support/target.js';
import { eventually } from '../support/eventually.js';

describe('@kubernetes/client-node against the sandbox', function () {
  this.timeout(60_000);
  let sandbox: SandboxHandle;
  let kc: k8s.KubeConfig;

  before(async function () {
    sandbox = await startTestSandbox({ installs: ['nginx-service-mesh@1.7.0'] });
    kc = new k8s.KubeConfig();
    kc.loadFromFile(sandbox.kubeconfigPath);
  });

  after(async function () {
    await sandbox?.close();
  });

  it('lists namespaces with the typed core API over TLS', async function () {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const list = await core.listNamespace();
    const names = list.items.map((n) => n.metadata?.name);
    assert.ok(names.includes('default'));
    assert.ok(names.includes('nginx-mesh'));
    assert.ok(list.items.every((n) => n.metadata?.creationTimestamp instanceof Date));
  });

  it('creates, reads, merge-patches and deletes a custom resource with KubernetesObjectApi', async function () {
    const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
    const spec: k8s.KubernetesObject & { spec: unknown } = {
      apiVersion: 'specs.smi-spec.io/v1alpha3',
      kind: 'HTTPRouteGroup',
      metadata: { name: 'client-node-routes', namespace: 'default' },
      spec: { matches: [{ name: 'all', pathRegex: '.*', methods: ['GET'] }] },
    };
    const created = await objects.create(spec);
    assert.ok(created.metadata?.uid);
    const read = await objects.read({
      apiVersion: spec.apiVersion,
      kind: spec.kind,
      metadata: { name: 'client-node-routes', namespace: 'default' },
    });
    assert.equal(read.metadata?.resourceVersion, created.metadata?.resourceVersion);
    const patched = await objects.patch(
      {
        apiVersion: spec.apiVersion,
        kind: spec.kind,
        metadata: { name: 'client-node-routes', namespace: 'default', labels: { patched: 'yes' } },
      },
      undefined,
      undefined,
      'conformance',
      undefined,
      k8s.PatchStrategy.MergePatch,
    );
    assert.equal(patched.metadata?.labels?.patched, 'yes');
    await objects.delete({ apiVersion: spec.apiVersion, kind: spec.kind, metadata: { name: 'client-node-routes', namespace: 'default' } });
    await assert.rejects(
      objects.read({ apiVersion: spec.apiVersion, kind: spec.kind, metadata: { name: 'client-node-routes', namespace: 'default' } }),
      (error: unknown) => error instanceof k8s.ApiException && error.code === 404,
    );
  });

  it('answers a strategic-merge patch of a custom resource with 415, as a real server', async function () {
    const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
    const spec = {
      apiVersion: 'specs.smi-spec.io/v1alpha3',
      kind: 'HTTPRouteGroup',
      metadata: { name: 'smp-target', namespace: 'default' },
      spec: {},
    };
    await objects.create(spec);
    await assert.rejects(
      objects.patch({ ...spec, metadata: { ...spec.metadata, labels: { a: 'b' } } }),
      (error: unknown) => error instanceof k8s.ApiException && error.code === 415,
    );
  });

  it('server-side applies with KubernetesObjectApi and reports a conflicting manager', async function () {
    const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'ssa-client-node', namespace: 'default' },
      data: { owner: 'first' },
    };
    await objects.patch(cm, undefined, undefined, 'first-manager', true, k8s.PatchStrategy.ServerSideApply);
    const second = { ...cm, data: { owner: 'second' } };
    const conflict = await objects.patch(second, undefined, undefined, 'second-manager', false, k8s.PatchStrategy.ServerSideApply).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(conflict instanceof k8s.ApiException, 'a conflicting apply is refused');
    assert.equal(conflict.code, 409);
    assert.match(String(conflict.body), /first-manager/);
  });

  it('pages through custom objects with limit and continue', async function () {
    const custom = kc.makeApiClient(k8s.CustomObjectsApi);
    for (let i = 0; i < 5; i++) {
      await custom.createNamespacedCustomObject({
        group: 'split.smi-spec.io',
        version: 'v1alpha3',
        namespace: 'default',
        plural: 'trafficsplits',
        body: {
          apiVersion: 'split.smi-spec.io/v1alpha3',
          kind: 'TrafficSplit',
          metadata: { name: `page-${i}`, labels: { page: 'yes' } },
          spec: { service: 'svc', backends: [{ service: 'a', weight: 100 }] },
        },
      });
    }
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = (await custom.listNamespacedCustomObject({
        group: 'split.smi-spec.io',
        version: 'v1alpha3',
        namespace: 'default',
        plural: 'trafficsplits',
        labelSelector: 'page=yes',
        limit: 2,
        _continue: token,
      })) as { items: Array<{ metadata: { name: string } }>; metadata: { continue?: string } };
      seen.push(...page.items.map((i) => i.metadata.name));
      token = page.metadata.continue || undefined;
      pages++;
    } while (token);
    assert.deepEqual(seen, ['page-0', 'page-1', 'page-2', 'page-3', 'page-4']);
    assert.equal(pages, 3);
  });

  it('reads and merge-patches the scale subresource with the typed apps API', async function () {
    const apps = kc.makeApiClient(k8s.AppsV1Api);
    const scale = await apps.readNamespacedDeploymentScale({ name: 'nginx-mesh-metrics', namespace: 'nginx-mesh' });
    assert.equal(scale.kind, 'Scale');
    await apps.patchNamespacedDeploymentScale(
      { name: 'nginx-mesh-metrics', namespace: 'nginx-mesh', body: { spec: { replicas: 2 } } },
      k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch),
    );
    await eventually(async () => {
      const d = await apps.readNamespacedDeployment({ name: 'nginx-mesh-metrics', namespace: 'nginx-mesh' });
      assert.equal(d.spec?.replicas, 2);
      assert.equal(d.status?.availableReplicas, 2);
    });
  });

  it('delivers watch events after flushing the response headers at once', async function () {
    const watch = new k8s.Watch(kc);
    const events: string[] = [];
    const started = Date.now();
    const controller = await watch.watch(
      '/api/v1/namespaces/default/configmaps',
      { resourceVersion: '0' },
      (type, obj: { metadata: { name: string } }) => {
        events.push(`${type} ${obj.metadata.name}`);
      },
      () => undefined,
    );
    assert.ok(Date.now() - started < 5_000, 'watch() resolved once headers arrived');
    const core = kc.makeApiClient(k8s.CoreV1Api);
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'watched' }, data: { a: '1' } } });
    await core.deleteNamespacedConfigMap({ name: 'watched', namespace: 'default' });
    await eventually(() => {
      assert.ok(events.includes('ADDED watched'));
      assert.ok(events.includes('DELETED watched'));
    });
    controller.abort();
  });

  it('reports a missing object as an ApiException with the Status body', async function () {
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const error = await core.readNamespacedSecret({ name: 'absent', namespace: 'default' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(error instanceof k8s.ApiException);
    assert.equal(error.code, 404);
    const status = JSON.parse(String(error.body)) as { reason: string; message: string };
    assert.equal(status.reason, 'NotFound');
    assert.equal(status.message, 'secrets "absent" not found');
  });
});
