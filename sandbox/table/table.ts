// CONTRACT STUB (owner: discovery/openapi helper) — replace the body, keep the signature.
import type { KubeObject, ResourceType } from '../api/types.js';

/** wantsTable tells whether an Accept header asks for a meta.k8s.io Table. */
export function wantsTable(_accept: string | undefined): boolean {
  return false;
}
/** toTable renders objects as a meta.k8s.io/v1 Table (columns per kind, rows carrying PartialObjectMetadata). */
export function toTable(_type: ResourceType, _objects: KubeObject[], _listMeta: { resourceVersion: string; continue?: string; remainingItemCount?: number }): object {
  return {};
}
