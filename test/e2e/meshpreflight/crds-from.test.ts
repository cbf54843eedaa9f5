/**
 * `kubectl meshpreflight --crds-from` reading the target CRDs from every source helm crdsync
 * reads (the shared sources): a loopback chart repository (index.yaml, sha256 digest), a chart of
 * the user's `helm repo add` repositories through the real helm, and a GitHub tag through a
 * GitHub REST API emulator. The installed Gloo Edge 1.16.27 stores gateways.gateway.solo.io as
 * v1; the repository's chart 1.17.0 serves only v2 (the check fails), the GitHub tag keeps v1.
 */
import assert from 'node:assert/strict';
import yaml from 'js-yaml';
import type { SandboxHandle } from '../../../sandbox/index.js';
import { ClientEnv, expectSuccess, type CommandResult, type TestCluster } from '../../support/cluster.js';
import { startE2eCluster } from '../../support/target.js';
import { helm3Path } from '../../support/tools.js';
import { aChart } from '../../fixtures/chart-builder.js';
import { aCrd } from '../../fixtures/crd-builder.js';
import { startChartRepository, type LoopbackServer } from '../../../demo/charts/repository.js';
import { startGitHubEmulator } from '../crdsync/support.js';
import { checkOf, parseReport, realHelmOnPath, statusOf } from './support.js';

const gatewayCrd = (versions: string[]) => {
  const builder = aCrd().forKind('gateway.solo.io', 'Gateway');
  for (const version of versions) builder.withVersion(version);
  return builder.build();
};

describe('kubectl meshpreflight --crds-from: the target CRDs from a chart repository, helm pull and GitHub', function () {
  this.timeout(180_000);
  let cluster: TestCluster & { sandbox?: SandboxHandle };
  let client: ClientEnv;
  let repo: LoopbackServer;
  let github: LoopbackServer;

  before(async () => {
    cluster = await startE2eCluster({ installs: ['gloo-edge@1.16.27'], k8sVersion: '1.29.14' });
    client = new ClientEnv(cluster.kubeconfig);
    const chart = (version: string, crdVersions: string[]) => ({
      name: 'gloo',
      version,
      file: `charts/gloo-${version}.tgz`,
      data: aChart()
        .named('gloo', version)
        .withCrdFile('gateway.yaml', [gatewayCrd(crdVersions)])
        .build(),
    });
    repo = await startChartRepository([chart('1.16.27', ['v1']), chart('1.17.0', ['v2'])]);
    github = await startGitHubEmulator({
      'solo-io/gloo@v1.17.0': { 'install/helm/gloo/crds/gateway.yaml': yaml.dump(gatewayCrd(['v1', 'v2'])) },
    });
    realHelmOnPath(client);
  });
  after(async () => {
    client?.dispose();
    await repo?.close();
    await github?.close();
    await cluster?.close();
  });

  // The version list is a file-free loopback answer too: no step of these tests reaches the internet.
  const preflight = (args: string[]): Promise<CommandResult> =>
    client.kubectl([
      'meshpreflight',
      '--profile',
      'gloo-edge',
      '--to',
      '1.17.0',
      '--versions-from',
      `${repo.url}/index.yaml`,
      '--skip',
      'cli-version',
      '-o',
      'json',
      ...args,
    ]);

  it("fails crds-stored-versions from the repository's chart 1.17.0 (digest checked), read with --insecure-http", async () => {
    const result = await preflight(['--crds-from', repo.url, '--insecure-http']);
    assert.equal(result.exitCode, 1, result.stderr);
    const check = checkOf(parseReport(result), 'crds-stored-versions');
    assert.equal(check.status, 'fail', check.message);
    assert.match(
      check.details?.join('\n') ?? '',
      /gateways\.gateway\.solo\.io: objects stored as v1, which the target no longer serves \(serves v2\)/,
    );
    assert.ok(
      repo.requests.some((r) => r.path === '/charts/gloo-1.17.0.tgz'),
      repo.requests.map((r) => r.path).join(', '),
    );
    assert.ok(!repo.requests.some((r) => r.path === '/charts/gloo-1.16.27.tgz'), 'only the --to version is downloaded');
  });

  it('reads REPO/NAME through the real helm and the user’s helm repositories', async () => {
    expectSuccess(await client.run(helm3Path(), ['repo', 'add', 'e2e', repo.url]), 'helm repo add');
    const before = repo.requests.length;
    const result = await preflight(['--crds-from', 'e2e/gloo']);
    assert.equal(result.exitCode, 1, result.stderr);
    assert.equal(statusOf(parseReport(result), 'crds-stored-versions'), 'fail');
    assert.ok(
      repo.requests.slice(before).some((r) => r.path === '/charts/gloo-1.17.0.tgz' && /^Helm\//.test(String(r.headers['user-agent']))),
      'helm downloaded the chart',
    );
  });

  it("reads GitHub at the profile's tag and CRD path (v1.17.0, install/helm/gloo/crds), where v1 is still served", async () => {
    const result = await preflight(['--crds-from', 'github:solo-io/gloo', '--github-api-url', github.url, '--insecure-http']);
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    const check = checkOf(parseReport(result), 'crds-stored-versions');
    assert.notEqual(check.status, 'fail', check.message);
    assert.ok(
      github.requests.some((r) => r.path === '/repos/solo-io/gloo/contents/install/helm/gloo/crds?ref=v1.17.0'),
      github.requests.map((r) => r.path).join(', '),
    );
  });

  describe('a source that cannot be used: one line on stderr, the documented code, nothing on stdout', () => {
    const cases: Array<{ title: string; args: () => string[]; code: number; message: RegExp }> = [
      {
        title: 'a plain http repository without --insecure-http',
        args: () => ['--crds-from', repo.url],
        code: 2,
        message: /^error: refusing plain http source http:\/\/127\.0\.0\.1:\d+\/?: use https, or pass --insecure-http/,
      },
      {
        title: 'a chart the repository does not have',
        args: () => ['--crds-from', `${repo.url}#gloo-ee`, '--insecure-http'],
        code: 3,
        message: /^error: chart "gloo-ee" not found in http:\/\/127\.0\.0\.1:\d+\/? \(it has: gloo\)$/,
      },
      {
        title: 'a tag GitHub does not have',
        args: () => ['--crds-from', 'github:solo-io/gloo@v9.9.9', '--github-api-url', github.url, '--insecure-http'],
        code: 3,
        message: /^error: GitHub: solo-io\/gloo has no path install\/helm\/gloo\/crds at ref v9\.9\.9 \(404\)$/,
      },
      {
        title: 'a malformed github: source',
        args: () => ['--crds-from', 'github:solo-io'],
        code: 2,
        message: /^error: invalid --crds-from "github:solo-io": expected github:OWNER\/REPO\[@REF\]\[:PATH\]$/,
      },
      {
        title: '--github-api-url without a github: source',
        args: () => ['--crds-from', repo.url, '--github-api-url', github.url],
        code: 2,
        message: /^error: --github-api-url only applies with --crds-from or --versions-from github:OWNER\/REPO$/,
      },
    ];
    for (const testCase of cases) {
      it(`${testCase.title} exits ${testCase.code}`, async () => {
        const result = await preflight(testCase.args());
        assert.equal(result.exitCode, testCase.code, result.stderr);
        const lines = result.stderr
          .trim()
          .split('\n')
          .filter((l) => !/^See '.*' for /.test(l));
        assert.equal(lines.length, 1, result.stderr);
        assert.match(lines[0] ?? '', testCase.message);
        assert.equal(result.stdout, '');
      });
    }
  });
});
