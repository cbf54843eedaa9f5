/**
 * Product installs: what `helm install` of Gloo Mesh, Gloo Edge or NGINX Service Mesh leaves in a
 * cluster, created over the in-process API — the namespace, the CRDs (the real vendor files when
 * available, else the project's synthetic equivalents) waited on until Established, the chart's
 * hooks and control plane, a Helm 3 release Secret the real helm reads, and example custom
 * resources for backup and restore to work on. The simulated controllers (started separately)
 * then roll the control plane out, and for Gloo Mesh run discovery.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import type { GroupVersionResource, InternalApi, KubeObject } from '../api/types.js';
import { ApiError } from '../api/status.js';
import { hasCondition, waitForObjects } from './api-waits.js';
import { renderGlooEdge } from './gloo-edge/control-plane.js';
import { glooEdgeCrdFacts } from './gloo-edge/crds.js';
import { glooEdgeExamples } from './gloo-edge/examples.js';
import { renderGlooMesh } from './gloo-mesh/control-plane.js';
import { glooMeshCrdFacts } from './gloo-mesh/crds.js';
import { glooMeshExamples } from './gloo-mesh/examples.js';
import { encodeHelmReleaseSecret, type HelmRelease } from './helm-release.js';
import { renderNginxServiceMesh } from './nginx-service-mesh/control-plane.js';
import { nginxServiceMeshCrdFacts } from './nginx-service-mesh/crds.js';
import { nginxServiceMeshExamples } from './nginx-service-mesh/examples.js';
import { injectedWorkloads } from './nginx-service-mesh/injected-workloads.js';
import { productFacts, type ProductFact } from './product-facts.js';
import { dumpObject, renderManifest, type RenderedChart } from './rendered-chart.js';
import { syntheticCrd, type CrdFact } from './synthetic-crd.js';
import { loadVendorCrds, loadVendorExamples } from './vendor-files.js';

/** Where product installs find the real vendor CRDs and examples; null when ../shared/fixtures is absent. */
export interface InstallOptions {
  vendorFixturesDir: string | null;
  /** How long to wait for CRDs to be Established and hook Jobs to complete (default 30 s). */
  timeoutMs?: number;
  /**
   * injectedWorkloads also creates application workloads whose pods carry the mesh's sidecar
   * (NGINX Service Mesh only; namespace mesh-apps), for `kubectl meshscale reroll`. Off by
   * default so that installs stay what `helm install` leaves.
   */
  injectedWorkloads?: boolean;
}

/** supportedInstalls lists the PRODUCT@VERSION specs `--install` accepts. */
export const supportedInstalls: readonly string[] = [
  'gloo-mesh@0.10.7',
  'gloo-mesh@0.11.3',
  'gloo-edge@1.16.27',
  'gloo-edge@1.17.0',
  'nginx-service-mesh@1.7.0',
  'nginx-service-mesh@2.0.0',
];

/** What an install did: useful to tests and to the sandbox's start-up log. */
export interface InstallReport {
  spec: string;
  crdSource: 'vendor' | 'synthetic';
  crds: string[];
  /** `Kind/namespace/name` of every chart object and hook created. */
  objects: string[];
  examples: string[];
  /** Example files left out, with the reason. */
  skippedExamples: Array<{ file: string; reason: string }>;
  releaseSecret: string;
}

const crdsResource: GroupVersionResource = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' };
const namespacesResource: GroupVersionResource = { group: '', version: 'v1', resource: 'namespaces' };
const jobsResource: GroupVersionResource = { group: 'batch', version: 'v1', resource: 'jobs' };
const secretsResource: GroupVersionResource = { group: '', version: 'v1', resource: 'secrets' };

// Helm's InstallOrder (pkg/releaseutil/kind_sorter.go); kinds not listed go last, as custom resources do.
const installOrder = [
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleBinding',
  'Role',
  'RoleBinding',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'Ingress',
  'APIService',
];

function installRank(object: KubeObject): number {
  const rank = installOrder.indexOf(object.kind);
  return rank < 0 ? installOrder.length : rank;
}

function describe(object: KubeObject): string {
  return `${object.kind}/${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name ?? ''}`;
}

/** gvrOf finds the served resource for an object's apiVersion and kind (as kubectl's RESTMapper does). */
function gvrOf(api: InternalApi, object: KubeObject): GroupVersionResource | undefined {
  const slash = object.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : object.apiVersion.slice(0, slash);
  const version = slash < 0 ? object.apiVersion : object.apiVersion.slice(slash + 1);
  const type = api.resourceTypes().find((t) => t.group === group && t.version === version && t.kind === object.kind);
  return type ? { group, version, resource: type.resource } : undefined;
}

