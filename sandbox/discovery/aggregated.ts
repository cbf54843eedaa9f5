// CONTRACT STUB (owner: discovery/openapi helper) — replace the bodies, keep the signatures.
import type { ResourceType } from '../api/types.js';

/** Which aggregated discovery document version a client asked for. */
export type AggregatedVersion = 'v2' | 'v2beta1';

/**
 * aggregatedDiscovery builds the APIGroupDiscoveryList for `/api` (scope 'core') or `/apis` (scope 'apis').
 * The response Content-Type must be `aggregatedContentType(version)`.
 */
export function aggregatedDiscovery(_types: ResourceType[], _scope: 'core' | 'apis', _version: AggregatedVersion): object {
  return {};
}
/** The Content-Type an aggregated discovery response must carry. */
export function aggregatedContentType(version: AggregatedVersion): string {
  return `application/json;g=apidiscovery.k8s.io;v=${version};as=APIGroupDiscoveryList`;
}
/** negotiateAggregated reads an Accept header and returns the aggregated version to send, or undefined for legacy JSON. */
export function negotiateAggregated(_accept: string | undefined): AggregatedVersion | undefined {
  return undefined;
}
