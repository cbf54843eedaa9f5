/**
 * The sandbox's patch engines and server-side apply, as pure functions over JSON objects.
 * The HTTP layer picks one by Content-Type; see apiserver-surface.md §3 and §6 item 6.
 */
import { unsupportedMediaType } from '../api/status.js';
import type { KubeObject, ResourceType } from '../api/types.js';
import { applyJsonPatchDocument, asPatchedObject } from './json-patch.js';
import { applyMergePatchDocument } from './merge-patch.js';
import { strategicMergeDocument } from './strategic-merge-patch.js';

export {
  applyServerSide,
  recordUpdateManager,
  recordUpdateManagerInPlace,
  beforeFirstApplyManager,
  lastAppliedAnnotation,
} from './server-side-apply.js';
export type { ApplyRequest } from './server-side-apply.js';
export { applyJsonPatchDocument, jsonPatchRejected } from './json-patch.js';
export { applyMergePatchDocument, mergePatchValue } from './merge-patch.js';
export { FieldSet, fieldSetOf, describePath } from './field-set.js';
export { builtinListSchema, type ListSchema } from './strategic-merge-keys.js';

/** applyJsonPatch applies an RFC 6902 JSON patch; a body that is not a patch is 400, an operation that fails is 422 (as a real server). */
export function applyJsonPatch(target: KubeObject, operations: unknown): KubeObject {
  return asPatchedObject(applyJsonPatchDocument(target, operations)) as KubeObject;
}

/** applyMergePatch applies an RFC 7386 JSON merge patch. */
export function applyMergePatch(target: KubeObject, patch: unknown): KubeObject {
  return asPatchedObject(applyMergePatchDocument(target, patch)) as KubeObject;
}

/** applyStrategicMergePatch applies a strategic-merge patch to a built-in kind (merge keys, $patch, $setElementOrder, $retainKeys, $deleteFromPrimitiveList). Custom resources get 415, as from a real server. */
export function applyStrategicMergePatch(type: ResourceType, target: KubeObject, patch: unknown): KubeObject {
  if (!type.builtin) throw unsupportedMediaType('application/strategic-merge-patch+json');
  return strategicMergeDocument(type.kind, target, patch) as KubeObject;
}
