/**
 * An in-memory cluster for crdsync's unit tests: CRDs (with storedVersions and conditions), custom
 * resource counts, apply conflicts and rejections to inject, and a record of every write.
 */
import { ApiStatusError } from '../../../shared/errors/errors.js';
import type { KubeObject, ListOptions, ListPage, GroupVersionResource, WatchEvent, WatchHandle } from '../../../shared/kube/ports.js';
import type { SyncPorts } from '../../../plugins/helm-crdsync/sync/sync.js';

/** ApplyCall is one recorded apply. */
export interface ApplyCall {
  readonly name: string;
  readonly dryRun: boolean;
  readonly force: boolean;
  readonly fieldManager?: string;
}

/** FakeCrdCluster implements SyncPorts in memory. */
export class FakeCrdCluster implements SyncPorts {
  readonly stored = new Map<string, KubeObject>();
  readonly applies: ApplyCall[] = [];
  readonly objects = new Map<string, number>();
  /** conflictMessages: an apply without force answers 409 with this message. */
  readonly conflictMessages = new Map<string, string>();
  /** rejections: every apply answers 422 with this message. */
  readonly rejections = new Map<string, string>();
  /** conditionsAfterApply are set on a CRD by a real apply (default: Established and NamesAccepted). */
  conditionsAfterApply: Array<{ type: string; status: string; message?: string }> = [
    { type: 'NamesAccepted', status: 'True' },
    { type: 'Established', status: 'True' },
  ];
  clock = 0;
  /** watches records each watch started (its field selector and resourceVersion); gets counts reads of one CRD. */
  readonly watches: Array<{ fieldSelector?: string; resourceVersion?: string }> = [];
  gets = 0;
  /** established: CRDs named here become Established only once watched this many times (a controller that takes a while). */
  readonly establishAfterWatches = new Map<string, number>();

  /** defaultConversion makes applies default spec.conversion to {strategy: None}, as the API server does. */
  defaultConversion = false;

  /** seed stores a live CRD with its storedVersions. */
  seed(crd: KubeObject, storedVersions: string[], objects = 0, managers: string[] = ['helm']): this {
    const name = crd.metadata?.name ?? '';
    const managedFields = managers.map((manager) => ({
      manager,
      operation: 'Apply',
      apiVersion: 'apiextensions.k8s.io/v1',
      fieldsType: 'FieldsV1',
      fieldsV1: {},
    }));
    this.stored.set(name, {
      ...structuredClone(crd),
      metadata: { ...crd.metadata, uid: `uid-${name}`, resourceVersion: '1', managedFields },
      status: { storedVersions, conditions: this.conditionsAfterApply },
    });
    this.objects.set(name, objects);
    return this;
  }

  readonly sleep = async (ms: number): Promise<void> => {
    this.clock += ms;
  };

  readonly now = (): number => this.clock;

  readonly crds = {
    list: async (): Promise<KubeObject[]> => [...this.stored.values()].map((crd) => structuredClone(crd)),
    get: async (name: string): Promise<KubeObject | undefined> => {
      this.gets++;
      const crd = this.stored.get(name);
      return crd ? structuredClone(crd) : undefined;
    },
    watch: async (
      options: { fieldSelector?: string; resourceVersion?: string },
      onEvent: (event: WatchEvent) => void,
      _onDone: (err?: Error) => void,
    ): Promise<WatchHandle> => {
      this.watches.push({ fieldSelector: options.fieldSelector, resourceVersion: options.resourceVersion });
      const name = /^metadata\.name=(.+)$/.exec(options.fieldSelector ?? '')?.[1] ?? '';
      const left = this.establishAfterWatches.get(name);
      if (left !== undefined) {
        // Events after the watch's resourceVersion: the controller's status update, once it is done.
        if (left <= 1) {
          this.establishAfterWatches.delete(name);
          const crd = this.stored.get(name);
          if (crd) {
            crd.status = { ...(crd.status as object), conditions: [...this.conditionsAfterApply, { type: 'Established', status: 'True' }] };
            onEvent({ type: 'MODIFIED', object: structuredClone(crd) });
          }
        } else {
          this.establishAfterWatches.set(name, left - 1);
        }
      }
      return { stop: () => undefined };
    },
    apply: async (crd: KubeObject, options: { dryRun?: boolean; force?: boolean; fieldManager?: string }): Promise<KubeObject> => {
      const name = crd.metadata?.name ?? '';
      this.applies.push({ name, dryRun: options.dryRun ?? false, force: options.force ?? false, fieldManager: options.fieldManager });
      const rejection = this.rejections.get(name);
      if (rejection) throw new ApiStatusError({ code: 422, reason: 'Invalid', message: rejection });
      const conflict = this.conflictMessages.get(name);
      if (conflict && !options.force) throw new ApiStatusError({ code: 409, reason: 'Conflict', message: conflict });
      const live = this.stored.get(name);
      const storage = ((crd.spec as { versions?: Array<{ name: string; storage?: boolean }> }).versions ?? []).find((v) => v.storage)?.name;
      const storedVersions = [
        ...new Set([...(((live?.status as { storedVersions?: string[] }) ?? {}).storedVersions ?? []), ...(storage ? [storage] : [])]),
      ];
      const applied = structuredClone(crd);
      const spec = applied.spec as Record<string, unknown> | undefined;
      if (this.defaultConversion && spec && !('conversion' in spec)) applied.spec = { ...spec, conversion: { strategy: 'None' } };
      const result: KubeObject = {
        ...applied,
        metadata: { ...crd.metadata, uid: `uid-${name}`, resourceVersion: String(Number(live?.metadata?.resourceVersion ?? 0) + 1) },
        status: { storedVersions, conditions: this.conditionsAfterApply },
      };
      if (!options.dryRun) {
        this.stored.set(name, result);
        if (!this.objects.has(name)) this.objects.set(name, 0);
      }
      return structuredClone(result);
    },
  };

  /** listCalls counts custom-resource list requests; omitRemainingItemCount plays a server that does not count. */
  listCalls = 0;
  omitRemainingItemCount = false;

  readonly customObjects = {
    list: async (gvr: GroupVersionResource, options?: ListOptions): Promise<ListPage> => {
      this.listCalls++;
      const count = this.objects.get(`${gvr.resource}.${gvr.group}`) ?? 0;
      const start = options?.continueToken ? Number(options.continueToken) : 0;
      const end = Math.min(count, start + (options?.limit ?? count));
      const more = end < count;
      return {
        items: Array.from({ length: end - start }, (_, i) => ({ metadata: { name: `o${start + i}` } })),
        ...(more ? { continueToken: String(end) } : {}),
        ...(more && !this.omitRemainingItemCount ? { remainingItemCount: count - end } : {}),
      };
    },
  };

  /** writes are the applies that were not dry-run. */
  writes(): ApplyCall[] {
    return this.applies.filter((call) => !call.dryRun);
  }
}
