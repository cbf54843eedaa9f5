import assert from 'node:assert/strict';
import { failed, runChecks, summarize, type CheckResult } from '../../../plugins/kubectl-meshpreflight/checks/check.js';
import {
  postUpgradeChecks,
  resourceState,
  rolloutProblem,
  type PostUpgradeInput,
} from '../../../plugins/kubectl-meshpreflight/checks/post-upgrade-checks.js';
import { preflightChecks, whyNotEstablished, type PreflightInput } from '../../../plugins/kubectl-meshpreflight/checks/preflight-checks.js';
import type { ClusterFacts } from '../../../plugins/kubectl-meshpreflight/cluster/facts.js';
import { installRights } from '../../../plugins/kubectl-meshpreflight/cluster/facts.js';
import { planUpgradePath } from '../../../plugins/kubectl-meshpreflight/path/plan.js';
import { detectInstalled } from '../../../plugins/kubectl-meshpreflight/versions/installed.js';
import type { HelmRelease } from '../../../shared/helm/release.js';
import type { KubeObject } from '../../../shared/kube/ports.js';
import { profileFor } from '../../../shared/profiles/index.js';
import { parseVersion, type VendorVersion } from '../../../shared/version/semver.js';

const v = (text: string): VendorVersion => parseVersion(text) ?? assert.fail(text);

/** aDeployment builds an available Deployment running `image`. */
function aDeployment(
  name: string,
  image: string,
  extra: { replicas?: number; labels?: Record<string, string>; probes?: boolean } = {},
): KubeObject {
  const probes = extra.probes === false ? {} : { readinessProbe: { tcpSocket: { port: 1 } }, livenessProbe: { tcpSocket: { port: 1 } } };
  return {
    metadata: { name, generation: 2 },
    spec: {
      replicas: extra.replicas ?? 1,
      template: { metadata: { labels: extra.labels ?? {} }, spec: { containers: [{ name, image, ...probes }] } },
    },
    status: {
      observedGeneration: 2,
      replicas: 1,
      updatedReplicas: 1,
      availableReplicas: 1,
      conditions: [{ type: 'Available', status: 'True' }],
    },
  };
}

function aRelease(status = 'deployed', revision = 1, version = '1.16.27'): HelmRelease {
  return {
    name: 'gloo',
    namespace: 'gloo-system',
    revision,
    status,
    chart: { name: 'gloo', version },
    config: {},
    manifest: '',
    hooks: [],
  };
}

const profile = profileFor('gloo-edge');

/** aHealthyInput is Gloo Edge 1.16.27 ready for 1.17.0; each case breaks one thing. */
function aHealthyInput(
  change: (
    facts: { -readonly [K in keyof ClusterFacts]: ClusterFacts[K] },
    input: { -readonly [K in keyof PreflightInput]: PreflightInput[K] },
  ) => void = () => undefined,
): PreflightInput {
  const facts: { -readonly [K in keyof ClusterFacts]: ClusterFacts[K] } = {
    namespace: 'gloo-system',
    serverVersion: { gitVersion: 'v1.29.4-gke.1200', major: '1', minor: '29' },
    deployments: {
      value: [
        aDeployment('gloo', 'quay.io/solo-io/gloo:1.16.27'),
        aDeployment('discovery', 'quay.io/solo-io/discovery:1.16.27'),
        aDeployment('gateway-proxy', 'quay.io/solo-io/gloo-envoy-wrapper:1.16.27', { labels: { gloo: 'gateway-proxy' } }),
      ],
    },
    releases: { value: [aRelease()] },
    undecodable: [],
    tiller: { value: [] },
    jobs: { value: [] },
    access: installRights.map((question) => ({ question, answer: { value: { allowed: true } } })),
    crds: {
      value: [
        {
          metadata: { name: 'gateways.gateway.solo.io' },
          spec: { group: 'gateway.solo.io' },
          status: { storedVersions: ['v1'], conditions: [{ type: 'Established', status: 'True' }] },
        },
      ],
    },
  };
  const available = ['1.16.27', '1.17.0'].map(v);
  const input: { -readonly [K in keyof PreflightInput]: PreflightInput[K] } = {
    profile,
    facts,
    installed: detectInstalled(profile, facts.releases.value ?? [], facts.deployments.value ?? []),
    current: v('1.16.27'),
    target: v('1.17.0'),
    versionList: { source: 'test', versions: available.map((version) => ({ version })) },
    cli: { state: 'found', path: '/bin/glooctl', version: v('1.17.0') },
    helm: { state: 'found', version: v('v3.14.0+g3fc9f4b') },
    crdsCommand: (version) => `helm crdsync --version ${version}`,
  };
  change(facts, input);
  input.installed = detectInstalled(profile, facts.releases.value ?? [], facts.deployments.value ?? []);
  input.plan = input.current
    ? planUpgradePath({
        current: input.current,
        target: input.target,
        available: input.versionList.versions?.map((x) => x.version),
        crdsCommand: input.crdsCommand,
        notes: [],
      })
    : undefined;
  return input;
}

