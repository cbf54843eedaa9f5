import assert from 'node:assert/strict';
import { builtinProfiles } from '../../../shared/profiles/index.js';
import { ProfileFileError, validateProfile } from '../../../shared/profiles/profile-file.js';
import { isValidRange, parseVersion, satisfiesRange } from '../../../shared/version/semver.js';

function aProfileDocument(preflight?: unknown): Record<string, unknown> {
  return {
    name: 'my-mesh',
    namespace: 'my-mesh',
    kinds: [{ group: 'x.example.com', versions: ['v1'], kind: 'Route', plural: 'routes' }],
    workloads: [{ kind: 'Deployment', name: 'controller' }],
    chart: { name: 'my-mesh', repository: 'https://charts.example.com' },
    cli: { name: 'myctl', versionArgs: ['version'], versionFormat: 'text' },
    versionDetection: { helmChartNames: ['my-mesh'], imageWorkload: { kind: 'Deployment', name: 'controller', container: 'c' } },
    ...(preflight === undefined ? {} : { preflight }),
  };
}

describe('preflight facts in profiles', () => {
  for (const profile of builtinProfiles) {
    it(`${profile.name} has valid ranges and note versions`, () => {
      const facts = profile.preflight ?? assert.fail('no preflight facts');
      for (const entry of facts.kubernetes)
        assert.ok(isValidRange(entry.versions) && isValidRange(entry.kubernetes), JSON.stringify(entry));
      for (const note of facts.notes) assert.ok(parseVersion(note.at), note.at);
      assert.ok(facts.productImages.length > 0);
    });
  }

  it('reads a profile file without preflight facts (the checks then say "unknown")', () => {
    assert.equal(validateProfile(aProfileDocument(), 'my.yaml').preflight, undefined);
  });

  it('reads preflight facts from a profile file with defaults', () => {
    const profile = validateProfile(
      aProfileDocument({
        kubernetes: [{ versions: '>=2.0.0-0', kubernetes: '>=1.26.0-0 <1.31.0-0' }],
        notes: [{ at: '2.0.0', message: 'new API' }],
        productImages: ['my-mesh-*'],
      }),
      'my.yaml',
    );
    assert.deepEqual(profile.preflight?.kubernetes, [
      { versions: '>=2.0.0-0', kubernetes: '>=1.26.0-0 <1.31.0-0', source: 'profile file' },
    ]);
    assert.deepEqual(profile.preflight?.notes, [{ at: '2.0.0', severity: 'warning', message: 'new API' }]);
  });

  it('names the field of a bad note version or range', () => {
    assert.throws(
      () => validateProfile(aProfileDocument({ notes: [{ at: 'soon', message: 'x' }] }), 'my.yaml'),
      (err: unknown) => err instanceof ProfileFileError && /preflight\.notes\[0\]\.at "soon" is not a version/.test(err.message),
    );
    assert.throws(
      () => validateProfile(aProfileDocument({ kubernetes: [{ versions: '>=2', kubernetes: 'new' }] }), 'my.yaml'),
      /preflight\.kubernetes\[0\]\.kubernetes "new" is not a semver range/,
    );
  });
});

describe('Gloo Edge supported Kubernetes versions (docs.solo.io/gloo-edge/main/reference/support/)', () => {
  const gloo = builtinProfiles.find((p) => p.name === 'gloo-edge') ?? assert.fail('no gloo-edge profile');
  const rangeOf = (product: string) => gloo.preflight?.kubernetes.find((entry) => satisfiesRange(product, entry.versions))?.kubernetes;
  // Both ends of each published "X - Y" line are supported; the minor after Y is not.
  const table: Array<[product: string, kubernetes: string, supported: boolean | undefined]> = [
    ['1.17.3', 'v1.25.0', true],
    ['1.17.3', 'v1.29.14', true],
    ['1.17.0', 'v1.30.0', false],
    ['1.17.0', 'v1.24.17', false],
    ['1.16.27', 'v1.24.0', true],
    ['1.16.27', 'v1.28.15', true],
    ['1.16.27', 'v1.29.0', false],
    ['1.15.9', 'v1.27.16', true],
    ['1.15.9', 'v1.28.0', false],
    ['1.14.2', 'v1.25.16', true],
    ['1.14.2', 'v1.26.0', false],
    ['1.17.0-beta10', 'v1.29.0', true],
    ['1.18.0', 'v1.29.0', undefined],
  ];
  for (const [product, kubernetes, supported] of table) {
    it(`Gloo Edge ${product} on Kubernetes ${kubernetes}: ${supported === undefined ? 'unknown' : supported ? 'supported' : 'not supported'}`, () => {
      const range = rangeOf(product);
      if (supported === undefined) return assert.equal(range, undefined);
      assert.ok(range, `no range for ${product}`);
      assert.equal(satisfiesRange(kubernetes.replace(/^v/, ''), range), supported);
    });
  }
});
