/**
 * A recording fake of the ScalePorts: workloads whose status follows spec a tick later (like a
 * controller with no delay), pods selected by `app=<name>` that on scale-down turn terminating
 * when the status says 0 and go `podTerminationMs` later (like a ReplicaSet and a kubelet), an
 * optional hook after each scale, and a log of every write.
 */
import { ApiStatusError } from '../../../shared/errors/errors.js';
import type { GroupVersionResource, KubeObject, WatchEvent } from '../../../shared/kube/ports.js';
import type { ScalePorts } from '../../../plugins/kubectl-meshscale/scale/ports.js';

type Kind = 'Deployment' | 'StatefulSet' | 'Pod';

/** FakeCluster holds workloads and custom objects and records calls. */
export class FakeCluster {
  readonly calls: string[] = [];
  readonly workloads = new Map<string, KubeObject>();
  readonly objects = new Map<string, KubeObject[]>();
  readonly pods = new Map<string, KubeObject>();
  private watchers: Array<{ key: string; onEvent: (e: WatchEvent) => void }> = [];
  /** podTerminationMs is how long a deleted pod stays terminating. */
  podTerminationMs = 0;
  /** stuckPods never finish terminating (a finalizer nobody removes). */
  readonly stuckPods = new Set<string>();
  /** failNext makes the next writes of this name fail with the given codes. */
  readonly failNext = new Map<string, number[]>();
  /** onScale runs after each setReplicas (e.g. a discovery simulator). */
  onScale: (name: string, replicas: number) => void = () => {};
  /** dropWatches ends this many watch streams right after they start. */
  dropWatches = 0;
  /** dropWatchesOf ends this many streams of one watch (as named in `calls`, e.g. "pods app=x"). */
  readonly dropWatchesOf = new Map<string, number>();
  private rv = 1;

  addWorkload(kind: 'Deployment' | 'StatefulSet', name: string, replicas: number, annotations?: Record<string, string>): void {
    this.workloads.set(`${kind}/${name}`, {
      kind,
      metadata: { name, namespace: 'ns', generation: 1, annotations: { ...annotations }, resourceVersion: String(this.rv++) },
      spec: { replicas, selector: { matchLabels: { app: name } }, template: { metadata: { labels: { app: name } } } },
      status: { observedGeneration: 1, replicas, readyReplicas: replicas, availableReplicas: replicas },
    });
    for (let i = 0; i < replicas; i++) this.putPod(name, i);
  }

  /** podsOf lists the pods of a workload, terminating ones included. */
  podsOf(name: string): KubeObject[] {
    return [...this.pods.values()].filter((p) => p.metadata?.labels?.['app'] === name);
  }

  private putPod(app: string, ordinal: number): void {
    const name = `${app}-${ordinal}`;
    const pod: KubeObject = {
      kind: 'Pod',
      metadata: { name, namespace: 'ns', labels: { app }, resourceVersion: String(this.rv++) },
      status: { phase: 'Running' },
    };
    this.pods.set(name, pod);
    this.notifyPod('ADDED', pod);
  }

  private notifyPod(type: WatchEvent['type'], pod: KubeObject): void {
    for (const w of this.watchers) if (w.key === `Pod/app=${pod.metadata?.labels?.['app'] ?? ''}`) w.onEvent({ type, object: pod });
  }

  /** Scaling to `replicas` marks the surplus pods terminating, and removes them podTerminationMs later. */
  private convergePods(app: string, replicas: number): void {
    const live = this.podsOf(app).filter((p) => !p.metadata?.deletionTimestamp);
    for (let i = live.length; i < replicas; i++) this.putPod(app, i);
    for (const pod of live.slice(replicas)) {
      const name = pod.metadata!.name!;
      const terminating: KubeObject = {
        ...pod,
        metadata: { ...pod.metadata, deletionTimestamp: '2026-01-01T00:00:00Z', resourceVersion: String(this.rv++) },
      };
      this.pods.set(name, terminating);
      this.notifyPod('MODIFIED', terminating);
      if (this.stuckPods.has(name)) continue;
      setTimeout(() => {
        this.pods.delete(name);
        this.notifyPod('DELETED', terminating);
      }, this.podTerminationMs);
    }
  }

  /** addObject adds (or, when the name exists, rewrites) a discovery object, telling its watchers. */
  addObject(resource: string, name: string): void {
    const list = (this.objects.get(resource) ?? []).filter((o) => o.metadata?.name !== name);
    const existed = list.length !== (this.objects.get(resource) ?? []).length;
    const object: KubeObject = { metadata: { name, namespace: 'ns', resourceVersion: String(this.rv++) } };
    list.push(object);
    this.objects.set(resource, list);
    this.calls.push(`write ${resource} ${name}`);
    for (const w of this.watchers) if (w.key === `objects/${resource}`) w.onEvent({ type: existed ? 'MODIFIED' : 'ADDED', object });
  }

  /** objectWatchFaults ends the next discovery watch streams: 'drop' ends one, 'gone' sends a 410 ERROR first. */
  readonly objectWatchFaults: Array<'drop' | 'gone'> = [];
  /** beforeObjectWatchFault runs just before a faulted stream of `resource` ends (to change what it never shows). */
  beforeObjectWatchFault: (resource: string) => void = () => {};

  private maybeFail(name: string): void {
    const code = this.failNext.get(name)?.shift();
    if (code !== undefined) throw new ApiStatusError({ code, reason: code === 409 ? 'Conflict' : 'Forbidden', message: `fake ${code}` });
  }

