import { strict as assert } from 'node:assert';
import { ApiError } from '../../../../sandbox/api/status.js';
import type { KubeObject } from '../../../../sandbox/api/types.js';
import { applyStrategicMergePatch } from '../../../../sandbox/patch/index.js';
import { aBuiltinType, aCustomType, aDeployment, anObject } from '../builders.js';

const deployments = aBuiltinType('Deployment');

function podSpec(object: KubeObject): Record<string, unknown> {
  return ((object.spec as Record<string, unknown>).template as Record<string, Record<string, unknown>>).spec as Record<string, unknown>;
}

function containerNames(object: KubeObject): unknown[] {
  return (podSpec(object).containers as Array<Record<string, unknown>>).map((c) => c.name);
}

describe('strategic merge patch', function () {
  it('merges containers by name instead of replacing the list', function () {
    const live = aDeployment()
      .withContainers({ name: 'app', image: 'app:1', ports: [{ containerPort: 80 }] }, { name: 'sidecar', image: 'proxy:1' })
      .build();
    const patched = applyStrategicMergePatch(deployments, live, {
      spec: { template: { spec: { containers: [{ name: 'app', image: 'app:2' }] } } },
    });
    assert.deepEqual(podSpec(patched).containers, [
      { name: 'app', image: 'app:2', ports: [{ containerPort: 80 }] },
      { name: 'sidecar', image: 'proxy:1' },
    ]);
  });

  it('orders containers by $setElementOrder as kubectl client-side apply sends it', function () {
    const live = aDeployment().withContainers({ name: 'app', image: 'app:1' }, { name: 'sidecar', image: 'proxy:1' }).build();
    // kubectl apply after adding an init-like "first" container ahead of app, leaving sidecar unmanaged.
    const patch = {
      spec: {
        template: {
          spec: {
            '$setElementOrder/containers': [{ name: 'first' }, { name: 'app' }],
            containers: [
              { name: 'first', image: 'first:1' },
              { name: 'app', image: 'app:2' },
            ],
          },
        },
      },
    };
    const patched = applyStrategicMergePatch(deployments, live, patch);
    assert.deepEqual(containerNames(patched), ['first', 'app', 'sidecar']);
    assert.equal((podSpec(patched).containers as Array<Record<string, unknown>>)[1]?.image, 'app:2');
  });

  it('reorders without changes when only $setElementOrder is sent', function () {
    const live = aDeployment().withContainers({ name: 'a', image: 'a' }, { name: 'b', image: 'b' }).build();
    const patched = applyStrategicMergePatch(deployments, live, {
      spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }] } } },
    });
    assert.deepEqual(containerNames(patched), ['b', 'a']);
  });

  it('deletes a container named by $patch: delete', function () {
    const live = aDeployment().withContainers({ name: 'app', image: 'app:1' }, { name: 'sidecar', image: 'proxy:1' }).build();
    const patched = applyStrategicMergePatch(deployments, live, {
      spec: { template: { spec: { containers: [{ name: 'sidecar', $patch: 'delete' }] } } },
    });
    assert.deepEqual(containerNames(patched), ['app']);
  });

  it('replaces the whole list when an item says $patch: replace', function () {
    const live = aDeployment().withContainers({ name: 'app', image: 'app:1' }, { name: 'sidecar', image: 'proxy:1' }).build();
    const patched = applyStrategicMergePatch(deployments, live, {
      spec: { template: { spec: { containers: [{ $patch: 'replace' }, { name: 'only', image: 'only:1' }] } } },
    });
    assert.deepEqual(podSpec(patched).containers, [{ name: 'only', image: 'only:1' }]);
  });

  it('replaces a map given $patch: replace', function () {
    const live = aDeployment().build();
    const patched = applyStrategicMergePatch(deployments, live, { metadata: { labels: { $patch: 'replace', tier: 'front' } } });
    assert.deepEqual(patched.metadata.labels, { tier: 'front' });
  });

  it('drops rollingUpdate when $retainKeys switches a Deployment to Recreate', function () {
    const live = { ...aDeployment().build() };
    (live.spec as Record<string, unknown>).strategy = { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } };
    const patched = applyStrategicMergePatch(deployments, live, { spec: { strategy: { $retainKeys: ['type'], type: 'Recreate' } } });
    assert.deepEqual((patched.spec as Record<string, unknown>).strategy, { type: 'Recreate' });
  });

  it('merges finalizers as a set and removes them with $deleteFromPrimitiveList', function () {
    const live = anObject('v1', 'ConfigMap', {}, { name: 'x', namespace: 'default', finalizers: ['a.example/one', 'a.example/two'] });
    const added = applyStrategicMergePatch(aBuiltinType('ConfigMap'), live, {
      metadata: { finalizers: ['a.example/two', 'a.example/three'] },
    });
    assert.deepEqual(added.metadata.finalizers, ['a.example/one', 'a.example/two', 'a.example/three']);
    const removed = applyStrategicMergePatch(aBuiltinType('ConfigMap'), added, {
      metadata: { '$deleteFromPrimitiveList/finalizers': ['a.example/one'] },
    });
    assert.deepEqual(removed.metadata.finalizers, ['a.example/two', 'a.example/three']);
  });

  const listCases: Array<{
    title: string;
    kind: string;
    live: Record<string, unknown>;
    patch: Record<string, unknown>;
    expected: unknown;
    pick: (o: KubeObject) => unknown;
  }> = [
    {
      title: 'merges Service ports by port',
      kind: 'Service',
      live: {
        spec: {
          ports: [
            { port: 80, name: 'http' },
            { port: 443, name: 'https' },
          ],
        },
      },
      patch: { spec: { ports: [{ port: 443, targetPort: 8443 }] } },
      expected: [
        { port: 80, name: 'http' },
        { port: 443, name: 'https', targetPort: 8443 },
      ],
      pick: (o) => (o.spec as Record<string, unknown>).ports,
    },
    {
      title: 'merges env by name within a container',
      kind: 'Deployment',
      live: {
        spec: {
          template: {
            spec: {
              containers: [
                {
                  name: 'app',
                  env: [
                    { name: 'A', value: '1' },
                    { name: 'B', value: '2' },
                  ],
                },
              ],
            },
          },
        },
      },
      patch: { spec: { template: { spec: { containers: [{ name: 'app', env: [{ name: 'B', value: '3' }] }] } } } },
      expected: [
        { name: 'A', value: '1' },
        { name: 'B', value: '3' },
      ],
      pick: (o) => (podSpec(o).containers as Array<Record<string, unknown>>)[0]?.env,
    },
    {
      title: 'replaces tolerations, which have no merge key',
      kind: 'Deployment',
      live: { spec: { template: { spec: { tolerations: [{ key: 'a' }, { key: 'b' }] } } } },
      patch: { spec: { template: { spec: { tolerations: [{ key: 'c' }] } } } },
      expected: [{ key: 'c' }],
      pick: (o) => podSpec(o).tolerations,
    },
    {
      title: 'merges volumes by name',
      kind: 'StatefulSet',
      live: { spec: { template: { spec: { volumes: [{ name: 'a', emptyDir: {} }] } } } },
      patch: { spec: { template: { spec: { volumes: [{ name: 'b', configMap: { name: 'cm' } }] } } } },
      expected: [
        { name: 'a', emptyDir: {} },
        { name: 'b', configMap: { name: 'cm' } },
      ],
      pick: (o) => podSpec(o).volumes,
    },
    {
      title: 'deletes a map key given null',
      kind: 'ConfigMap',
      live: { data: { a: '1', b: '2' } },
      patch: { data: { a: null } },
      expected: { b: '2' },
      pick: (o) => o.data,
    },
  ];
  for (const c of listCases) {
    it(c.title, function () {
      const live = { apiVersion: 'v1', kind: c.kind, metadata: { name: 'x' }, ...c.live } as KubeObject;
      assert.deepEqual(c.pick(applyStrategicMergePatch(aBuiltinType(c.kind), live, c.patch)), c.expected);
    });
  }

  it('answers 415 for a custom resource, as a real server does', function () {
    assert.throws(
      () => applyStrategicMergePatch(aCustomType(undefined), anObject('example.test/v1', 'Widget'), { spec: {} }),
      (err: unknown) => err instanceof ApiError && err.code === 415 && err.reason === 'UnsupportedMediaType',
    );
  });

  it('fails when a merged list item lacks its merge key', function () {
    assert.throws(
      () =>
        applyStrategicMergePatch(deployments, aDeployment().build(), { spec: { template: { spec: { containers: [{ image: 'x' }] } } } }),
      (err: unknown) => err instanceof ApiError && /does not contain declared merge key: name/.test(err.message),
    );
  });

  it('leaves the live object untouched', function () {
    const live = aDeployment().build();
    const before = JSON.stringify(live);
    applyStrategicMergePatch(deployments, live, {
      spec: { replicas: 5, template: { spec: { containers: [{ name: 'app', image: 'new' }] } } },
    });
    assert.equal(JSON.stringify(live), before);
  });
});
