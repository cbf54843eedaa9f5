/**
 * Unknown fields of a custom resource, for `fieldValidation`. Schema pruning removes them; the
 * real server reports what it would prune as "strict decoding error: unknown field "spec.x""
 * (Strict: 400) or as a Warning header (Warn, the default since 1.27), and prunes silently with Ignore.
 */

/** prunedPaths lists, in the real server's notation, the fields present in `before` and missing from `after`. */
export function prunedPaths(before: unknown, after: unknown, prefix = ''): string[] {
  if (Array.isArray(before) && Array.isArray(after)) {
    return before.flatMap((item, i) => prunedPaths(item, after[i], `${prefix}[${i}]`));
  }
  if (!isObject(before) || !isObject(after)) return [];
  const out: string[] = [];
  for (const key of Object.keys(before)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (!(key in after)) out.push(path);
    else out.push(...prunedPaths(before[key], after[key], path));
  }
  return out;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
