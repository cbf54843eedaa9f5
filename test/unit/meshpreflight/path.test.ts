import assert from 'node:assert/strict';
import { planUpgradePath, type UpgradePlan } from '../../../plugins/kubectl-meshpreflight/path/plan.js';
import type { VersionNote } from '../../../shared/profiles/index.js';
import { parseVersion, sortVersions, type VendorVersion } from '../../../shared/version/semver.js';

function v(text: string): VendorVersion {
  const version = parseVersion(text);
  if (!version) throw new Error(`test version ${text} does not parse`);
  return version;
}

const glooVersions = [
  '1.15.0',
  '1.15.3',
  '1.15.9',
  '1.16.0-beta3',
  '1.16.0',
  '1.16.27',
  '1.17.0-beta10',
  '1.17.0-beta9',
  '1.17.0',
  '1.17.1',
  '2.0.0-beta1',
];

function plan(from: string, to: string, available: readonly string[] | undefined, notes: VersionNote[] = []): UpgradePlan {
  return planUpgradePath({
    current: v(from),
    target: v(to),
    available: available?.map(v),
    cliName: 'glooctl',
    crdsCommand: (version) => `helm crdsync --version ${version} -n gloo-system`,
    notes,
  });
}

const hops = (result: UpgradePlan): string[] => result.hops.map((hop) => `${hop.from}->${hop.to}`);

