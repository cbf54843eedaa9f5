import { strict as assert } from 'node:assert';
import type { InternalApi, KubeObject } from '../../../../sandbox/api/types.js';
import { decodeHelmReleaseSecret } from '../../../../sandbox/products/helm-release.js';
import { installProduct, installProductWithReport, supportedInstalls, type InstallReport } from '../../../../sandbox/products/index.js';
import { productFacts } from '../../../../sandbox/products/product-facts.js';
import { startHarness, type ControllerHarness } from '../../../support/controller-harness.js';
import { eventually } from '../../../support/eventually.js';
import { requireVendorFixtures } from '../../../support/vendor.js';

const resourceOfKind: Record<string, { group: string; version: string; resource: string }> = {
  Deployment: { group: 'apps', version: 'v1', resource: 'deployments' },
  StatefulSet: { group: 'apps', version: 'v1', resource: 'statefulsets' },
  DaemonSet: { group: 'apps', version: 'v1', resource: 'daemonsets' },
};
const secrets = { group: '', version: 'v1', resource: 'secrets' };

function images(workload: KubeObject | undefined): string[] {
  const spec = (workload?.spec ?? {}) as { template?: { spec?: { containers?: Array<{ image: string }> } } };
  return (spec.template?.spec?.containers ?? []).map((c) => c.image);
}

function isRolledOut(workload: KubeObject): boolean {
  const status = (workload.status ?? {}) as Record<string, number | undefined>;
  if (workload.kind === 'DaemonSet') return status.numberAvailable === 1;
  return (status.availableReplicas ?? 0) >= 1 && (workload.kind !== 'StatefulSet' || status.readyReplicas === 1);
}

async function checkInstall(api: InternalApi, spec: string, report: InstallReport): Promise<void> {
  const fact = productFacts[spec];
  assert.ok(fact);
  for (const workload of fact.workloads) {
    const gvr = resourceOfKind[workload.kind];
    assert.ok(gvr);
    const object = api.get(gvr, fact.namespace, workload.name);
    assert.ok(object, `${workload.kind} ${workload.name} exists`);
    assert.ok(
      images(object).some((i) => i.endsWith(`:${fact.version}`) || /spire|nats/.test(i)),
      `${workload.name} runs the ${fact.version} images: ${images(object).join(', ')}`,
    );
  }
  await eventually(
    () => {
      for (const workload of fact.workloads) {
        const object = api.get(resourceOfKind[workload.kind]!, fact.namespace, workload.name);
        assert.ok(object && isRolledOut(object), `${workload.kind} ${workload.name} rolled out`);
      }
    },
    5000,
    10,
  );
  const secret = api.get(secrets, fact.namespace, `sh.helm.release.v1.${fact.releaseName}.v1`);
  assert.ok(secret, 'the Helm release Secret exists');
  const release = decodeHelmReleaseSecret(secret);
  assert.deepEqual(
    [release.name, release.namespace, release.info.status, release.chart.metadata.name, release.chart.metadata.version],
    [fact.releaseName, fact.namespace, 'deployed', fact.chart.name, fact.chart.version],
  );
  for (const workload of fact.workloads)
    assert.match(release.manifest, new RegExp(`kind: ${workload.kind}\\nmetadata:\\n  name: ${workload.name}\\n`));
  assert.ok(report.examples.length >= 3, `examples created: ${report.examples.join(', ')}`);
}

