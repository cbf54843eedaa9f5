/**
 * Server-side apply and field ownership, after k8s.io/apiserver's fieldmanager and
 * sigs.k8s.io/structured-merge-diff: every write records which manager set which fields in
 * metadata.managedFields, an apply sets exactly the fields of its configuration, removes the
 * fields it applied before and no longer does (unless someone else owns them), and refuses with
 * 409 FieldManagerConflict to change a value another manager owns unless forced.
 */
import { ApiError, badRequest, invalid } from '../api/status.js';
import type { KubeObject, ManagedFieldsEntry, ResourceType } from '../api/types.js';
import { deepClone, deepEqual, isJsonObject, type JsonObject } from './json-value.js';
import { describePath, fieldSetOf, fieldsV1Of, FieldSet, ListTypes, removeAt, valueAt, type FieldPath } from './field-set.js';

/** The manager that owns what an object held before its first apply (fieldmanager's beforeFirstApplyManager). */
export const beforeFirstApplyManager = 'before-first-apply';

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

interface Conflict {
  entry: ManagedFieldsEntry;
  path: FieldPath;
}

function entrySet(entry: ManagedFieldsEntry): FieldSet {
  return FieldSet.fromFieldsV1(entry.fieldsV1);
}

function withSet(entry: ManagedFieldsEntry, set: FieldSet): ManagedFieldsEntry {
  return { ...entry, fieldsV1: set.toFieldsV1() };
}

/** printManager names a manager as apply conflicts do: Update managers carry their apiVersion (fieldmanager printManager). */
function printManager(entry: ManagedFieldsEntry): string {
  let name = JSON.stringify(entry.manager);
  if (entry.subresource) name += ` with subresource ${JSON.stringify(entry.subresource)}`;
  return entry.operation === 'Update' ? `${name} using ${entry.apiVersion}` : name;
}

/** conflictError builds the 409 of fieldmanager's NewConflictError, message included. */
function conflictError(conflicts: Conflict[]): ApiError {
  const causes = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${printManager(c.entry)}`,
    field: describePath(c.path),
  }));
  let message: string;
  const first = conflicts[0];
  if (conflicts.length === 1 && first) {
    message = `Apply failed with 1 conflict: conflict with ${printManager(first.entry)}: ${describePath(first.path)}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const c of conflicts)
      byManager.set(printManager(c.entry), [...(byManager.get(printManager(c.entry)) ?? []), describePath(c.path)]);
    const lines: string[] = [];
    for (const manager of [...byManager.keys()].sort()) {
      lines.push(`conflicts with ${manager}:`);
      for (const path of byManager.get(manager) ?? []) lines.push(`- ${path}`);
    }
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new ApiError(409, 'Conflict', message, { causes });
}

/**
 * mergeApplied merges an applied configuration into the live value the way structured-merge-diff
 * does. Both are the caller's private copies (applyServerSide clones the live object once and
 * stripForMerge the configuration), so containers are copied shallowly on the way down and
 * untouched subtrees are shared: copying each level's whole subtree again cost time proportional
 * to size × depth, seconds for a deep CRD schema.
 */
function mergeApplied(live: unknown, applied: unknown, segments: string[], types: ListTypes): unknown {
  if (isJsonObject(applied) && !types.atomicMap(segments)) {
    const result: JsonObject = isJsonObject(live) ? { ...live } : {};
    for (const [key, value] of Object.entries(applied)) {
      if (value === null) delete result[key];
      else result[key] = mergeApplied(result[key], value, [...segments, key], types);
    }
    return result;
  }
  if (Array.isArray(applied) && Array.isArray(live)) {
    const schema = types.list(segments);
    if (schema?.listType === 'set') {
      const result = [...(live as unknown[])];
      for (const item of applied) if (!result.some((existing) => deepEqual(existing, item))) result.push(item);
      return result;
    }
    if (schema?.listType === 'map') {
      const result = [...(live as unknown[])];
      applied.forEach((item, index) => {
        const element = types.itemElement(schema, item, index);
        const existing = result.findIndex((candidate, i) => types.itemElement(schema, candidate, i) === element);
        const merged = mergeApplied(existing >= 0 ? result[existing] : undefined, item, [...segments, '[]'], types);
        if (existing >= 0) result[existing] = merged;
        else result.push(merged);
      });
      return result;
    }
  }
  return applied;
}

