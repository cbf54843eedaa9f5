/**
 * The garbage collector: when an owner is gone, dependents whose ownerReferences all point at
 * missing owners are deleted (background propagation: Deployment → ReplicaSets → Pods, one level
 * per event). An owner deleted with propagationPolicy Orphan (finalizer "orphan") has its
 * dependents' references to it removed instead; one deleted with Foreground (finalizer
 * "foregroundDeletion") waits until its dependents are gone.
 *
 * Dependents are found through an index of ownerReferences kept from events, so the deletion of
 * one of 60,000 unrelated objects costs one map lookup.
 */
import type { GroupResource, GroupVersionResource, KubeObject, OwnerReference, StoredEvent } from '../api/types.js';
import { QueueController } from './queue-controller.js';
import { isDeleting, servedResourceFor } from './resources.js';

interface DependentRef {
  groupResource: GroupResource;
  namespace: string | undefined;
  name: string;
}

const orphanFinalizer = 'orphan';
const foregroundFinalizer = 'foregroundDeletion';

function refKey(ref: DependentRef): string {
  return `${ref.groupResource.resource}.${ref.groupResource.group}/${ref.namespace ?? ''}/${ref.name}`;
}

/** GarbageCollector deletes the dependents of deleted owners. */
export class GarbageCollector extends QueueController {
  readonly name = 'garbage-collector';
  /** owner uid → dependents (by key). */
  private readonly dependents = new Map<string, Map<string, DependentRef>>();
  /** uid → location of owners being deleted with the orphan or foregroundDeletion finalizer. */
  private readonly finalizing = new Map<string, DependentRef>();

  protected onEvent(event: StoredEvent): void {
    // Every event of every kind passes here, so read the uncopied metadata where the API offers it.
    const metadata = event.metadata ?? event.object.metadata;
    const uid = metadata.uid;
    const ownerReferences = metadata.ownerReferences;
    if (event.type === 'DELETED') {
      if (ownerReferences?.length) {
        const key = refKey({ groupResource: event.groupResource, namespace: metadata.namespace, name: metadata.name ?? '' });
        for (const owner of ownerReferences) this.dependents.get(owner.uid)?.delete(key);
      }
      if (uid) this.finalizing.delete(uid);
      if (uid && this.dependents.has(uid)) this.queue.enqueue(`deleted/${uid}`);
      return;
    }
    // Most events (every custom resource of a restore) neither depend on an owner nor wait for dependents.
    const finalizing =
      !!uid &&
      metadata.deletionTimestamp !== undefined &&
      (metadata.finalizers ?? []).some((f) => f === orphanFinalizer || f === foregroundFinalizer);
    if (!ownerReferences?.length && !finalizing) return;
    const ref: DependentRef = { groupResource: event.groupResource, namespace: metadata.namespace, name: metadata.name ?? '' };
    if (ownerReferences?.length) this.index(ref, ownerReferences);
    if (finalizing && uid) {
      this.finalizing.set(uid, ref);
      this.queue.enqueue(`deleting/${uid}`);
    }
  }

  protected resync(): void {
    for (const type of this.api.resourceTypes()) {
      if (!type.verbs.includes('list') || !type.storage) continue;
      const gvr = { group: type.group, version: type.version, resource: type.resource };
      for (const object of this.api.list(gvr)) {
        if (object.metadata.ownerReferences?.length)
          this.index(
            {
              groupResource: { group: type.group, resource: type.resource },
              namespace: object.metadata.namespace,
              name: object.metadata.name ?? '',
            },
            object.metadata.ownerReferences,
          );
      }
    }
  }