describe('product installs', function () {
  this.timeout(20_000);
  let world: ControllerHarness;

  beforeEach(function () {
    world = startHarness();
  });

  afterEach(function () {
    world.stop();
  });

  it('refuses an unknown spec with the list of supported ones', async function () {
    await assert.rejects(
      installProduct(world.api, 'istio@1.20.0', { vendorFixturesDir: null }),
      (error: Error) => error.message.includes('gloo-mesh@0.10.7') && error.message.includes('nginx-service-mesh@2.0.0'),
    );
  });

  for (const spec of supportedInstalls) {
    it(`installs ${spec} with the project's synthetic CRDs, and its control plane rolls out`, async function () {
      const report = await installProductWithReport(world.api, spec, { vendorFixturesDir: null });
      assert.equal(report.crdSource, 'synthetic');
      await checkInstall(world.api, spec, report);
      assert.deepEqual(report.skippedExamples, []);
    });
  }

  it('leaves gloo-edge with a completed gateway-certgen Job and the default Gateways', async function () {
    await installProduct(world.api, 'gloo-edge@1.17.0', { vendorFixturesDir: null });
    const certgen = world.api.get({ group: 'batch', version: 'v1', resource: 'jobs' }, 'gloo-system', 'gateway-certgen');
    assert.ok(((certgen?.status ?? {}) as { conditions?: Array<{ type: string }> }).conditions?.some((c) => c.type === 'Complete'));
    assert.deepEqual(images(certgen), ['quay.io/solo-io/certgen:1.17.0']);
    const gateways = world.api
      .list({ group: 'gateway.solo.io', version: 'v1', resource: 'gateways' }, { namespace: 'gloo-system' })
      .map((g) => g.metadata.name)
      .sort();
    assert.deepEqual(gateways, ['gateway-proxy', 'gateway-proxy-ssl']);
    const release = decodeHelmReleaseSecret(world.api.get(secrets, 'gloo-system', 'sh.helm.release.v1.gloo.v1') as KubeObject);
    assert.deepEqual(
      release.hooks.map((h) => `${h.kind}/${h.name}`),
      ['ServiceAccount/certgen', 'Job/gateway-certgen'],
    );
  });

  it('records the managers a real install leaves: helm for the release, kubectl for the examples and the rollout Job', async function () {
    await installProduct(world.api, 'gloo-edge@1.17.0', { vendorFixturesDir: null });
    const managers = (object: KubeObject | undefined) =>
      (object?.metadata.managedFields ?? []).map((entry) => `${entry.manager ?? ''}/${entry.operation ?? ''}`);
    const crds = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' };
    assert.deepEqual(managers(world.api.get(crds, undefined, 'gateways.gateway.solo.io')), ['helm/Update']);
    assert.deepEqual(managers(world.api.get({ group: 'apps', version: 'v1', resource: 'deployments' }, 'gloo-system', 'gloo')), [
      'helm/Update',
    ]);
    assert.deepEqual(managers(world.api.get(secrets, 'gloo-system', 'sh.helm.release.v1.gloo.v1')), ['helm/Update']);
    const gateway = world.api.get({ group: 'gateway.solo.io', version: 'v1', resource: 'gateways' }, 'gloo-system', 'gateway-proxy');
    assert.deepEqual(managers(gateway), ['kubectl-client-side-apply/Update']);
    const example = world.api
      .list({ group: 'gateway.solo.io', version: 'v1', resource: 'virtualservices' })
      .find((object) => object.metadata.namespace === 'gloo-system');
    assert.deepEqual(managers(example), ['kubectl-create/Update']);
  });

  it('starts Gloo Mesh discovery writing its resources after a gloo-mesh install', async function () {
    await installProduct(world.api, 'gloo-mesh@0.11.3', { vendorFixturesDir: null });
    await eventually(
      () =>
        assert.equal(
          world.api.list({ group: 'discovery.mesh.gloo.solo.io', version: 'v1alpha2', resource: 'workloads' }, { namespace: 'gloo-mesh' })
            .length,
          6,
        ),
      5000,
      10,
    );
  });

  describe('with the real vendor CRDs and examples (vendor-fixture tier)', function () {
    let fixtures: string;

    before(function () {
      fixtures = requireVendorFixtures(this);
    });

    for (const spec of supportedInstalls) {
      it(`installs ${spec} from the vendor CRDs, creating only the examples a server accepts`, async function () {
        const report = await installProductWithReport(world.api, spec, { vendorFixturesDir: fixtures });
        assert.equal(report.crdSource, 'vendor');
        await checkInstall(world.api, spec, report);
      });
    }

    it('skips the vendor examples with placeholders, elided metadata or documented rejects, naming why', async function () {
      const report = await installProductWithReport(world.api, 'gloo-edge@1.17.0', { vendorFixturesDir: fixtures });
      const reasons = new Map(report.skippedExamples.map((s) => [s.file, s.reason]));
      assert.match(reasons.get('virtualservice-reject-me.yaml') ?? '', /reject/);
      assert.match(reasons.get('gateway-hybrid-collapsed-metadata.yaml') ?? '', /metadata/);
      assert.ok(
        report.examples.includes('VirtualService/gloo-system/default') || report.examples.some((e) => e.startsWith('VirtualService/')),
      );
      const nginx = await installProductWithReport(world.api, 'nginx-service-mesh@1.7.0', { vendorFixturesDir: fixtures });
      assert.match(
        new Map(nginx.skippedExamples.map((s) => [s.file, s.reason])).get('httproutegroup-application-http-routes.yaml') ?? '',
        /placeholder/,
      );
    });
  });
});
