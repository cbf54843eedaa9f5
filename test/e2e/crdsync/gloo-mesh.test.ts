import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { SandboxHandle } from '../../../sandbox/index.js';
import { ClientEnv, expectSuccess, type CommandResult, type TestCluster } from '../../support/cluster.js';
import { requireSandbox, startE2eCluster } from '../../support/target.js';
import { ensureHelm4, helm3Path } from '../../support/tools.js';
import { requireVendorFixtures } from '../../support/vendor.js';
import { aChart } from '../../fixtures/chart-builder.js';
import { startChartRepository, type LoopbackServer } from '../../../demo/charts/repository.js';
import { installCrdsyncPlugin, startGitHubEmulator, vendorChart, vendorCrdFiles, type HelmHome } from './support.js';

/** The two CRDs Gloo Mesh 0.11.3 adds (Enterprise groups) over 0.10.7. */
const addedIn0113 = [
  'wasmdeployments.networking.enterprise.mesh.gloo.solo.io',
  'roles.rbac.enterprise.mesh.gloo.solo.io',
  'rolebindings.rbac.enterprise.mesh.gloo.solo.io',
];

interface PlanDocument {
  crds: Array<{ name: string; action: string; convertedFrom?: string; changes: Array<{ severity: string }> }>;
  applied: string[];
  backupFile?: string;
  error?: { message: string; exitCode: number };
}

/** crdWrites are the CRD writes (not dry-run) the sandbox saw. */
function crdWrites(sandbox: SandboxHandle | undefined): number {
  if (!sandbox) return 0;
  return sandbox.audit
    .entries()
    .filter(
      (e) =>
        /customresourcedefinitions/.test(e.path) && ['create', 'patch', 'update', 'delete'].includes(e.verb) && !/dryRun=All/.test(e.query),
    ).length;
}