/**
 * The field managers a real install leaves in managedFields: Helm creates the release's objects
 * (and the namespace, with --create-namespace) as "helm"; the example resources are what a user
 * made with `kubectl create -f`; the gloo-resource-rollout Job runs `kubectl apply`.
 */
const helmWrites = { fieldManager: 'helm' } as const;
const kubectlCreate = { fieldManager: 'kubectl-create' } as const;
const kubectlApply = { fieldManager: 'kubectl-client-side-apply' } as const;

function ensureNamespace(api: InternalApi, name: string, writes: { fieldManager: string } = helmWrites): void {
  if (!api.get(namespacesResource, undefined, name))
    api.create(namespacesResource, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, writes);
}

/** crdFacts are the facts of the project's synthetic CRDs for a product version (used without the vendor files). */
export function crdFacts(fact: ProductFact): CrdFact[] {
  if (fact.product === 'gloo-mesh') return glooMeshCrdFacts(fact.version);
  if (fact.product === 'gloo-edge') return glooEdgeCrdFacts(fact.version);
  return nginxServiceMeshCrdFacts(fact.version);
}

/** renderChart renders a product version's chart with default values into its namespace. */
export function renderChart(fact: ProductFact, namespace: string = fact.namespace): RenderedChart {
  if (fact.product === 'gloo-mesh') return renderGlooMesh(fact.version, namespace);
  if (fact.product === 'gloo-edge') return renderGlooEdge(fact.version, namespace);
  return renderNginxServiceMesh(fact.version, namespace);
}

/** syntheticExamples are the project's own example custom resources for a product (used without the vendor files). */
export function syntheticExamples(fact: ProductFact): KubeObject[] {
  if (fact.product === 'gloo-mesh') return glooMeshExamples(fact.namespace);
  if (fact.product === 'gloo-edge') return glooEdgeExamples(fact.namespace);
  return nginxServiceMeshExamples();
}

/** factsFor resolves a PRODUCT@VERSION spec, or throws an Error listing the supported ones. */
export function factsFor(spec: string): ProductFact {
  const fact = productFacts[spec];
  if (!fact) throw new Error(`unsupported install "${spec}": supported are ${supportedInstalls.join(', ')}`);
  return fact;
}

/** installProduct creates a product's namespace, CRDs, control plane, Helm release Secret and example resources; resolves once its CRDs are Established and everything is created. */
export async function installProduct(api: InternalApi, spec: string, options: InstallOptions): Promise<void> {
  await installProductWithReport(api, spec, options);
}

