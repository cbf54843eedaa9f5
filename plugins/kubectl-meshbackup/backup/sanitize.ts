/**
 * Sanitizing: strip the fields the server owns so an object can be created again (kubectl-neat's
 * list, plus stale ownerReferences whose UIDs die with the old objects). Status is kept only when asked.
 */
import type { KubeObject } from '../../../shared/kube/ports.js';

/** serverOwnedMetadata lists the metadata fields a create must not carry. */
export const serverOwnedMetadata = [
  'uid',
  'resourceVersion',
  'generation',
  'managedFields',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'selfLink',
  'ownerReferences',
] as const;

/** SanitizePolicy is recorded in the manifest so a reader knows what was removed. */
export interface SanitizePolicy {
  readonly removedMetadata: readonly string[];
  readonly status: 'kept' | 'removed';
}

/** sanitizePolicy describes what {@link sanitize} does with the given status choice. */
export function sanitizePolicy(includeStatus: boolean): SanitizePolicy {
  return { removedMetadata: [...serverOwnedMetadata], status: includeStatus ? 'kept' : 'removed' };
}

/** sanitize returns a copy of `object` without server-owned fields (and without status unless includeStatus). */
export function sanitize(object: KubeObject, options: { includeStatus?: boolean } = {}): KubeObject {
  const copy: KubeObject = { ...object };
  if (!options.includeStatus) delete copy.status;
  if (copy.metadata) {
    const metadata = { ...copy.metadata };
    for (const field of serverOwnedMetadata) delete metadata[field];
    copy.metadata = metadata;
  }
  return copy;
}
