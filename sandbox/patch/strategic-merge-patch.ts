/**
 * Strategic merge patch for the built-in kinds, after apimachinery/pkg/util/strategicpatch
 * (patch.go mergeMap / mergeSlice / normalizeElementOrder): lists merge per the struct tags in
 * strategic-merge-keys.ts, and the directives kubectl and controllers send are honoured:
 * `$patch: replace|delete|merge`, `$retainKeys`, `$setElementOrder/<list>` and
 * `$deleteFromPrimitiveList/<list>`.
 */
import { ApiError, badRequest } from '../api/status.js';
import { deepClone, deepEqual, isJsonObject, type JsonObject } from './json-value.js';
import { builtinListSchema, pathString } from './strategic-merge-keys.js';

const patchDirective = '$patch';
const retainKeysDirective = '$retainKeys';
const setElementOrderPrefix = '$setElementOrder/';
const deleteFromPrimitiveListPrefix = '$deleteFromPrimitiveList/';

/** A deletion marker returned by mergeMap for `$patch: delete`. */
const deleted = Symbol('deleted');

/** isDirectiveKey is true for the `$…` keys that steer a strategic merge rather than carry data. */
function isDirectiveKey(key: string): boolean {
  return (
    key === patchDirective ||
    key === retainKeysDirective ||
    key.startsWith(setElementOrderPrefix) ||
    key.startsWith(deleteFromPrimitiveListPrefix)
  );
}

class StrategicMerger {
  constructor(private readonly kind: string) {}

  mergeMap(original: JsonObject, patch: JsonObject, path: string[]): JsonObject | typeof deleted {
    const directive = patch[patchDirective];
    if (directive === 'delete') return deleted;
    // `$patch: replace` on a map: the patch (without directives) is the new value.
    if (directive === 'replace') return this.mergeMap({}, withoutKey(patch, patchDirective), path) as JsonObject;
    if (directive !== undefined && directive !== 'merge') {
      throw badRequest(`Unable to find the directive in the patch ${String(directive)}`);
    }
    const result = deepClone(original);
    const retain = patch[retainKeysDirective];
    if (retain !== undefined) {
      if (!Array.isArray(retain)) throw badRequest('invalid patch: $retainKeys must be a list of strings');
      // The union fields not listed are dropped before merging (patchStrategy "retainKeys").
      for (const key of Object.keys(result)) if (!retain.includes(key)) delete result[key];
    }
    for (const [key, value] of Object.entries(patch)) {
      if (!key.startsWith(deleteFromPrimitiveListPrefix)) continue;
      const field = key.slice(deleteFromPrimitiveListPrefix.length);
      if (!Array.isArray(value)) throw badRequest('invalid patch: $deleteFromPrimitiveList must be a list');
      const current = result[field];
      if (Array.isArray(current)) result[field] = current.filter((item) => !value.some((v) => deepEqual(v, item)));
    }
    for (const [key, value] of Object.entries(patch)) {
      if (isDirectiveKey(key)) continue;
      if (value === null) {
        delete result[key];
        continue;
      }
      const childPath = [...path, key];
      const current = result[key];
      if (isJsonObject(value)) {
        const merged = this.mergeMap(isJsonObject(current) ? current : {}, value, childPath);
        if (merged === deleted) delete result[key];
        else result[key] = merged;
      } else if (Array.isArray(value)) {
        result[key] = this.mergeList(Array.isArray(current) ? current : [], value, childPath, patch[`${setElementOrderPrefix}${key}`]);
      } else {
        result[key] = value;
      }
    }
    // `$setElementOrder/<list>` can arrive without the list itself (only a reorder, or only deletions).
    for (const [key, order] of Object.entries(patch)) {
      if (!key.startsWith(setElementOrderPrefix)) continue;
      const field = key.slice(setElementOrderPrefix.length);
      const current = result[field];
      if (Object.prototype.hasOwnProperty.call(patch, field) || !Array.isArray(current)) continue;
      if (!Array.isArray(order)) throw badRequest('invalid patch: $setElementOrder must be a list');
      const schema = builtinListSchema(this.kind, pathString([...path, field]));
      if (schema?.strategy === 'merge') result[field] = sortByOrder(current, current, order, schema.mergeKey);
    }
    return result;
  }

