/**
 * The ReplicaSet controller: keeps spec.replicas pods carrying the set's labels, deletes the
 * surplus on scale-down (not-ready and newest first, as ReplicaSetController ranks them), and
 * reports replicas/readyReplicas/availableReplicas, which the Deployment controller sums.
 */
import type { InternalApi, KubeObject, StoredEvent } from '../api/types.js';
import { QueueController } from './queue-controller.js';
import { isPodReady, newPod, podTemplateOf, randomSuffix } from './pods.js';
import {
  controllerOf,
  controllerReference,
  isDeleting,
  isResource,
  objectKey,
  ownedBy,
  podsResource,
  replicaSetsResource,
  sameJson,
  splitKey,
} from './resources.js';

/** ownedPods lists the live (not terminating) pods an owner controls, narrowed by its template labels first. */
export function ownedPods(api: InternalApi, owner: KubeObject, labels: Record<string, string> = {}): KubeObject[] {
  const selector = Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  const options = selector ? { namespace: owner.metadata.namespace, labelSelector: selector } : { namespace: owner.metadata.namespace };
  return api.list(podsResource, options).filter((pod) => ownedBy(pod, owner.metadata.uid) && !isDeleting(pod));
}

/** ReplicaSetController converges each ReplicaSet's pods and status. */
export class ReplicaSetController extends QueueController {
  readonly name = 'replicaset-controller';

  protected onEvent(event: StoredEvent): void {
    if (isResource(event.groupResource, replicaSetsResource)) {
      if (event.type !== 'DELETED') this.queue.enqueue(objectKey(event.object));
    } else if (isResource(event.groupResource, podsResource)) {
      const owner = controllerOf(event.object);
      if (owner?.kind === 'ReplicaSet') this.queue.enqueue(`${event.object.metadata.namespace ?? ''}/${owner.name}`);
    }
  }

  protected resync(): void {
    for (const rs of this.api.list(replicaSetsResource)) this.queue.enqueue(objectKey(rs));
  }

  protected reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const rs = this.api.get(replicaSetsResource, namespace, name);
    if (!rs || isDeleting(rs)) return;
    const spec = (rs.spec ?? {}) as { replicas?: number };
    const desired = spec.replicas ?? 1;
    const template = podTemplateOf(rs);
    let pods = ownedPods(this.api, rs, template.metadata?.labels);
    if (pods.length < desired) {
      for (let i = pods.length; i < desired; i++) {
        const pod = newPod({
          name: `${name}-${randomSuffix()}`,
          namespace: namespace ?? 'default',
          template,
          owner: controllerReference(rs),
        });
        pods.push(this.api.create(podsResource, pod));
      }
    } else if (pods.length > desired) {
      // The real controller deletes unready pods before ready ones, and younger before older.
      const ranked = [...pods].sort(
        (a, b) =>
          Number(isPodReady(a)) - Number(isPodReady(b)) ||
          (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? ''),
      );
      const doomed = new Set(ranked.slice(0, pods.length - desired).map((p) => p.metadata.name));
      for (const pod of pods) if (doomed.has(pod.metadata.name)) this.api.delete(podsResource, namespace, pod.metadata.name ?? '');
      pods = pods.filter((p) => !doomed.has(p.metadata.name));
    }
    const ready = pods.filter(isPodReady).length;
    const status: Record<string, unknown> = {
      replicas: pods.length,
      fullyLabeledReplicas: pods.length,
      observedGeneration: rs.metadata.generation ?? 1,
    };
    // ReplicaSetStatus marks these omitempty: a real server leaves them out at zero.
    if (ready) status.readyReplicas = ready;
    if (ready) status.availableReplicas = ready;
    if (!pods.length) delete status.fullyLabeledReplicas;
    if (!sameJson(status, rs.status)) this.api.updateStatus(replicaSetsResource, { ...rs, status });
  }
}
