/**
 * What installing a chart renders, grouped the way Helm keeps it: templates (in the release
 * manifest, each under a `# Source:` header), hooks (stored apart, run around the install), and
 * the CRDs of the chart's crds/ folder (installed first, in neither).
 */
import yaml from 'js-yaml';
import type { KubeObject } from '../api/types.js';

/** One template file's objects. */
export interface RenderedTemplate {
  /** The template path inside the chart: `templates/deployment.yaml`. */
  path: string;
  objects: KubeObject[];
}

/** A hook resource. */
export interface RenderedHook {
  path: string;
  object: KubeObject;
  events: string[];
  weight: number;
  deletePolicies: string[];
}

/** A chart's rendering for one release. */
export interface RenderedChart {
  templates: RenderedTemplate[];
  hooks: RenderedHook[];
}

/** renderManifest joins templates as Helm's release manifest does: `---\n# Source: <chart>/<path>\n<yaml>`. */
export function renderManifest(chartName: string, templates: RenderedTemplate[]): string {
  return templates.flatMap((t) => t.objects.map((o) => `---\n# Source: ${chartName}/${t.path}\n${dumpObject(o)}`)).join('\n');
}

/** dumpObject writes one object as YAML, keys in the order the template wrote them. */
export function dumpObject(object: KubeObject): string {
  return yaml.dump(object, { lineWidth: -1, noRefs: true });
}
