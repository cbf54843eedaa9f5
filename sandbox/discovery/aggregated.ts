/**
 * Aggregated discovery (apidiscovery.k8s.io): one document for `/api` and one for `/apis` instead
 * of a request per group-version. kubectl 1.27–1.29 ask for v2beta1 only, 1.30+ for v2 first, and
 * all of them fall back to legacy discovery when the answer's Content-Type is not the aggregated one.
 */
import type { ResourceType } from '../api/types.js';
import { scaleKind, servedGroups } from './ordering.js';
import { subresourceVerbs } from '../resources/builtins.js';

/** Which aggregated discovery document version a client asked for. */
export type AggregatedVersion = 'v2' | 'v2beta1';

function resourceEntry(type: ResourceType): Record<string, unknown> {
  const entry: Record<string, unknown> = {
    resource: type.resource,
    responseKind: { group: type.group, version: type.version, kind: type.kind },
    scope: type.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: type.singular,
    verbs: type.verbs,
  };
  // Go's omitempty drops empty lists, and kubectl treats a missing list as empty.
  if (type.shortNames.length) entry.shortNames = type.shortNames;
  if (type.categories.length) entry.categories = type.categories;
  const subresources: object[] = [];
  if (type.subresources.scale) subresources.push({ subresource: 'scale', responseKind: { ...scaleKind }, verbs: subresourceVerbs });
  if (type.subresources.status)
    subresources.push({
      subresource: 'status',
      responseKind: { group: type.group, version: type.version, kind: type.kind },
      verbs: subresourceVerbs,
    });
  if (subresources.length) entry.subresources = subresources;
  return entry;
}

/**
 * aggregatedDiscovery builds the APIGroupDiscoveryList for `/api` (scope 'core') or `/apis` (scope 'apis').
 * The response Content-Type must be `aggregatedContentType(version)`.
 */
export function aggregatedDiscovery(types: ResourceType[], scope: 'core' | 'apis', version: AggregatedVersion): object {
  const groups = servedGroups(types).filter((g) => (scope === 'core' ? g.group === '' : g.group !== ''));
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: `apidiscovery.k8s.io/${version}`,
    metadata: {},
    items: groups.map((g) => ({
      // The core group has no name; Go omits the empty string and always writes creationTimestamp.
      metadata: g.group ? { name: g.group, creationTimestamp: null } : { creationTimestamp: null },
      versions: g.versions.map((v) => ({ version: v.version, resources: v.types.map(resourceEntry), freshness: 'Current' })),
    })),
  };
}

/** The Content-Type an aggregated discovery response must carry. */
export function aggregatedContentType(version: AggregatedVersion): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}

/** One entry of an Accept header: the media type and its parameters (lower-cased names). */
export interface MediaRange {
  type: string;
  params: Record<string, string>;
  quality: number;
}

/** parseAccept splits an Accept header into media ranges, most preferred first (stable for equal q). */
export function parseAccept(accept: string | undefined): MediaRange[] {
  if (!accept) return [];
  const ranges = accept
    .split(',')
    .map((part, index) => {
      const [type = '', ...rest] = part.split(';').map((s) => s.trim());
      const params: Record<string, string> = {};
      for (const p of rest) {
        const eq = p.indexOf('=');
        if (eq > 0)
          params[p.slice(0, eq).trim().toLowerCase()] = p
            .slice(eq + 1)
            .trim()
            .replace(/^"(.*)"$/, '$1');
      }
      const q = params.q === undefined ? 1 : Number(params.q);
      return { type: type.toLowerCase(), params, quality: Number.isNaN(q) ? 1 : q, index };
    })
    .filter((r) => r.type !== '' && r.quality > 0);
  ranges.sort((a, b) => b.quality - a.quality || a.index - b.index);
  return ranges.map(({ type, params, quality }) => ({ type, params, quality }));
}

function acceptsPlainJson(range: MediaRange): boolean {
  return (range.type === 'application/json' || range.type === 'application/*' || range.type === '*/*') && range.params.as === undefined;
}

/** negotiateAggregated reads an Accept header and returns the aggregated version to send, or undefined for legacy JSON. */
export function negotiateAggregated(accept: string | undefined): AggregatedVersion | undefined {
  for (const range of parseAccept(accept)) {
    if (range.type === 'application/json' && range.params.g === 'apidiscovery.k8s.io' && range.params.as === 'APIGroupDiscoveryList') {
      if (range.params.v === 'v2' || range.params.v === 'v2beta1') return range.params.v;
      continue; // a version this server does not speak: try the client's next choice
    }
    // The client prefers plain JSON (or anything) over what follows: legacy discovery it is.
    if (acceptsPlainJson(range)) return undefined;
  }
  return undefined;
}
