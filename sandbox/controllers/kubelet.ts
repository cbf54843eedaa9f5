/**
 * The kubelet of the sandbox's one node: a pod becomes Running and Ready `rolloutMs` after it is
 * created (image pull and readiness probe), so scale-ups and rollouts take observable time.
 * Job pods are left to the Job controller, which runs them to completion. A pod deleted gracefully
 * (terminating: deletionTimestamp with a grace period) is removed `terminationMs` later, once its
 * containers have "stopped", with the final grace-0 delete a real kubelet sends. A pod with an
 * image from a `.invalid` registry never starts: it stays Pending in ImagePullBackOff, as a real
 * kubelet leaves a pod whose image cannot be pulled (a rollout that never finishes).
 */
import type { InternalApi, KubeObject, StoredEvent } from '../api/types.js';
import { QueueController } from './queue-controller.js';
import { imagePullBackOffStatus, isPodReady, pendingPodStatus, podPhase, runningPodStatus, unpullableImages } from './pods.js';
import { controllerOf, isDeleting, isResource, objectKey, podsResource, splitKey } from './resources.js';

/** Kubelet marks pods Running/Ready a fixed delay after their creation. */
export class Kubelet extends QueueController {
  readonly name = 'kubelet';
  private readonly firstSeen = new Map<string, number>();
  private readonly stopping = new Map<string, number>();

  constructor(
    api: InternalApi,
    private readonly startupMs: number,
    private readonly terminationMs = 0,
  ) {
    super(api);
  }

  protected onEvent(event: StoredEvent): void {
    if (!isResource(event.groupResource, podsResource)) return;
    if (event.type === 'DELETED') {
      this.firstSeen.delete(event.object.metadata.uid ?? '');
      this.stopping.delete(event.object.metadata.uid ?? '');
      return;
    }
    if (this.wantsStop(event.object)) {
      this.queue.enqueueAfter(objectKey(event.object), this.stopRemaining(event.object));
      return;
    }
    if (!this.wantsStart(event.object)) return;
    // The API server answers a pod create with phase Pending; the kubelet then reports ContainerCreating at once.
    if (!podPhase(event.object)) this.queue.enqueue(objectKey(event.object));
    else this.queue.enqueueAfter(objectKey(event.object), this.remaining(event.object));
  }

  protected resync(): void {
    for (const pod of this.api.list(podsResource)) {
      if (this.wantsStop(pod)) this.queue.enqueueAfter(objectKey(pod), this.stopRemaining(pod));
      else if (this.wantsStart(pod)) this.queue.enqueueAfter(objectKey(pod), this.remaining(pod));
    }
  }

  protected reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const pod = this.api.get(podsResource, namespace, name);
    if (pod && this.wantsStop(pod)) {
      const wait = this.stopRemaining(pod);
      if (wait > 0) return this.queue.enqueueAfter(key, wait);
      this.api.delete(podsResource, namespace, name, { gracePeriodSeconds: 0, preconditions: { uid: pod.metadata.uid ?? '' } });
      return;
    }
    if (!pod || !this.wantsStart(pod)) return;
    if (!podPhase(pod)) this.api.updateStatus(podsResource, { ...pod, status: pendingPodStatus(pod) });
    const wait = this.remaining(pod);
    if (wait > 0) return this.queue.enqueueAfter(key, wait);
    const latest = this.api.get(podsResource, namespace, name) ?? pod;
    if (unpullableImages(latest).length > 0) {
      // The pull failed; the kubelet backs off and retries for ever, and the pod never becomes Ready.
      const backOff = imagePullBackOffStatus(latest);
      const waiting = (s: unknown) => JSON.stringify((s as { containerStatuses?: unknown })?.containerStatuses);
      if (waiting(latest.status) !== waiting(backOff)) this.api.updateStatus(podsResource, { ...latest, status: backOff });
      return;
    }
    this.api.updateStatus(podsResource, { ...latest, status: runningPodStatus(latest) });
    this.firstSeen.delete(pod.metadata.uid ?? '');
  }

  /** wantsStop: terminating with a grace period left (a grace-0 deletion waits only for finalizers). */
  private wantsStop(pod: KubeObject): boolean {
    return isDeleting(pod) && (pod.metadata.deletionGracePeriodSeconds ?? 0) > 0;
  }

  private stopRemaining(pod: KubeObject): number {
    const uid = pod.metadata.uid ?? '';
    const seen = this.stopping.get(uid) ?? Date.now();
    this.stopping.set(uid, seen);
    return seen + this.terminationMs - Date.now();
  }

  private wantsStart(pod: KubeObject): boolean {
    if (isDeleting(pod) || isPodReady(pod)) return false;
    if (controllerOf(pod)?.kind === 'Job') return false;
    const phase = podPhase(pod);
    return phase !== 'Succeeded' && phase !== 'Failed';
  }

  // creationTimestamp has second precision, too coarse for millisecond delays: the clock starts
  // when this kubelet first sees the pod, which is within a tick of its creation.
  private remaining(pod: KubeObject): number {
    const uid = pod.metadata.uid ?? '';
    const seen = this.firstSeen.get(uid) ?? Date.now();
    this.firstSeen.set(uid, seen);
    return seen + this.startupMs - Date.now();
  }
}