/** installProductWithReport is installProduct, answering what was created and which examples were left out. */
export async function installProductWithReport(api: InternalApi, spec: string, options: InstallOptions): Promise<InstallReport> {
  const fact = factsFor(spec);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const vendorDir = options.vendorFixturesDir;
  const report: InstallReport = {
    spec,
    crdSource: vendorDir ? 'vendor' : 'synthetic',
    crds: [],
    objects: [],
    examples: [],
    skippedExamples: [],
    releaseSecret: '',
  };

  // `helm install --create-namespace`; like helm, refuse a release name that is already in use.
  ensureNamespace(api, fact.namespace);
  const existing = api.list(secretsResource, { namespace: fact.namespace, labelSelector: `owner=helm,name=${fact.releaseName}` });
  if (existing.length)
    throw new Error(
      `cannot install ${spec}: release "${fact.releaseName}" already exists in namespace ${fact.namespace} (${existing[0]?.metadata.name ?? ''})`,
    );

  // The chart's crds/ folder is installed first, and Helm waits until the CRDs are served.
  const crds = vendorDir ? loadVendorCrds(join(vendorDir, 'crds', fact.crdsDir, `v${fact.version}`)) : crdFacts(fact).map(syntheticCrd);
  for (const crd of crds) {
    createUnlessExists(api, crdsResource, crd, helmWrites);
    report.crds.push(crd.metadata.name ?? '');
  }
  await waitForObjects(
    api,
    crdsResource,
    report.crds.map((name) => ({ name })),
    (crd) => hasCondition(crd, 'Established'),
    timeoutMs,
    'CRDs to be Established',
  );

  const chart = renderChart(fact);
  const started = new Date().toISOString();
  // pre-install hooks run in weight order, and Helm waits for hook Jobs to complete.
  const hooks = [...chart.hooks].sort((a, b) => a.weight - b.weight);
  for (const hook of hooks) {
    createObject(api, hook.object);
    report.objects.push(describe(hook.object));
    if (hook.object.kind === 'Job') {
      const name = hook.object.metadata.name ?? '';
      await waitForObjects(
        api,
        jobsResource,
        [{ namespace: fact.namespace, name }],
        (job) => hasCondition(job, 'Complete'),
        timeoutMs,
        `hook Job ${name} to complete`,
      );
    }
  }
  const hooksDone = new Date().toISOString();

  const objects = chart.templates
    .flatMap((t) => t.objects)
    .map((o, i) => ({ o, i }))
    .sort((a, b) => installRank(a.o) - installRank(b.o) || a.i - b.i)
    .map(({ o }) => o);
  for (const object of objects) {
    createObject(api, object);
    report.objects.push(describe(object));
  }
  if (fact.product === 'gloo-edge') {
    // What the gloo-resource-rollout Job applies from ConfigMap gloo-custom-resource-config: the default Gateways.
    const rolledOut = objects.find((o) => o.kind === 'ConfigMap' && o.metadata.name === 'gloo-custom-resource-config');
    const text = ((rolledOut?.data ?? {}) as Record<string, string>)['custom-resources'] ?? '';
    for (const gateway of yaml.loadAll(text) as KubeObject[]) {
      if (gateway) createUnlessExists(api, gvrOf(api, gateway), gateway, kubectlApply);
    }
  }

  const release: HelmRelease = {
    name: fact.releaseName,
    namespace: fact.namespace,
    version: 1,
    info: { first_deployed: started, last_deployed: started, deleted: '', description: 'Install complete', status: 'deployed' },
    chart: { metadata: { ...fact.chart }, templates: [], values: {} },
    config: {},
    manifest: renderManifest(fact.chart.name, chart.templates),
    hooks: hooks.map((h) => ({
      name: h.object.metadata.name ?? '',
      kind: h.object.kind,
      path: `${fact.chart.name}/${h.path}`,
      manifest: dumpObject(h.object),
      events: h.events,
      last_run: { started_at: started, completed_at: hooksDone, phase: 'Succeeded' },
      weight: h.weight,
      delete_policies: h.deletePolicies,
    })),
  };
  const secret = encodeHelmReleaseSecret(release);
  createObject(api, secret);
  report.releaseSecret = secret.metadata.name ?? '';

  createExamples(api, fact, vendorDir, report);
  if (options.injectedWorkloads && fact.product === 'nginx-service-mesh') {
    // What the sidecar injector leaves in application namespaces (not part of the release).
    for (const object of injectedWorkloads(fact.version)) {
      createUnlessExists(api, gvrOf(api, object), object, kubectlApply);
      report.objects.push(describe(object));
    }
  }
  return report;
}

function createObject(api: InternalApi, object: KubeObject): KubeObject {
  const gvr = gvrOf(api, object);
  if (!gvr) throw new Error(`cannot install ${describe(object)}: ${object.apiVersion} ${object.kind} is not served`);
  return api.create(gvr, object, helmWrites);
}

function createUnlessExists(
  api: InternalApi,
  gvr: GroupVersionResource | undefined,
  object: KubeObject,
  writes: { fieldManager: string },
): void {
  if (!gvr) throw new Error(`cannot install ${describe(object)}: ${object.apiVersion} ${object.kind} is not served`);
  try {
    api.create(gvr, object, writes);
  } catch (error) {
    // A second install of the same product (or a CRD shared between releases) keeps what is there, as `kubectl create` would refuse it.
    if (!(error instanceof ApiError && error.code === 409)) throw error;
  }
}

function createExamples(api: InternalApi, fact: ProductFact, vendorDir: string | null, report: InstallReport): void {
  const examplesDir = vendorDir ? join(vendorDir, 'examples', fact.examplesDir, `v${fact.version}`) : undefined;
  const candidates =
    examplesDir && existsSync(examplesDir)
      ? loadVendorExamples(examplesDir)
      : syntheticExamples(fact).map((object) => ({ file: `synthetic:${describe(object)}`, object }));
  for (const candidate of candidates) {
    if ('skipped' in candidate) {
      report.skippedExamples.push({ file: candidate.file, reason: candidate.skipped });
      continue;
    }
    const object = candidate.object;
    const gvr = gvrOf(api, object);
    if (!gvr) {
      report.skippedExamples.push({ file: candidate.file, reason: `${object.apiVersion} ${object.kind} is not served by this version` });
      continue;
    }
    const namespaced = api.resourceType(gvr)?.namespaced ?? true;
    if (namespaced) {
      object.metadata.namespace ??= fact.exampleNamespace;
      ensureNamespace(api, object.metadata.namespace, kubectlCreate);
    } else {
      delete object.metadata.namespace;
    }
    try {
      api.create(gvr, object, kubectlCreate);
      report.examples.push(describe(object));
    } catch (error) {
      // The server's verdict decides, as it would for `kubectl create -f` (schema errors, duplicates).
      if (!(error instanceof ApiError)) throw error;
      report.skippedExamples.push({ file: candidate.file, reason: error.message });
    }
  }
}
