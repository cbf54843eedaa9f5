/**
 * The CRD change plan: for each incoming CustomResourceDefinition, whether it is new, changed or
 * unchanged against the live one, what changed (compatibility.ts), and the refusals that no flag
 * lifts and those that need one. Pure: the caller reads the cluster (live CRDs, the server-side
 * dry-run result of each apply, object counts) and hands the answers in.
 *
 * The refusal no flag lifts: a version still listed in status.storedVersions that the incoming CRD
 * drops. The API server rejects it ("must appear in spec.versions"), and the only way on is a
 * storage migration: every object rewritten in the new storage version, then status.storedVersions
 * patched (kubernetes.io "Versions in CustomResourceDefinitions", research/crdsync.md §4.2).
 */
import type { KubeObject } from '../kube/ports.js';
import { compareCrds, crdVersions, same, type CrdChange } from './compatibility.js';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** annotationLimitBytes is the API server's cap on all annotations: client-side apply stores the whole CRD there. */
export const annotationLimitBytes = 262_144;

/** IncomingCrd is one CRD read from the source, already in the form that will be applied. */
export interface IncomingCrd {
  readonly crd: KubeObject;
  /** file names where it came from (chart member or repository path). */
  readonly file: string;
  /** convertedFrom is the apiVersion it was converted from ("apiextensions.k8s.io/v1beta1"). */
  readonly convertedFrom?: string;
  /** notes are conversion notes worth showing. */
  readonly notes?: readonly string[];
}

/** CrdObservation is what the caller learned from the cluster about one incoming CRD. */
export interface CrdObservation {
  /** live is the CRD in the cluster, or undefined when it does not exist. */
  readonly live?: KubeObject;
  /** dryRun is the server-side dry-run result of applying the incoming CRD, when it was asked. */
  readonly dryRun?: KubeObject;
  /** objectCount is how many custom resources of this CRD exist (undefined: not counted). */
  readonly objectCount?: number;
}

/** PlanAction says what applying does to one CRD. */
export type PlanAction = 'create' | 'update' | 'unchanged';

/** StoredVersionRefusal is a version the incoming CRD drops while objects may still be stored in it. */
export interface StoredVersionRefusal {
  readonly crd: string;
  readonly version: string;
  /** objectCount is how many objects exist (undefined: not counted). */
  readonly objectCount?: number;
  /** only says whether this is the only stored version: then every object is stored in it. */
  readonly only: boolean;
}

/** PlanEntry is the plan for one incoming CRD. */
export interface PlanEntry {
  readonly name: string;
  readonly action: PlanAction;
  readonly file: string;
  readonly convertedFrom?: string;
  readonly notes: readonly string[];
  readonly changes: readonly CrdChange[];
  readonly storedVersions: readonly string[];
  readonly objectCount?: number;
  /** jsonBytes is the compact JSON size: what client-side apply would put in its annotation. */
  readonly jsonBytes: number;
  /** changedParts are the parts an update alters (empty for create and unchanged). */
  readonly changedParts: readonly CrdPart[];
}

/** CrdPlan is the whole plan. */
export interface CrdPlan {
  readonly entries: readonly PlanEntry[];
  /** kept lists CRDs of the same API groups that the source no longer ships: left in place, never deleted. */
  readonly kept: readonly string[];
  readonly storedVersionRefusals: readonly StoredVersionRefusal[];
  /** breaking lists every breaking change, with the CRD it is in. */
  readonly breaking: ReadonlyArray<CrdChange & { readonly crd: string }>;
}

/**
 * specSubset says whether every field `wanted` sets has the same value in `actual`: the test for
 * "applying changes nothing" when no dry-run result is at hand (the server only adds defaults).
 * Lists must match in length, element by element.
 */
export function specSubset(wanted: unknown, actual: unknown): boolean {
  if (Array.isArray(wanted)) {
    return Array.isArray(actual) && wanted.length === actual.length && wanted.every((item, index) => specSubset(item, actual[index]));
  }
  if (isObject(wanted)) {
    return isObject(actual) && Object.entries(wanted).every(([key, value]) => specSubset(value, actual[key]));
  }
  return same(wanted, actual);
}

function metadataMap(object: KubeObject | undefined, field: 'labels' | 'annotations'): Record<string, string> {
  const value = object?.metadata?.[field];
  return isObject(value) ? (value as Record<string, string>) : {};
}

/** CrdPart is a part of a CRD that applying can alter. */
export type CrdPart = 'spec' | 'labels' | 'annotations';

/** changedParts says which parts applying `incoming` (dry-run result `dryRun`, if any) alters in `live`. */
export function changedParts(live: KubeObject, incoming: KubeObject, dryRun?: KubeObject): CrdPart[] {
  const differs: Record<CrdPart, boolean> = dryRun
    ? {
        spec: !same(live.spec, dryRun.spec),
        labels: !same(metadataMap(live, 'labels'), metadataMap(dryRun, 'labels')),
        annotations: !same(metadataMap(live, 'annotations'), metadataMap(dryRun, 'annotations')),
      }
    : {
        spec: !specSubset(incoming.spec, live.spec),
        labels: !specSubset(metadataMap(incoming, 'labels'), metadataMap(live, 'labels')),
        annotations: !specSubset(metadataMap(incoming, 'annotations'), metadataMap(live, 'annotations')),
      };
  return (['spec', 'labels', 'annotations'] as const).filter((part) => differs[part]);
}

