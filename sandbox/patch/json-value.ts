/**
 * Plain-JSON helpers shared by the patch engines and server-side apply. Objects reaching the
 * sandbox are always JSON (decoded from a request body), so structural copies and comparisons
 * are exact.
 */

/** A JSON object. */
export type JsonObject = Record<string, unknown>;

/** isJsonObject is true for a non-null, non-array object. */
export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * deepClone copies a JSON value. Plain objects and arrays are copied by a direct walk (several
 * times faster than structuredClone for the small objects every write copies); anything else
 * that is not a primitive (a Uint8Array, a Date) goes through structuredClone.
 */
export function deepClone<T>(value: T): T {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const copy = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) copy[i] = deepClone(value[i] as unknown);
    return copy as T;
  }
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (prototype !== Object.prototype && prototype !== null) return structuredClone(value);
  const copy: JsonObject = {};
  for (const key of Object.keys(value)) copy[key] = deepClone((value as JsonObject)[key]);
  return copy as T;
}

/** deepEqual compares two JSON values structurally (object key order does not matter, as in Go's reflect.DeepEqual on maps). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isJsonObject(a)) {
    if (!isJsonObject(b)) return false;
    const keys = Object.keys(a);
    if (keys.length !== Object.keys(b).length) return false;
    return keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && deepEqual(a[k], b[k]));
  }
  return false;
}
