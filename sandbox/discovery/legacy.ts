// CONTRACT STUB (owner: discovery/openapi helper) — replace the bodies, keep the signatures.
import type { ResourceType } from '../api/types.js';

/** `/api`: APIVersions. */
export function apiVersions(): object {
  return {};
}
/** `/apis`: APIGroupList built from the served resource types. */
export function apiGroupList(_types: ResourceType[]): object {
  return {};
}
/** `/api/v1` or `/apis/G/V`: APIResourceList, or undefined when that group-version is not served. */
export function apiResourceList(_types: ResourceType[], _group: string, _version: string): object | undefined {
  return undefined;
}
