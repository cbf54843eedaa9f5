/**
 * Running `npm run demo` as users do — its built entry, dist/demo/main.js, as a process — against a
 * sandbox the test starts (`--kubeconfig`), keeping its work folder (`--work-dir`) for the backup
 * archive, then judging the end state from the sandbox itself: the Helm release Secrets, the CRDs,
 * the custom resources against the procedure's own backup, the workloads.
 */
import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import yaml from 'js-yaml';
import * as tar from 'tar';
import { productChart } from '../../../demo/charts/product-charts.js';
import { procedures } from '../../../demo/procedures/index.js';
import type { Procedure } from '../../../demo/procedures/procedure.js';
import { chartCrds } from '../../../demo/seed.js';
import type { GroupVersionResource, InternalApi, KubeObject } from '../../../sandbox/api/types.js';
import type { SandboxHandle, SandboxOptions } from '../../../sandbox/index.js';
import { decodeHelmReleaseSecret, type HelmRelease } from '../../../sandbox/products/helm-release.js';
import { factsFor, renderChart } from '../../../sandbox/products/index.js';
import { ClientEnv, type CommandResult } from '../../support/cluster.js';
import { repoRoot } from '../../support/paths.js';
import { startTestSandbox } from '../../support/target.js';
import { vendorFixturesDir } from '../../support/vendor.js';

/** A finished rehearsal and what it ran on. */
export interface Rehearsed {
  readonly procedure: Procedure;
  readonly sandbox: SandboxHandle;
  readonly client: ClientEnv;
  readonly result: CommandResult;
  /** The demo's --work-dir (backups, rehearsal.log). */
  readonly workDir: string;
  dispose(): Promise<void>;
}

/** rehearse runs `node dist/demo/main.js PRODUCT --helm N --kubeconfig … --work-dir …` on a fresh sandbox. */
export async function rehearse(
  product: keyof typeof procedures,
  helm: 3 | 4,
  extraArgs: string[] = [],
  sandboxOptions: SandboxOptions = {},
): Promise<Rehearsed> {
  const procedure = procedures[product];
  const sandbox = await startTestSandbox({ k8sVersion: procedure.k8sVersion, ...sandboxOptions });
  const client = new ClientEnv(sandbox.kubeconfigPath);
  const temp = mkdtempSync(join(tmpdir(), 'demo-e2e-'));
  const workDir = join(temp, 'work');
  const result = await client.run(
    process.execPath,
    [
      join(repoRoot, 'dist', 'demo', 'main.js'),
      product,
      '--helm',
      String(helm),
      '--kubeconfig',
      sandbox.kubeconfigPath,
      '--work-dir',
      workDir,
      ...extraArgs,
    ],
    { timeoutMs: 300_000 },
  );
  return {
    procedure,
    sandbox,
    client,
    result,
    workDir,
    dispose: async () => {
      client.dispose();
      rmSync(temp, { recursive: true, force: true });
      await sandbox.close();
    },
  };
}

