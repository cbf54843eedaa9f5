/**
 * `helm crdsync oci://…`: the chart is pulled through `$HELM_BIN pull`, so the user's registry
 * logins and TLS settings apply, from a loopback OCI distribution registry (test/support/oci-registry.ts)
 * that the test fills with the helm at hand: `helm push` on Helm 4; on Helm 3 (the v3.6 the
 * project tests with, before `helm push` existed) `helm chart save` + `helm chart push` with
 * HELM_EXPERIMENTAL_OCI=1, which that helm also needs to pull oci:// charts (OCI is GA from 3.8).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { ClientEnv, expectSuccess, runOrThrow, type CommandResult, type TestCluster } from '../../support/cluster.js';
import { startOciRegistry, type OciRegistry } from '../../support/oci-registry.js';
import { startE2eCluster } from '../../support/target.js';
import { ensureHelm4, helm3Path } from '../../support/tools.js';
import { aChart } from '../../fixtures/chart-builder.js';
import { aCrd } from '../../fixtures/crd-builder.js';
import { installCrdsyncPlugin, type HelmHome } from './support.js';

interface PlanDocument {
  source: { kind: string; reference: string; chart?: string; version?: string };
  crds: Array<{ name: string; action: string }>;
  applied: string[];
}

/** chartCrd is the one CRD of a test chart, in a group of its own so the cases do not meet. */
const chartCrd = (group: string, kind: string) => aCrd().forKind(group, kind).withVersion('v1').build();