function resultOf(input: PreflightInput, id: string): CheckResult {
  const result = runChecks(preflightChecks, input, new Set()).find((r) => r.id === id);
  return result ?? assert.fail(`no ${id}`);
}

describe('preflight checks', () => {
  it('pass on a healthy cluster with a GKE Kubernetes version', () => {
    const results = runChecks(preflightChecks, aHealthyInput(), new Set());
    assert.deepEqual(
      results.filter((r) => r.status !== 'ok' && r.status !== 'skip').map((r) => `${r.id}: ${r.message}`),
      [],
    );
  });

  const cases: Array<{ title: string; id: string; status: string; message: RegExp; change: Parameters<typeof aHealthyInput>[0] }> = [
    {
      title: 'a control plane scaled to 0',
      id: 'control-plane-available',
      status: 'fail',
      message: /deployment\/gloo: scaled to 0/,
      change: (f) => void (f.deployments = { value: [aDeployment('gloo', 'quay.io/solo-io/gloo:1.16.27', { replicas: 0 })] }),
    },
    {
      title: 'a missing required workload',
      id: 'control-plane-available',
      status: 'fail',
      message: /deployment\/gloo: missing/,
      change: (f) => void (f.deployments = { value: [] }),
    },
    {
      title: 'deployments the user may not list',
      id: 'control-plane-available',
      status: 'warn',
      message: /cannot read deployments/,
      change: (f) => void (f.deployments = { error: new Error('forbidden') }),
    },
    {
      title: 'images on two versions',
      id: 'version-consistency',
      status: 'warn',
      message: /2 versions: 1.16.20, 1.16.27/,
      change: (f) =>
        void (f.deployments = {
          value: [aDeployment('gloo', 'quay.io/solo-io/gloo:1.16.27'), aDeployment('discovery', 'quay.io/solo-io/discovery:1.16.20')],
        }),
    },
    {
      title: 'glooctl on another minor',
      id: 'cli-version',
      status: 'fail',
      message: /glooctl 1.16.0 .* does not match the target 1.17/,
      change: (_, i) => void (i.cli = { state: 'found', path: 'glooctl', version: v('1.16.0') }),
    },
    {
      title: 'glooctl with patch drift',
      id: 'cli-version',
      status: 'warn',
      message: /patch drift/,
      change: (_, i) => void (i.cli = { state: 'found', path: 'glooctl', version: v('1.17.3') }),
    },
    {
      title: 'no glooctl on PATH',
      id: 'cli-version',
      status: 'warn',
      message: /glooctl not found on PATH/,
      change: (_, i) => void (i.cli = { state: 'missing' }),
    },
    {
      title: 'Kubernetes above the range',
      id: 'kubernetes-version',
      status: 'fail',
      message: /v1.33.1 is outside Gloo Edge 1.17.0's supported range/,
      change: (f) => void (f.serverVersion = { gitVersion: 'v1.33.1', major: '1', minor: '33' }),
    },
    {
      title: 'EKS Kubernetes within the range',
      id: 'kubernetes-version',
      status: 'ok',
      message: /v1.27.3-eks-2d98532 is within/,
      change: (f) => void (f.serverVersion = { gitVersion: 'v1.27.3-eks-2d98532', major: '1', minor: '27' }),
    },
    {
      title: 'Helm 2 on PATH',
      id: 'helm-client',
      status: 'fail',
      message: /is Helm 2/,
      change: (_, i) => void (i.helm = { state: 'found', version: v('v2.17.0') }),
    },
    {
      title: 'Tiller records',
      id: 'helm-tiller',
      status: 'fail',
      message: /1 Helm 2 \(Tiller\) release record/,
      change: (f) => void (f.tiller = { value: [{ metadata: { name: 'gloo.v1', namespace: 'kube-system' } }] }),
    },
    {
      title: 'a release stuck in pending-upgrade',
      id: 'helm-release',
      status: 'fail',
      message: /revision 2 is stuck in pending-upgrade/,
      change: (f) => void (f.releases = { value: [aRelease(), aRelease('pending-upgrade', 2)] }),
    },
    {
      title: 'a failed latest revision',
      id: 'helm-release',
      status: 'fail',
      message: /revision 2 failed/,
      change: (f) => void (f.releases = { value: [aRelease(), aRelease('failed', 2)] }),
    },
    {
      title: 'two deployed revisions',
      id: 'helm-release',
      status: 'warn',
      message: /2 deployed revisions/,
      change: (f) => void (f.releases = { value: [aRelease(), aRelease('deployed', 2)] }),
    },
    {
      title: 'a completed plain gateway-certgen Job',
      id: 'certgen-job',
      status: 'fail',
      message: /completed Job gateway-certgen would break helm upgrade/,
      change: (f) =>
        void (f.jobs = {
          value: [{ metadata: { name: 'gateway-certgen' }, spec: {}, status: { conditions: [{ type: 'Complete', status: 'True' }] } }],
        }),
    },
    {
      title: 'a hook certgen Job deleted before re-creation',
      id: 'certgen-job',
      status: 'ok',
      message: /a hook Helm deletes/,
      change: (f) =>
        void (f.jobs = {
          value: [
            {
              metadata: {
                name: 'gateway-certgen',
                annotations: { 'helm.sh/hook': 'pre-upgrade', 'helm.sh/hook-delete-policy': 'before-hook-creation' },
              },
              status: { conditions: [{ type: 'Complete', status: 'True' }] },
            },
          ],
        }),
    },
    {
      title: 'a gateway proxy without probes',
      id: 'gateway-proxy-probes',
      status: 'warn',
      message: /no readinessProbe, no livenessProbe/,
      change: (f) =>
        void (f.deployments = {
          value: [
            aDeployment('gloo', 'quay.io/solo-io/gloo:1.16.27'),
            aDeployment('gateway-proxy', 'x:1', { labels: { gloo: 'gateway-proxy' }, probes: false }),
          ],
        }),
    },
    {
      title: 'a user who may not create CRDs',
      id: 'rbac-crds',
      status: 'fail',
      message: /you may not create customresourcedefinitions/,
      change: (f) =>
        void (f.access = installRights.map((question) => ({
          question,
          answer: { value: { allowed: question.resource !== 'customresourcedefinitions' } },
        }))),
    },
    {
      title: 'a CRD not Established',
      id: 'crds-established',
      status: 'fail',
      message: /1 CRD\(s\) not Established/,
      change: (f) =>
        void (f.crds = { value: [{ metadata: { name: 'gateways.gateway.solo.io' }, spec: { group: 'gateway.solo.io' }, status: {} }] }),
    },
    {
      title: 'an installed 1.17.0 without its new CRDs',
      id: 'crds-established',
      status: 'fail',
      message: /3 CRD\(s\) of Gloo Edge 1.17.0 missing: listeneroptions.gateway.solo.io/,
      change: (_, i) => void ((i.current = v('1.17.0')), (i.target = v('1.17.1'))),
    },
    {
      title: 'no product CRDs',
      id: 'crds-established',
      status: 'fail',
      message: /no Gloo Edge CRDs/,
      change: (f) => void (f.crds = { value: [] }),
    },
    {
      title: 'target CRDs that drop the stored version',
      id: 'crds-stored-versions',
      status: 'fail',
      message: /stored in versions the target drops/,
      change: (_, i) => void (i.targetCrds = [{ name: 'gateways.gateway.solo.io', servedVersions: ['v2'] }]),
    },
    {
      title: 'target CRDs that serve the stored version',
      id: 'crds-stored-versions',
      status: 'ok',
      message: /every stored version is served/,
      change: (_, i) => void (i.targetCrds = [{ name: 'gateways.gateway.solo.io', servedVersions: ['v1'] }]),
    },
    {
      title: 'an installed version behind its latest patch',
      id: 'latest-patch',
      status: 'warn',
      message: /upgrade to 1.16.30 first/,
      change: (_, i) => void (i.versionList = { source: 't', versions: ['1.16.27', '1.16.30', '1.17.0'].map((x) => ({ version: v(x) })) }),
    },
    {
      title: 'a downgrade',
      id: 'upgrade-path',
      status: 'fail',
      message: /downgrades are not supported/,
      change: (_, i) => void (i.target = v('1.16.0')),
    },
    {
      title: 'an unknown installed version',
      id: 'upgrade-path',
      status: 'fail',
      message: /installed version is unknown/,
      change: (_, i) => void (i.current = undefined),
    },
  ];
  for (const testCase of cases) {
    it(`${testCase.id} is ${testCase.status} for ${testCase.title}`, () => {
      const result = resultOf(aHealthyInput(testCase.change), testCase.id);
      assert.equal(result.status, testCase.status, result.message);
      assert.match(result.message, testCase.message);
    });
  }

  it('reports a --skip id as skipped and counts warnings as failures only with --strict', () => {
    const results = runChecks(
      preflightChecks,
      aHealthyInput((_, i) => void (i.cli = { state: 'missing' })),
      new Set(['helm-client']),
    );
    assert.equal(results.find((r) => r.id === 'helm-client')?.status, 'skip');
    const summary = summarize(results);
    assert.equal(summary.warn, 1);
    assert.equal(failed(summary, false), false);
    assert.equal(failed(summary, true), true);
  });
});

