/**
 * The rehearsal charts: per product and version, a Helm chart built from the project's product
 * facts (sandbox/products: the control-plane Deployments, StatefulSets and DaemonSets with the
 * vendor's images and labels, Services, ServiceAccounts, the Gloo Edge `gateway-certgen` hook Job)
 * with every namespace templated as the release's, and the vendor CRDs of ../shared/fixtures in
 * crds/ — or, without them, the project's own synthetic CRDs (the caller says so). Packaged as
 * `helm package` lays a chart out, to be served by demo/charts/repository.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import type { KubeObject } from '../../sandbox/api/types.js';
import { crdFacts, factsFor, renderChart } from '../../sandbox/products/index.js';
import type { ProductFact } from '../../sandbox/products/product-facts.js';
import { syntheticCrd } from '../../sandbox/products/synthetic-crd.js';
import { tarGz, type IndexedChart, type TarMember } from './archive.js';

/** Where the CRDs in a chart's crds/ came from. */
export type CrdOrigin = 'vendor' | 'synthetic';

/** A built rehearsal chart, ready for a repository index. */
export interface ProductChart extends IndexedChart {
  /** The PRODUCT@VERSION it was built for. */
  readonly spec: string;
  readonly crdOrigin: CrdOrigin;
  /** The file names under crds/. */
  readonly crdFiles: readonly string[];
}

// Rendered with this namespace, then written as Helm's `{{ .Release.Namespace }}`: the chart installs
// into whatever namespace `helm install -n` names, as the vendor charts do.
const namespaceToken = 'release-namespace-token';

function dump(object: KubeObject): string {
  return yaml.dump(object, { lineWidth: -1, noRefs: true }).replaceAll(namespaceToken, '{{ .Release.Namespace }}');
}

/** vendorCrdFiles reads the CRD files of a product version from the fixtures folder (crds/<dir>/v<version>/*.yaml), as published. */
function vendorCrdFiles(fixturesDir: string, fact: ProductFact): Record<string, string> {
  const dir = join(fixturesDir, 'crds', fact.crdsDir, `v${fact.version}`);
  const files: Record<string, string> = {};
  for (const file of readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort())
    files[file] = readFileSync(join(dir, file), 'utf8');
  if (Object.keys(files).length === 0) throw new Error(`no CRD files in ${dir}`);
  return files;
}

function syntheticCrdFiles(fact: ProductFact): Record<string, string> {
  const files: Record<string, string> = {};
  for (const crd of crdFacts(fact).map(syntheticCrd))
    files[`${crd.metadata.name ?? ''}.yaml`] = yaml.dump(crd, { lineWidth: -1, noRefs: true });
  return files;
}

/** chartMembers lays out the chart's files under its name, as `helm package` does. */
function chartMembers(fact: ProductFact, crdFiles: Record<string, string>): TarMember[] {
  const name = fact.chart.name;
  const rendered = renderChart(fact, namespaceToken);
  const chartYaml: Record<string, unknown> = {
    apiVersion: fact.chart.apiVersion,
    name,
    version: fact.chart.version,
    ...(fact.chart.appVersion ? { appVersion: fact.chart.appVersion } : {}),
    ...(fact.chart.kubeVersion ? { kubeVersion: fact.chart.kubeVersion } : {}),
    description: `${name} as the project's product facts render it (a rehearsal chart for npm run demo)`,
  };
  // Templates holding several objects become one file, as in the vendor charts.
  const templates = new Map<string, string[]>();
  const hooks = [...rendered.hooks];
  for (const template of rendered.templates) {
    const objects: KubeObject[] = [];
    for (const object of template.objects) {
      // A Job's pod template is immutable, so a chart cannot ship one as a plain template that a
      // later version changes (helm upgrade would patch it and fail): Gloo Edge's
      // gloo-resource-rollout runs as a post-install/post-upgrade hook that Helm re-creates.
      if (object.kind === 'Job')
        hooks.push({
          path: template.path,
          object,
          events: ['post-install', 'post-upgrade'],
          weight: 5,
          deletePolicies: ['before-hook-creation'],
        });
      else objects.push(object);
    }
    templates.set(template.path, [...(templates.get(template.path) ?? []), ...objects.map(dump)]);
  }
  for (const hook of hooks) {
    const object = structuredClone(hook.object);
    object.metadata.annotations = {
      ...(object.metadata.annotations ?? {}),
      'helm.sh/hook': hook.events.join(','),
      'helm.sh/hook-weight': String(hook.weight),
      ...(hook.deletePolicies.length ? { 'helm.sh/hook-delete-policy': hook.deletePolicies.join(',') } : {}),
    };
    templates.set(hook.path, [...(templates.get(hook.path) ?? []), dump(object)]);
  }
  return [
    { name: `${name}/Chart.yaml`, content: yaml.dump(chartYaml, { lineWidth: -1 }) },
    { name: `${name}/values.yaml`, content: '# The rehearsal chart renders the default values; it takes none.\n' },
    ...[...templates].map(([path, docs]) => ({ name: `${name}/${path}`, content: docs.map((d) => `---\n${d}`).join('') })),
    ...Object.entries(crdFiles).map(([file, text]) => ({ name: `${name}/crds/${file}`, content: text })),
  ];
}

/**
 * productChart builds the chart of one PRODUCT@VERSION (see sandbox/products supportedInstalls),
 * with the vendor CRDs from `fixturesDir` or, when it is null, the synthetic ones.
 */
export function productChart(spec: string, fixturesDir: string | null): ProductChart {
  const fact = factsFor(spec);
  const crdFiles = fixturesDir ? vendorCrdFiles(fixturesDir, fact) : syntheticCrdFiles(fact);
  const { name, version } = fact.chart;
  return {
    spec,
    name,
    version,
    ...(fact.chart.appVersion ? { appVersion: fact.chart.appVersion } : {}),
    ...(fact.chart.kubeVersion ? { kubeVersion: fact.chart.kubeVersion } : {}),
    file: `charts/${name}-${version}.tgz`,
    data: tarGz(chartMembers(fact, crdFiles)),
    crdOrigin: fixturesDir ? 'vendor' : 'synthetic',
    crdFiles: Object.keys(crdFiles),
  };
}

/** The versions each rehearsal repository publishes (old, then new). */
export const rehearsalVersions = {
  'gloo-mesh': ['0.10.7', '0.11.3'],
  'gloo-edge': ['1.16.27', '1.17.0'],
  'nginx-service-mesh': ['1.7.0', '2.0.0'],
} as const;

/** The products the demo rehearses. */
export type RehearsedProduct = keyof typeof rehearsalVersions;

/** productCharts builds every chart a product's rehearsal repository serves. */
export function productCharts(product: RehearsedProduct, fixturesDir: string | null): ProductChart[] {
  return rehearsalVersions[product].map((version) => productChart(`${product}@${version}`, fixturesDir));
}
