/**
 * What changes between two versions of one CustomResourceDefinition, and whether each change is
 * safe or breaking for the custom resources and clients that exist today. The rules are those of
 * OLM v1's "CRD Upgrade Safety" preflight and kubernetes-sigs/crdify (research/crdsync.md §2.3, §4.7):
 * breaking are a removed field, a type or format change, a new required field, a new or changed
 * default, a new enum restriction or a removed enum value, a tightened bound, a scope or name change,
 * a served version removed or no longer served, unknown fields no longer preserved; safe are new
 * fields, new enum values, required → optional, loosened bounds, new versions, printer columns.
 */
import { isDeepStrictEqual } from 'node:util';
import type { KubeObject } from '../kube/ports.js';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Severity classes a change: `breaking` needs --allow-breaking on a served version. */
export type Severity = 'safe' | 'breaking';

/** CrdChange is one difference between the live CRD and the incoming one. */
export interface CrdChange {
  /** version is the CRD version the change is in; undefined for CRD-wide changes (scope, names). */
  readonly version?: string;
  /** path is the schema path (`.spec.routes[*].matchers`) or CRD field (`spec.scope`). */
  readonly path: string;
  /** kind names the rule, e.g. "field-removed", "type-changed", "version-added". */
  readonly kind: string;
  readonly severity: Severity;
  /** detail is the human sentence for the plan. */
  readonly detail: string;
}

/** CrdVersion is the part of spec.versions[] the comparison reads. */
export interface CrdVersion {
  readonly name: string;
  readonly served: boolean;
  readonly storage: boolean;
  readonly deprecated?: boolean;
  readonly schema?: Json;
  readonly additionalPrinterColumns?: readonly Json[];
  readonly subresources?: Json;
}

/** crdVersions reads spec.versions of a v1 CRD. */
export function crdVersions(crd: KubeObject): CrdVersion[] {
  const spec = isObject(crd.spec) ? crd.spec : {};
  const versions = Array.isArray(spec.versions) ? spec.versions.filter(isObject) : [];
  return versions.map((version) => ({
    name: String(version.name),
    served: version.served === true,
    storage: version.storage === true,
    deprecated: version.deprecated === true,
    schema: isObject(version.schema) && isObject(version.schema.openAPIV3Schema) ? version.schema.openAPIV3Schema : undefined,
    additionalPrinterColumns: Array.isArray(version.additionalPrinterColumns)
      ? version.additionalPrinterColumns.filter(isObject)
      : undefined,
    subresources: isObject(version.subresources) ? version.subresources : undefined,
  }));
}

/** canonicalJson renders a value with sorted keys, so equal objects give equal strings. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (!isObject(value)) return value;
  const out: Json = {};
  for (const key of Object.keys(value).sort()) out[key] = sortKeys(value[key]);
  return out;
}

/** same compares two JSON values regardless of key order, without serialising them (schemas are large). */
export const same = (a: unknown, b: unknown): boolean => isDeepStrictEqual(a, b);

/** Bounds where a larger value restricts more (minimum-like) or less (maximum-like). */
const lowerBounds = ['minimum', 'minLength', 'minItems', 'minProperties'] as const;
const upperBounds = ['maximum', 'maxLength', 'maxItems', 'maxProperties'] as const;

/**
 * compareSchemas walks two openAPIV3Schema nodes in step and pushes every change under `path`.
 * `version` labels the changes; the walk follows properties, items and additionalProperties.
 */
