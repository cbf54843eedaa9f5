import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import type { SandboxHandle } from '../../../sandbox/index.js';
import { ClientEnv, expectSuccess, type CommandResult, type TestCluster } from '../../support/cluster.js';
import { startE2eCluster } from '../../support/target.js';
import { ensureHelm4, helm3Path } from '../../support/tools.js';
import { requireVendorFixtures } from '../../support/vendor.js';
import { aCrd } from '../../fixtures/crd-builder.js';
import { startChartRepository, type LoopbackServer } from '../../../demo/charts/repository.js';
import { installCrdsyncPlugin, vendorChart, vendorCrdFiles, type HelmHome } from './support.js';

interface PlanDocument {
  crds: Array<{ name: string; action: string; objects?: number; jsonBytes: number; changes: Array<{ severity: string; kind: string }> }>;
  kept: string[];
  applied: string[];
}

describe('helm 4 crdsync: Gloo Edge 1.16.27 → 1.17.0 (large CRDs) with custom resources present', function () {
  this.timeout(240_000);
  let cluster: TestCluster & { sandbox?: SandboxHandle };
  let client: ClientEnv;
  let home: HelmHome;
  let repo: LoopbackServer;
  let helm: string;

  before(async function () {
    const fixtures = requireVendorFixtures(this);
    repo = await startChartRepository([
      vendorChart('gloo', '1.16.27', vendorCrdFiles(fixtures, 'gloo', 'v1.16.27')),
      vendorChart('gloo', '1.17.0', vendorCrdFiles(fixtures, 'gloo', 'v1.17.0')),
    ]);
    cluster = await startE2eCluster({ installs: ['gloo-edge@1.16.27'] });
    client = new ClientEnv(cluster.kubeconfig);
    helm = await ensureHelm4();
    home = await installCrdsyncPlugin(helm);
    // REPO/NAME goes through `$HELM_BIN pull`, so the repository is the user's own, added with helm.
    expectSuccess(await client.run(helm, ['repo', 'add', 'gloo', repo.url], { env: home.env }), 'helm repo add');
  });
  after(async () => {
    home?.dispose();
    client?.dispose();
    await repo?.close();
    await cluster?.close();
  });

  const crdsync = (args: string[]): Promise<CommandResult> => client.run(helm, ['crdsync', ...args], { env: home.env });

  it('refuses the breaking changes 1.17.0 makes to served versions without --allow-breaking, in one line', async () => {
    const result = await crdsync(['gloo/gloo', '--version', '1.17.0']);
    assert.equal(result.exitCode, 9, result.stderr);
    assert.match(
      result.stderr,
      /^error: refusing \d+ breaking change\(s\) to served versions of \d+ CRD\(s\) \(pass --allow-breaking to apply them\): .*more in the plan; nothing was applied$/m,
    );
    assert.match(result.stdout, /BREAKING\s+v1 \.spec\.configs\[\*\]\.apiKeyAuth\.skipMetadataValidation: field removed/);
    assert.match(result.stderr, /Pulling gloo\/gloo 1\.17\.0 with /);
  });

  it('plans with --dry-run=server: new CRDs created, changed ones with their object counts, every apply sent with dryRun=All', async () => {
    const result = expectSuccess(
      await crdsync(['gloo/gloo', '--version', '1.17.0', '--allow-breaking', '--dry-run=server', '-o', 'json']),
      'crdsync --dry-run=server',
    );
    const plan = JSON.parse(result.stdout) as PlanDocument;
    const byName = new Map(plan.crds.map((crd) => [crd.name, crd]));
    assert.equal(byName.get('listeneroptions.gateway.solo.io')?.action, 'create');
    assert.equal(byName.get('httplisteneroptions.gateway.solo.io')?.action, 'create');
    const virtualServices = byName.get('virtualservices.gateway.solo.io');
    assert.equal(virtualServices?.action, 'update');
    assert.ok((virtualServices?.objects ?? 0) > 0, 'the example VirtualServices are counted');
    // Counted from one object and the server's remainingItemCount: the same number kubectl lists.
    const listed = expectSuccess(await client.kubectl(['get', 'virtualservices.gateway.solo.io', '-A', '-o', 'name']), 'kubectl get');
    assert.equal(virtualServices?.objects, listed.stdout.split('\n').filter(Boolean).length);
    assert.ok((virtualServices?.jsonBytes ?? 0) > 100_000, 'a large CRD');
    assert.deepEqual(
      [...plan.applied].sort(),
      plan.crds
        .filter((crd) => crd.action !== 'unchanged')
        .map((crd) => crd.name)
        .sort(),
      'server dry-run sends every apply',
    );
    const absent = await client.kubectl(['get', 'crd', 'listeneroptions.gateway.solo.io']);
    assert.notEqual(absent.exitCode, 0, 'dryRun=All wrote nothing');
  });

  it('syncs with --allow-breaking, waits for Established, and the custom resources are still served', async () => {
    const before = expectSuccess(await client.kubectl(['get', 'virtualservices.gateway.solo.io', '-A', '-o', 'name']), 'get vs');
    const result = expectSuccess(await crdsync(['gloo/gloo', '--version', '1.17.0', '--allow-breaking', '--diff']), 'crdsync');
    assert.match(result.stdout, /listeneroptions\.gateway\.solo\.io\s+created/);
    assert.match(result.stdout, /virtualservices\.gateway\.solo\.io\s+configured/);
    assert.match(result.stdout, /^--- live\/virtualservices\.gateway\.solo\.io/m, 'the --diff of a changed CRD');
    expectSuccess(
      await client.kubectl(['wait', '--for=condition=Established', '--timeout=5s', 'crd/listeneroptions.gateway.solo.io']),
      'established',
    );
    const after = expectSuccess(await client.kubectl(['get', 'virtualservices.gateway.solo.io', '-A', '-o', 'name']), 'get vs');
    assert.equal(after.stdout, before.stdout);
    const again = await crdsync(['gloo/gloo', '--version', '1.17.0', '--detailed-exitcode']);
    assert.equal(again.exitCode, 0, `nothing left to do: ${again.stdout}`);
  });
});