for (const helmMajor of [3, 4] as const) {
  describe(`helm ${helmMajor} crdsync: Gloo Mesh 0.10.7 → 0.11.3 on a 1.33 server (v1beta1 CRDs converted)`, function () {
    this.timeout(240_000);
    let cluster: TestCluster & { sandbox?: SandboxHandle };
    let client: ClientEnv;
    let home: HelmHome;
    let repo: LoopbackServer;
    let github: LoopbackServer;
    let helm: string;
    let localOlder = '';

    before(async function () {
      const fixtures = requireVendorFixtures(this);
      const v0107 = vendorCrdFiles(fixtures, 'gloo-mesh', 'v0.10.7');
      const v0113 = vendorCrdFiles(fixtures, 'gloo-mesh', 'v0.11.3');
      const good = vendorChart('gloo-mesh', '0.11.3', v0113);
      const older = vendorChart('gloo-mesh', '0.10.0', v0107);
      localOlder = join(mkdtempSync(join(tmpdir(), 'crdsync-local-')), 'gloo-mesh-0.10.0.tgz');
      writeFileSync(localOlder, older.data);
      repo = await startChartRepository([
        older,
        vendorChart('gloo-mesh', '0.10.7', v0107),
        good,
        // Published with another chart's digest: a tampered or corrupt download.
        { ...vendorChart('gloo-mesh', '0.11.4', v0113), digest: 'f'.repeat(64) },
        // A zip-slip member next to the real crds/.
        {
          name: 'gloo-mesh',
          version: '0.11.5',
          file: 'charts/gloo-mesh-0.11.5.tgz',
          data: aChart()
            .named('gloo-mesh', '0.11.5')
            .withCrdFile('a.yaml', Object.values(v0113)[0] as string)
            .withMember({ name: 'gloo-mesh/crds/../../../../tmp/evil.yaml', content: 'pwned' })
            .build(),
        },
      ]);
      const tree: Record<string, string> = {};
      for (const [file, text] of Object.entries(v0113)) tree[`install/helm/gloo-mesh/crds/${file}`] = text;
      const olderTree: Record<string, string> = {};
      for (const [file, text] of Object.entries(v0107)) olderTree[`install/helm/gloo-mesh/crds/${file}`] = text;
      github = await startGitHubEmulator(
        { 'solo-io/gloo-mesh@v0.11.3': tree, 'solo-io/gloo-mesh@v0.10.0': olderTree },
        { rateLimitedWithoutToken: helmMajor === 4 },
      );
      cluster = await startE2eCluster({ installs: ['gloo-mesh@0.10.7'] });
      client = new ClientEnv(cluster.kubeconfig);
      helm = helmMajor === 3 ? helm3Path() : await ensureHelm4();
      home = await installCrdsyncPlugin(helm);
    });
    after(async () => {
      home?.dispose();
      client?.dispose();
      await repo?.close();
      await github?.close();
      await cluster?.close();
      if (localOlder) rmSync(dirname(localOlder), { recursive: true, force: true });
    });

    const crdsync = (args: string[], env: Record<string, string> = {}): Promise<CommandResult> =>
      client.run(helm, ['crdsync', ...args], { env: { ...home.env, ...env } });

    it('plans with --dry-run (client): converted CRDs, the ones 0.11.3 adds, and writes nothing', async () => {
      const writes = crdWrites(cluster.sandbox);
      const result = expectSuccess(
        await crdsync(['--version', '0.11.3', '--repo', repo.url, '--insecure-http', '--dry-run', '-o', 'json']),
        'crdsync --dry-run',
      );
      const plan = JSON.parse(result.stdout) as PlanDocument;
      assert.deepEqual(plan.applied, []);
      assert.ok(plan.crds.length >= 10, `${plan.crds.length} CRDs`);
      assert.ok(plan.crds.every((crd) => crd.convertedFrom === 'apiextensions.k8s.io/v1beta1'));
      for (const name of addedIn0113) assert.equal(plan.crds.find((crd) => crd.name === name)?.action, 'create', name);
      assert.match(result.stderr, /Using release gloo-mesh in namespace gloo-mesh \(chart gloo-mesh 0\.10\.7\)/);
      assert.match(result.stderr, /Converted \d+ apiextensions\.k8s\.io\/v1beta1 CRD\(s\) to v1/);
      assert.equal(crdWrites(cluster.sandbox), writes, 'no CRD written');
      const missing = await client.kubectl(['get', 'crd', addedIn0113[0] as string]);
      assert.notEqual(missing.exitCode, 0);
    });

    if (helmMajor === 3) {
      it('syncs from the chart repository: saves the live CRDs 0600, applies, waits, and a second run has nothing to do', async () => {
        const result = expectSuccess(await crdsync(['--version', '0.11.3', '--repo', repo.url, '--insecure-http']), 'crdsync');
        assert.match(result.stdout, /^NAME\s+ACTION\s+CHANGES\s+BREAKING\s+OBJECTS\s+NOTES/m);
        assert.match(result.stdout, /wasmdeployments\.networking\.enterprise\.mesh\.gloo\.solo\.io\s+created/);
        const backup = /Saved the previous CRDs to (\S+);/.exec(result.stderr)?.[1];
        if (result.stdout.includes('configured')) {
          assert.ok(backup, result.stderr);
          assert.equal(statSync(backup).mode & 0o777, 0o600);
        }
        for (const name of addedIn0113) {
          expectSuccess(await client.kubectl(['wait', '--for=condition=Established', '--timeout=5s', `crd/${name}`]), `wait ${name}`);
        }
        // Where each CRD came from is on the CRD itself, and named under the plan.
        const source = /^chart gloo-mesh 0\.11\.3 from http:\/\/127\.0\.0\.1:\d+\/charts\/gloo-mesh-0\.11\.3\.tgz \(sha256 [0-9a-f]{64}\)$/;
        const annotated = JSON.parse(
          expectSuccess(await client.kubectl(['get', 'crd', addedIn0113[0] as string, '-o', 'json']), 'get crd').stdout,
        ) as { metadata: { annotations?: Record<string, string> } };
        assert.match(annotated.metadata.annotations?.['crdsync.mesh-upgrade.io/source'] ?? '', source);
        assert.match(
          result.stdout,
          /^Source \(annotated on each CRD as crdsync\.mesh-upgrade\.io\/source\): chart gloo-mesh 0\.11\.3 from /m,
        );
        const again = await crdsync(['--version', '0.11.3', '--repo', repo.url, '--insecure-http', '--detailed-exitcode', '-o', 'json']);
        assert.equal(again.exitCode, 0, again.stderr);
        assert.ok((JSON.parse(again.stdout) as PlanDocument).crds.every((crd) => crd.action === 'unchanged'));
      });
    } else {
      it('says to set GITHUB_TOKEN on a rate limit, then syncs from the GitHub tag with the token', async () => {
        const limited = await crdsync([
          '--github',
          'solo-io/gloo-mesh',
          '--version',
          '0.11.3',
          '--github-api-url',
          github.url,
          '--insecure-http',
        ]);
        assert.equal(limited.exitCode, 3, limited.stderr);
        assert.match(limited.stderr, /rate limit exceeded.*set GITHUB_TOKEN/);
        const result = expectSuccess(
          await crdsync(['--github', 'solo-io/gloo-mesh', '--version', '0.11.3', '--github-api-url', github.url, '--insecure-http'], {
            GITHUB_TOKEN: 'ghp_e2e_secret',
          }),
          'crdsync --github',
        );
        assert.doesNotMatch(result.stdout + result.stderr, /ghp_e2e_secret/);
        assert.match(result.stdout, /rolebindings\.rbac\.enterprise\.mesh\.gloo\.solo\.io\s+created/);
        const annotated = JSON.parse(
          expectSuccess(await client.kubectl(['get', 'crd', 'rolebindings.rbac.enterprise.mesh.gloo.solo.io', '-o', 'json']), 'get crd')
            .stdout,
        ) as { metadata: { annotations?: Record<string, string> } };
        assert.equal(
          annotated.metadata.annotations?.['crdsync.mesh-upgrade.io/source'],
          'github solo-io/gloo-mesh@v0.11.3:install/helm/gloo-mesh/crds',
        );
        assert.ok(github.requests.some((r) => r.path.includes('/contents/install/helm/gloo-mesh/crds?ref=v0.11.3')));
        expectSuccess(await client.kubectl(['get', 'crd', ...addedIn0113]), 'get crds');
      });
    }

    const refusals: Array<[string, string[], number, RegExp]> = [
      [
        'a chart version lower than the installed one',
        ['--version', '0.10.0', '--repo', '%REPO%', '--insecure-http'],
        9,
        /refusing to sync CRDs of 0\.10\.0, lower than the installed 0\.10\.7.*--allow-downgrade/,
      ],
      [
        'a CHART (with --repo) lower than the installed release of its product, found without --release',
        ['gloo-mesh', '--repo', '%REPO%', '--version', '0.10.0', '--insecure-http'],
        9,
        /Installed: release gloo-mesh in namespace gloo-mesh \(chart gloo-mesh 0\.10\.7\)\n[^]*refusing to sync CRDs of 0\.10\.0, lower than the installed 0\.10\.7.*--allow-downgrade/,
      ],
      [
        'a local chart archive lower than the installed release of its product, found by its chart name',
        ['%LOCAL%'],
        9,
        /refusing to sync CRDs of 0\.10\.0, lower than the installed 0\.10\.7.*--allow-downgrade/,
      ],
      [
        "a GitHub tag (--version) lower than the installed release of the profile's chart",
        ['--github', 'solo-io/gloo-mesh', '--version', '0.10.0', '--github-api-url', '%GITHUB%', '--insecure-http'],
        9,
        /Installed: release gloo-mesh in namespace gloo-mesh \(chart gloo-mesh 0\.10\.7\)\n[^]*refusing to sync CRDs of 0\.10\.0, lower than the installed 0\.10\.7.*--allow-downgrade/,
      ],
      [
        'a GitHub --ref that reads as a version lower than the installed one',
        ['--github', 'solo-io/gloo-mesh', '--ref', 'v0.10.0', '--github-api-url', '%GITHUB%', '--insecure-http'],
        9,
        /refusing to sync CRDs of v0\.10\.0, lower than the installed 0\.10\.7.*--allow-downgrade/,
      ],
      [
        'an unknown chart version, naming the nearest',
        ['--version', '0.11.9', '--repo', '%REPO%', '--insecure-http'],
        3,
        /version 0\.11\.9 not found .*nearest available: .*0\.11\.5/,
      ],
      [
        'a chart that does not match its digest',
        ['--version', '0.11.4', '--repo', '%REPO%', '--insecure-http'],
        3,
        /does not match its digest/,
      ],
      ['a chart with a ".." member (zip-slip)', ['--version', '0.11.5', '--repo', '%REPO%', '--insecure-http'], 3, /has a "\.\." path/],
      ['a plain http repository without --insecure-http', ['--version', '0.11.3', '--repo', '%REPO%'], 2, /--insecure-http/],
      ['an invalid version string', ['--version', 'one.two'], 2, /invalid --version "one\.two"/],
      [
        'a GitHub tag that does not exist',
        ['--github', 'solo-io/gloo-mesh', '--ref', 'v9.9.9', '--path', 'x', '--github-api-url', '%GITHUB%', '--insecure-http'],
        3,
        /has no path x at ref v9\.9\.9 \(404\)/,
      ],
      [
        'an unreachable repository',
        ['--version', '0.11.3', '--repo', 'http://127.0.0.1:9/charts', '--insecure-http'],
        3,
        /cannot reach http:\/\/127\.0\.0\.1:9\/charts\/index\.yaml/,
      ],
    ];
    for (const [what, args, code, message] of refusals) {
      it(`refuses ${what}: one line on stderr, exit ${code}, nothing applied`, async () => {
        const writes = crdWrites(cluster.sandbox);
        const result = await crdsync(
          args.map((arg) => arg.replace('%REPO%', repo.url).replace('%GITHUB%', github.url).replace('%LOCAL%', localOlder)),
          { GITHUB_TOKEN: 'ghp_e2e_secret' },
        );
        assert.equal(result.exitCode, code, result.stderr);
        assert.match(result.stderr, message);
        const lines = result.stderr
          .split('\n')
          .filter(
            (line) =>
              line.trim() !== '' &&
              !/^(Using|Converted|Comparing|Pulling|Reading|Installed:) /.test(line) &&
              !/^Error: plugin "crdsync" exited with error/.test(line) &&
              !/^See 'helm crdsync (-h|--help)'/.test(line),
          );
        assert.equal(lines.length, 1, `one line: ${result.stderr}`);
        assert.doesNotMatch(result.stderr, /ghp_e2e_secret|\n\s+at /);
        assert.equal(crdWrites(cluster.sandbox), writes, 'no CRD written');
      });
    }
  });
}

