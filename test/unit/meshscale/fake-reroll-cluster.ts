/**
 * A recording fake of the RerollPorts: Deployments (owning pods through a ReplicaSet),
 * StatefulSets, DaemonSets, bare and Job-owned pods, and Jobs. A restart patch bumps the
 * generation and the status follows `rolloutMs` later (like a controller), unless the workload's
 * rollout is stuck; every write is logged in `calls`, and `maxInFlight` records how many rollouts
 * were under way at once.
 */
import { ApiStatusError } from '../../../shared/errors/errors.js';
import type { GroupVersionResource, KubeObject, WatchEvent } from '../../../shared/kube/ports.js';
import type { RerollPorts } from '../../../plugins/kubectl-meshscale/reroll/ports.js';

type Kind = 'Deployment' | 'StatefulSet' | 'DaemonSet';

/** WorkloadSpec says how a test workload looks. */
export interface WorkloadSpec {
  replicas?: number;
  /** sidecar: its pods (and template) carry nginx-mesh-sidecar. */
  sidecar?: boolean;
  /** templateAnnotations go on the pod template. */
  templateAnnotations?: Record<string, string>;
}

const sidecarContainers = [
  { name: 'app', image: 'app:1' },
  { name: 'nginx-mesh-sidecar', image: 'docker-registry.nginx.com/nsm/nginx-mesh-sidecar:1.7.0' },
];
const plainContainers = [{ name: 'app', image: 'app:1' }];

/** RerollCluster holds the objects and records calls. */
export class RerollCluster {
  readonly calls: string[] = [];
  readonly workloads = new Map<string, KubeObject>();
  readonly pods = new Map<string, KubeObject>();
  readonly replicaSets: KubeObject[] = [];
  readonly jobs = new Map<string, KubeObject>();
  /** failPatch answers the restart patch of these names with 403. */
  readonly failPatch = new Set<string>();
  /** stuck rollouts never complete. */
  readonly stuck = new Set<string>();
  rolloutMs = 5;
  inFlight = 0;
  maxInFlight = 0;
  private watchers: Array<{ key: string; onEvent: (e: WatchEvent) => void }> = [];
  private rv = 1;

  addWorkload(kind: Kind, namespace: string, name: string, spec: WorkloadSpec = {}): void {
    const replicas = kind === 'DaemonSet' ? 1 : (spec.replicas ?? 1);
    const containers = spec.sidecar ? sidecarContainers : plainContainers;
    const template = { metadata: { labels: { app: name }, annotations: { ...spec.templateAnnotations } }, spec: { containers } };
    const status =
      kind === 'DaemonSet'
        ? { observedGeneration: 1, desiredNumberScheduled: 1, updatedNumberScheduled: 1, numberAvailable: 1 }
        : kind === 'StatefulSet'
          ? {
              observedGeneration: 1,
              replicas,
              readyReplicas: replicas,
              updatedReplicas: replicas,
              currentRevision: `${name}-1`,
              updateRevision: `${name}-1`,
            }
          : { observedGeneration: 1, replicas, updatedReplicas: replicas, availableReplicas: replicas };
    this.workloads.set(`${kind}/${namespace}/${name}`, {
      kind,
      metadata: { name, namespace, generation: 1, resourceVersion: String(this.rv++) },
      spec: { replicas, selector: { matchLabels: { app: name } }, template },
      status,
    });
    let owner = { kind: kind as string, name };
    if (kind === 'Deployment') {
      const rsName = `${name}-5d8f7c`;
      this.replicaSets.push({
        kind: 'ReplicaSet',
        metadata: { name: rsName, namespace, ownerReferences: [{ apiVersion: 'apps/v1', kind, name, uid: name, controller: true }] },
      });
      owner = { kind: 'ReplicaSet', name: rsName };
    }
    for (let i = 0; i < replicas; i++) this.addPod(namespace, `${owner.name}-${i}`, { sidecar: spec.sidecar, owner });
  }

  /** addPod adds a pod, bare unless `owner` names its controller. */
  addPod(namespace: string, name: string, options: { sidecar?: boolean; owner?: { kind: string; name: string } } = {}): void {
    const ownerReferences = options.owner
      ? [{ apiVersion: 'v1', kind: options.owner.kind, name: options.owner.name, uid: options.owner.name, controller: true }]
      : undefined;
    this.pods.set(`${namespace}/${name}`, {
      kind: 'Pod',
      metadata: { name, namespace, ...(ownerReferences ? { ownerReferences } : {}) },
      spec: {
        containers: options.sidecar ? sidecarContainers : plainContainers,
        ...(options.sidecar ? { initContainers: [{ name: 'nginx-mesh-init', image: 'init' }] } : {}),
      },
      status: { phase: 'Running' },
    });
  }

  addJob(namespace: string, name: string): void {
    this.jobs.set(`${namespace}/${name}`, { kind: 'Job', metadata: { name, namespace, resourceVersion: String(this.rv++) } });
  }

  deleteJob(namespace: string, name: string): void {
    const job = this.jobs.get(`${namespace}/${name}`);
    this.jobs.delete(`${namespace}/${name}`);
    this.calls.push(`job ${name} deleted`);
    for (const w of this.watchers) if (job && w.key === `jobs/${namespace}/${name}`) w.onEvent({ type: 'DELETED', object: job });
  }

