/**
 * The Deployment controller: one ReplicaSet per pod template (`<deployment>-<pod-template-hash>`),
 * the new one scaled to spec.replicas and the old ones scaled to zero once the new one is fully
 * available (a surge-then-retire rollout, which `kubectl rollout status` follows through its
 * usual messages), revision annotations, and the status kubectl and helm's kstatus read.
 */
import type { KubeObject, StoredEvent } from '../api/types.js';
import { QueueController } from './queue-controller.js';
import { podTemplateOf, templateHash } from './pods.js';
import {
  controllerOf,
  controllerReference,
  deploymentsResource,
  isDeleting,
  isResource,
  nowTimestamp,
  objectKey,
  ownedBy,
  replicaSetsResource,
  sameJson,
  splitKey,
} from './resources.js';

const revisionAnnotation = 'deployment.kubernetes.io/revision';

interface DeploymentSpec {
  replicas?: number;
  paused?: boolean;
  revisionHistoryLimit?: number;
  selector?: { matchLabels?: Record<string, string> };
  strategy?: { type?: string; rollingUpdate?: { maxUnavailable?: number | string; maxSurge?: number | string } };
}

interface ReplicaSetCounts {
  replicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
}

/** A condition as in apps/v1 DeploymentCondition. */
interface Condition {
  type: string;
  status: string;
  lastUpdateTime: string;
  lastTransitionTime: string;
  reason: string;
  message: string;
}