describe('upgrade path planner', () => {
  const cases: Array<{
    title: string;
    from: string;
    to: string;
    available?: readonly string[];
    hops: string[];
    outcome?: UpgradePlan['outcome'];
    problem?: RegExp;
  }> = [
    {
      title: 'goes to the latest patch of the current minor, then each minor, then the target',
      from: '1.15.3',
      to: '1.17.0',
      available: glooVersions,
      hops: ['1.15.3->1.15.9', '1.15.9->1.16.27', '1.16.27->1.17.0'],
    },
    {
      title: 'skips the first hop when the current version is already the latest patch',
      from: '1.15.9',
      to: '1.16.27',
      available: glooVersions,
      hops: ['1.15.9->1.16.27'],
    },
    { title: 'is a single patch hop within a minor', from: '1.16.0', to: '1.16.27', available: glooVersions, hops: ['1.16.0->1.16.27'] },
    {
      title: 'orders beta10 after beta9 and treats prerelease to GA as a patch hop',
      from: '1.17.0-beta9',
      to: '1.17.0',
      available: glooVersions,
      hops: ['1.17.0-beta9->1.17.0'],
    },
    {
      title: 'never picks a prerelease as an intermediate hop',
      from: '1.15.9',
      to: '1.17.0-beta10',
      available: glooVersions,
      hops: ['1.15.9->1.16.27', '1.16.27->1.17.0-beta10'],
    },
    {
      title: 'compares enterprise builds on the version, not the -ee suffix',
      from: '1.16.3-ee',
      to: '1.17.1-ee',
      available: glooVersions,
      hops: ['1.16.3-ee->1.16.27', '1.16.27->1.17.1-ee'],
    },
    {
      title: 'reports the same version as up to date',
      from: 'v1.17.0',
      to: '1.17.0',
      available: glooVersions,
      hops: [],
      outcome: 'up-to-date',
    },
    {
      title: 'refuses a downgrade',
      from: '1.17.0',
      to: '1.16.27',
      available: glooVersions,
      hops: [],
      outcome: 'downgrade',
      problem: /downgrades are not supported/,
    },
    {
      title: 'refuses a downgrade from GA to its own prerelease',
      from: '1.17.0',
      to: '1.17.0-beta10',
      available: glooVersions,
      hops: [],
      outcome: 'downgrade',
      problem: /older than the installed 1.17.0/,
    },
    {
      title: 'steps 0.x one minor at a time',
      from: '0.10.7',
      to: '0.11.3',
      available: ['0.10.0', '0.10.7', '0.11.0', '0.11.3'],
      hops: ['0.10.7->0.11.3'],
    },
    {
      title: 'goes through the last line of a major into the next major',
      from: '1.16.27',
      to: '2.0.0',
      available: ['1.16.27', '1.17.0', '1.17.1', '2.0.0'],
      hops: ['1.16.27->1.17.1', '1.17.1->2.0.0'],
    },
    {
      title: 'plans unresolved hops when no version list could be had',
      from: '1.15.3',
      to: '1.17.0',
      available: undefined,
      hops: ['1.15.3->1.16.x', '1.16.x->1.17.0'],
      problem: /cannot tell whether 1.15.3 is the latest patch of 1.15: no version list/,
    },
    {
      title: 'says when the version list has a gap between minors',
      from: '1.15.9',
      to: '1.17.0',
      available: ['1.15.9', '1.17.0'],
      hops: ['1.15.9->1.17.0'],
      problem: /no 1.16 release in the version list/,
    },
    {
      title: 'says when the target is not a published version',
      from: '1.16.27',
      to: '1.17.9',
      available: glooVersions,
      hops: ['1.16.27->1.17.9'],
      problem: /1.17.9 is not in the version list/,
    },
  ];
  for (const testCase of cases) {
    it(`${testCase.title} (${testCase.from} → ${testCase.to})`, () => {
      const result = plan(testCase.from, testCase.to, testCase.available);
      assert.deepEqual(hops(result), testCase.hops);
      assert.equal(result.outcome, testCase.outcome ?? 'upgrade');
      if (testCase.problem)
        assert.ok(
          result.problems.some((p) => testCase.problem!.test(p)),
          result.problems.join('\n'),
        );
      else assert.deepEqual(result.problems, []);
    });
  }

  it('marks every 0.x minor hop breaking and a 1.x minor hop not', () => {
    assert.deepEqual(
      plan('0.10.7', '0.11.3', ['0.10.7', '0.11.3']).hops.map((h) => [h.kind, h.breaking]),
      [['minor', true]],
    );
    assert.deepEqual(
      plan('1.16.27', '1.17.0', glooVersions).hops.map((h) => [h.kind, h.breaking]),
      [['minor', false]],
    );
    assert.deepEqual(
      plan('1.17.1', '2.0.0', ['1.17.1', '2.0.0']).hops.map((h) => [h.kind, h.breaking]),
      [['major', true]],
    );
  });

  it('names the CLI line and the CRD command for each hop', () => {
    const [first, second] = plan('1.15.9', '1.17.0', glooVersions).hops;
    assert.equal(first?.cli, 'glooctl 1.16.x');
    assert.equal(first?.crds, 'helm crdsync --version 1.16.27 -n gloo-system');
    assert.equal(second?.cli, 'glooctl 1.17.x');
  });

  it('attaches a version note to the hop that crosses it only', () => {
    const note: VersionNote = { at: '1.17.0', severity: 'warning', message: 'new CRDs' };
    const result = plan('1.15.9', '1.17.1', glooVersions, [note]);
    assert.deepEqual(
      result.hops.map((h) => h.notes.length),
      [0, 1],
    );
  });
});

describe('vendor version ordering (table)', () => {
  const cases: Array<[string, string[], string[]]> = [
    ['beta10 after beta9 after beta1', ['1.1.0-beta10', '1.1.0-beta9', '1.1.0-beta1'], ['1.1.0-beta1', '1.1.0-beta9', '1.1.0-beta10']],
    ['rc after beta, GA after rc', ['1.2.0', '1.2.0-rc1', '1.2.0-beta3'], ['1.2.0-beta3', '1.2.0-rc1', '1.2.0']],
    ['a hotfix build before its release', ['1.16.2', '1.16.2-bredirect-in-oauth-d16079d'], ['1.16.2-bredirect-in-oauth-d16079d', '1.16.2']],
    ['0.x minors numerically', ['0.10.7', '0.9.1', '0.11.3'], ['0.9.1', '0.10.7', '0.11.3']],
    ['unknown tags dropped', ['latest', '1.0.0', 'sha256:abc'], ['1.0.0']],
  ];
  for (const [title, input, expected] of cases) {
    it(`sorts ${title}`, () => {
      assert.deepEqual(
        sortVersions(input).map((x) => x.original),
        expected,
      );
    });
  }
});