/** managedFieldsOf reads an object's managedFields (an absent or malformed list counts as none). */
function managedFieldsOf(object: KubeObject | undefined): ManagedFieldsEntry[] {
  const entries = object?.metadata?.managedFields;
  return Array.isArray(entries) ? entries.filter((e) => isJsonObject(e) && typeof e.manager === 'string').map((e) => deepClone(e)) : [];
}

function dropEmpty(entries: ManagedFieldsEntry[]): ManagedFieldsEntry[] {
  return entries.filter((entry) => Object.keys(entry.fieldsV1 ?? {}).length > 0);
}

/** applyServerSide merges an applied configuration into the live object with field ownership; conflicts throw 409 unless forced. */
export function applyServerSide(request: ApplyRequest): KubeObject {
  const { type, live, applied, fieldManager, force, now } = request;
  // ValidatePatchOptions: an apply without a field manager is a 422 on PatchOptions.
  if (!fieldManager)
    throw invalid('meta.k8s.io', 'PatchOptions', '', [
      { reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' },
    ]);
  if (Array.isArray(applied.metadata?.managedFields) && applied.metadata.managedFields.length > 0) {
    // fieldmanager's applyPatcher rejects an apply configuration that carries managedFields.
    throw badRequest('metadata.managedFields must be nil');
  }
  const types = new ListTypes(type);
  const skipStatus = type.subresources.status;
  const appliedConfig = deepClone(applied) as JsonObject;
  if (skipStatus) delete appliedConfig.status;
  const appliedItems = new FieldSet();
  const appliedSet = fieldSetOf(appliedConfig, types, { skipStatus, containers: appliedItems });

  let entries = managedFieldsOf(live);
  if (live && entries.length === 0) {
    // An object nobody has claimed yet: everything it holds belongs to before-first-apply, so
    // the first apply can conflict with it like with any other manager.
    const everything = fieldSetOf(live, types, { skipStatus });
    if (everything.size > 0) {
      entries.push({
        manager: beforeFirstApplyManager,
        operation: 'Update',
        apiVersion: live.apiVersion,
        fieldsType: 'FieldsV1',
        fieldsV1: everything.toFieldsV1(),
      });
    }
  }
  const isOwn = (e: ManagedFieldsEntry): boolean => e.manager === fieldManager && e.operation === 'Apply' && !e.subresource;
  const previous = entries.find(isOwn);
  const previousSet = previous ? entrySet(previous) : new FieldSet();

  const base: JsonObject = live ? deepClone(live) : { apiVersion: applied.apiVersion, kind: applied.kind, metadata: {} };
  const merged = mergeApplied(base, stripForMerge(appliedConfig), [], types) as KubeObject;

  // A field conflicts when this apply changes its value and another manager owns it.
  // A list item itself only changes by appearing; changes inside it are its fields' business.
  const changed = appliedSet
    .paths()
    .filter((path) =>
      appliedItems.has(path) ? valueAt(live, path) === undefined : !deepEqual(valueAt(live, path), valueAt(merged, path)),
    );
  const conflicts: Conflict[] = [];
  for (const entry of entries) {
    if (isOwn(entry)) continue;
    const owned = entrySet(entry);
    for (const path of changed) if (owned.has(path)) conflicts.push({ entry, path });
  }
  if (conflicts.length > 0) {
    // structured-merge-diff reports conflicts in field-path order.
    conflicts.sort((a, b) => (describePath(a.path) < describePath(b.path) ? -1 : describePath(a.path) > describePath(b.path) ? 1 : 0));
    if (!force) throw conflictError(conflicts);
    // --force-conflicts moves ownership of the contested fields to this manager.
    entries = entries.map((entry) => {
      if (isOwn(entry)) return entry;
      const taken = conflicts.filter((c) => c.entry === entry).map((c) => c.path);
      if (taken.length === 0) return entry;
      const owned = entrySet(entry);
      for (const path of taken) owned.delete(path);
      return withSet(entry, owned);
    });
  }

  // Fields this manager applied before and no longer does are removed, unless another manager still owns them.
  let others = new FieldSet();
  for (const entry of entries) if (!isOwn(entry)) others = others.union(entrySet(entry));
  const removable = previousSet
    .difference(appliedSet)
    .difference(others)
    .paths()
    .filter((path) => !others.hasDescendantOf(path) && !appliedSet.hasDescendantOf(path));
  // Removing a list item takes its fields with it; removing those first would lose the item's key.
  const removableSet = FieldSet.of(removable);
  for (const path of removable) {
    if (!path.some((_, i) => i > 0 && removableSet.has(path.slice(0, i)))) removeAt(merged, path);
  }

  syncLastApplied(merged, applied, fieldManager);

  const entry: ManagedFieldsEntry = {
    manager: fieldManager,
    operation: 'Apply',
    apiVersion: applied.apiVersion,
    time: now,
    fieldsType: 'FieldsV1',
    fieldsV1: appliedSet.toFieldsV1(),
  };
  const next = previous ? entries.map((e) => (isOwn(e) ? entry : e)) : [...entries, entry];
  merged.metadata = { ...(isJsonObject(merged.metadata) ? merged.metadata : {}), managedFields: dropEmpty(next) };
  return merged;
}

/** The annotation client-side apply keeps its last applied configuration in. */
export const lastAppliedAnnotation = 'kubectl.kubernetes.io/last-applied-configuration';

/** sortedJson encodes like Go's encoding/json on unstructured maps: keys sorted, then the Encoder's newline. */
function sortedJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (isJsonObject(v))
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .map((k) => [k, sort(v[k])]),
      );
    return v;
  };
  return `${JSON.stringify(sort(value))}\n`;
}

