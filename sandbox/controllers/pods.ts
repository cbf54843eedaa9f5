/**
 * Pods as the workload controllers create them and as the kubelet reports them: names with the
 * real random suffixes, pod-template hashes computed the way kube-controller-manager does, and the
 * Pending → Running/Ready status progression that `kubectl rollout status` and `kubectl get pods` read.
 */
import { randomInt } from 'node:crypto';
import type { KubeObject, OwnerReference } from '../api/types.js';
import { nowTimestamp } from './resources.js';

/** The one node the sandbox pretends to have. */
export const sandboxNodeName = 'sandbox-node';

// apimachinery's rand.SafeEncodeString alphabet: no vowels (no words) and no confusable characters.
const safeAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** randomSuffix is the `-xxxxx` of generated names (utilrand.String(5)). */
export function randomSuffix(length = 5): string {
  let out = '';
  for (let i = 0; i < length; i++) out += safeAlphabet[randomInt(safeAlphabet.length)];
  return out;
}

/**
 * templateHash hashes a pod template as controller.ComputeHash does: FNV-1a over the object,
 * printed in decimal and mapped through SafeEncodeString (so it looks like `5d59d67564`).
 */
export function templateHash(template: unknown, collisionCount = 0): string {
  let hash = 0x811c9dc5;
  const text = `${stableStringify(template)}${collisionCount ? String(collisionCount) : ''}`;
  for (const byte of Buffer.from(text, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return [...String(hash)].map((c) => safeAlphabet[c.charCodeAt(0) % safeAlphabet.length]).join('');
}

// The real hash runs over the Go struct, where a null field and an absent one are the same zero
// value: `kubectl rollout undo` sends `creationTimestamp: null` and must land on the old hash.
function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const keys = Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== null && (value as Record<string, unknown>)[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify((value as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** The parts of a pod template the controllers copy. */
export interface PodTemplate {
  metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  spec?: Record<string, unknown>;
}

/** podTemplateOf reads spec.template of a workload. */
export function podTemplateOf(workload: KubeObject): PodTemplate {
  const spec = (workload.spec ?? {}) as { template?: PodTemplate };
  return spec.template ?? {};
}

/** newPod builds the pod a workload controller creates from its template, scheduled onto the sandbox node. */
export function newPod(options: {
  name: string;
  namespace: string;
  template: PodTemplate;
  owner: OwnerReference;
  labels?: Record<string, string>;
  spec?: Record<string, unknown>;
}): KubeObject {
  const metadata: KubeObject['metadata'] = {
    name: options.name,
    namespace: options.namespace,
    labels: { ...(options.template.metadata?.labels ?? {}), ...(options.labels ?? {}) },
    ownerReferences: [options.owner],
  };
  if (options.template.metadata?.annotations) metadata.annotations = { ...options.template.metadata.annotations };
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata,
    // The scheduler binds every pod to the only node at once.
    spec: { ...structuredClone(options.template.spec ?? {}), ...(options.spec ?? {}), nodeName: sandboxNodeName },
  };
}

function containerNames(pod: KubeObject): Array<{ name: string; image: string }> {
  const containers = ((pod.spec ?? {}) as { containers?: Array<{ name?: string; image?: string }> }).containers ?? [];
  return containers.map((c) => ({ name: c.name ?? '', image: c.image ?? '' }));
}

/** pendingPodStatus is what the kubelet reports while pulling images: scheduled, containers creating. */
export function pendingPodStatus(pod: KubeObject): Record<string, unknown> {
  const now = nowTimestamp();
  return {
    phase: 'Pending',
    conditions: [
      { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: now },
      { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: now },
      { type: 'ContainersReady', status: 'False', reason: 'ContainersNotReady', lastProbeTime: null, lastTransitionTime: now },
      { type: 'Ready', status: 'False', reason: 'ContainersNotReady', lastProbeTime: null, lastTransitionTime: now },
    ],
    hostIP: '10.0.0.10',
    startTime: now,
    qosClass: 'BestEffort',
    containerStatuses: containerNames(pod).map((c) => ({
      name: c.name,
      image: c.image,
      imageID: '',
      ready: false,
      restartCount: 0,
      started: false,
      state: { waiting: { reason: 'ContainerCreating' } },
    })),
  };
}

/**
 * unpullableImages lists the images of a pod no registry can serve: those whose registry host is
 * under `.invalid`, the TLD reserved never to resolve (RFC 2606 §2), so a real kubelet's pull
 * fails on DNS as it would for a mistyped registry. Tests use it for a rollout that cannot finish.
 */
export function unpullableImages(pod: KubeObject): string[] {
  return containerNames(pod)
    .map((c) => c.image)
    .filter((image) => {
      const first = image.split('/')[0] ?? '';
      return image.includes('/') && /\.invalid(:\d+)?$/i.test(first);
    });
}

/**
 * imagePullBackOffStatus is what the kubelet reports once a pull failed and it backs off: Pending,
 * not Ready, the container waiting with ImagePullBackOff (kubelet images/image_manager.go).
 */
export function imagePullBackOffStatus(pod: KubeObject): Record<string, unknown> {
  const status = pendingPodStatus(pod);
  const unpullable = new Set(unpullableImages(pod));
  status.containerStatuses = (status.containerStatuses as Array<Record<string, unknown>>).map((container) =>
    unpullable.has(String(container.image))
      ? { ...container, state: { waiting: { reason: 'ImagePullBackOff', message: `Back-off pulling image "${String(container.image)}"` } } }
      : container,
  );
  return status;
}

/** runningPodStatus is a pod whose containers all started and passed readiness. */
export function runningPodStatus(pod: KubeObject): Record<string, unknown> {
  const now = nowTimestamp();
  const startTime = ((pod.status ?? {}) as { startTime?: string }).startTime ?? now;
  return {
    phase: 'Running',
    conditions: [
      { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: startTime },
      { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: startTime },
      { type: 'ContainersReady', status: 'True', lastProbeTime: null, lastTransitionTime: now },
      { type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: now },
    ],
    hostIP: '10.0.0.10',
    podIP: podIp(pod),
    startTime,
    qosClass: 'BestEffort',
    containerStatuses: containerStatuses(pod, { ready: true, started: true, state: { running: { startedAt: now } } }),
  };
}

/** succeededPodStatus is a pod whose containers all exited 0 (a finished Job's pod). */
export function succeededPodStatus(pod: KubeObject): Record<string, unknown> {
  const now = nowTimestamp();
  const startTime = ((pod.status ?? {}) as { startTime?: string }).startTime ?? now;
  return {
    phase: 'Succeeded',
    conditions: [
      { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: startTime },
      { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: startTime, reason: 'PodCompleted' },
      { type: 'ContainersReady', status: 'False', lastProbeTime: null, lastTransitionTime: now, reason: 'PodCompleted' },
      { type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: now, reason: 'PodCompleted' },
    ],
    hostIP: '10.0.0.10',
    podIP: podIp(pod),
    startTime,
    qosClass: 'BestEffort',
    containerStatuses: containerStatuses(pod, {
      ready: false,
      started: false,
      state: { terminated: { exitCode: 0, reason: 'Completed', startedAt: startTime, finishedAt: now } },
    }),
  };
}

// A stable address per pod, so repeated status writes do not churn.
function podIp(pod: KubeObject): string {
  const hash = templateHash(pod.metadata.uid ?? pod.metadata.name ?? '');
  let n = 0;
  for (const c of hash) n = (n * 31 + c.charCodeAt(0)) % 65_000;
  return `10.244.${Math.floor(n / 250)}.${(n % 250) + 2}`;
}

/** isPodReady reads the Ready condition, as every workload controller counts readiness. */
export function isPodReady(pod: KubeObject): boolean {
  const conditions = ((pod.status ?? {}) as { conditions?: Array<{ type?: string; status?: string }> }).conditions ?? [];
  return conditions.some((c) => c.type === 'Ready' && c.status === 'True');
}

/** podPhase is status.phase ('' before the kubelet reported). */
export function podPhase(pod: KubeObject): string {
  return ((pod.status ?? {}) as { phase?: string }).phase ?? '';
}

/** containerStatuses reports every container of the pod with the same readiness and state, as a kubelet does for a uniform pod. */
function containerStatuses(
  pod: KubeObject,
  status: { ready: boolean; started: boolean; state: Record<string, unknown> },
): Array<Record<string, unknown>> {
  return containerNames(pod).map((c) => ({
    name: c.name,
    image: c.image,
    imageID: `${c.image}@sha256:${'0'.repeat(64)}`,
    containerID: `containerd://${'0'.repeat(64)}`,
    ready: status.ready,
    restartCount: 0,
    started: status.started,
    state: status.state,
  }));
}
