/**
 * The apiextensions controllers: a CustomResourceDefinition becomes NamesAccepted and Established
 * `crdEstablishMs` after it is created (only then does discovery publish its resources), its
 * acceptedNames follow spec.names unless another CRD of the group has accepted one of them, and
 * on deletion the customresourcecleanup finalizer deletes every custom resource of the CRD before
 * the CRD itself goes.
 *
 * Names are judged as apiextensions-apiserver's NamingConditionController does
 * (pkg/controller/status/naming_controller.go, calculateNamesAndConditions): plural, singular and
 * short names must not be among the resource names, and kind and listKind not among the kinds,
 * that the group's CRDs have accepted; a conflicting name is not accepted (the previously accepted
 * one stays), NamesAccepted is False with reason PluralConflict, SingularConflict,
 * ShortNamesConflict, KindConflict or ListKindConflict, and a CRD never Established stays
 * Established=False (NotAccepted). A change to one CRD of a group re-judges the others.
 */
import type { InternalApi, KubeObject, StoredEvent } from '../api/types.js';
import { QueueController } from './queue-controller.js';
import { crdsResource, isDeleting, isResource, nowTimestamp, sameJson } from './resources.js';

/** The finalizer the real apiserver puts on every CRD so its instances are removed first. */
export const crdCleanupFinalizer = 'customresourcecleanup.apiextensions.k8s.io';

interface CrdCondition {
  type: string;
  status: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

interface CrdNames {
  plural?: string;
  singular?: string;
  shortNames?: string[];
  kind?: string;
  listKind?: string;
  categories?: string[];
}

interface CrdStatus {
  conditions?: CrdCondition[];
  acceptedNames?: CrdNames;
  storedVersions?: string[];
}

/**
 * acceptNames returns the names a CRD may have given the names its group's other CRDs accepted,
 * and the NamesAccepted verdict (naming_controller.go's equalToAcceptedOrFresh on each name).
 */
export function acceptNames(
  requested: CrdNames,
  accepted: CrdNames,
  used: { resources: ReadonlySet<string>; kinds: ReadonlySet<string> },
): { names: CrdNames; conflict?: { reason: string; message: string } } {
  const names: CrdNames = { ...accepted };
  let conflict: { reason: string; message: string } | undefined;
  const fresh = (wanted: string | undefined, had: string | undefined, taken: ReadonlySet<string>) =>
    wanted === had || wanted === undefined || !taken.has(wanted);
  const judge = (field: 'plural' | 'singular' | 'kind' | 'listKind', reason: string, taken: ReadonlySet<string>) => {
    if (fresh(requested[field], accepted[field], taken)) names[field] = requested[field];
    else conflict = { reason, message: `"${requested[field]}" is already in use` };
  };
  judge('plural', 'PluralConflict', used.resources);
  judge('singular', 'SingularConflict', used.resources);
  const shortNames = requested.shortNames ?? [];
  if (JSON.stringify(shortNames) !== JSON.stringify(accepted.shortNames ?? [])) {
    const mine = new Set(accepted.shortNames ?? []);
    const taken = shortNames.filter((name) => !mine.has(name) && used.resources.has(name));
    if (taken.length > 0) conflict = { reason: 'ShortNamesConflict', message: taken.map((n) => `"${n}" is already in use`).join(', ') };
    else names.shortNames = requested.shortNames;
  }
  judge('kind', 'KindConflict', used.kinds);
  judge('listKind', 'ListKindConflict', used.kinds);
  names.categories = requested.categories;
  for (const key of Object.keys(names) as Array<keyof CrdNames>) if (names[key] === undefined) delete names[key];
  return conflict ? { names, conflict } : { names };
}

function hasNamesAccepted(crd: KubeObject): boolean {
  const conditions = ((crd.status ?? {}) as CrdStatus).conditions ?? [];
  return conditions.some((c) => c.type === 'NamesAccepted' && c.status === 'True');
}

function crdSpec(crd: KubeObject): {
  group?: string;
  names?: Record<string, unknown>;
  versions?: Array<{ name?: string; served?: boolean; storage?: boolean }>;
} {
  return (crd.spec ?? {}) as ReturnType<typeof crdSpec>;
}

/** CrdController establishes CRDs after a delay and cleans up their instances on deletion. */
export class CrdController extends QueueController {
  readonly name = 'crd-controller';
  private readonly firstSeen = new Map<string, number>();

  constructor(
    api: InternalApi,
    private readonly establishMs: number,
  ) {
    super(api);
  }

  protected onEvent(event: StoredEvent): void {
    if (!isResource(event.groupResource, crdsResource)) return;
    const name = event.object.metadata.name ?? '';
    // A CRD that changes or goes may release names another CRD of its group is waiting for.
    const group = crdSpec(event.object).group;
    for (const other of this.api.listShared(crdsResource)) {
      const otherName = other.metadata.name ?? '';
      if (otherName !== name && crdSpec(other).group === group && !hasNamesAccepted(other)) this.queue.enqueue(otherName);
    }
    if (event.type === 'DELETED') {
      this.firstSeen.delete(event.object.metadata.uid ?? '');
      return;
    }
    this.queue.enqueue(name);
  }