/**
 * syncLastApplied is fieldmanager's lastAppliedUpdater: an apply by the "kubectl" manager to an
 * object that still carries the client-side last-applied annotation rewrites it to the applied
 * configuration, so a later client-side apply computes its patch from the right base. An
 * annotation that would break the 256 KiB budget is dropped instead.
 */
function syncLastApplied(merged: KubeObject, applied: KubeObject, fieldManager: string): void {
  const annotations = merged.metadata?.annotations;
  if (fieldManager !== 'kubectl' || !annotations || !(lastAppliedAnnotation in annotations)) return;
  const config = deepClone(applied);
  if (config.metadata?.annotations) {
    delete config.metadata.annotations[lastAppliedAnnotation];
    if (Object.keys(config.metadata.annotations).length === 0) delete config.metadata.annotations;
  }
  annotations[lastAppliedAnnotation] = sortedJson(config);
  const size = Object.entries(annotations).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(String(v)), 0);
  if (size > 256 * 1024) delete annotations[lastAppliedAnnotation];
}

/** stripForMerge drops what an apply configuration may carry but never merges (its own managedFields). */
function stripForMerge(config: JsonObject): JsonObject {
  const copy = deepClone(config);
  if (isJsonObject(copy.metadata)) delete copy.metadata.managedFields;
  return copy;
}

/**
 * recordUpdateManager records a non-apply write (create, update, patch) by `manager` as an
 * Update entry owning the fields the write set or changed, and takes those fields away from
 * every other manager: that is how a later apply comes to conflict with, say,
 * kubectl-client-side-apply or kubectl-scale (fieldmanager's Update). Writes through a
 * subresource (`status`, `scale`) pass its name, which the entry records and conflicts print.
 */
