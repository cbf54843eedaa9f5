/**
 * The DaemonSet controller for a one-node cluster: one pod per DaemonSet, replaced when the
 * template changes, and the node-count status `kubectl rollout status ds` reads.
 */
import type { KubeObject, StoredEvent } from '../api/types.js';
import { QueueController } from './queue-controller.js';
import { isPodReady, newPod, podTemplateOf, randomSuffix, templateHash } from './pods.js';
import { ownedPods } from './replicaset-controller.js';
import {
  controllerOf,
  controllerReference,
  daemonSetsResource,
  isDeleting,
  isResource,
  objectKey,
  podsResource,
  sameJson,
  splitKey,
} from './resources.js';

const revisionLabel = 'controller-revision-hash';

/** DaemonSetController keeps one up-to-date pod per DaemonSet on the sandbox node. */
export class DaemonSetController extends QueueController {
  readonly name = 'daemonset-controller';

  protected onEvent(event: StoredEvent): void {
    if (isResource(event.groupResource, daemonSetsResource)) {
      if (event.type !== 'DELETED') this.queue.enqueue(objectKey(event.object));
    } else if (isResource(event.groupResource, podsResource)) {
      const owner = controllerOf(event.object);
      if (owner?.kind === 'DaemonSet') this.queue.enqueue(`${event.object.metadata.namespace ?? ''}/${owner.name}`);
    }
  }

  protected resync(): void {
    for (const ds of this.api.list(daemonSetsResource)) this.queue.enqueue(objectKey(ds));
  }

  protected reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const ds = this.api.get(daemonSetsResource, namespace, name);
    if (!ds || isDeleting(ds)) return;
    const hash = templateHash(podTemplateOf(ds));
    let pods = ownedPods(this.api, ds);
    const onDelete = ((ds.spec ?? {}) as { updateStrategy?: { type?: string } }).updateStrategy?.type === 'OnDelete';
    // RollingUpdate with maxUnavailable 1 on one node: the old pod goes, then the new one comes.
    const stale = onDelete ? [] : pods.filter((p) => p.metadata.labels?.[revisionLabel] !== hash);
    for (const pod of [...stale, ...pods.slice(1)]) this.api.delete(podsResource, namespace, pod.metadata.name ?? '');
    pods = pods.filter((p) => !stale.includes(p)).slice(0, 1);
    if (!pods.length && !stale.length) pods.push(this.api.create(podsResource, this.newPod(ds, hash)));
    this.writeStatus(ds, hash, pods);
  }

  private newPod(ds: KubeObject, hash: string): KubeObject {
    return newPod({
      name: `${ds.metadata.name ?? ''}-${randomSuffix()}`,
      namespace: ds.metadata.namespace ?? 'default',
      template: podTemplateOf(ds),
      owner: controllerReference(ds),
      labels: { [revisionLabel]: hash, 'pod-template-generation': String(ds.metadata.generation ?? 1) },
    });
  }

  private writeStatus(ds: KubeObject, hash: string, pods: KubeObject[]): void {
    const ready = pods.filter(isPodReady).length;
    const updated = pods.filter((p) => p.metadata.labels?.[revisionLabel] === hash).length;
    const status: Record<string, unknown> = {
      currentNumberScheduled: pods.length,
      desiredNumberScheduled: 1,
      numberMisscheduled: 0,
      numberReady: ready,
      observedGeneration: ds.metadata.generation ?? 1,
    };
    // DaemonSetStatus marks these omitempty.
    if (updated) status.updatedNumberScheduled = updated;
    if (ready) status.numberAvailable = ready;
    if (1 - ready > 0) status.numberUnavailable = 1 - ready;
    if (!sameJson(status, ds.status)) this.api.updateStatus(daemonSetsResource, { ...ds, status });
  }
}