  protected resync(): void {
    for (const crd of this.api.listShared(crdsResource)) this.queue.enqueue(crd.metadata.name ?? '');
  }

  protected reconcile(name: string): void {
    const crd = this.api.get(crdsResource, undefined, name);
    if (!crd) return;
    if (isDeleting(crd)) return this.cleanUp(crd);
    const status = (crd.status ?? {}) as CrdStatus;
    const established = status.conditions?.some((c) => c.type === 'Established' && c.status === 'True') ?? false;
    const uid = crd.metadata.uid ?? '';
    if (!established) {
      // The clock starts when the controller first sees the CRD (creationTimestamp is only to the second).
      const seen = this.firstSeen.get(uid) ?? Date.now();
      this.firstSeen.set(uid, seen);
      const wait = seen + this.establishMs - Date.now();
      if (wait > 0) return this.queue.enqueueAfter(name, wait);
    }
    const next = this.desiredStatus(crd, status);
    if (!sameJson(next, crd.status)) this.api.updateStatus(crdsResource, { ...crd, status: next });
    this.firstSeen.delete(uid);
  }

  private desiredStatus(crd: KubeObject, status: CrdStatus): CrdStatus {
    const spec = crdSpec(crd);
    const previous = status.conditions ?? [];
    const now = nowTimestamp();
    const keep = (type: string, reason: string, message: string): CrdCondition => {
      const old = previous.find((c) => c.type === type);
      return old && old.status === 'True' && old.reason === reason
        ? old
        : { type, status: 'True', lastTransitionTime: now, reason, message };
    };
    const requested = { ...(spec.names ?? {}) } as CrdNames;
    if (!requested.singular && typeof requested.kind === 'string') requested.singular = requested.kind.toLowerCase();
    if (!requested.listKind && typeof requested.kind === 'string') requested.listKind = `${requested.kind}List`;
    const { names, conflict } = acceptNames(requested, status.acceptedNames ?? {}, this.namesUsedBy(crd));
    // storedVersions belongs to the API (it records every storage version ever written); only fill it when absent.
    const storage = spec.versions?.find((v) => v.storage)?.name;
    const storedVersions = status.storedVersions ?? (storage ? [storage] : []);
    const others = previous.filter((c) => c.type !== 'NamesAccepted' && c.type !== 'Established');
    const wasEstablished = previous.find((c) => c.type === 'Established' && c.status === 'True');
    const condition = (type: string, value: string, reason: string, message: string): CrdCondition => {
      const old = previous.find((c) => c.type === type);
      return old && old.status === value && old.reason === reason && old.message === message
        ? old
        : { type, status: value, lastTransitionTime: now, reason, message };
    };
    if (conflict) {
      return {
        conditions: [
          condition('NamesAccepted', 'False', conflict.reason, conflict.message),
          // Established, once True, stays so (the real controller keeps the old condition); never True, it waits.
          wasEstablished ?? condition('Established', 'False', 'NotAccepted', 'not all names are accepted'),
          ...others,
        ],
        acceptedNames: names,
        storedVersions,
      };
    }
    return {
      conditions: [
        keep('NamesAccepted', 'NoConflicts', 'no conflicts found'),
        keep('Established', 'InitialNamesAccepted', 'the initial names have been accepted'),
        ...others,
      ],
      acceptedNames: names,
      storedVersions,
    };
  }

  /** namesUsedBy collects the names the other CRDs of `crd`'s group have accepted. */
  private namesUsedBy(crd: KubeObject): { resources: Set<string>; kinds: Set<string> } {
    const resources = new Set<string>();
    const kinds = new Set<string>();
    const group = crdSpec(crd).group;
    for (const other of this.api.listShared(crdsResource)) {
      // A terminating CRD keeps its names until it is gone, as in the real controller.
      if (other.metadata.name === crd.metadata.name || crdSpec(other).group !== group) continue;
      const accepted = ((other.status ?? {}) as CrdStatus).acceptedNames ?? {};
      for (const name of [accepted.plural, accepted.singular, ...(accepted.shortNames ?? [])]) if (name) resources.add(name);
      for (const kind of [accepted.kind, accepted.listKind]) if (kind) kinds.add(kind);
    }
    return { resources, kinds };
  }

  private cleanUp(crd: KubeObject): void {
    if (!(crd.metadata.finalizers ?? []).includes(crdCleanupFinalizer)) return;
    const spec = crdSpec(crd);
    const plural = typeof spec.names?.plural === 'string' ? spec.names.plural : '';
    const version = spec.versions?.find((v) => v.storage)?.name ?? spec.versions?.[0]?.name ?? '';
    const gvr = { group: spec.group ?? '', version, resource: plural };
    if (this.api.resourceType(gvr)) {
      for (const item of this.api.list(gvr)) this.api.delete(gvr, item.metadata.namespace, item.metadata.name ?? '');
      if (this.api.list(gvr).length) return this.queue.enqueueAfter(crd.metadata.name ?? '', 50);
    }
    const finalizers = (crd.metadata.finalizers ?? []).filter((f) => f !== crdCleanupFinalizer);
    this.api.update(crdsResource, { ...crd, metadata: { ...crd.metadata, finalizers } });
  }
}
