// CONTRACT STUB (owner: discovery/openapi helper) — replace the bodies, keep the signatures.
import type { ResourceType } from '../api/types.js';

/** `/openapi/v3`: the root listing one path per served group-version, each with a content hash. */
export function openApiV3Root(_types: ResourceType[]): object {
  return { paths: {} };
}
/** `/openapi/v3/api/v1` or `/openapi/v3/apis/G/V`, or undefined when not served. */
export function openApiV3Document(_types: ResourceType[], _group: string, _version: string): object | undefined {
  return undefined;
}