  mergeList(original: unknown[], patch: unknown[], path: string[], order: unknown): unknown[] {
    const schema = builtinListSchema(this.kind, pathString(path));
    const itemPath = [...path, '[]'];
    if (!schema || schema.strategy !== 'merge') return patch.map((item) => this.fresh(item, itemPath));
    if (order !== undefined && !Array.isArray(order)) throw badRequest('invalid patch: $setElementOrder must be a list');
    // A `{"$patch": "replace"}` item makes the rest of the patch list the new list.
    if (patch.some((item) => isJsonObject(item) && item[patchDirective] === 'replace')) {
      return patch.filter((item) => !(isJsonObject(item) && item[patchDirective] === 'replace')).map((item) => this.fresh(item, itemPath));
    }
    let result: unknown[];
    if (!schema.mergeKey) {
      // A merged list of scalars (metadata.finalizers): a union that keeps the live order first.
      result = [...original];
      for (const item of patch) if (!result.some((existing) => deepEqual(existing, item))) result.push(item);
    } else {
      const key = schema.mergeKey;
      result = original.map((item) => deepClone(item));
      for (const item of patch) {
        if (!isJsonObject(item)) throw badRequest(`invalid patch: list item at ${pathString(path)} is not an object`);
        if (item[patchDirective] === 'delete') {
          result = result.filter((existing) => !(isJsonObject(existing) && deepEqual(existing[key], item[key])));
          continue;
        }
        if (item[key] === undefined) {
          // strategicpatch's mergepatch.ErrNoMergeKey is not one of the errors patch.go maps to a 4xx, so it surfaces as 500.
          throw new ApiError(500, 'InternalError', `map: ${goMap(item)} does not contain declared merge key: ${key}`);
        }
        const index = result.findIndex((existing) => isJsonObject(existing) && deepEqual(existing[key], item[key]));
        const merged = this.mergeMap(index >= 0 ? (result[index] as JsonObject) : {}, item, itemPath);
        if (merged === deleted) continue;
        if (index >= 0) result[index] = merged;
        else result.push(merged);
      }
    }
    return Array.isArray(order) ? sortByOrder(result, original, order, schema.mergeKey) : result;
  }

  /** fresh turns a patch value with no live counterpart into plain data (directives stripped). */
  private fresh(value: unknown, path: string[]): unknown {
    if (isJsonObject(value)) {
      const merged = this.mergeMap({}, value, path);
      return merged === deleted ? {} : merged;
    }
    return deepClone(value);
  }
}

function withoutKey(object: JsonObject, key: string): JsonObject {
  const copy = { ...object };
  delete copy[key];
  return copy;
}

function goMap(object: JsonObject): string {
  return `map[${Object.keys(object)
    .sort()
    .map((k) => `${k}:${String(object[k])}`)
    .join(' ')}]`;
}

/**
 * sortByOrder reproduces normalizeElementOrder/mergeSortedSlice: the items named by
 * `$setElementOrder` come in that order; items only the server had keep their server position
 * relative to them.
 */
function sortByOrder(items: unknown[], serverOrder: unknown[], order: unknown[], mergeKey: string | undefined): unknown[] {
  const identity = (item: unknown): unknown => (mergeKey && isJsonObject(item) ? item[mergeKey] : item);
  const indexIn = (list: unknown[], item: unknown): number => list.findIndex((candidate) => deepEqual(identity(candidate), identity(item)));
  const ordered = items.filter((item) => indexIn(order, item) >= 0).sort((a, b) => indexIn(order, a) - indexIn(order, b));
  const serverOnly = items.filter((item) => indexIn(order, item) < 0);
  const result: unknown[] = [];
  let i = 0;
  let j = 0;
  while (i < serverOnly.length || j < ordered.length) {
    if (i >= serverOnly.length) result.push(ordered[j++]);
    else if (j >= ordered.length) result.push(serverOnly[i++]);
    else {
      const li = indexIn(serverOrder, serverOnly[i]);
      const ri = indexIn(serverOrder, ordered[j]);
      if (li >= 0 && ri >= 0 && li < ri) result.push(serverOnly[i++]);
      else result.push(ordered[j++]);
    }
  }
  return result;
}

/** strategicMergeDocument applies a strategic-merge patch to an object of the built-in `kind`. */
export function strategicMergeDocument(kind: string, target: JsonObject, patch: unknown): JsonObject {
  // patch.go decodes the body into map[string]interface{}; anything else is a 400.
  if (!isJsonObject(patch))
    throw badRequest(
      `json: cannot unmarshal ${Array.isArray(patch) ? 'array' : typeof patch} into Go value of type map[string]interface {}`,
    );
  const merged = new StrategicMerger(kind).mergeMap(target, patch, []);
  return merged === deleted ? {} : merged;
}
