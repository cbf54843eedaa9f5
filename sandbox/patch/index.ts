// CONTRACT STUB (owner: patch/validation helper) — replace the bodies, keep the signatures.
import type { KubeObject, ResourceType } from '../api/types.js';

/** applyJsonPatch applies an RFC 6902 JSON patch; a failed test or bad path throws ApiError (422 / 400 as a real server). */
export function applyJsonPatch(_target: KubeObject, _operations: unknown): KubeObject {
  throw new Error('not implemented');
}
/** applyMergePatch applies an RFC 7386 JSON merge patch. */
export function applyMergePatch(_target: KubeObject, _patch: unknown): KubeObject {
  throw new Error('not implemented');
}
/** applyStrategicMergePatch applies a strategic-merge patch to a built-in kind (merge keys, $patch, $setElementOrder, $retainKeys, $deleteFromPrimitiveList). */
export function applyStrategicMergePatch(_type: ResourceType, _target: KubeObject, _patch: unknown): KubeObject {
  throw new Error('not implemented');
}

/** The inputs of a server-side apply. */
export interface ApplyRequest {
  type: ResourceType;
  /** The live object, or undefined when the apply creates it. */
  live: KubeObject | undefined;
  /** The applied configuration (already parsed from YAML/JSON). */
  applied: KubeObject;
  fieldManager: string;
  force: boolean;
  /** RFC3339 time for the managedFields entry. */
  now: string;
}
/** applyServerSide merges an applied configuration into the live object with field ownership (managedFields); conflicts throw ApiError 409 with FieldManagerConflict causes unless force. */
export function applyServerSide(_request: ApplyRequest): KubeObject {
  throw new Error('not implemented');
}
/** recordUpdateManager updates managedFields for a non-apply write (create/update/patch) by `manager` (operation Update). */
export function recordUpdateManager(_type: ResourceType, _before: KubeObject | undefined, after: KubeObject, _manager: string, _now: string): KubeObject {
  return after;
}
