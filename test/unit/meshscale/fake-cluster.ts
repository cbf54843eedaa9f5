/**
 * A recording fake of the ScalePorts: workloads whose status follows spec a tick later (like a
 * controller with no delay), an optional hook after each scale, and a log of every write.
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
  private watchers: Array<{ key: string; onEvent: (e: WatchEvent) => void }> = [];
  /** failNext makes the next writes of this name fail with the given codes. */
  readonly failNext = new Map<string, number[]>();
  /** onScale runs after each setReplicas (e.g. a discovery simulator). */
  onScale: (name: string, replicas: number) => void = () => {};
  /** dropWatches ends this many watch streams right after they start. */
  dropWatches = 0;
  private rv = 1;

  addWorkload(kind: 'Deployment' | 'StatefulSet', name: string, replicas: number, annotations?: Record<string, string>): void {
    this.workloads.set(`${kind}/${name}`, {
      kind,
      metadata: { name, namespace: 'ns', generation: 1, annotations: { ...annotations }, resourceVersion: String(this.rv++) },
      spec: { replicas },
      status: { observedGeneration: 1, replicas, readyReplicas: replicas, availableReplicas: replicas },
    });
  }

  /** addObject adds a discovery object. */
  addObject(resource: string, name: string): void {
    const list = this.objects.get(resource) ?? [];
    list.push({ metadata: { name, namespace: 'ns', resourceVersion: String(this.rv++) } });
    this.objects.set(resource, list);
  }

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
      spec: { replicas },
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
          const name = options.fieldSelector?.replace('metadata.name=', '');
          const items = [...this.workloads.entries()]
            .filter(([key]) => key.startsWith(`${kind}/`) && (!name || key === `${kind}/${name}`))
            .map(([, v]) => v);
          return { items, resourceVersion: String(this.rv) };
        },
        watch: async (kind: Kind, options, onEvent, onDone) => {
          const name = options.fieldSelector?.replace('metadata.name=', '');
          this.calls.push(`watch ${name}`);
          if (this.dropWatches > 0) {
            this.dropWatches--;
            setImmediate(() => onDone(new Error('stream reset')));
            return { stop: () => {} };
          }
          const entry = { key: `${kind}/${name}`, onEvent };
          this.watchers.push(entry);
          return { stop: () => (this.watchers = this.watchers.filter((w) => w !== entry)) };
        },
      },
      objects: {
        list: async (gvr: GroupVersionResource) => ({ items: [...(this.objects.get(gvr.resource) ?? [])] }),
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
          this.objects.set(gvr.resource, (this.objects.get(gvr.resource) ?? []).filter((o) => o.metadata?.name !== name));
        },
      },
    };
  }
}