export function compareSchemas(version: string, before: Json | undefined, after: Json | undefined, changes: CrdChange[], path = ''): void {
  // Called once per schema node of both trees (tens of thousands for Gloo Edge's CRDs): no closures
  // or arrays per node (with esbuild's keepNames every closure is also named at run time).
  if (!before || !after) return;
  const at = path || '.';
  if (before.type !== after.type && before.type !== undefined) {
    changes.push({
      version,
      path: at,
      kind: 'type-changed',
      severity: 'breaking',
      detail: `type ${String(before.type)} → ${String(after.type ?? 'unset')}`,
    });
    return; // below a type change every difference is noise
  }
  if (before.format !== after.format) {
    // A format removed only loosens validation; one added or changed can reject stored values.
    changes.push({
      version,
      path: at,
      kind: 'format-changed',
      severity: after.format === undefined ? 'safe' : 'breaking',
      detail: `format ${String(before.format ?? 'unset')} → ${String(after.format ?? 'unset')}`,
    });
  }
  if (before.default !== after.default && !same(before.default, after.default)) {
    const detail =
      before.default === undefined
        ? `default ${JSON.stringify(after.default)} added`
        : after.default === undefined
          ? 'default removed'
          : `default ${JSON.stringify(before.default)} → ${JSON.stringify(after.default)}`;
    changes.push({ version, path: at, kind: 'default-changed', severity: 'breaking', detail });
  }
  if (before.enum !== undefined || after.enum !== undefined) compareEnums(version, at, before.enum, after.enum, changes);
  for (const bound of lowerBounds) compareBound(bound, before[bound], after[bound], 'lower', version, at, changes);
  for (const bound of upperBounds) compareBound(bound, before[bound], after[bound], 'upper', version, at, changes);
  if (before['x-kubernetes-preserve-unknown-fields'] === true && after['x-kubernetes-preserve-unknown-fields'] !== true) {
    changes.push({
      version,
      path: at,
      kind: 'unknown-fields-pruned',
      severity: 'breaking',
      detail: 'unknown fields are no longer preserved (they will be pruned)',
    });
  }
  if (before.required !== undefined || after.required !== undefined)
    compareRequired(version, path, before.required, after.required, changes);

  const beforeProps = isObject(before.properties) ? before.properties : undefined;
  const afterProps = isObject(after.properties) ? after.properties : undefined;
  if (beforeProps || afterProps) {
    const beforeNames = beforeProps ? Object.keys(beforeProps).sort() : [];
    const afterNames = afterProps ? Object.keys(afterProps).sort() : [];
    for (const name of beforeNames) {
      if (!afterProps || !(name in afterProps))
        changes.push({ version, path: `${path}.${name}`, kind: 'field-removed', severity: 'breaking', detail: 'field removed' });
    }
    for (const name of afterNames) {
      if (!beforeProps || !(name in beforeProps))
        changes.push({ version, path: `${path}.${name}`, kind: 'field-added', severity: 'safe', detail: 'field added' });
    }
    if (beforeProps && afterProps) {
      for (const name of beforeNames) {
        const b = beforeProps[name];
        const a = afterProps[name];
        if (isObject(b) && isObject(a)) compareSchemas(version, b, a, changes, `${path}.${name}`);
      }
    }
  }
  if (isObject(before.items) && isObject(after.items)) compareSchemas(version, before.items, after.items, changes, `${path}[*]`);
  if (isObject(before.additionalProperties) && isObject(after.additionalProperties)) {
    compareSchemas(version, before.additionalProperties, after.additionalProperties, changes, `${path}[*]`);
  }
}

function compareEnums(version: string, at: string, before: unknown, after: unknown, changes: CrdChange[]): void {
  const beforeEnum = Array.isArray(before) ? before : undefined;
  const afterEnum = Array.isArray(after) ? after : undefined;
  const push = (kind: string, severity: Severity, detail: string) => changes.push({ version, path: at, kind, severity, detail });
  if (!beforeEnum && afterEnum) push('enum-added', 'breaking', `now restricted to ${afterEnum.map((v) => JSON.stringify(v)).join(', ')}`);
  if (beforeEnum && afterEnum) {
    const removed = beforeEnum.filter((v) => !afterEnum.some((w) => same(v, w)));
    const added = afterEnum.filter((v) => !beforeEnum.some((w) => same(v, w)));
    if (removed.length) push('enum-value-removed', 'breaking', `enum values removed: ${removed.map((v) => JSON.stringify(v)).join(', ')}`);
    if (added.length) push('enum-value-added', 'safe', `enum values added: ${added.map((v) => JSON.stringify(v)).join(', ')}`);
  }
  if (beforeEnum && !afterEnum) push('enum-removed', 'safe', 'enum restriction removed');
}

function compareRequired(version: string, path: string, before: unknown, after: unknown, changes: CrdChange[]): void {
  const beforeRequired = new Set(Array.isArray(before) ? before.map(String) : []);
  const afterRequired = Array.isArray(after) ? after.map(String) : [];
  for (const name of afterRequired) {
    if (!beforeRequired.has(name))
      changes.push({
        version,
        path: `${path}.${name}`,
        kind: 'required-added',
        severity: 'breaking',
        detail: `field ${name} is now required`,
      });
  }
  for (const name of beforeRequired) {
    if (!afterRequired.includes(name))
      changes.push({
        version,
        path: `${path}.${name}`,
        kind: 'required-removed',
        severity: 'safe',
        detail: `field ${name} is no longer required`,
      });
  }
}

function compareBound(
  bound: string,
  before: unknown,
  after: unknown,
  side: 'lower' | 'upper',
  version: string,
  at: string,
  changes: CrdChange[],
): void {
  if (before === after) return;
  const b = typeof before === 'number' ? before : undefined;
  const a = typeof after === 'number' ? after : undefined;
  if (a === undefined && b === undefined) return;
  // A bound removed loosens; a bound added, or moved inward, rejects objects that were valid.
  const tightened = a !== undefined && (b === undefined || (side === 'lower' ? a > b : a < b));
  changes.push({
    version,
    path: at,
    kind: `${bound}-changed`,
    severity: tightened ? 'breaking' : 'safe',
    detail: `${bound} ${b ?? 'unset'} → ${a ?? 'unset'}`,
  });
}

/**
 * compareCrds lists every change from `live` to `incoming` (both v1). Version changes: added (safe),
 * removed (breaking when it was served), served true → false (breaking), storage moved, deprecated;
 * schema changes of versions in both; printer columns and subresources (safe, listed); scope,
 * group and names (breaking); conversion strategy (listed).
 */