/** resolveIntOrPercent scales a maxSurge/maxUnavailable value against replicas, rounding as the real controller does. */
export function resolveIntOrPercent(value: number | string | undefined, fallback: string, replicas: number, roundUp: boolean): number {
  const v = value ?? fallback;
  if (typeof v === 'number') return v;
  const percent = /^(\d+)%$/.exec(v);
  if (!percent) return Number.parseInt(v, 10) || 0;
  const exact = (Number(percent[1]) * replicas) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** maxUnavailableOf is how many pods a Deployment may lack and still count as Available (0 for Recreate). */
export function maxUnavailableOf(spec: DeploymentSpec, replicas: number): number {
  if (spec.strategy?.type === 'Recreate') return 0;
  const surge = resolveIntOrPercent(spec.strategy?.rollingUpdate?.maxSurge, '25%', replicas, true);
  let unavailable = resolveIntOrPercent(spec.strategy?.rollingUpdate?.maxUnavailable, '25%', replicas, false);
  // Both zero would deadlock a rollout; the real controller then allows one unavailable pod.
  if (surge === 0 && unavailable === 0) unavailable = 1;
  return Math.min(unavailable, replicas);
}

function revisionOf(rs: KubeObject): number {
  return Number(rs.metadata.annotations?.[revisionAnnotation] ?? '0') || 0;
}

function counts(rs: KubeObject): ReplicaSetCounts {
  return (rs.status ?? {}) as ReplicaSetCounts;
}

function specReplicas(rs: KubeObject): number {
  return ((rs.spec ?? {}) as { replicas?: number }).replicas ?? 0;
}

/** DeploymentController converges Deployments through their ReplicaSets. */
export class DeploymentController extends QueueController {
  readonly name = 'deployment-controller';

  protected onEvent(event: StoredEvent): void {
    if (isResource(event.groupResource, deploymentsResource)) {
      if (event.type !== 'DELETED') this.queue.enqueue(objectKey(event.object));
    } else if (isResource(event.groupResource, replicaSetsResource)) {
      const owner = controllerOf(event.object);
      if (owner?.kind === 'Deployment') this.queue.enqueue(`${event.object.metadata.namespace ?? ''}/${owner.name}`);
    }
  }

  protected resync(): void {
    for (const deployment of this.api.list(deploymentsResource)) this.queue.enqueue(objectKey(deployment));
  }

  protected reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    let deployment = this.api.get(deploymentsResource, namespace, name);
    if (!deployment || isDeleting(deployment)) return;
    const spec = (deployment.spec ?? {}) as DeploymentSpec;
    if (spec.paused) return;
    const desired = spec.replicas ?? 1;
    const template = podTemplateOf(deployment);
    const hash = templateHash(template);
    const owned = this.api
      .list(replicaSetsResource, { namespace })
      .filter((rs) => ownedBy(rs, deployment?.metadata.uid) && !isDeleting(rs));
    const maxRevision = owned.reduce((max, rs) => Math.max(max, revisionOf(rs)), 0);
    let newRs = owned.find((rs) => rs.metadata.labels?.['pod-template-hash'] === hash);
    let created = false;
    if (!newRs) {
      newRs = this.api.create(replicaSetsResource, this.newReplicaSet(deployment, hash, desired, maxRevision + 1));
      created = true;
    } else if (specReplicas(newRs) !== desired || revisionOf(newRs) < maxRevision) {
      // A rollback (`kubectl rollout undo`) re-uses the old ReplicaSet and gives it the next revision.
      const annotations: Record<string, string> = {
        ...(newRs.metadata.annotations ?? {}),
        'deployment.kubernetes.io/desired-replicas': String(desired),
      };
      if (revisionOf(newRs) < maxRevision) annotations[revisionAnnotation] = String(maxRevision + 1);
      newRs = this.api.update(replicaSetsResource, {
        ...newRs,
        metadata: { ...newRs.metadata, annotations },
        spec: { ...(newRs.spec as object), replicas: desired },
      });
    }
    const oldRss = owned.filter((rs) => rs.metadata.name !== newRs?.metadata.name);
    // Old pods are retired only when the new ReplicaSet can carry the load on its own.
    const newAvailable = counts(newRs).availableReplicas ?? 0;
    if (newAvailable >= desired) {
      for (const rs of oldRss) {
        if (specReplicas(rs) !== 0) this.api.update(replicaSetsResource, { ...rs, spec: { ...(rs.spec as object), replicas: 0 } });
      }
      this.pruneHistory(oldRss, spec.revisionHistoryLimit ?? 10);
    }
    const revision = newRs.metadata.annotations?.[revisionAnnotation];
    if (revision && deployment.metadata.annotations?.[revisionAnnotation] !== revision) {
      deployment = this.api.update(deploymentsResource, {
        ...deployment,
        metadata: { ...deployment.metadata, annotations: { ...(deployment.metadata.annotations ?? {}), [revisionAnnotation]: revision } },
      });
    }
    const all = [newRs, ...oldRss];
    const status = this.status(deployment, spec, desired, newRs, all, created);
    if (!sameJson(status, deployment.status)) this.api.updateStatus(deploymentsResource, { ...deployment, status });
  }

  private newReplicaSet(deployment: KubeObject, hash: string, replicas: number, revision: number): KubeObject {
    const template = podTemplateOf(deployment);
    const labels = { ...(template.metadata?.labels ?? {}), 'pod-template-hash': hash };
    const spec = (deployment.spec ?? {}) as DeploymentSpec & { minReadySeconds?: number };
    const selector = { ...(spec.selector ?? {}), matchLabels: { ...(spec.selector?.matchLabels ?? {}), 'pod-template-hash': hash } };
    return {
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `${deployment.metadata.name ?? ''}-${hash}`,
        namespace: deployment.metadata.namespace,
        labels,
        annotations: {
          'deployment.kubernetes.io/desired-replicas': String(replicas),
          'deployment.kubernetes.io/max-replicas': String(replicas + 1),
          [revisionAnnotation]: String(revision),
        },
        ownerReferences: [controllerReference(deployment)],
      },
      spec: { replicas, selector, template: { ...template, metadata: { ...(template.metadata ?? {}), labels } } },
    };
  }

  private pruneHistory(oldRss: KubeObject[], limit: number): void {
    const idle = oldRss
      .filter((rs) => specReplicas(rs) === 0 && (counts(rs).replicas ?? 0) === 0)
      .sort((a, b) => revisionOf(a) - revisionOf(b));
    for (const rs of idle.slice(0, Math.max(0, idle.length - limit)))
      this.api.delete(replicaSetsResource, rs.metadata.namespace, rs.metadata.name ?? '');
  }

  private status(
    deployment: KubeObject,
    spec: DeploymentSpec,
    desired: number,
    newRs: KubeObject,
    all: KubeObject[],
    created: boolean,
  ): Record<string, unknown> {
    const sum = (f: (rs: KubeObject) => number): number => all.reduce((n, rs) => n + f(rs), 0);
    const replicas = sum((rs) => counts(rs).replicas ?? 0);
    const updated = counts(newRs).replicas ?? 0;
    const ready = sum((rs) => counts(rs).readyReplicas ?? 0);
    const available = sum((rs) => counts(rs).availableReplicas ?? 0);
    const unavailable = Math.max(0, sum(specReplicas) - available);
    const previous = ((deployment.status ?? {}) as { conditions?: Condition[] }).conditions ?? [];
    const rsName = newRs.metadata.name ?? '';
    const isAvailable = available >= desired - maxUnavailableOf(spec, desired);
    const complete = updated === desired && replicas === desired && available >= desired;
    const conditions = [
      isAvailable
        ? condition(previous, 'Available', 'True', 'MinimumReplicasAvailable', 'Deployment has minimum availability.')
        : condition(previous, 'Available', 'False', 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.'),
      complete
        ? condition(previous, 'Progressing', 'True', 'NewReplicaSetAvailable', `ReplicaSet "${rsName}" has successfully progressed.`)
        : created
          ? condition(previous, 'Progressing', 'True', 'NewReplicaSetCreated', `Created new replica set "${rsName}"`)
          : condition(previous, 'Progressing', 'True', 'ReplicaSetUpdated', `ReplicaSet "${rsName}" is progressing.`),
    ];
    // DeploymentStatus fields are omitempty: zero counts are absent on a real server.
    const status: Record<string, unknown> = { observedGeneration: deployment.metadata.generation ?? 1 };
    if (replicas) status.replicas = replicas;
    if (updated) status.updatedReplicas = updated;
    if (ready) status.readyReplicas = ready;
    if (available) status.availableReplicas = available;
    if (unavailable) status.unavailableReplicas = unavailable;
    status.conditions = conditions;
    return status;
  }
}

/** condition keeps lastTransitionTime while the status holds and lastUpdateTime while nothing changes, as the real controller does. */
function condition(previous: Condition[], type: string, status: string, reason: string, message: string): Condition {
  const old = previous.find((c) => c.type === type);
  const now = nowTimestamp();
  if (old && old.status === status && old.reason === reason && old.message === message) return old;
  return {
    type,
    status,
    lastUpdateTime: now,
    lastTransitionTime: old && old.status === status ? old.lastTransitionTime : now,
    reason,
    message,
  };
}