describe('helm 3 crdsync: refusals and large CRDs from local charts (synthetic CRDs)', function () {
  this.timeout(240_000);
  let cluster: TestCluster & { sandbox?: SandboxHandle };
  let client: ClientEnv;
  let home: HelmHome;
  let helm: string;

  /** chartDir writes a chart directory whose crds/ holds `documents`. */
  const chartDir = (name: string, version: string, documents: unknown[] | undefined): string => {
    const dir = join(client.home, `${name}-${version}`);
    mkdirSync(join(dir, 'templates'), { recursive: true });
    writeFileSync(join(dir, 'Chart.yaml'), yaml.dump({ apiVersion: 'v2', name, version }));
    if (documents) {
      mkdirSync(join(dir, 'crds'));
      writeFileSync(join(dir, 'crds', 'crds.yaml'), documents.map((doc) => `---\n${yaml.dump(doc)}`).join(''));
    }
    return dir;
  };

  before(async () => {
    cluster = await startE2eCluster();
    client = new ClientEnv(cluster.kubeconfig);
    helm = helm3Path();
    home = await installCrdsyncPlugin(helm);
  });
  after(async () => {
    home?.dispose();
    client?.dispose();
    await cluster?.close();
  });

  const crdsync = (args: string[]): Promise<CommandResult> => client.run(helm, ['crdsync', ...args], { env: home.env });

  it('applies a CRD over 256 KiB that client-side kubectl apply refuses', async () => {
    const big = aCrd()
      .forKind('big.crdsync.test', 'Hugething')
      .withVersion('v1')
      .paddedTo(300 * 1024)
      .build();
    const dir = chartDir('big', '1.0.0', [big]);
    const refused = await client.kubectl(['apply', '-f', join(dir, 'crds', 'crds.yaml')]);
    assert.notEqual(refused.exitCode, 0);
    assert.match(refused.stderr, /Too long: (must have at most|may not be more than) 262144 bytes/);
    const result = expectSuccess(await crdsync([dir]), 'crdsync big');
    assert.match(result.stdout, /hugethings\.big\.crdsync\.test\s+create\s+.*too large for client-side apply/);
    expectSuccess(await client.kubectl(['get', 'crd', 'hugethings.big.crdsync.test']), 'get crd');
  });

  it('refuses to drop a version still in status.storedVersions, naming it and its objects (exit 9)', async () => {
    const v1alpha1 = aCrd().forKind('stored.crdsync.test', 'Widget').withVersion('v1alpha1').build();
    expectSuccess(await crdsync([chartDir('stored', '1.0.0', [v1alpha1])]), 'install v1alpha1');
    for (const name of ['a', 'b']) {
      expectSuccess(
        await client.kubectl(['apply', '-f', '-'], {
          input: JSON.stringify({
            apiVersion: 'stored.crdsync.test/v1alpha1',
            kind: 'Widget',
            metadata: { name, namespace: 'default' },
            spec: { size: 1 },
          }),
        }),
        'create widget',
      );
    }
    const v1Only = aCrd().forKind('stored.crdsync.test', 'Widget').withVersion('v1').build();
    const result = await crdsync([chartDir('stored', '2.0.0', [v1Only])]);
    assert.equal(result.exitCode, 9, result.stderr);
    assert.match(
      result.stderr,
      /refusing to drop version v1alpha1 of widgets\.stored\.crdsync\.test: it is in status\.storedVersions and 2 object\(s\) are stored in it; migrate first/,
    );
    const live = JSON.parse(
      expectSuccess(await client.kubectl(['get', 'crd', 'widgets.stored.crdsync.test', '-o', 'json']), 'get crd').stdout,
    ) as { spec: { versions: Array<{ name: string }> } };
    assert.deepEqual(
      live.spec.versions.map((v) => v.name),
      ['v1alpha1'],
      'nothing applied',
    );
  });

  it('refuses a breaking change without --allow-breaking, listing it, and skips non-CRD documents with a warning', async () => {
    const before = aCrd().forKind('breaking.crdsync.test', 'Gadget').withVersion('v1').build();
    expectSuccess(await crdsync([chartDir('breaking', '1.0.0', [before])]), 'install');
    const narrowed = aCrd()
      .forKind('breaking.crdsync.test', 'Gadget')
      .withVersion('v1', {
        schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: 'integer' } } } } },
      })
      .build();
    const stray = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'stray', namespace: 'default' }, data: {} };
    const dir = chartDir('breaking', '2.0.0', [narrowed, stray]);
    const refused = await crdsync([dir]);
    assert.equal(refused.exitCode, 9, refused.stderr);
    assert.match(refused.stderr, /Warning: skipping crds\/crds\.yaml document 2 \(ConfigMap stray\): not a CustomResourceDefinition/);
    assert.match(refused.stderr, /breaking change\(s\).*--allow-breaking.*\.spec\.color: field removed/);
    assert.match(refused.stdout, /BREAKING\s+v1 \.spec\.color: field removed/);
    expectSuccess(await crdsync([dir, '--allow-breaking']), 'with --allow-breaking');
    const absent = await client.kubectl(['get', 'configmap', 'stray', '-n', 'default']);
    assert.notEqual(absent.exitCode, 0, 'the stray ConfigMap was not applied');
  });

  it("refuses to take over another tool's field without --force-conflicts (exit 9), and takes it over with it", async () => {
    const first = aCrd().forKind('owned.crdsync.test', 'Gizmo').withVersion('v1').build();
    expectSuccess(await crdsync([chartDir('owned', '1.0.0', [first])]), 'install');
    // Another tool (a CA injector, say) sets a field the chart also sets, with its own value.
    const injected = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gizmos.owned.crdsync.test', labels: { tier: 'injected' } },
    };
    expectSuccess(
      await client.kubectl(['apply', '--server-side', '--field-manager=cainjector', '--force-conflicts', '-f', '-'], {
        input: JSON.stringify(injected),
      }),
      'the other tool applies',
    );
    const labelled = aCrd().forKind('owned.crdsync.test', 'Gizmo').withVersion('v1').build();
    labelled.metadata = { ...labelled.metadata, labels: { tier: 'chart' } };
    const dir = chartDir('owned', '2.0.0', [labelled]);
    const refused = await crdsync([dir]);
    assert.equal(refused.exitCode, 9, refused.stderr);
    assert.match(
      refused.stderr,
      /refusing to take over fields another tool manages \(pass --force-conflicts to override them\): gizmos\.owned\.crdsync\.test \.metadata\.labels\.tier \(owned by cainjector\); nothing was applied/,
    );
    assert.match(refused.stdout, /gizmos\.owned\.crdsync\.test\s+update\s+.*takes over fields of cainjector/);
    const label = async () =>
      expectSuccess(await client.kubectl(['get', 'crd', 'gizmos.owned.crdsync.test', '-o', 'jsonpath={.metadata.labels.tier}']), 'get crd')
        .stdout;
    assert.equal(await label(), 'injected', 'nothing applied');
    expectSuccess(await crdsync([dir, '--force-conflicts']), 'with --force-conflicts');
    assert.equal(await label(), 'chart');
  });

  it('refuses a chart without crds/ and a missing local chart (exit 3)', async () => {
    const empty = await crdsync([chartDir('empty', '1.0.0', undefined)]);
    assert.equal(empty.exitCode, 3, empty.stderr);
    assert.match(empty.stderr, /chart empty 1\.0\.0 has no crds\/ folder: nothing to sync/);
    const missing = await crdsync(['./nowhere-1.0.0.tgz']);
    assert.equal(missing.exitCode, 3, missing.stderr);
    assert.match(missing.stderr, /nowhere-1\.0\.0\.tgz: no such file or directory/);
  });

  it('says which release search failed when no chart is given and no product is installed (exit 9)', async () => {
    const result = await crdsync(['--version', '1.17.0']);
    assert.equal(result.exitCode, 9, result.stderr);
    assert.match(result.stderr, /no deployed release of a known product .* in namespace default, .*every namespace; pass a CHART/);
  });
});