describe('helm crdsync oci://… through $HELM_BIN pull, from a loopback OCI registry', function () {
  this.timeout(240_000);
  let cluster: TestCluster;
  let client: ClientEnv;
  let registry: OciRegistry;
  let work: string;

  before(async () => {
    cluster = await startE2eCluster();
    client = new ClientEnv(cluster.kubeconfig);
    registry = await startOciRegistry();
    work = mkdtempSync(join(tmpdir(), 'crdsync-oci-'));
  });
  after(async () => {
    client?.dispose();
    await registry?.close();
    await cluster?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const crdExists = async (name: string): Promise<boolean> => (await client.kubectl(['get', 'crd', name])).exitCode === 0;

  describe('Helm 4', () => {
    let helm: string;
    let home: HelmHome;
    const crdsync = (args: string[]): Promise<CommandResult> => client.run(helm, ['crdsync', ...args], { env: home.env });

    before(async () => {
      helm = await ensureHelm4();
      home = await installCrdsyncPlugin(helm);
      for (const [name, group, kind] of [
        ['widgets', 'ocifour.crdsync.test', 'Widget'],
        ['gadgets', 'ocifour.crdsync.test', 'Gadget'],
      ] as const) {
        const archive = join(work, `${name}-0.2.0.tgz`);
        writeFileSync(
          archive,
          aChart()
            .named(name, '0.2.0')
            .withCrdFile('crds.yaml', [chartCrd(group, kind)])
            .build(),
        );
        await runOrThrow(helm, ['push', archive, `oci://${registry.host}/charts`, '--plain-http'], {
          ...process.env,
          ...home.env,
        } as Record<string, string>);
      }
    });
    after(() => home?.dispose());

    it('syncs the CRDs of a chart pushed with helm push, pulled with --plain-http passed to helm', async () => {
      assert.deepEqual(registry.tags('charts/widgets'), ['0.2.0']);
      const seen = registry.requests.length;
      const result = expectSuccess(
        await crdsync([`oci://${registry.host}/charts/widgets`, '--version', '0.2.0', '--plain-http', '-o', 'json']),
        'crdsync oci://',
      );
      const plan = JSON.parse(result.stdout) as PlanDocument;
      assert.equal(plan.source.kind, 'helm');
      assert.equal(plan.source.chart, 'widgets');
      assert.equal(plan.source.version, '0.2.0');
      assert.deepEqual(
        plan.crds.map((crd) => [crd.name, crd.action]),
        [['widgets.ocifour.crdsync.test', 'create']],
      );
      assert.deepEqual(plan.applied, ['widgets.ocifour.crdsync.test']);
      assert.match(result.stderr, new RegExp(`Pulling oci://${registry.host.replace(/\./g, '\\.')}/charts/widgets 0\\.2\\.0 with `));
      const pulled = registry.requests.slice(seen).map((r) => `${r.method} ${r.path}`);
      assert.ok(
        pulled.some((line) => /^GET \/v2\/charts\/widgets\/blobs\/sha256:/.test(line)),
        `helm pulled the chart layer: ${pulled.join(', ')}`,
      );
      const live = JSON.parse(
        expectSuccess(await client.kubectl(['get', 'crd', 'widgets.ocifour.crdsync.test', '-o', 'json']), 'get crd').stdout,
      ) as { metadata: { annotations?: Record<string, string> } };
      assert.equal(
        live.metadata.annotations?.['crdsync.mesh-upgrade.io/source'],
        `chart widgets 0.2.0 from oci://${registry.host}/charts/widgets`,
      );
    });

    it('without --plain-http helm speaks https to the plain-http registry: one line from helm, exit 3, nothing applied', async () => {
      const result = await crdsync([`oci://${registry.host}/charts/gadgets`, '--version', '0.2.0']);
      assert.equal(result.exitCode, 3, result.stderr);
      // Ours is the one "error:" line; Helm 4 adds its own "Error: plugin "crdsync" exited with error".
      const errors = result.stderr.split('\n').filter((line) => line.startsWith('error: '));
      assert.equal(errors.length, 1, result.stderr);
      assert.match(
        errors[0] ?? '',
        /^error: helm pull oci:\/\/127\.0\.0\.1:\d+\/charts\/gadgets --version 0\.2\.0 failed: .*HTTP response to HTTPS client.*\(pass --plain-http to reach a plain-http registry\)$/,
      );
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
      assert.equal(await crdExists('gadgets.ocifour.crdsync.test'), false);
    });

    it('refuses --plain-http without an oci:// chart as a usage error (exit 2)', async () => {
      const result = await crdsync(['gloo/gloo', '--version', '1.17.0', '--plain-http']);
      assert.equal(result.exitCode, 2, result.stderr);
      assert.match(result.stderr, /--plain-http only applies to an oci:\/\/ CHART/);
    });
  });

  describe('Helm 3 (v3.6: OCI behind HELM_EXPERIMENTAL_OCI)', () => {
    let helm: string;
    let home: HelmHome;
    const crdsync = (args: string[], env: Record<string, string> = {}): Promise<CommandResult> =>
      client.run(helm, ['crdsync', ...args], { env: { ...home.env, ...env } });

    before(async () => {
      helm = helm3Path();
      home = await installCrdsyncPlugin(helm);
      // helm 3.6 has no `helm push`: its registry commands save the chart folder, then push it.
      const dir = join(work, 'helm3', 'things');
      mkdirSync(join(dir, 'crds'), { recursive: true });
      writeFileSync(join(dir, 'Chart.yaml'), yaml.dump({ apiVersion: 'v2', name: 'things', version: '0.3.0' }));
      writeFileSync(join(dir, 'crds', 'crds.yaml'), yaml.dump(chartCrd('ocithree.crdsync.test', 'Thing')));
      const env = { ...process.env, ...home.env, HELM_EXPERIMENTAL_OCI: '1' } as Record<string, string>;
      await runOrThrow(helm, ['chart', 'save', dir, `${registry.host}/charts/things:0.3.0`], env);
      await runOrThrow(helm, ['chart', 'push', `${registry.host}/charts/things:0.3.0`], env);
    });
    after(() => home?.dispose());

    it("without HELM_EXPERIMENTAL_OCI passes on helm's refusal: one line, exit 3, nothing applied", async () => {
      const result = await crdsync([`oci://${registry.host}/charts/things`, '--version', '0.3.0']);
      assert.equal(result.exitCode, 3, result.stderr);
      assert.match(result.stderr, /^error: helm pull oci:\/\/.* failed: .*HELM_EXPERIMENTAL_OCI=1/m);
      assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
      assert.equal(await crdExists('things.ocithree.crdsync.test'), false);
    });

    it('syncs the CRDs with HELM_EXPERIMENTAL_OCI=1 in the environment, as helm 3 before 3.8 needs', async () => {
      assert.deepEqual(registry.tags('charts/things'), ['0.3.0']);
      const result = expectSuccess(
        await crdsync([`oci://${registry.host}/charts/things`, '--version', '0.3.0', '-o', 'json'], { HELM_EXPERIMENTAL_OCI: '1' }),
        'crdsync oci:// on helm 3',
      );
      const plan = JSON.parse(result.stdout) as PlanDocument;
      assert.deepEqual(plan.applied, ['things.ocithree.crdsync.test']);
      assert.ok(await crdExists('things.ocithree.crdsync.test'));
    });
  });
});
