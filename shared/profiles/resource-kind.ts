/**
 * A compact constructor for ResourceKind entries, so the built-in profiles read like a table.
 */
import type { ResourceKind } from './types.js';

/** resourceKind builds a namespaced, restorable ResourceKind unless `options` says otherwise. */
export function resourceKind(
  group: string,
  versions: readonly string[],
  kind: string,
  plural: string,
  options: { namespaced?: boolean; restore?: boolean; note?: string; since?: string } = {},
): ResourceKind {
  return {
    group,
    versions,
    kind,
    plural,
    namespaced: options.namespaced ?? true,
    restore: options.restore ?? true,
    ...(options.note ? { note: options.note } : {}),
    ...(options.since ? { since: options.since } : {}),
  };
}