export function recordUpdateManager(
  type: ResourceType,
  before: KubeObject | undefined,
  after: KubeObject,
  manager: string,
  now: string,
  subresource?: string,
): KubeObject {
  const entries = updatedManagedFields(type, before, after, manager, now, subresource);
  // Only metadata.managedFields changes: a shallow copy with new metadata leaves `after` intact.
  const result: KubeObject = { ...after };
  result.metadata = { ...(isJsonObject(result.metadata) ? result.metadata : {}), managedFields: entries };
  if (result.metadata.managedFields?.length === 0) delete result.metadata.managedFields;
  return result;
}

/**
 * recordUpdateManagerInPlace is recordUpdateManager for a caller that owns `after` and its
 * metadata (the write pipeline's own fresh copy): it sets or removes metadata.managedFields on
 * `after` itself, with the same result (same keys in the same order) and no copies.
 */
export function recordUpdateManagerInPlace(
  type: ResourceType,
  before: KubeObject | undefined,
  after: KubeObject,
  manager: string,
  now: string,
  subresource?: string,
): KubeObject {
  const entries = updatedManagedFields(type, before, after, manager, now, subresource);
  if (!isJsonObject(after.metadata)) after.metadata = {};
  // An existing key keeps its place and a new one goes last, as in the spread; an empty list means none.
  if (entries.length > 0) after.metadata.managedFields = entries;
  else if ('managedFields' in after.metadata) delete after.metadata.managedFields;
  return after;
}

/** The managedFields a non-apply write leaves (empty: none). */
function updatedManagedFields(
  type: ResourceType,
  before: KubeObject | undefined,
  after: KubeObject,
  manager: string,
  now: string,
  subresource?: string,
): ManagedFieldsEntry[] {
  const types = new ListTypes(type);
  // A client that sends managedFields replaces them (that is how they are reset); one that sends none keeps the live ones.
  const sent = managedFieldsOf(after);
  if (!before && sent.length === 0) {
    // A plain create: no one owned anything, and the writer owns every field it set.
    const fieldsV1 = fieldsV1Of(after, types, { includeMaps: true });
    if (Object.keys(fieldsV1).length === 0) return [];
    const created: ManagedFieldsEntry = {
      manager,
      operation: 'Update',
      apiVersion: after.apiVersion,
      time: now,
      fieldsType: 'FieldsV1',
      fieldsV1,
    };
    if (subresource) created.subresource = subresource;
    return [created];
  }
  let entries = sent.length > 0 ? sent : managedFieldsOf(before);
  const containers = new FieldSet();
  const afterSet = fieldSetOf(after, types, { includeMaps: true, containers });
  const beforeSet = before ? fieldSetOf(before, types, { includeMaps: true }) : new FieldSet();
  // Maps and list items count as changed only when they appear; values when they differ. On a
  // create every field appears.
  const changed = before
    ? FieldSet.of(
        afterSet
          .paths()
          .filter((path) => !beforeSet.has(path) || (!containers.has(path) && !deepEqual(valueAt(before, path), valueAt(after, path)))),
      )
    : afterSet;
  const removed = before ? beforeSet.difference(afterSet) : new FieldSet();

  entries = entries.map((entry) => {
    const owned = entrySet(entry);
    const kept = owned.difference(changed).difference(removed);
    return kept.size === owned.size ? entry : withSet(entry, kept);
  });
  if (changed.size > 0) {
    // Entries are per manager, operation, apiVersion and subresource (fieldmanager's BuildManagerIdentifier).
    const mine = (e: ManagedFieldsEntry): boolean =>
      e.manager === manager &&
      e.operation === 'Update' &&
      e.apiVersion === after.apiVersion &&
      (e.subresource ?? '') === (subresource ?? '');
    const existing = entries.find(mine);
    const owned = existing ? entrySet(existing).union(changed) : changed;
    const entry: ManagedFieldsEntry = {
      manager,
      operation: 'Update',
      apiVersion: after.apiVersion,
      time: now,
      fieldsType: 'FieldsV1',
      fieldsV1: owned.toFieldsV1(),
    };
    if (subresource) entry.subresource = subresource;
    entries = existing ? entries.map((e) => (mine(e) ? entry : e)) : [...entries, entry];
  }
  return dropEmpty(entries);
}