  protected reconcile(key: string): void {
    const slash = key.indexOf('/');
    const what = key.slice(0, slash);
    const uid = key.slice(slash + 1);
    if (what === 'deleted') return this.collect(uid);
    const ownerRef = this.finalizing.get(uid);
    const gvr = ownerRef && servedResourceFor(this.api, ownerRef.groupResource);
    const owner = gvr && ownerRef && this.api.get(gvr, ownerRef.namespace, ownerRef.name);
    if (!owner || !gvr || owner.metadata.uid !== uid) return;
    const finalizers = owner.metadata.finalizers ?? [];
    if (finalizers.includes(orphanFinalizer)) {
      for (const dependent of this.dependentObjects(uid)) {
        const refs = (dependent.object.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
        const metadata = { ...dependent.object.metadata };
        if (refs.length) metadata.ownerReferences = refs;
        else delete metadata.ownerReferences;
        this.api.update(dependent.gvr, { ...dependent.object, metadata });
      }
      this.removeFinalizer(gvr, owner, orphanFinalizer);
    } else if (finalizers.includes(foregroundFinalizer)) {
      for (const dependent of this.dependentObjects(uid)) {
        if (!isDeleting(dependent.object))
          this.api.delete(dependent.gvr, dependent.object.metadata.namespace, dependent.object.metadata.name ?? '', {
            propagationPolicy: 'Foreground',
          });
      }
      if (this.dependentObjects(uid).length) return this.queue.enqueueAfter(key, 50);
      this.removeFinalizer(gvr, owner, foregroundFinalizer);
    }
  }

  private collect(ownerUid: string): void {
    for (const dependent of this.dependentObjects(ownerUid)) {
      // A dependent with another owner still alive stays (the real GC only collects objects with no live owner).
      const namespace = dependent.object.metadata.namespace;
      const alive = (dependent.object.metadata.ownerReferences ?? []).some((r) => r.uid !== ownerUid && this.ownerExists(r, namespace));
      if (alive || isDeleting(dependent.object)) continue;
      this.api.delete(dependent.gvr, namespace, dependent.object.metadata.name ?? '', { propagationPolicy: 'Background' });
    }
    this.dependents.delete(ownerUid);
  }

  /** ownerExists resolves an ownerReference by apiVersion and kind, as the real GC does. */
  private ownerExists(ref: OwnerReference, namespace: string | undefined): boolean {
    const slash = ref.apiVersion.indexOf('/');
    const group = slash < 0 ? '' : ref.apiVersion.slice(0, slash);
    const version = slash < 0 ? ref.apiVersion : ref.apiVersion.slice(slash + 1);
    const type = this.api.resourceTypes().find((t) => t.group === group && t.version === version && t.kind === ref.kind);
    if (!type) return false;
    return (
      this.api.get({ group, version, resource: type.resource }, type.namespaced ? namespace : undefined, ref.name)?.metadata.uid === ref.uid
    );
  }

  private dependentObjects(ownerUid: string): Array<{ gvr: GroupVersionResource; object: KubeObject }> {
    const out: Array<{ gvr: GroupVersionResource; object: KubeObject }> = [];
    for (const ref of this.dependents.get(ownerUid)?.values() ?? []) {
      const gvr = servedResourceFor(this.api, ref.groupResource);
      const object = gvr && this.api.get(gvr, ref.namespace, ref.name);
      if (gvr && object && (object.metadata.ownerReferences ?? []).some((r) => r.uid === ownerUid)) out.push({ gvr, object });
    }
    return out;
  }

  private removeFinalizer(gvr: GroupVersionResource, owner: KubeObject, finalizer: string): void {
    const finalizers = (owner.metadata.finalizers ?? []).filter((f) => f !== finalizer);
    this.api.update(gvr, { ...owner, metadata: { ...owner.metadata, finalizers } });
  }

  private index(ref: DependentRef, ownerReferences: ReadonlyArray<Readonly<OwnerReference>>): void {
    const key = refKey(ref);
    for (const owner of ownerReferences) {
      let set = this.dependents.get(owner.uid);
      if (!set) {
        set = new Map();
        this.dependents.set(owner.uid, set);
      }
      set.set(key, ref);
    }
  }
}
