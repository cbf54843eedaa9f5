/**
 * Unknown fields of a custom resource, for `fieldValidation`. Schema pruning removes them; the
 * real server reports what it would prune as "strict decoding error: unknown field "spec.x""
 * (Strict: 400) or as a Warning header (Warn, the default since 1.27), and prunes silently with Ignore.
 */

/** prunedPaths lists, in the real server's notation, the fields present in `before` and missing from `after`. */
export function prunedPaths(before: unknown, after: unknown, prefix = ''): string[] {
  const out: string[] = [];
  collectPruned(before, after, prefix, out);
  return out;
}

/** collectPruned appends to `out` in the order prunedPaths lists: depth first, in `before`'s key order. */
function collectPruned(before: unknown, after: unknown, prefix: string, out: string[]): void {
  if (Array.isArray(before) && Array.isArray(after)) {
    for (let i = 0; i < before.length; i++) collectPruned(before[i], after[i], `${prefix}[${i}]`, out);
    return;
  }
  if (!isObject(before) || !isObject(after)) return;
  for (const key of Object.keys(before)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (!(key in after)) out.push(path);
    else collectPruned(before[key], after[key], path, out);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
