/**
 * The apiextensions controllers: a CustomResourceDefinition becomes NamesAccepted and Established
 * `crdEstablishMs` after it is created (only then does discovery publish its resources), its
 * acceptedNames follow spec.names, and on deletion the customresourcecleanup finalizer deletes
 * every custom resource of the CRD before the CRD itself goes.
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

interface CrdStatus {
  conditions?: CrdCondition[];
  acceptedNames?: Record<string, unknown>;
  storedVersions?: string[];
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
    if (event.type === 'DELETED') {
      this.firstSeen.delete(event.object.metadata.uid ?? '');
      return;
    }
    this.queue.enqueue(name);
  }

  protected resync(): void {
    for (const crd of this.api.list(crdsResource)) this.queue.enqueue(crd.metadata.name ?? '');
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
    const names = { ...(spec.names ?? {}) };
    if (!names.singular && typeof names.kind === 'string') names.singular = names.kind.toLowerCase();
    if (!names.listKind && typeof names.kind === 'string') names.listKind = `${names.kind}List`;
    // storedVersions belongs to the API (it records every storage version ever written); only fill it when absent.
    const storage = spec.versions?.find((v) => v.storage)?.name;
    const storedVersions = status.storedVersions ?? (storage ? [storage] : []);
    const others = previous.filter((c) => c.type !== 'NamesAccepted' && c.type !== 'Established');
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