  private applyReplicas(kind: string, name: string, replicas: number): void {
    const key = `${kind}/${name}`;
    const object = this.workloads.get(key)!;
    const generation = (object.metadata!.generation ?? 1) + 1;
    // spec changes now; status follows a tick later, as from a controller.
    const pending: KubeObject = {
      ...object,
      metadata: { ...object.metadata, generation, resourceVersion: String(this.rv++) },
      spec: { ...(object['spec'] as object), replicas },
    };
    this.workloads.set(key, pending);
    setImmediate(() => {
      const current = this.workloads.get(key)!;
      const next: KubeObject = {
        ...current,
        metadata: { ...current.metadata, resourceVersion: String(this.rv++) },
        status: { observedGeneration: generation, replicas, readyReplicas: replicas, availableReplicas: replicas },
      };
      this.workloads.set(key, next);
      this.convergePods(name, replicas);
      for (const w of this.watchers) if (w.key === key) w.onEvent({ type: 'MODIFIED', object: next });
    });
  }

  ports(): ScalePorts {
    return {
      scale: {
        getScale: async (kind, _ns, name) => {
          const replicas = (this.workloads.get(`${kind}/${name}`)!['spec'] as { replicas: number }).replicas;
          return { replicas, currentReplicas: replicas };
        },
        setReplicas: async (kind, _ns, name, replicas, options) => {
          this.maybeFail(name);
          this.calls.push(`scale ${name} ${replicas}${options?.dryRun ? ' dry-run' : ''}`);
          if (!options?.dryRun) {
            this.applyReplicas(kind, name, replicas);
            this.onScale(name, replicas);
          }
          return { replicas, currentReplicas: replicas };
        },
      },
      workloads: {
        get: async (kind: Kind, _ns, name) => this.workloads.get(`${kind}/${name}`),
        list: async (kind: Kind, options) => {
          if (kind === 'Pod') {
            const app = options.labelSelector?.replace('app=', '');
            return {
              items: [...this.pods.values()].filter((p) => !app || p.metadata?.labels?.['app'] === app),
              resourceVersion: String(this.rv),
            };
          }
          const name = options.fieldSelector?.replace('metadata.name=', '');
          const items = [...this.workloads.entries()]
            .filter(([key]) => key.startsWith(`${kind}/`) && (!name || key === `${kind}/${name}`))
            .map(([, v]) => v);
          return { items, resourceVersion: String(this.rv) };
        },
        watch: async (kind: Kind, options, onEvent, onDone) => {
          const name = kind === 'Pod' ? options.labelSelector : options.fieldSelector?.replace('metadata.name=', '');
          const described = `${kind === 'Pod' ? 'pods ' : ''}${name}`;
          this.calls.push(`watch ${described}`);
          const targeted = this.dropWatchesOf.get(described) ?? 0;
          if (targeted > 0) this.dropWatchesOf.set(described, targeted - 1);
          if (this.dropWatches > 0 || targeted > 0) {
            if (targeted === 0) this.dropWatches--;
            setImmediate(() => onDone(new Error('stream reset')));
            return { stop: () => {} };
          }
          const entry = { key: `${kind}/${name}`, onEvent };
          this.watchers.push(entry);
          return { stop: () => (this.watchers = this.watchers.filter((w) => w !== entry)) };
        },
      },
      objects: {
        list: async (gvr: GroupVersionResource) => {
          this.calls.push(`list ${gvr.resource}`);
          return { items: [...(this.objects.get(gvr.resource) ?? [])], resourceVersion: String(this.rv) };
        },
        watch: async (gvr: GroupVersionResource, _options, onEvent, onDone) => {
          this.calls.push(`watch ${gvr.resource}`);
          const entry = { key: `objects/${gvr.resource}`, onEvent };
          const stop = (): void => void (this.watchers = this.watchers.filter((w) => w !== entry));
          const fault = this.objectWatchFaults.shift();
          if (fault) {
            setTimeout(() => {
              this.beforeObjectWatchFault(gvr.resource);
              if (fault === 'gone') onEvent({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired' } as KubeObject });
              stop();
              onDone();
            }, 10);
            return { stop };
          }
          this.watchers.push(entry);
          return { stop };
        },
        mergePatch: async (gvr, name, patch, _ns, options) => {
          this.maybeFail(name);
          const annotations = (patch as { metadata: { annotations: Record<string, string | null> } }).metadata.annotations;
          this.calls.push(`annotate ${name} ${JSON.stringify(annotations)}${options?.dryRun ? ' dry-run' : ''}`);
          const kind = gvr.resource === 'deployments' ? 'Deployment' : 'StatefulSet';
          const object = this.workloads.get(`${kind}/${name}`)!;
          if (options?.dryRun) return object;
          const merged: Record<string, string> = { ...object.metadata!.annotations };
          for (const [k, v] of Object.entries(annotations)) {
            if (v === null) delete merged[k];
            else merged[k] = v;
          }
          this.workloads.set(`${kind}/${name}`, { ...object, metadata: { ...object.metadata, annotations: merged } });
          return object;
        },
        delete: async (gvr, name, _ns, options) => {
          this.calls.push(`delete ${gvr.resource} ${name}${options?.dryRun ? ' dry-run' : ''}`);
          if (options?.dryRun) return;
          const gone = (this.objects.get(gvr.resource) ?? []).find((o) => o.metadata?.name === name);
          this.objects.set(
            gvr.resource,
            (this.objects.get(gvr.resource) ?? []).filter((o) => o.metadata?.name !== name),
          );
          for (const w of this.watchers) if (gone && w.key === `objects/${gvr.resource}`) w.onEvent({ type: 'DELETED', object: gone });
        },
      },
    };
  }
}