/** changesSomething says whether applying `incoming` (dry-run result `dryRun`, if any) alters `live`. */
export function changesSomething(live: KubeObject, incoming: KubeObject, dryRun?: KubeObject): boolean {
  return changedParts(live, incoming, dryRun).length > 0;
}

/** storedVersionsOf reads status.storedVersions. */
export function storedVersionsOf(crd: KubeObject | undefined): string[] {
  const status = crd && isObject(crd.status) ? crd.status : {};
  return Array.isArray(status.storedVersions) ? status.storedVersions.map(String) : [];
}

/** crdName is metadata.name of a CRD (`<plural>.<group>`). */
export function crdName(crd: KubeObject): string {
  return crd.metadata?.name ?? '';
}

/** crdGroup is spec.group of a CRD. */
export function crdGroup(crd: KubeObject): string {
  return isObject(crd.spec) ? String(crd.spec.group ?? '') : '';
}

/**
 * planCrdSync builds the plan from the incoming CRDs, what was observed of each, and every live CRD
 * (to list those the source no longer ships, within the incoming API groups).
 */
export function planCrdSync(
  incoming: readonly IncomingCrd[],
  observations: ReadonlyMap<string, CrdObservation>,
  liveCrds: readonly KubeObject[],
): CrdPlan {
  const entries: PlanEntry[] = [];
  const storedVersionRefusals: StoredVersionRefusal[] = [];
  const breaking: Array<CrdChange & { crd: string }> = [];
  for (const item of incoming) {
    const name = crdName(item.crd);
    const observed = observations.get(name) ?? {};
    const jsonBytes = Buffer.byteLength(JSON.stringify(item.crd));
    const base = {
      name,
      file: item.file,
      convertedFrom: item.convertedFrom,
      notes: item.notes ?? [],
      jsonBytes,
      objectCount: observed.objectCount,
    };
    if (!observed.live) {
      entries.push({ ...base, action: 'create', changes: [], storedVersions: [], changedParts: [] });
      continue;
    }
    const desired = observed.dryRun ?? item.crd;
    const parts = changedParts(observed.live, item.crd, observed.dryRun);
    // Equal specs have no change to list: the rule walk over large schemas is skipped. With a
    // dry-run result, `parts` already compared the two specs.
    const specEqual = observed.dryRun ? !parts.includes('spec') : same(observed.live.spec, desired.spec);
    const changes = specEqual ? [] : compareCrds(observed.live, desired);
    const action: PlanAction = changes.length > 0 || parts.length > 0 ? 'update' : 'unchanged';
    const storedVersions = storedVersionsOf(observed.live);
    const incomingVersions = new Set(crdVersions(item.crd).map((v) => v.name));
    for (const version of storedVersions) {
      if (!incomingVersions.has(version)) {
        storedVersionRefusals.push({ crd: name, version, objectCount: observed.objectCount, only: storedVersions.length === 1 });
      }
    }
    for (const change of changes) if (change.severity === 'breaking') breaking.push({ ...change, crd: name });
    entries.push({ ...base, action, changes, storedVersions, changedParts: parts });
  }
  const incomingNames = new Set(incoming.map((item) => crdName(item.crd)));
  const groups = new Set(incoming.map((item) => crdGroup(item.crd)));
  const kept = liveCrds
    .filter((crd) => groups.has(crdGroup(crd)) && !incomingNames.has(crdName(crd)))
    .map(crdName)
    .sort();
  return { entries, kept, storedVersionRefusals, breaking };
}

/** withObjectCounts returns the plan with object counts filled in, without comparing the CRDs again. */
export function withObjectCounts(plan: CrdPlan, counts: ReadonlyMap<string, number | undefined>): CrdPlan {
  return {
    ...plan,
    entries: plan.entries.map((entry) => (counts.has(entry.name) ? { ...entry, objectCount: counts.get(entry.name) } : entry)),
    storedVersionRefusals: plan.storedVersionRefusals.map((refusal) =>
      counts.has(refusal.crd) ? { ...refusal, objectCount: counts.get(refusal.crd) } : refusal,
    ),
  };
}

/** storedVersionMessage is the refusal sentence: the reason and the way out. */
export function storedVersionMessage(refusal: StoredVersionRefusal): string {
  const count =
    refusal.objectCount === undefined
      ? 'objects may be stored in it'
      : refusal.only
        ? `${refusal.objectCount} object(s) are stored in it`
        : `up to ${refusal.objectCount} object(s) may be stored in it`;
  return (
    `refusing to drop version ${refusal.version} of ${refusal.crd}: it is in status.storedVersions and ${count}; ` +
    `migrate first (make the new version the storage version, rewrite every object, then remove ${refusal.version} from status.storedVersions)`
  );
}

/** planHasChanges says whether applying the plan would write anything. */
export function planHasChanges(plan: CrdPlan): boolean {
  return plan.entries.some((entry) => entry.action !== 'unchanged');
}
