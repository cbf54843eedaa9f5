/**
 * RFC 7386 JSON merge patch, as evanphx/json-patch's MergePatch applies it for kube-apiserver
 * (apiserver/pkg/endpoints/handlers/patch.go): a patch that is null or a scalar is
 * ErrBadJSONPatch ("Invalid JSON Patch"), answered with 400 BadRequest.
 */
import { badRequest } from '../api/status.js';
import { deepClone, isJsonObject } from './json-value.js';

/** mergePatchValue merges `patch` into `target` per RFC 7386 §2 and returns a new value. */
export function mergePatchValue(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return deepClone(patch);
  const result: Record<string, unknown> = isJsonObject(target) ? deepClone(target) : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatchValue(result[key], value);
  }
  return result;
}

/** applyMergePatchDocument applies an RFC 7386 merge patch to a whole document. */
export function applyMergePatchDocument(target: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object') throw badRequest('Invalid JSON Patch');
  // An array patch replaces the document (RFC 7386); evanphx strips nulls from it first.
  if (Array.isArray(patch)) return patch.filter((item) => item !== null).map((item) => deepClone(item));
  return mergePatchValue(target, patch);
}
