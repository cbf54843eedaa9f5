import assert from 'node:assert/strict';
import { compareVersions, latestPatch, parseVersion, satisfiesRange, sortVersions } from '../../../shared/version/semver.js';

describe('vendor version parsing', () => {
  const cases: Array<[string, string | undefined, string]> = [
    ['v1.17.0', '1.17.0', 'accepts a leading v'],
    ['1.17.0-beta10', '1.17.0-beta.10', 'splits beta10 so it sorts numerically'],
    ['1.16.27-ee', '1.16.27', 'treats -ee as a flavour, not a prerelease'],
    ['1.20.3-fips-distroless', '1.20.3', 'strips chained flavours'],
    ['v1.27.3-eks-2d98532', '1.27.3', 'treats an EKS suffix as a platform'],
    ['v1.29.1-gke.1200', '1.29.1', 'treats a GKE suffix as a platform'],
    ['v1.29.2+k3s1', '1.29.2', 'ignores build metadata'],
    ['latest', undefined, 'reports latest as unknown'],
    ['sha256:abcdef', undefined, 'reports a digest as unknown'],
    ['gloo@sha256:abcdef', undefined, 'reports an image digest as unknown'],
    ['not-a-version', undefined, 'reports garbage as unknown'],
  ];
  for (const [input, normalized, title] of cases) {
    it(`${title} (${input})`, () => {
      assert.equal(parseVersion(input)?.normalized, normalized);
    });
  }

  it('keeps the original text for display', () => {
    assert.equal(parseVersion('v1.27.3-eks-2d98532')?.original, 'v1.27.3-eks-2d98532');
  });
});

describe('vendor version ordering', () => {
  it('sorts beta10 after beta9 and GA after both', () => {
    const sorted = sortVersions(['1.17.0', '1.17.0-beta10', '1.17.0-beta9']).map((v) => v.original);
    assert.deepEqual(sorted, ['1.17.0-beta9', '1.17.0-beta10', '1.17.0']);
  });

  it('compares a platform version equal to its plain release', () => {
    assert.equal(compareVersions('v1.27.3-eks-2d98532', '1.27.3'), 0);
  });

  it('lets a platform version satisfy a plain range', () => {
    assert.equal(satisfiesRange('v1.27.3-eks-2d98532', '>=1.22.0-0'), true);
  });

  it('picks the latest stable patch of a minor and skips prereleases', () => {
    const available = ['1.16.3', '1.16.27', '1.17.0-beta3', '1.17.0', '1.17.1-beta1'];
    assert.equal(latestPatch(available, { major: 1, minor: 16 })?.original, '1.16.27');
    assert.equal(latestPatch(available, { major: 1, minor: 17 })?.original, '1.17.0');
    assert.equal(latestPatch(available, { major: 1, minor: 18 }), undefined);
  });
});