describe('helm 3 crdsync: Gloo Mesh 0.11.3 CRDs on a 1.21 server (v1beta1 still served: applied as they are)', function () {
  this.timeout(240_000);
  let cluster: TestCluster & { sandbox?: SandboxHandle };
  let client: ClientEnv;
  let home: HelmHome;
  let repo: LoopbackServer;
  let helm: string;

  before(async function () {
    const fixtures = requireVendorFixtures(this);
    repo = await startChartRepository([vendorChart('gloo-mesh', '0.11.3', vendorCrdFiles(fixtures, 'gloo-mesh', 'v0.11.3'))]);
    cluster = await startE2eCluster({ installs: ['gloo-mesh@0.10.7'], k8sVersion: '1.21.14' });
    requireSandbox(this, cluster, 'it needs a server older than 1.22');
    client = new ClientEnv(cluster.kubeconfig);
    helm = helm3Path();
    home = await installCrdsyncPlugin(helm);
  });
  after(async () => {
    home?.dispose();
    client?.dispose();
    await repo?.close();
    await cluster?.close();
  });

  it('converts nothing and applies through apiextensions.k8s.io/v1beta1', async () => {
    const result = expectSuccess(
      await client.run(helm, ['crdsync', '--version', '0.11.3', '--repo', repo.url, '--insecure-http', '-o', 'json'], { env: home.env }),
      'crdsync on 1.21',
    );
    const plan = JSON.parse(result.stdout) as PlanDocument;
    assert.ok(
      plan.crds.every((crd) => crd.convertedFrom === undefined),
      'nothing converted',
    );
    assert.doesNotMatch(result.stderr, /Converted/);
    for (const name of addedIn0113) assert.ok(plan.applied.includes(name), name);
    const v1beta1Writes = cluster
      .sandbox!.audit.entries()
      .filter(
        (e) =>
          e.verb === 'patch' &&
          e.path.startsWith('/apis/apiextensions.k8s.io/v1beta1/customresourcedefinitions/') &&
          !/dryRun=All/.test(e.query),
      );
    assert.ok(v1beta1Writes.length >= addedIn0113.length, `${v1beta1Writes.length} v1beta1 applies`);
    const again = await client.run(helm, ['crdsync', '--version', '0.11.3', '--repo', repo.url, '--insecure-http', '--detailed-exitcode'], {
      env: home.env,
    });
    assert.equal(again.exitCode, 0, `nothing left to do: ${again.stdout}${again.stderr}`);
  });
});
