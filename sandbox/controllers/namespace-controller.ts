/**
 * The namespace controller: a Terminating namespace (deletionTimestamp set, spec.finalizers still
 * holding "kubernetes") has every namespaced object in it deleted, then loses the "kubernetes"
 * finalizer so the API removes it — what `kubectl delete namespace` waits for.
 */
import type { GroupVersionResource, KubeObject, StoredEvent } from '../api/types.js';
import { QueueController } from './queue-controller.js';
import { isDeleting, isResource, namespacesResource } from './resources.js';

const kubernetesFinalizer = 'kubernetes';

function specFinalizers(namespace: KubeObject): string[] {
  return ((namespace.spec ?? {}) as { finalizers?: string[] }).finalizers ?? [];
}

/** NamespaceController empties and finalizes terminating namespaces. */
export class NamespaceController extends QueueController {
  readonly name = 'namespace-controller';

  protected onEvent(event: StoredEvent): void {
    if (event.type !== 'DELETED' && isResource(event.groupResource, namespacesResource) && isDeleting(event.object)) {
      this.queue.enqueue(event.object.metadata.name ?? '');
    }
  }

  protected resync(): void {
    for (const ns of this.api.list(namespacesResource)) if (isDeleting(ns)) this.queue.enqueue(ns.metadata.name ?? '');
  }

  protected reconcile(name: string): void {
    const namespace = this.api.get(namespacesResource, undefined, name);
    if (!namespace || !isDeleting(namespace) || !specFinalizers(namespace).includes(kubernetesFinalizer)) return;
    let remaining = 0;
    for (const gvr of this.namespacedResources()) {
      for (const item of this.api.list(gvr, { namespace: name })) {
        if (!isDeleting(item)) this.api.delete(gvr, name, item.metadata.name ?? '', { propagationPolicy: 'Background' });
        if (this.api.get(gvr, name, item.metadata.name ?? '')) remaining++;
      }
    }
    // Objects with finalizers of their own keep the namespace Terminating until they go.
    if (remaining) return this.queue.enqueueAfter(name, 100);
    const finalizers = specFinalizers(namespace).filter((f) => f !== kubernetesFinalizer);
    const latest = this.api.get(namespacesResource, undefined, name);
    if (!latest) return;
    this.api.update(namespacesResource, { ...latest, spec: { ...(latest.spec as object), finalizers } });
  }

  /** One served version of every namespaced group-resource (each stored object is listed once). */
  private namespacedResources(): GroupVersionResource[] {
    const seen = new Map<string, GroupVersionResource & { storage: boolean }>();
    for (const type of this.api.resourceTypes()) {
      if (!type.namespaced || !type.verbs.includes('list') || !type.verbs.includes('delete')) continue;
      const key = `${type.resource}.${type.group}`;
      const existing = seen.get(key);
      if (!existing || (!existing.storage && type.storage))
        seen.set(key, { group: type.group, version: type.version, resource: type.resource, storage: type.storage });
    }
    return [...seen.values()].map(({ group, version, resource }) => ({ group, version, resource }));
  }
}