describe('post-upgrade checks', () => {
  const checkInput = (deployments: KubeObject[], expect: string, resources: PostUpgradeInput['resources'] = []): PostUpgradeInput => {
    const base = aHealthyInput((f) => void (f.deployments = { value: deployments }));
    return {
      profile,
      facts: base.facts,
      installed: detectInstalled(profile, [], deployments),
      expect: v(expect),
      resources,
      pods: { value: [] },
      crdsCommand: base.crdsCommand,
    };
  };
  const run = (input: PostUpgradeInput, id: string) => runChecks(postUpgradeChecks, input, new Set()).find((r) => r.id === id);

  it('fails control-plane-version on an image still at the old version, and passes when every image matches', () => {
    const old = run(
      checkInput(
        [aDeployment('gloo', 'quay.io/solo-io/gloo:1.17.0'), aDeployment('discovery', 'quay.io/solo-io/discovery:1.16.27')],
        '1.17.0',
      ),
      'control-plane-version',
    );
    assert.equal(old?.status, 'fail');
    assert.deepEqual(old?.details, ['deployment/discovery quay.io/solo-io/discovery:1.16.27']);
    const done = run(
      checkInput(
        [aDeployment('gloo', 'quay.io/solo-io/gloo:1.17.0'), aDeployment('discovery', 'quay.io/solo-io/discovery:1.17.0')],
        '1.17.0',
      ),
      'control-plane-version',
    );
    assert.equal(done?.status, 'ok');
  });

  it('reads Gloo Mesh, Gloo Edge and legacy numeric states', () => {
    assert.equal(resourceState({ status: { state: 'ACCEPTED', observedGeneration: 1 } }).state, 'ACCEPTED');
    assert.equal(
      resourceState({ status: { statuses: { a: { state: 'Accepted' }, b: { state: 'Rejected', reason: 'x' } } } }).state,
      'Rejected',
    );
    assert.equal(resourceState({ status: { state: 2 } }).state, '2');
    assert.deepEqual(resourceState({}), {});
  });

  const rollouts: Array<
    [
      string,
      Partial<{ observedGeneration: number; updatedReplicas: number; replicas: number; availableReplicas: number }>,
      RegExp | undefined,
    ]
  > = [
    ['rolled out', {}, undefined],
    ['a spec not observed', { observedGeneration: 1 }, /not observed/],
    ['old replicas still running', { replicas: 2 }, /1 old replica/],
    ['replicas not updated', { updatedReplicas: 0 }, /0\/1 replicas updated/],
  ];
  for (const [title, status, expected] of rollouts) {
    it(`rolloutProblem: ${title}`, () => {
      const deployment = aDeployment('gloo', 'x:1');
      deployment.status = { ...(deployment.status as object), ...status };
      const problem = rolloutProblem(deployment);
      if (expected) assert.match(problem ?? '', expected);
      else assert.equal(problem, undefined);
    });
  }
});

describe('why a CRD is not Established', () => {
  it('names the conflicting name the API server reported, or that there are no conditions yet', () => {
    const conflicting = {
      metadata: { name: 'listeneroptions.gateway.solo.io' },
      status: {
        conditions: [
          { type: 'NamesAccepted', status: 'False', reason: 'KindConflict', message: '"ListenerOption" is already in use' },
          { type: 'Established', status: 'False', reason: 'NotAccepted', message: 'not all names are accepted' },
        ],
      },
    };
    assert.equal(
      whyNotEstablished(conflicting),
      'listeneroptions.gateway.solo.io: NamesAccepted=False (KindConflict: "ListenerOption" is already in use); Established=False (NotAccepted: not all names are accepted)',
    );
    assert.equal(whyNotEstablished({ metadata: { name: 'x.example.com' } }), 'x.example.com: no conditions yet');
  });
});