/** rollbackAdvice is the commands a stopped rehearsal printed as the way back, in order. */
export function rollbackAdvice(stdout: string): string[] {
  const lines = stdout.split('\n');
  const start = lines.findIndex((l) => /^# Step \d+ failed with exit code \d+: .*To roll back from here:$/.test(l));
  if (start < 0) return [];
  const advice: string[] = [];
  for (const line of lines.slice(start + 1)) {
    const match = /^# {3}(.*)$/.exec(line);
    if (!match) break;
    advice.push((match[1] ?? '').replace(/ {3}#.*$/, ''));
  }
  return advice;
}

/** failureReport shows the rehearsal's output when an assertion about it fails. */
export function failureReport(rehearsed: Rehearsed): string {
  return `demo exited ${rehearsed.result.exitCode}\n--- stdout (tail) ---\n${rehearsed.result.stdout.slice(-6000)}\n--- stderr ---\n${rehearsed.result.stderr.slice(-3000)}`;
}

/** backupArchive reads a meshbackup archive: its resources and the CRDs it recorded. */
export async function backupArchive(file: string): Promise<{ resources: KubeObject[]; crds: KubeObject[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'demo-e2e-archive-'));
  try {
    mkdirSync(dir, { recursive: true });
    await tar.x({ file, cwd: dir });
    const read = (sub: string): KubeObject[] =>
      readdirSync(join(dir, sub))
        .sort()
        .flatMap((f) => (yaml.loadAll(readFileSync(join(dir, sub, f), 'utf8')) as KubeObject[]).filter(Boolean));
    return { resources: read('resources'), crds: read('crds') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function gvrOf(api: InternalApi, object: KubeObject): GroupVersionResource {
  const slash = object.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : object.apiVersion.slice(0, slash);
  const version = object.apiVersion.slice(slash + 1);
  const type = api.resourceTypes().find((t) => t.group === group && t.version === version && t.kind === object.kind);
  assert.ok(type, `${object.apiVersion} ${object.kind} is served`);
  return { group, version, resource: type.resource };
}

/** live reads the object's current state from the sandbox (undefined when it is gone). */
export function live(api: InternalApi, object: KubeObject): KubeObject | undefined {
  return api.get(gvrOf(api, object), object.metadata.namespace, object.metadata.name ?? '');
}

// Bookkeeping, not the object: kubectl's client-side apply record, and the suite's own marks
// (mesh-upgrade.io: the restore's restored-from label, meshscale's recorded replicas).
const bookkeeping = (key: string): boolean =>
  key === 'kubectl.kubernetes.io/last-applied-configuration' || /(^|\.)mesh-upgrade\.io\//.test(key);

function withoutBookkeeping(map: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(map ?? {}).filter(([k]) => !bookkeeping(k)));
}

/** userView is what a backup keeps of an object and a restore or upgrade must leave as it was. */
export function userView(object: KubeObject): unknown {
  const { apiVersion, kind, metadata } = object;
  const rest: Record<string, unknown> = { ...object };
  for (const key of ['apiVersion', 'kind', 'metadata', 'status']) delete rest[key];
  return {
    apiVersion,
    kind,
    name: metadata.name,
    namespace: metadata.namespace,
    labels: withoutBookkeeping(metadata.labels),
    annotations: withoutBookkeeping(metadata.annotations),
    ...rest,
  };
}

/** deployedReleases decodes the release's Secrets whose status label says deployed. */
export function deployedReleases(api: InternalApi, namespace: string, release: string): HelmRelease[] {
  return api
    .list({ group: '', version: 'v1', resource: 'secrets' }, { namespace, labelSelector: `owner=helm,name=${release},status=deployed` })
    .map(decodeHelmReleaseSecret);
}

const crdsResource: GroupVersionResource = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' };

/** versionsOf is what decides which custom resources a CRD serves and how they validate: name, served, storage, schema. */
export function versionsOf(crd: KubeObject): unknown {
  const versions = ((crd.spec as { versions?: Array<Record<string, unknown>> }).versions ?? []).map((v) => ({
    name: v.name,
    served: v.served,
    storage: v.storage,
    schema: v.schema,
  }));
  return versions.sort((a, b) => String(a.name).localeCompare(String(b.name)));
}

/** assertCrdsOf checks every CRD of the chart of PRODUCT@VERSION is live, Established, and serves the chart's versions and schemas. */
export function assertCrdsOf(api: InternalApi, spec: string): void {
  const crds = chartCrds(productChart(spec, vendorFixturesDir));
  assert.ok(crds.length > 0);
  for (const crd of crds) {
    const name = crd.metadata.name ?? '';
    const current = api.get(crdsResource, undefined, name);
    assert.ok(current, `CRD ${name} of ${spec} exists`);
    const conditions = ((current.status ?? {}) as { conditions?: Array<{ type: string; status: string }> }).conditions ?? [];
    assert.ok(
      conditions.some((c) => c.type === 'Established' && c.status === 'True'),
      `CRD ${name} is Established`,
    );
    assert.deepEqual(versionsOf(current), versionsOf(crd), `CRD ${name} serves ${spec}'s versions and schemas`);
  }
}

/**
 * assertBackupIntact checks every object of a meshbackup archive is live and as backed up — except
 * the chart's own (Helm's release annotation), which the upgrade rewrites: those must be as the
 * chart of `upgradedTo` (PRODUCT@VERSION) renders them.
 */
export async function assertBackupIntact(api: InternalApi, archive: string, minimum: number, upgradedTo: string): Promise<number> {
  const { resources } = await backupArchive(archive);
  assert.ok(resources.length >= minimum, `the backup holds at least ${minimum} custom resources (it holds ${resources.length})`);
  const fact = factsFor(upgradedTo);
  const rendered = renderChart(fact).templates.flatMap((t) => t.objects);
  for (const object of resources) {
    const current = live(api, object);
    const label = `${object.kind} ${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`;
    assert.ok(current, `${label} is present`);
    if (object.metadata.annotations?.['meta.helm.sh/release-name'] === fact.releaseName) {
      const chartObject = rendered.find((o) => o.kind === object.kind && o.metadata.name === object.metadata.name);
      assert.ok(chartObject, `${label} is rendered by ${upgradedTo}'s chart`);
      assert.deepEqual(current.spec, chartObject.spec, `${label} is as ${upgradedTo}'s chart renders it`);
    } else assert.deepEqual(userView(current), userView(object), `${label} is unchanged`);
  }
  return resources.length;
}

/** assertControlPlane checks the product's workloads run the images of PRODUCT@VERSION's chart, rolled out, at the given replica counts. */
export function assertControlPlane(api: InternalApi, spec: string, replicas: Readonly<Record<string, number>>): void {
  const fact = factsFor(spec);
  const rendered = renderChart(fact)
    .templates.flatMap((t) => t.objects)
    .filter((o) => o.kind === 'Deployment' || o.kind === 'StatefulSet');
  assert.ok(rendered.length > 0);
  for (const workload of rendered) {
    const name = workload.metadata.name ?? '';
    const current = live(api, { ...workload, metadata: { ...workload.metadata, namespace: fact.namespace } });
    assert.ok(current, `${workload.kind} ${name} exists`);
    const images = (o: KubeObject): string[] =>
      ((o.spec as { template: { spec: { containers: Array<{ image: string }> } } }).template.spec.containers ?? []).map((c) => c.image);
    assert.deepEqual(images(current), images(workload), `${workload.kind} ${name} runs ${spec}'s images`);
    const specReplicas = (current.spec as { replicas?: number }).replicas;
    assert.equal(specReplicas, replicas[name] ?? 1, `${workload.kind} ${name} replicas as before the upgrade`);
    const status = (current.status ?? {}) as { readyReplicas?: number; updatedReplicas?: number };
    assert.equal(status.readyReplicas ?? 0, specReplicas, `${workload.kind} ${name} has every replica ready`);
  }
}
