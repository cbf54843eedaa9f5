import { strict as assert } from 'node:assert';
import type { InternalApi, KubeObject } from '../../../../sandbox/api/types.js';
import { discoveryTargets } from '../../../../sandbox/controllers/gloo-mesh-discovery.js';
import { aCrd } from '../../../fixtures/crd-builder.js';
import { aDeployment } from '../../../fixtures/workload-builder.js';
import { startHarness, ensureNamespace, statusOf, type ControllerHarness } from '../../../support/controller-harness.js';
import { eventually } from '../../../support/eventually.js';

const crds = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' };
const deployments = { group: 'apps', version: 'v1', resource: 'deployments' };
const group = 'discovery.mesh.gloo.solo.io';
const kinds: Array<[string, string]> = [
  ['Mesh', 'meshes'],
  ['TrafficTarget', 'traffictargets'],
  ['Workload', 'workloads'],
];

function discoveredCount(api: InternalApi): number {
  return kinds.reduce((n, [, resource]) => n + api.list({ group, version: 'v1alpha2', resource }, { namespace: 'gloo-mesh' }).length, 0);
}

async function installDiscoveryCrds(api: InternalApi): Promise<void> {
  for (const [kind, plural] of kinds) api.create(crds, aCrd().forKind(group, kind, plural).withVersion('v1alpha2').build());
  await eventually(() => assert.ok(kinds.every(([, resource]) => api.resourceType({ group, version: 'v1alpha2', resource }))), 5000, 5);
}

function scale(api: InternalApi, replicas: number): void {
  const current = api.get(deployments, 'gloo-mesh', 'discovery') as KubeObject;
  api.update(deployments, { ...current, spec: { ...(current.spec as object), replicas } });
}

describe('the Gloo Mesh discovery simulator', function () {
  let world: ControllerHarness;

  beforeEach(async function () {
    world = startHarness({ discoveryStepMs: 15 });
    ensureNamespace(world.api, 'gloo-mesh');
    await installDiscoveryCrds(world.api);
  });

  afterEach(function () {
    world.stop();
  });

  it('writes its discovery resources one at a time while discovery is available, then stops changing', async function () {
    const target = discoveryTargets('gloo-mesh').length;
    assert.equal(target, 14);
    const counts: number[] = [];
    const unsubscribe = world.api.subscribe((e) => {
      if (e.groupResource.group === group) counts.push(discoveredCount(world.api));
    });
    world.api.create(deployments, aDeployment().named('discovery').inNamespace('gloo-mesh').withImage('soloio/gloo-mesh:0.11.3').build());
    await eventually(() => assert.equal(discoveredCount(world.api), target), 5000, 5);
    unsubscribe();
    assert.deepEqual(
      counts,
      Array.from({ length: target }, (_, i) => i + 1),
      'one object per step',
    );
    const settledAt = world.api.list({ group, version: 'v1alpha2', resource: 'workloads' }).map((o) => o.metadata.resourceVersion);
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.deepEqual(
      world.api.list({ group, version: 'v1alpha2', resource: 'workloads' }).map((o) => o.metadata.resourceVersion),
      settledAt,
    );
  });

  it('stops writing when discovery is scaled to zero and resumes, rewriting deleted objects, when scaled back', async function () {
    world.api.create(deployments, aDeployment().named('discovery').inNamespace('gloo-mesh').withImage('soloio/gloo-mesh:0.11.3').build());
    await eventually(() => assert.ok(discoveredCount(world.api) >= 3), 5000, 2);
    scale(world.api, 0);
    await eventually(() => assert.equal(statusOf(world.api, deployments, 'gloo-mesh', 'discovery').availableReplicas, undefined), 5000, 2);
    const frozen = discoveredCount(world.api);
    assert.ok(frozen < 14, `still partial when scaled down (${frozen})`);
    world.api.delete({ group, version: 'v1alpha2', resource: 'meshes' }, 'gloo-mesh', 'istiod-istio-system-mgmt-cluster');
    await new Promise((resolve) => setTimeout(resolve, 80));
    assert.equal(discoveredCount(world.api), frozen - 1, 'nothing is written while discovery is down');
    scale(world.api, 1);
    await eventually(() => assert.equal(discoveredCount(world.api), 14), 5000, 5);
    assert.ok(world.api.get({ group, version: 'v1alpha2', resource: 'meshes' }, 'gloo-mesh', 'istiod-istio-system-mgmt-cluster'));
  });

  it('ignores a Deployment named discovery that does not run the Gloo Mesh image', async function () {
    world.api.create(
      deployments,
      aDeployment().named('discovery').inNamespace('gloo-mesh').withImage('quay.io/solo-io/discovery:1.17.0').build(),
    );
    await eventually(() => assert.equal(statusOf(world.api, deployments, 'gloo-mesh', 'discovery').availableReplicas, 1), 5000, 5);
    await new Promise((resolve) => setTimeout(resolve, 60));
    assert.equal(discoveredCount(world.api), 0);
  });
});
