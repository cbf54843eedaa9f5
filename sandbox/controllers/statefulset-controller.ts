/**
 * The StatefulSet controller: pods `<name>-0 … <name>-N-1` created one at a time, each after the
 * previous is Ready (OrderedReady), deleted from the highest ordinal down on scale-down, and
 * replaced highest-first on a template change; status carries currentRevision/updateRevision
 * (`<name>-<hash>`), which `kubectl rollout status` compares.
 */
import type { KubeObject, StoredEvent } from '../api/types.js';
import { QueueController } from './queue-controller.js';
import { isPodReady, newPod, podTemplateOf, templateHash } from './pods.js';
import { ownedPods } from './replicaset-controller.js';
import {
  controllerOf,
  controllerReference,
  isDeleting,
  isResource,
  objectKey,
  ownedBy,
  podsResource,
  sameJson,
  splitKey,
  statefulSetsResource,
} from './resources.js';

const revisionLabel = 'controller-revision-hash';

interface StatefulSetSpec {
  replicas?: number;
  serviceName?: string;
  podManagementPolicy?: string;
  updateStrategy?: { type?: string };
}

/** ordinalOf reads the ordinal from a StatefulSet pod's name (`web-2` → 2), or -1. */
export function ordinalOf(setName: string, podName: string): number {
  if (!podName.startsWith(`${setName}-`)) return -1;
  const rest = podName.slice(setName.length + 1);
  return /^\d+$/.test(rest) ? Number(rest) : -1;
}

/** StatefulSetController converges StatefulSets' ordered pods and status. */
export class StatefulSetController extends QueueController {
  readonly name = 'statefulset-controller';

  protected onEvent(event: StoredEvent): void {
    if (isResource(event.groupResource, statefulSetsResource)) {
      if (event.type !== 'DELETED') this.queue.enqueue(objectKey(event.object));
    } else if (isResource(event.groupResource, podsResource)) {
      const owner = controllerOf(event.object);
      if (owner?.kind === 'StatefulSet') this.queue.enqueue(`${event.object.metadata.namespace ?? ''}/${owner.name}`);
    }
  }

  protected resync(): void {
    for (const sts of this.api.list(statefulSetsResource)) this.queue.enqueue(objectKey(sts));
  }

  protected reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const sts = this.api.get(statefulSetsResource, namespace, name);
    if (!sts || isDeleting(sts)) return;
    const spec = (sts.spec ?? {}) as StatefulSetSpec;
    const desired = spec.replicas ?? 1;
    const template = podTemplateOf(sts);
    const updateRevision = `${name}-${templateHash(template)}`;
    const pods = new Map<number, KubeObject>();
    for (const pod of ownedPods(this.api, sts)) pods.set(ordinalOf(name, pod.metadata.name ?? ''), pod);
    // Pods still terminating (graceful deletion) keep their names until the kubelet removes them.
    const terminating = new Set(
      this.api
        .list(podsResource, { namespace })
        .filter((pod) => ownedBy(pod, sts.metadata.uid) && isDeleting(pod))
        .map((pod) => ordinalOf(name, pod.metadata.name ?? '')),
    );
    this.step(sts, spec, desired, updateRevision, pods, terminating);
    this.writeStatus(sts, desired, updateRevision, pods, terminating.size);
  }

  /** One move toward the desired pods; every later move is triggered by the pod event this one causes. */
  private step(
    sts: KubeObject,
    spec: StatefulSetSpec,
    desired: number,
    updateRevision: string,
    pods: Map<number, KubeObject>,
    terminating: Set<number>,
  ): void {
    const parallel = spec.podManagementPolicy === 'Parallel';
    // OrderedReady waits for a terminating pod to be gone before its next move, as the real controller does.
    if (!parallel && terminating.size > 0) return;
    const surplus = [...pods.keys()].filter((i) => i >= desired || i < 0).sort((a, b) => b - a);
    if (surplus.length) {
      for (const ordinal of parallel ? surplus : surplus.slice(0, 1)) this.deletePod(sts, ordinal, pods, terminating);
      return;
    }
    for (let i = 0; i < desired; i++) {
      const pod = pods.get(i);
      if (!pod && terminating.has(i)) continue;
      if (!pod) {
        pods.set(i, this.api.create(podsResource, this.newPod(sts, i, updateRevision)));
        if (!parallel) return;
        continue;
      }
      if (!isPodReady(pod) && !parallel) return;
    }
    if (spec.updateStrategy?.type === 'OnDelete') return;
    // RollingUpdate replaces pods from the highest ordinal down, one at a time, once all are Ready.
    if ([...pods.values()].every(isPodReady)) {
      const stale = [...pods.entries()]
        .filter(([, p]) => p.metadata.labels?.[revisionLabel] !== updateRevision)
        .sort(([a], [b]) => b - a)[0];
      if (stale) this.deletePod(sts, stale[0], pods, terminating);
    }
  }

  /**
   * deletePod deletes one pod; with graceful deletion it stays, terminating, and is counted as such
   * in the status this reconcile writes (status.replicas read 1 for two pods until the next event).
   */
  private deletePod(sts: KubeObject, ordinal: number, pods: Map<number, KubeObject>, terminating: Set<number>): void {
    const last = this.api.delete(podsResource, sts.metadata.namespace, pods.get(ordinal)?.metadata.name ?? '');
    pods.delete(ordinal);
    if (last && isDeleting(last)) terminating.add(ordinal);
  }

  private newPod(sts: KubeObject, ordinal: number, revision: string): KubeObject {
    const name = `${sts.metadata.name ?? ''}-${ordinal}`;
    const spec = (sts.spec ?? {}) as StatefulSetSpec;
    const podSpec: Record<string, unknown> = { hostname: name };
    if (spec.serviceName) podSpec.subdomain = spec.serviceName;
    return newPod({
      name,
      namespace: sts.metadata.namespace ?? 'default',
      template: podTemplateOf(sts),
      owner: controllerReference(sts),
      labels: { [revisionLabel]: revision, 'statefulset.kubernetes.io/pod-name': name, 'apps.kubernetes.io/pod-index': String(ordinal) },
      spec: podSpec,
    });
  }

  private writeStatus(sts: KubeObject, desired: number, updateRevision: string, pods: Map<number, KubeObject>, terminating: number): void {
    const live = [...pods.values()];
    const previous = (sts.status ?? {}) as { currentRevision?: string };
    const updated = live.filter((p) => p.metadata.labels?.[revisionLabel] === updateRevision).length;
    // The current revision catches up with the update revision once every pod runs it.
    const currentRevision = updated === desired && live.length === desired ? updateRevision : (previous.currentRevision ?? updateRevision);
    const current = live.filter((p) => p.metadata.labels?.[revisionLabel] === currentRevision).length;
    const ready = live.filter(isPodReady).length;
    // status.replicas counts every created pod, terminating ones included (computeReplicaStatus).
    const status: Record<string, unknown> = {
      observedGeneration: sts.metadata.generation ?? 1,
      replicas: live.length + terminating,
      availableReplicas: ready,
    };
    if (ready) status.readyReplicas = ready;
    if (current) status.currentReplicas = current;
    if (updated) status.updatedReplicas = updated;
    status.currentRevision = currentRevision;
    status.updateRevision = updateRevision;
    status.collisionCount = 0;
    if (!sameJson(status, sts.status)) this.api.updateStatus(statefulSetsResource, { ...sts, status });
  }
}
