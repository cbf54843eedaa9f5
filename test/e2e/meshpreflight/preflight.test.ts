/**
 * `kubectl meshpreflight` through kubectl's plugin discovery on a sandbox running Gloo Edge
 * 1.16.27 (Kubernetes 1.29, inside Gloo Edge 1.17's supported range): each check seen passing,
 * then failing after the cluster is put in the state the vendor guides warn about. Published
 * versions come from a loopback chart repository; glooctl and helm are scripts or the real helm
 * first on PATH.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SandboxHandle } from '../../../sandbox/index.js';
import { decodeHelmReleaseSecret, encodeHelmReleaseSecret } from '../../../sandbox/products/helm-release.js';
import { ClientEnv, expectSuccess, type CommandResult, type TestCluster } from '../../support/cluster.js';
import { requireSandbox, startE2eCluster } from '../../support/target.js';
import {
  checkOf,
  fakeGlooctl,
  lineOf,
  parseReport,
  putScript,
  realHelmOnPath,
  serveChartIndex,
  statusOf,
  type ChartRepository,
} from './support.js';

describe('kubectl meshpreflight before a Gloo Edge 1.16.27 → 1.17 upgrade', function () {
  this.timeout(180_000);
  let cluster: TestCluster & { sandbox?: SandboxHandle };
  let client: ClientEnv;
  let repo: ChartRepository;
  let scratch: string;

  before(async function () {
    cluster = await startE2eCluster({ installs: ['gloo-edge@1.16.27'], k8sVersion: '1.29.14' });
    requireSandbox(this, cluster, 'a Gloo Edge 1.16.27 install it may break on purpose');
    client = new ClientEnv(cluster.kubeconfig);
    repo = await serveChartIndex({
      gloo: [
        { version: '1.16.27' },
        { version: '1.16.30' },
        { version: '1.17.0-beta10' },
        { version: '1.17.0' },
        { version: '1.17.1' },
        { version: '1.18.0' },
      ],
    });
    fakeGlooctl(client, '1.17.0');
    realHelmOnPath(client);
    scratch = mkdtempSync(join(tmpdir(), 'meshpreflight-e2e-'));
  });
  after(async () => {
    client?.dispose();
    await repo?.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
    await cluster?.close();
  });

  const preflight = (args: string[] = [], to = '1.17.0'): Promise<CommandResult> =>
    client.kubectl(['meshpreflight', '--profile', 'gloo-edge', '--to', to, '--versions-from', repo.url, ...args]);

  it('passes a ready cluster with warnings, and plans 1.16.27 → 1.16.30 → 1.17.0 with the CLI and CRD step of each hop', async () => {
    const result = await preflight();
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    for (const id of [
      'product-installed',
      'control-plane-available',
      'version-consistency',
      'cli-version',
      'version-list',
      'kubernetes-version',
      'helm-client',
      'helm-tiller',
      'helm-release',
      'certgen-job',
      'gateway-proxy-probes',
      'rbac-crds',
      'rbac-cluster-roles',
      'crds-established',
    ]) {
      assert.match(lineOf(result.stdout, id), /^√ /, id);
    }
    assert.match(
      lineOf(result.stdout, 'latest-patch'),
      /^‼ \[latest-patch\] 1\.16\.27 is not the latest patch of 1\.16: upgrade to 1\.16\.30 first/,
    );
    assert.match(lineOf(result.stdout, 'kubernetes-version'), /v1\.29\.14 is within >=1\.25\.0-0 <1\.30\.0-0/);
    assert.match(
      result.stdout,
      /1\. 1\.16\.27 → 1\.16\.30 \(patch\)\n {3}CLI: {2}glooctl 1\.16\.x\n {3}CRDs: helm crdsync --version 1\.16\.30 -n gloo-system\n2\. 1\.16\.30 → 1\.17\.0 \(minor\)/,
    );
    assert.match(result.stdout, /Result: passed-with-warnings/);
    assert.equal(repo.requests > 0, true, 'the list came from the loopback repository');
  });

  it('prints the same result as JSON and YAML, and --strict turns the warnings into exit 1 in every mode', async () => {
    const json = await preflight(['-o', 'json']);
    assert.equal(json.exitCode, 0, json.stderr);
    const report = parseReport(json);
    assert.equal(report.kind, 'PreflightReport');
    assert.equal(report.result, 'passed-with-warnings');
    assert.equal(report.installed.version, '1.16.27');
    assert.deepEqual(
      report.plan?.hops.map((h) => `${h.from}->${h.to}`),
      ['1.16.27->1.16.30', '1.16.30->1.17.0'],
    );
    const yamlOut = await preflight(['-o', 'yaml']);
    assert.equal(yamlOut.exitCode, 0, yamlOut.stderr);
    assert.match(yamlOut.stdout, /^apiVersion: meshpreflight\.mesh-upgrade\.io\/v1alpha1\nkind: PreflightReport\n/);
    for (const output of ['table', 'json', 'yaml']) {
      const strict = await preflight(['--strict', '-o', output]);
      assert.equal(strict.exitCode, 1, `${output}: ${strict.stderr}`);
      assert.match(strict.stderr, /warning\(s\) with --strict/);
    }
  });

  it('fails when glooctl is on another minor than the target, naming the glooctl upgrade to run, in table and JSON alike', async () => {
    const cli = putScript(client, 'glooctl-old', `echo '{"client":{"version":"1.16.0"},"server":[]}'`);
    const table = await preflight(['--cli', cli]);
    assert.equal(table.exitCode, 1);
    assert.match(lineOf(table.stdout, 'cli-version'), /^× \[cli-version\] glooctl 1\.16\.0 .* does not match the target 1\.17/);
    assert.match(table.stdout, /hint: glooctl upgrade --release v1\.17\.x/);
    const json = await preflight(['--cli', cli, '-o', 'json']);
    assert.equal(json.exitCode, 1);
    assert.equal(statusOf(parseReport(json), 'cli-version'), 'fail');
    // The same minor, another patch: a warning only.
    const patch = await preflight([
      '--cli',
      putScript(client, 'glooctl-patch', `echo '{"client":{"version":"1.17.1"},"server":[]}'`),
      '-o',
      'json',
    ]);
    assert.equal(statusOf(parseReport(patch), 'cli-version'), 'warn');
  });

  it('warns, and still plans with unresolved hops, when the version list cannot be had', async () => {
    const gone = `${repo.url}/gone/index.yaml`;
    const result = await client.kubectl([
      'meshpreflight',
      '--profile',
      'gloo-edge',
      '--to',
      '1.18.0',
      '--versions-from',
      gone,
      '--skip',
      'cli-version',
    ]);
    assert.equal(result.exitCode, 0, result.stderr + result.stdout);
    assert.ok(result.stderr.includes(`Warning: cannot list the versions from ${gone}: HTTP 404 Not Found\n`), result.stderr);
    assert.match(lineOf(result.stdout, 'version-list'), /^‼ /);
    assert.match(result.stdout, /1\. 1\.16\.27 → 1\.17\.x \(minor\)\n[\s\S]*2\. 1\.17\.x → 1\.18\.0 \(minor\)/);
  });

  it('refuses a downgrade and an unpublished target', async () => {
    const down = await preflight([], '1.16.20');
    assert.equal(down.exitCode, 1);
    assert.match(
      lineOf(down.stdout, 'upgrade-path'),
      /^× \[upgrade-path\] 1\.16\.20 is older than the installed 1\.16\.27: downgrades are not supported/,
    );
    const missing = await preflight([], '1.17.9');
    assert.equal(missing.exitCode, 1);
    assert.match(lineOf(missing.stdout, 'upgrade-path'), /1\.17\.9 is not in the version list/);
  });

  it('warns that the Kubernetes range is unknown for a target the profile has no data for', async () => {
    const result = await preflight(['-o', 'json'], '1.18.0');
    const check = checkOf(parseReport(result), 'kubernetes-version');
    assert.equal(check.status, 'warn');
    assert.match(check.message, /supported range of Gloo Edge 1\.18\.0 is unknown/);
  });

  it('fails Helm 2 on PATH and --skip reports a skipped check as skipped', async () => {
    const helm2 = new ClientEnv(cluster.kubeconfig);
    try {
      putScript(helm2, 'helm', 'echo "Client: v2.17.0+ga690bad"');
      putScript(helm2, 'glooctl', `echo '{"client":{"version":"1.17.0"}}'`);
      const args = ['meshpreflight', '--profile', 'gloo-edge', '--to', '1.17.0', '--versions-from', repo.url];
      const result = await helm2.kubectl(args);
      assert.equal(result.exitCode, 1);
      assert.match(lineOf(result.stdout, 'helm-client'), /^× \[helm-client\] helm v2\.17\.0\+ga690bad is Helm 2/);
      const skipped = await helm2.kubectl([...args, '--skip', 'helm-client']);
      assert.equal(skipped.exitCode, 0, skipped.stdout);
      assert.match(lineOf(skipped.stdout, 'helm-client'), /^- \[helm-client\] skipped with --skip/);
    } finally {
      helm2.dispose();
    }
  });

  it('fails RBAC for a user who may not create CRDs and cluster roles, with the namespaced-RBAC hint', async () => {
    const result = await preflight(['--context', 'sandbox-restricted', '-n', 'gloo-system']);
    assert.equal(result.exitCode, 1, result.stderr);
    assert.match(
      lineOf(result.stdout, 'rbac-crds'),
      /^× \[rbac-crds\] you may not create customresourcedefinitions, update customresourcedefinitions/,
    );
    assert.match(
      lineOf(result.stdout, 'rbac-cluster-roles'),
      /^× \[rbac-cluster-roles\] you may not create clusterroles, create clusterrolebindings/,
    );
    assert.match(result.stdout, /global\.glooRbac\.namespaced=true/);
  });

  it('compares stored versions with the target CRDs from --crds-from', async () => {
    const crd = (served: string[]) => ({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gateways.gateway.solo.io' },
      spec: {
        group: 'gateway.solo.io',
        names: { kind: 'Gateway', plural: 'gateways' },
        scope: 'Namespaced',
        versions: served.map((name) => ({ name, served: true, storage: true })),
      },
    });
    writeFileSync(join(scratch, 'drops-v1.yaml'), JSON.stringify(crd(['v2'])));
    const dropped = await preflight(['--crds-from', join(scratch, 'drops-v1.yaml'), '-o', 'json']);
    assert.equal(dropped.exitCode, 1);
    const check = checkOf(parseReport(dropped), 'crds-stored-versions');
    assert.equal(check.status, 'fail');
    assert.match(
      check.details?.join('\n') ?? '',
      /gateways\.gateway\.solo\.io: objects stored as v1, which the target no longer serves \(serves v2\)/,
    );
    writeFileSync(join(scratch, 'drops-v1.yaml'), JSON.stringify(crd(['v1'])));
    const kept = await preflight(['--crds-from', join(scratch, 'drops-v1.yaml'), '-o', 'json']);
    assert.notEqual(statusOf(parseReport(kept), 'crds-stored-versions'), 'fail');
  });

  describe('bad input: one line on stderr (plus the usage hint), the documented code, no stack trace', () => {
    const cases: Array<{ title: string; args: () => string[]; code: number; message: RegExp }> = [
      {
        title: 'an unknown profile',
        args: () => ['--profile', 'istio', '--to', '1.0.0'],
        code: 2,
        message: /^error: unknown profile "istio": known profiles are gloo-mesh, gloo-edge, nginx-service-mesh$/,
      },
      {
        title: 'an invalid --to',
        args: () => ['--profile', 'gloo-edge', '--to', 'banana'],
        code: 2,
        message: /^error: invalid --to "banana"/,
      },
      { title: 'no --to', args: () => ['--profile', 'gloo-edge'], code: 2, message: /^error: --to VERSION is required/ },
      {
        title: 'an unknown --skip id',
        args: () => ['--profile', 'gloo-edge', '--to', '1.17.0', '--skip', 'nope'],
        code: 2,
        message: /^error: unknown check "nope" for --skip/,
      },
      {
        title: 'a --request-timeout past its range (Node would print timer overflow warnings)',
        args: () => ['--profile', 'gloo-edge', '--to', '1.17.0', '--request-timeout', '9999999h'],
        code: 2,
        message: /^error: invalid argument "9999999h" for "--request-timeout" flag: must be between 0 and 24h$/,
      },
      {
        // The version list is fetched while the cluster is read: its warning must not come first.
        title: 'an unknown --context',
        args: () => ['--profile', 'gloo-edge', '--to', '1.17.0', '--context', 'bogus'],
        code: 4,
        message: /^error: context "bogus" does not exist in KUBECONFIG=/,
      },
      {
        title: 'an unreadable versions file',
        args: () => ['--profile', 'gloo-edge', '--to', '1.17.0', '--versions-from', '/nonexistent/versions.txt'],
        code: 3,
        message: /\/nonexistent\/versions\.txt.*no such file/,
      },
      {
        title: 'a versions file with garbage',
        args: () => ['--profile', 'gloo-edge', '--to', '1.17.0', '--versions-from', join(scratch, 'garbage.txt')],
        code: 3,
        message: /garbage\.txt.*line 1: "not a version at all" is not a version/,
      },
      {
        title: 'a --cli that is not executable',
        args: () => ['--profile', 'gloo-edge', '--to', '1.17.0', '--cli', join(scratch, 'garbage.txt')],
        code: 2,
        message: /^error: --cli .*garbage\.txt: not an executable file$/,
      },
      {
        title: 'a --cli that prints garbage',
        args: () => ['--profile', 'gloo-edge', '--to', '1.17.0', '--cli', join(scratch, 'garbage.sh')],
        code: 3,
        message: /^error: --cli .*garbage\.sh: `glooctl version -o json` printed no glooctl version \(exit 0: hello\)$/,
      },
    ];
    before(() => {
      writeFileSync(join(scratch, 'garbage.txt'), 'not a version at all\n');
      writeFileSync(join(scratch, 'garbage.sh'), '#!/bin/sh\necho hello\n', { mode: 0o755 });
    });
    for (const testCase of cases) {
      it(`${testCase.title} exits ${testCase.code}`, async () => {
        for (const output of ['table', 'json']) {
          const result = await client.kubectl(['meshpreflight', ...testCase.args(), '-o', output]);
          assert.equal(result.exitCode, testCase.code, result.stderr);
          const lines = result.stderr
            .trim()
            .split('\n')
            .filter((l) => !/^See '.*' for /.test(l));
          assert.equal(lines.length, 1, result.stderr);
          assert.match(lines[0] ?? '', testCase.message);
          assert.doesNotMatch(result.stderr, /\n\s+at /);
          assert.equal(result.stdout, '');
        }
      });
    }
  });

  describe('after breaking the cluster the way the vendor guides warn about', () => {
    it('fails on Helm 2 (Tiller) release records', async () => {
      expectSuccess(await client.kubectl(['-n', 'kube-system', 'create', 'configmap', 'gloo.v1', '--from-literal=release=x']), 'create');
      expectSuccess(
        await client.kubectl(['-n', 'kube-system', 'label', 'configmap', 'gloo.v1', 'OWNER=TILLER', 'NAME=gloo', 'STATUS=DEPLOYED']),
        'label',
      );
      const result = await preflight();
      assert.equal(result.exitCode, 1);
      assert.match(lineOf(result.stdout, 'helm-tiller'), /^× \[helm-tiller\] 1 Helm 2 \(Tiller\) release record\(s\) remain/);
      expectSuccess(await client.kubectl(['-n', 'kube-system', 'delete', 'configmap', 'gloo.v1']), 'delete');
    });

    it('warns about a gateway proxy without probes (and fails under --strict)', async () => {
      expectSuccess(
        await client.kubectl([
          '-n',
          'gloo-system',
          'patch',
          'deployment',
          'gateway-proxy',
          '--type',
          'json',
          '-p',
          '[{"op":"remove","path":"/spec/template/spec/containers/0/readinessProbe"}]',
        ]),
        'remove probe',
      );
      const result = await preflight();
      assert.match(
        lineOf(result.stdout, 'gateway-proxy-probes'),
        /^‼ \[gateway-proxy-probes\] .*deployment\/gateway-proxy container gateway-proxy: no readinessProbe/,
      );
      assert.match(result.stdout, /--set gatewayProxies\.gatewayProxy\.podTemplate\.probes=true/);
      const strict = await preflight(['--strict', '--skip', 'latest-patch,version-notes']);
      assert.equal(strict.exitCode, 1);
    });

    it('fails on a completed gateway-certgen Job that helm upgrade would have to patch', async () => {
      expectSuccess(await client.kubectl(['-n', 'gloo-system', 'delete', 'job', 'gateway-certgen']), 'delete hook job');
      const job = {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: { name: 'gateway-certgen', namespace: 'gloo-system', labels: { app: 'gloo', gloo: 'gateway-certgen' } },
        spec: {
          ttlSecondsAfterFinished: 60,
          template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'certgen', image: 'quay.io/solo-io/certgen:1.16.27' }] } },
        },
      };
      expectSuccess(await client.kubectl(['apply', '-f', '-'], { input: JSON.stringify(job) }), 'apply plain job');
      expectSuccess(
        await client.kubectl(['-n', 'gloo-system', 'wait', '--for=condition=complete', 'job/gateway-certgen', '--timeout=60s']),
        'wait',
      );
      const result = await preflight();
      assert.equal(result.exitCode, 1);
      assert.match(
        lineOf(result.stdout, 'certgen-job'),
        /^× \[certgen-job\] completed Job gateway-certgen would break helm upgrade .*ttlSecondsAfterFinished=60 was not honoured/,
      );
      assert.match(result.stdout, /hint: kubectl -n gloo-system delete job gateway-certgen/);
    });

    it('fails on a release stuck in pending-upgrade, naming the rollback', async () => {
      const current = JSON.parse(
        expectSuccess(
          await client.kubectl(['-n', 'gloo-system', 'get', 'secret', 'sh.helm.release.v1.gloo.v1', '-o', 'json']),
          'get release',
        ).stdout,
      );
      const release = decodeHelmReleaseSecret(current);
      const pending = encodeHelmReleaseSecret({
        ...release,
        version: 2,
        info: { ...release.info, status: 'pending-upgrade', description: 'Preparing upgrade' },
      });
      expectSuccess(await client.kubectl(['create', '-f', '-'], { input: JSON.stringify(pending) }), 'create pending release');
      const result = await preflight();
      assert.equal(result.exitCode, 1);
      assert.match(lineOf(result.stdout, 'helm-release'), /^× \[helm-release\] release gloo revision 2 is stuck in pending-upgrade/);
      assert.match(result.stdout, /hint: helm rollback gloo 1 -n gloo-system/);
      expectSuccess(
        await client.kubectl(['-n', 'gloo-system', 'delete', 'secret', 'sh.helm.release.v1.gloo.v2']),
        'delete pending release',
      );
    });

    it('warns when control-plane images run different versions (a kubectl set image, a half-done rollout)', async () => {
      expectSuccess(
        await client.kubectl(['-n', 'gloo-system', 'set', 'image', 'deployment/discovery', 'discovery=quay.io/solo-io/discovery:1.16.20']),
        'set image',
      );
      const result = await preflight(['-o', 'json']);
      const check = checkOf(parseReport(result), 'version-consistency');
      assert.equal(check.status, 'warn');
      assert.match(check.message, /control-plane images run 2 versions: 1\.16\.20, 1\.16\.27/);
      assert.ok(check.details?.includes('deployment/discovery quay.io/solo-io/discovery:1.16.20'), check.details?.join('\n'));
    });

    it('fails when the control plane is scaled down, and when the product is not in the namespace', async () => {
      expectSuccess(await client.kubectl(['-n', 'gloo-system', 'scale', 'deployment/gloo', '--replicas=0']), 'scale');
      const result = await preflight(['-o', 'json']);
      assert.equal(result.exitCode, 1);
      assert.match(checkOf(parseReport(result), 'control-plane-available').message, /deployment\/gloo: scaled to 0/);
      const elsewhere = await preflight(['-n', 'default']);
      assert.equal(elsewhere.exitCode, 1);
      assert.match(
        lineOf(elsewhere.stdout, 'product-installed'),
        /^× \[product-installed\] Gloo Edge is not installed in namespace default/,
      );
    });
  });
});

describe('kubectl meshpreflight on a Kubernetes outside the target range', function () {
  this.timeout(120_000);
  let cluster: TestCluster & { sandbox?: SandboxHandle };
  let client: ClientEnv;

  before(async function () {
    cluster = await startE2eCluster({ installs: ['gloo-edge@1.16.27'], k8sVersion: '1.33.1' });
    requireSandbox(this, cluster, 'a server that reports Kubernetes 1.33');
    client = new ClientEnv(cluster.kubeconfig);
  });
  after(async () => {
    client?.dispose();
    await cluster?.close();
  });

  it('fails kubernetes-version for Gloo Edge 1.17 on Kubernetes 1.33, naming the range and its source', async () => {
    const result = await client.kubectl([
      'meshpreflight',
      '--profile',
      'gloo-edge',
      '--to',
      '1.17.0',
      '--versions-from',
      'http://127.0.0.1:9/',
      '--skip',
      'cli-version',
    ]);
    assert.equal(result.exitCode, 1);
    assert.match(
      lineOf(result.stdout, 'kubernetes-version'),
      /^× \[kubernetes-version\] Kubernetes v1\.33\.1 is outside Gloo Edge 1\.17\.0's supported range >=1\.25\.0-0 <1\.30\.0-0 \(Gloo Edge support matrix\)/,
    );
  });
});
