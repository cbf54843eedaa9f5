/**
 * What a cluster holds before an upgrade besides the chart: the user's custom resources (the
 * vendor's examples from ../shared/fixtures for the installed version, else the project's own) and,
 * for NGINX Service Mesh, application workloads carrying its sidecar. The rehearsal creates them
 * over the API, one request per object, and reports what the server refused (as `kubectl create`
 * would) — they are the state the procedure must keep, not a step of it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import yaml from 'js-yaml';
import type { KubeObject } from '../sandbox/api/types.js';
import { factsFor, syntheticExamples } from '../sandbox/products/index.js';
import { injectedWorkloads } from '../sandbox/products/nginx-service-mesh/injected-workloads.js';
import { crdToV1, loadVendorExamples } from '../sandbox/products/vendor-files.js';
import { RawClient } from '../sandbox/raw-client.js';
import type { ProductChart } from './charts/product-charts.js';

/** Where one kind is served. */
interface ServedKind {
  group: string;
  versions: string[];
  plural: string;
  namespaced: boolean;
}

/** What seeding did. */
export interface SeedReport {
  created: string[];
  refused: Array<{ object: string; reason: string }>;
}

// The built-in kinds seeding creates (namespaces and the injected application workloads).
const builtins: Record<string, ServedKind> = {
  Namespace: { group: '', versions: ['v1'], plural: 'namespaces', namespaced: false },
  Pod: { group: '', versions: ['v1'], plural: 'pods', namespaced: true },
  Deployment: { group: 'apps', versions: ['v1'], plural: 'deployments', namespaced: true },
  StatefulSet: { group: 'apps', versions: ['v1'], plural: 'statefulsets', namespaced: true },
  DaemonSet: { group: 'apps', versions: ['v1'], plural: 'daemonsets', namespaced: true },
};

/** chartCrds reads the CRDs of a chart's crds/, as apiextensions.k8s.io/v1 (v1beta1 ones converted as the server does). */
export function chartCrds(chart: ProductChart): KubeObject[] {
  const crds: KubeObject[] = [];
  const tar = gunzipSync(chart.data);
  // The archive is ours (archive.ts writes plain ustar members), so its headers are read directly.
  const field = (offset: number, length: number): string =>
    tar
      .subarray(offset, offset + length)
      .toString('utf8')
      .replace(/\0.*$/s, '');
  for (let offset = 0; offset + 512 <= tar.length;) {
    const name = field(offset, 100);
    const size = parseInt(field(offset + 124, 12).trim() || '0', 8);
    if (!name) break;
    const body = tar.subarray(offset + 512, offset + 512 + size).toString('utf8');
    offset += 512 + Math.ceil(size / 512) * 512;
    if (!name.includes('/crds/')) continue;
    for (const doc of yaml.loadAll(body) as KubeObject[]) if (doc?.kind === 'CustomResourceDefinition') crds.push(crdToV1(doc));
  }
  return crds;
}

/** chartCrdKinds reads the kinds a chart's crds/ serves. */
function chartCrdKinds(chart: ProductChart): Map<string, ServedKind> {
  const kinds = new Map<string, ServedKind>();
  for (const crd of chartCrds(chart)) {
    const spec = crd.spec as {
      group: string;
      scope: string;
      names: { kind: string; plural: string };
      versions: Array<{ name: string; served?: boolean }>;
    };
    kinds.set(`${spec.group}/${spec.names.kind}`, {
      group: spec.group,
      versions: spec.versions.filter((v) => v.served !== false).map((v) => v.name),
      plural: spec.names.plural,
      namespaced: spec.scope !== 'Cluster',
    });
  }
  return kinds;
}

/** chartCrdNames lists the names of the CRDs in a chart's crds/. */
export function chartCrdNames(chart: ProductChart): string[] {
  return [...chartCrdKinds(chart).values()].map((k) => `${k.plural}.${k.group}`);
}

/** exampleResources are the custom resources a product version's users would have: the vendor examples when present, else the project's. */
export function exampleResources(spec: string, fixturesDir: string | null): KubeObject[] {
  const fact = factsFor(spec);
  const dir = fixturesDir ? join(fixturesDir, 'examples', fact.examplesDir, `v${fact.version}`) : undefined;
  const objects =
    dir && existsSync(dir)
      ? loadVendorExamples(dir).flatMap((example) => ('object' in example ? [example.object] : []))
      : syntheticExamples(fact);
  return objects;
}

/** seedObjects creates objects in order through the API of the kubeconfig's current context. */
export async function seedObjects(
  kubeconfig: string,
  chart: ProductChart,
  objects: KubeObject[],
  defaultNamespace: string,
): Promise<SeedReport> {
  const served = chartCrdKinds(chart);
  const client = RawClient.fromKubeconfig(kubeconfig);
  const report: SeedReport = { created: [], refused: [] };
  const namespaces = new Set<string>();
  try {
    for (const original of objects) {
      const object = structuredClone(original);
      const slash = object.apiVersion.indexOf('/');
      const group = slash < 0 ? '' : object.apiVersion.slice(0, slash);
      const version = object.apiVersion.slice(slash + 1);
      const kind = builtins[object.kind]?.group === group ? builtins[object.kind] : served.get(`${group}/${object.kind}`);
      const label = `${object.kind}/${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name ?? ''}`;
      if (!kind || !kind.versions.includes(version)) {
        report.refused.push({ object: label, reason: `${object.apiVersion} ${object.kind} is not served by this version` });
        continue;
      }
      if (kind.namespaced) {
        object.metadata.namespace ??= defaultNamespace;
        const ns = object.metadata.namespace;
        if (!namespaces.has(ns)) {
          namespaces.add(ns);
          await client.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
        }
      } else delete object.metadata.namespace;
      const base = kind.group ? `/apis/${kind.group}/${version}` : `/api/${version}`;
      const path = `${base}${kind.namespaced ? `/namespaces/${object.metadata.namespace ?? ''}` : ''}/${kind.plural}`;
      const answer = await client.request('POST', path, object);
      if (answer.status === 201)
        report.created.push(
          `${object.kind}/${object.metadata.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata.name ?? ''}`,
        );
      else if (object.kind === 'Namespace' && answer.status === 409) continue;
      else
        report.refused.push({
          object: label,
          reason: ((JSON.parse(answer.body) as { message?: string }).message ?? answer.body).slice(0, 200),
        });
    }
  } finally {
    client.close();
  }
  return report;
}

/** sidecarWorkloads are NGINX Service Mesh application workloads whose pods carry the mesh's sidecar. */
export function sidecarWorkloads(version: string): KubeObject[] {
  return injectedWorkloads(version);
}