  /** restartedAt reads a workload's template annotation. */
  restartedAt(kind: Kind, namespace: string, name: string): string | undefined {
    const template = (
      this.workloads.get(`${kind}/${namespace}/${name}`)!['spec'] as { template: { metadata: { annotations: Record<string, string> } } }
    ).template;
    return template.metadata.annotations['kubectl.kubernetes.io/restartedAt'];
  }

  private inScope(object: KubeObject, namespace: string | undefined): boolean {
    return namespace === undefined || object.metadata?.namespace === namespace;
  }

  private patch(kind: Kind, namespace: string, name: string, patch: Record<string, unknown>, dryRun: boolean): KubeObject {
    const key = `${kind}/${namespace}/${name}`;
    const object = this.workloads.get(key);
    if (!object) throw new ApiStatusError({ code: 404, reason: 'NotFound', message: `${kind.toLowerCase()}s "${name}" not found` });
    if (this.failPatch.has(name))
      throw new ApiStatusError({
        code: 403,
        reason: 'Forbidden',
        message: `${kind.toLowerCase()}s.apps "${name}" is forbidden: User "dev" cannot patch resource`,
      });
    const annotations = (patch as { spec: { template: { metadata: { annotations: Record<string, string> } } } }).spec.template.metadata
      .annotations;
    this.calls.push(`patch ${kind} ${namespace}/${name} ${Object.keys(annotations).join(',')}${dryRun ? ' dry-run' : ''}`);
    const spec = object['spec'] as { template: { metadata: { annotations: Record<string, string> } } };
    const generation = (object.metadata!.generation ?? 1) + 1;
    const next: KubeObject = {
      ...object,
      metadata: { ...object.metadata, generation, resourceVersion: String(this.rv++) },
      spec: {
        ...spec,
        template: {
          ...spec.template,
          metadata: { ...spec.template.metadata, annotations: { ...spec.template.metadata.annotations, ...annotations } },
        },
      },
    };
    if (dryRun) return next;
    this.workloads.set(key, next);
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    if (!this.stuck.has(name)) {
      setTimeout(() => {
        this.inFlight--;
        const current = this.workloads.get(key)!;
        const done: KubeObject = {
          ...current,
          metadata: { ...current.metadata, resourceVersion: String(this.rv++) },
          status: { ...(current['status'] as object), observedGeneration: generation },
        };
        this.workloads.set(key, done);
        this.calls.push(`rolled out ${kind} ${namespace}/${name}`);
        for (const w of this.watchers) if (w.key === key) w.onEvent({ type: 'MODIFIED', object: done });
      }, this.rolloutMs);
    }
    return next;
  }

  ports(): RerollPorts {
    const kindOf = (resource: string): Kind =>
      resource === 'deployments' ? 'Deployment' : resource === 'statefulsets' ? 'StatefulSet' : 'DaemonSet';
    return {
      workloads: {
        get: async (kind, namespace, name) => this.workloads.get(`${kind}/${namespace}/${name}`),
        list: async (kind, options) => {
          if (kind === 'Pod')
            return { items: [...this.pods.values()].filter((p) => this.inScope(p, options.namespace)), resourceVersion: String(this.rv) };
          const name = options.fieldSelector?.replace('metadata.name=', '');
          const items = [...this.workloads.values()].filter(
            (w) => w.kind === kind && this.inScope(w, options.namespace) && (!name || w.metadata?.name === name),
          );
          return { items, resourceVersion: String(this.rv) };
        },
        watch: async (kind, options, onEvent) => {
          const name = options.fieldSelector?.replace('metadata.name=', '');
          const entry = { key: `${kind}/${options.namespace ?? ''}/${name ?? ''}`, onEvent };
          this.watchers.push(entry);
          return { stop: () => (this.watchers = this.watchers.filter((w) => w !== entry)) };
        },
      },
      objects: {
        list: async (gvr: GroupVersionResource, options) => {
          if (gvr.resource === 'replicasets')
            return { items: this.replicaSets.filter((rs) => this.inScope(rs, options?.namespace)), resourceVersion: String(this.rv) };
          if (gvr.resource === 'jobs') {
            const name = options?.fieldSelector?.replace('metadata.name=', '');
            this.calls.push(`list jobs ${name ?? ''}`);
            return {
              items: [...this.jobs.values()].filter((j) => this.inScope(j, options?.namespace) && (!name || j.metadata?.name === name)),
              resourceVersion: String(this.rv),
            };
          }
          throw new Error(`unexpected list ${gvr.resource}`);
        },
        watch: async (gvr, options, onEvent) => {
          const name = options.fieldSelector?.replace('metadata.name=', '');
          this.calls.push(`watch ${gvr.resource} ${name ?? ''}`);
          const entry = { key: `${gvr.resource}/${options.namespace ?? ''}/${name ?? ''}`, onEvent };
          this.watchers.push(entry);
          return { stop: () => (this.watchers = this.watchers.filter((w) => w !== entry)) };
        },
        mergePatch: async (gvr, name, patch, namespace, options) =>
          this.patch(kindOf(gvr.resource), namespace ?? '', name, patch, options?.dryRun ?? false),
      },
    };
  }
}
