import { strict as assert } from 'node:assert';
import { builtinResourceTypes } from '../../../../sandbox/resources/builtins.js';
import type { ResourceType } from '../../../../sandbox/api/types.js';

function typeOf(resource: string): ResourceType {
  const found = builtinResourceTypes().find((t) => t.resource === resource);
  assert.ok(found, `${resource} is a built-in`);
  return found;
}

describe('built-in resource types', () => {
  const cases: Array<{
    resource: string;
    group: string;
    version: string;
    kind: string;
    namespaced: boolean;
    shortNames: string[];
    categories: string[];
  }> = [
    { resource: 'namespaces', group: '', version: 'v1', kind: 'Namespace', namespaced: false, shortNames: ['ns'], categories: [] },
    { resource: 'configmaps', group: '', version: 'v1', kind: 'ConfigMap', namespaced: true, shortNames: ['cm'], categories: [] },
    { resource: 'pods', group: '', version: 'v1', kind: 'Pod', namespaced: true, shortNames: ['po'], categories: ['all'] },
    { resource: 'services', group: '', version: 'v1', kind: 'Service', namespaced: true, shortNames: ['svc'], categories: ['all'] },
    {
      resource: 'deployments',
      group: 'apps',
      version: 'v1',
      kind: 'Deployment',
      namespaced: true,
      shortNames: ['deploy'],
      categories: ['all'],
    },
    {
      resource: 'replicasets',
      group: 'apps',
      version: 'v1',
      kind: 'ReplicaSet',
      namespaced: true,
      shortNames: ['rs'],
      categories: ['all'],
    },
    {
      resource: 'statefulsets',
      group: 'apps',
      version: 'v1',
      kind: 'StatefulSet',
      namespaced: true,
      shortNames: ['sts'],
      categories: ['all'],
    },
    { resource: 'jobs', group: 'batch', version: 'v1', kind: 'Job', namespaced: true, shortNames: [], categories: ['all'] },
    {
      resource: 'horizontalpodautoscalers',
      group: 'autoscaling',
      version: 'v2',
      kind: 'HorizontalPodAutoscaler',
      namespaced: true,
      shortNames: ['hpa'],
      categories: ['all'],
    },
    {
      resource: 'poddisruptionbudgets',
      group: 'policy',
      version: 'v1',
      kind: 'PodDisruptionBudget',
      namespaced: true,
      shortNames: ['pdb'],
      categories: [],
    },
    {
      resource: 'customresourcedefinitions',
      group: 'apiextensions.k8s.io',
      version: 'v1',
      kind: 'CustomResourceDefinition',
      namespaced: false,
      shortNames: ['crd', 'crds'],
      categories: ['api-extensions'],
    },
    {
      resource: 'clusterrolebindings',
      group: 'rbac.authorization.k8s.io',
      version: 'v1',
      kind: 'ClusterRoleBinding',
      namespaced: false,
      shortNames: [],
      categories: [],
    },
  ];
  for (const c of cases) {
    it(`publishes ${c.resource} as ${c.group || 'core'}/${c.version} ${c.kind} with kubectl's short names and categories`, () => {
      const type = typeOf(c.resource);
      assert.deepEqual(
        {
          group: type.group,
          version: type.version,
          kind: type.kind,
          namespaced: type.namespaced,
          shortNames: type.shortNames,
          categories: type.categories,
        },
        { group: c.group, version: c.version, kind: c.kind, namespaced: c.namespaced, shortNames: c.shortNames, categories: c.categories },
      );
      assert.equal(type.singular, c.kind.toLowerCase());
      assert.equal(type.listKind, `${c.kind}List`);
      assert.ok(type.builtin && type.storage);
    });
  }

  it('lets selfsubjectaccessreviews only be created', () => {
    assert.deepEqual(typeOf('selfsubjectaccessreviews').verbs, ['create']);
  });

  it('does not offer deletecollection on namespaces', () => {
    assert.ok(!typeOf('namespaces').verbs.includes('deletecollection'));
    assert.ok(typeOf('configmaps').verbs.includes('deletecollection'));
  });

  it('gives the replicated workloads a scale subresource and configmaps none', () => {
    for (const resource of ['deployments', 'replicasets', 'statefulsets']) {
      assert.deepEqual(typeOf(resource).subresources.scale, { specReplicasPath: '.spec.replicas', statusReplicasPath: '.status.replicas' });
    }
    assert.equal(typeOf('daemonsets').subresources.scale, undefined);
    assert.deepEqual(typeOf('configmaps').subresources, { status: false });
  });

  it('lists the printer columns kubectl get shows for deployments', () => {
    assert.deepEqual(
      typeOf('deployments')
        .printerColumns.filter((c) => !c.priority)
        .map((c) => c.name),
      ['Ready', 'Up-to-date', 'Available', 'Age'],
    );
  });

  it('hands out copies that callers may change without affecting the next call', () => {
    typeOf('pods').shortNames.push('changed');
    assert.deepEqual(typeOf('pods').shortNames, ['po']);
  });

  it('serves each group/resource once', () => {
    const keys = builtinResourceTypes().map((t) => `${t.group}/${t.resource}`);
    assert.equal(new Set(keys).size, keys.length);
  });
});