export function compareCrds(live: KubeObject, incoming: KubeObject): CrdChange[] {
  const changes: CrdChange[] = [];
  const liveSpec = isObject(live.spec) ? live.spec : {};
  const nextSpec = isObject(incoming.spec) ? incoming.spec : {};
  if (liveSpec.scope !== nextSpec.scope) {
    changes.push({
      path: 'spec.scope',
      kind: 'scope-changed',
      severity: 'breaking',
      detail: `scope ${String(liveSpec.scope)} → ${String(nextSpec.scope)}`,
    });
  }
  const liveNames = isObject(liveSpec.names) ? liveSpec.names : {};
  const nextNames = isObject(nextSpec.names) ? nextSpec.names : {};
  for (const field of ['kind', 'plural', 'singular', 'listKind']) {
    if (liveNames[field] !== undefined && nextNames[field] !== undefined && liveNames[field] !== nextNames[field]) {
      changes.push({
        path: `spec.names.${field}`,
        kind: 'name-changed',
        severity: 'breaking',
        detail: `${field} ${String(liveNames[field])} → ${String(nextNames[field])}`,
      });
    }
  }
  const liveShort = Array.isArray(liveNames.shortNames) ? liveNames.shortNames : [];
  const nextShort = Array.isArray(nextNames.shortNames) ? nextNames.shortNames : [];
  if (!same(liveShort, nextShort)) {
    changes.push({
      path: 'spec.names.shortNames',
      kind: 'short-names-changed',
      severity: 'safe',
      detail: `short names [${liveShort.join(', ')}] → [${nextShort.join(', ')}]`,
    });
  }
  const liveConversion = isObject(liveSpec.conversion) ? (liveSpec.conversion.strategy ?? 'None') : 'None';
  const nextConversion = isObject(nextSpec.conversion) ? (nextSpec.conversion.strategy ?? 'None') : 'None';
  if (liveConversion !== nextConversion) {
    changes.push({
      path: 'spec.conversion.strategy',
      kind: 'conversion-changed',
      severity: 'safe',
      detail: `conversion ${String(liveConversion)} → ${String(nextConversion)}${nextConversion === 'Webhook' ? ' (the webhook Service must be running before custom resources are read)' : ''}`,
    });
  }

  const before = crdVersions(live);
  const after = crdVersions(incoming);
  for (const version of before) {
    const next = after.find((v) => v.name === version.name);
    if (!next) {
      changes.push({
        version: version.name,
        path: `spec.versions[${version.name}]`,
        kind: 'version-removed',
        severity: version.served ? 'breaking' : 'safe',
        detail: version.served ? 'served version removed' : 'unserved version removed',
      });
      continue;
    }
    if (version.served && !next.served)
      changes.push({
        version: version.name,
        path: `spec.versions[${version.name}].served`,
        kind: 'version-unserved',
        severity: 'breaking',
        detail: 'no longer served',
      });
    if (!version.served && next.served)
      changes.push({
        version: version.name,
        path: `spec.versions[${version.name}].served`,
        kind: 'version-served',
        severity: 'safe',
        detail: 'now served',
      });
    if (version.storage !== next.storage) {
      changes.push({
        version: version.name,
        path: `spec.versions[${version.name}].storage`,
        kind: 'storage-changed',
        severity: 'safe',
        detail: next.storage ? 'becomes the storage version' : 'no longer the storage version',
      });
    }
    if (!version.deprecated && next.deprecated)
      changes.push({
        version: version.name,
        path: `spec.versions[${version.name}].deprecated`,
        kind: 'version-deprecated',
        severity: 'safe',
        detail: 'deprecated',
      });
    if (!same(version.additionalPrinterColumns ?? [], next.additionalPrinterColumns ?? [])) {
      const names = (columns: readonly Json[] | undefined) => (columns ?? []).map((c) => String(c.name)).join(', ');
      changes.push({
        version: version.name,
        path: `spec.versions[${version.name}].additionalPrinterColumns`,
        kind: 'printer-columns-changed',
        severity: 'safe',
        detail: `printer columns [${names(version.additionalPrinterColumns)}] → [${names(next.additionalPrinterColumns)}]`,
      });
    }
    if (!same(version.subresources ?? {}, next.subresources ?? {})) {
      const keys = (s: Json | undefined) =>
        Object.keys(s ?? {})
          .sort()
          .join(', ');
      changes.push({
        version: version.name,
        path: `spec.versions[${version.name}].subresources`,
        kind: 'subresources-changed',
        severity: 'safe',
        detail: `subresources [${keys(version.subresources)}] → [${keys(next.subresources)}]`,
      });
    }
    const schemaChanges: CrdChange[] = [];
    compareSchemas(version.name, version.schema, next.schema, schemaChanges);
    // A change to an unserved version cannot break a client: nobody reads it.
    for (const change of schemaChanges) changes.push(version.served ? change : { ...change, severity: 'safe' });
  }
  for (const version of after) {
    if (!before.some((v) => v.name === version.name)) {
      changes.push({
        version: version.name,
        path: `spec.versions[${version.name}]`,
        kind: 'version-added',
        severity: 'safe',
        detail: `version added${version.storage ? ' (storage)' : ''}${version.served ? '' : ' (not served)'}`,
      });
    }
  }
  return changes;
}
