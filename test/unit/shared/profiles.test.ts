import assert from 'node:assert/strict';
import { builtinProfiles, kindKey, orderWorkloads, profileFor, restorableKinds, workloadsFor } from '../../../shared/profiles/index.js';
import { validateProfile } from '../../../shared/profiles/profile-file.js';
import { parseVersion } from '../../../shared/version/semver.js';

function aProfileDocument(): Record<string, unknown> {
  return {
    name: 'my-mesh',
    namespace: 'my-mesh',
    kinds: [{ group: 'x.example.com', versions: ['v1'], kind: 'Route', plural: 'routes' }],
    restoreOrder: ['routes.x.example.com'],
    workloads: [{ kind: 'Deployment', name: 'controller' }],
    chart: { name: 'my-mesh', repository: 'https://charts.example.com' },
    cli: { name: 'myctl', versionArgs: ['version'], versionFormat: 'text' },
    versionDetection: { helmChartNames: ['my-mesh'], imageWorkload: { kind: 'Deployment', name: 'controller', container: 'c' } },
  };
}

describe('built-in profiles', () => {
  for (const profile of builtinProfiles) {
    it(`${profile.name} orders only kinds it declares and workloads it runs`, () => {
      const keys = new Set(profile.kinds.map(kindKey));
      for (const key of profile.restoreOrder) assert.ok(keys.has(key), key);
      const names = new Set(profile.workloads.map((w) => w.name));
      for (const name of [...profile.scaleDownOrder, ...profile.scaleUpOrder]) assert.ok(names.has(name), name);
    });
  }

  it('never restores Gloo Mesh discovery kinds and restores settings first', () => {
    const kinds = restorableKinds(profileFor('gloo-mesh'));
    assert.equal(kinds[0]?.plural, 'settings');
    assert.ok(kinds.every((kind) => kind.group !== 'discovery.mesh.gloo.solo.io'));
  });

  it('scales Gloo Mesh networking down before discovery and up after it', () => {
    const profile = profileFor('gloo-mesh');
    assert.deepEqual(
      orderWorkloads(profile.workloads, profile.scaleDownOrder).map((w) => w.name),
      ['networking', 'discovery'],
    );
    assert.deepEqual(
      orderWorkloads(profile.workloads, profile.scaleUpOrder).map((w) => w.name),
      ['discovery', 'networking'],
    );
  });

  it('includes the gateway Deployment of Gloo Edge only before 1.12', () => {
    const profile = profileFor('gloo-edge');
    assert.ok(workloadsFor(profile, parseVersion('1.11.4')).some((w) => w.name === 'gateway'));
    assert.ok(!workloadsFor(profile, parseVersion('1.17.0')).some((w) => w.name === 'gateway'));
  });

  it('rejects an unknown profile name and lists the known ones', () => {
    assert.throws(() => profileFor('istio'), /unknown profile "istio": known profiles are gloo-mesh, gloo-edge, nginx-service-mesh/);
  });
});

describe('profile files', () => {
  it('accepts a minimal profile and fills defaults', () => {
    const profile = validateProfile(aProfileDocument(), 'my.yaml');
    assert.deepEqual(profile.scaleDownOrder, ['controller']);
    assert.equal(profile.kinds[0]?.restore, true);
    assert.equal(profile.dataPlane, undefined);
  });

  it('reads an optional data plane (the sidecar reroll looks for)', () => {
    const profile = validateProfile(
      { ...aProfileDocument(), dataPlane: { sidecarContainer: 'istio-proxy', injectionAnnotation: 'sidecar.istio.io/inject' } },
      'my.yaml',
    );
    assert.deepEqual(profile.dataPlane, { sidecarContainer: 'istio-proxy', injectionAnnotation: 'sidecar.istio.io/inject' });
  });

  const broken: Array<[string, (doc: Record<string, unknown>) => void, string]> = [
    [
      'a workload kind that cannot be scaled',
      (d) => (d.workloads = [{ kind: 'DaemonSet', name: 'x' }]),
      'profile my.yaml: workloads[0].kind must be Deployment or StatefulSet',
    ],
    [
      'a restore order naming an unknown kind',
      (d) => (d.restoreOrder = ['nope.example.com']),
      'profile my.yaml: restoreOrder[0] "nope.example.com" is not one of kinds (<plural>.<group>)',
    ],
    [
      'a kind without versions',
      (d) => (d.kinds = [{ group: 'g', versions: [], kind: 'K', plural: 'ks' }]),
      'profile my.yaml: kinds[0].versions must list at least one version',
    ],
    ['a missing namespace', (d) => delete d.namespace, 'profile my.yaml: namespace must be a non-empty string'],
    [
      'a data plane without its sidecar container',
      (d) => (d.dataPlane = { initContainer: 'istio-init' }),
      'profile my.yaml: dataPlane.sidecarContainer must be a non-empty string',
    ],
  ];
  for (const [title, breakIt, message] of broken) {
    it(`rejects ${title}, naming the field`, () => {
      const doc = aProfileDocument();
      breakIt(doc);
      assert.throws(
        () => validateProfile(doc, 'my.yaml'),
        (err: Error & { exitCode?: number }) => err.message === message && err.exitCode === 3,
      );
    });
  }
});
