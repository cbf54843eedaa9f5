/**
 * The API's semantics, shared by the HTTP server and the in-process InternalApi: scope and
 * namespace checks, defaulting and validation, system metadata (uid, creationTimestamp,
 * generation, resourceVersion), optimistic concurrency, the status subresource, finalizers and
 * deletion, patches and server-side apply, and the scale subresource.
 *
 * Methods named `…Object` serve HTTP: they return stored objects that must not be mutated. The
 * InternalApi methods clone what they hand out and take in.
 */
import { randomUUID } from 'node:crypto';
import { ApiError, badRequest, conflict, invalid, notFound, qualifiedResource, type StatusCause } from './status.js';
import type {
  DeleteOptions,
  GroupResource,
  GroupVersionResource,
  InternalApi,
  KubeObject,
  ListOptions,
  ResourceType,
  StoredEvent,
} from './types.js';
import { crdGroupResource, Registry } from './registry.js';
import { replicasFrom, scaleMapping, scaleOf, withValueAtPath, type Scale } from './scale.js';
import { prunedPaths } from './unknown-fields.js';
import { ObjectStore } from '../store/object-store.js';
import { combineFilters, fieldFilter, labelFilter, selectedName, type ObjectFilter } from '../store/selectors.js';
import { decodeContinue, encodeContinue } from '../store/pagination.js';
import { applyJsonPatch, applyMergePatch, applyServerSide, applyStrategicMergePatch, recordUpdateManagerInPlace } from '../patch/index.js';
import { deepClone, deepEqual } from '../patch/json-value.js';
import { defaultObject, validateBuiltin, validateCustomResource, validateObjectMeta } from '../validation/index.js';
import { strategyFor } from '../strategies/registry.js';

/** How a client wants unknown fields of custom resources treated (the `fieldValidation` query parameter). */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/** Options of a write. */
export interface WriteOptions {
  /** `dryRun=All`: run every step and persist nothing. */
  dryRun?: boolean;
  /** Recorded as an Update entry in managedFields (the `fieldManager` query parameter, or the user agent). */
  fieldManager?: string;
  fieldValidation?: FieldValidation;
  /** Filled with the warnings the response should carry (Warning headers). */
  warnings?: string[];
}

/** The patch types of the PATCH verb, by Content-Type. */
export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

/** A PATCH request's body and its interpretation. */
export interface PatchRequest {
  type: PatchType;
  body: unknown;
  /** Server-side apply's `force`. */
  force?: boolean;
}

/** A page of a list. */
export interface ListPage {
  items: KubeObject[];
  resourceVersion: string;
  continue?: string;
  remainingItemCount?: number;
}

/** What a list asks for. */
export interface ListRequest {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
  limit?: number;
  continue?: string;
}

type WriteMode = 'create' | 'update' | 'status';

const namespacesResource: GroupResource = { group: '', resource: 'namespaces' };
const nameAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

/** RFC3339 with seconds, as metav1.Time marshals. */
let lastSecond = NaN;
let lastSecondText = '';

/** nowRfc3339 is the current time at second precision, as metav1.Time serializes (formatted once per second). */
export function nowRfc3339(): string {
  const second = Math.floor(Date.now() / 1000);
  if (second !== lastSecond) {
    lastSecond = second;
    lastSecondText = new Date(second * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
  }
  return lastSecondText;
}

function randomSuffix(): string {
  let out = '';
  for (let i = 0; i < 5; i++) out += nameAlphabet[Math.floor(Math.random() * nameAlphabet.length)];
  return out;
}

function groupVersion(type: ResourceType): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

function notServed(): ApiError {
  return new ApiError(404, 'NotFound', 'the server could not find the requested resource');
}

function namespaceSpecFinalizers(gr: GroupResource, object: KubeObject): string[] {
  if (gr.group !== '' || gr.resource !== 'namespaces') return [];
  const finalizers = (object.spec as { finalizers?: unknown } | undefined)?.finalizers;
  return Array.isArray(finalizers) ? (finalizers as string[]) : [];
}

/** The parts of an object that count for generation: everything but metadata and status. */
function withoutMetaAndStatus(object: KubeObject): Record<string, unknown> {
  const { metadata: _m, status: _s, ...rest } = object;
  return rest;
}

/** Compares two states of an object ignoring what a write always changes (resourceVersion, managedFields). */
function sameContent(a: KubeObject, b: KubeObject): boolean {
  const strip = (o: KubeObject): KubeObject => {
    const { resourceVersion: _rv, managedFields: _mf, ...metadata } = o.metadata;
    return { ...o, metadata };
  };
  return deepEqual(strip(a), strip(b));
}

/** The group-resource a CRD defines. */
function definedGroupResource(crd: KubeObject): GroupResource | undefined {
  const spec = crd.spec as { group?: string; names?: { plural?: string } } | undefined;
  return spec?.group && spec.names?.plural ? { group: spec.group, resource: spec.names.plural } : undefined;
}

/** SandboxApi is the sandbox's API machinery over an ObjectStore. */
export class SandboxApi implements InternalApi {
  readonly registry: Registry;
  private lastEvent: StoredEvent | undefined;
  private lastEventCopy: StoredEvent | undefined;
  private readonly gracefulPodDeletion: boolean;

  /**
   * With `gracefulPodDeletion`, deleting a pod that runs on a node only marks it terminating
   * (deletionTimestamp, deletionGracePeriodSeconds), as the real pod strategy does; the kubelet
   * removes it once its containers stopped. Without it (the default) pods go at once.
   */
  constructor(
    readonly store: ObjectStore = new ObjectStore(),
    options: { gracefulPodDeletion?: boolean } = {},
  ) {
    this.gracefulPodDeletion = options.gracefulPodDeletion ?? false;
    this.registry = new Registry(() => this.store.list(crdGroupResource));
    // Before any other subscriber, so controllers that react to a CRD event already see it served.
    this.store.subscribe((event) => {
      if (event.groupResource.group === crdGroupResource.group && event.groupResource.resource === crdGroupResource.resource)
        this.registry.invalidate();
    });
  }

  // ---- InternalApi -------------------------------------------------------------------------

  resourceType(gvr: GroupVersionResource): ResourceType | undefined {
    return this.registry.lookup(gvr);
  }

  resourceTypes(): ResourceType[] {
    return this.registry.all();
  }

  get(gvr: GroupVersionResource, namespace: string | undefined, name: string): KubeObject | undefined {
    const type = this.served(gvr);
    const found = this.store.get(type, this.scope(type, namespace), name);
    return found ? structuredClone(this.atVersion(type, found)) : undefined;
  }

  list(gvr: GroupVersionResource, options: ListOptions = {}): KubeObject[] {
    const type = this.served(gvr);
    return this.listPage(type, {
      namespace: type.namespaced ? options.namespace : undefined,
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
    }).items.map((o) => structuredClone(o));
  }

  listShared(gvr: GroupVersionResource, options: ListOptions = {}): ReadonlyArray<Readonly<KubeObject>> {
    const type = this.served(gvr);
    return this.listPage(type, {
      namespace: type.namespaced ? options.namespace : undefined,
      labelSelector: options.labelSelector,
      fieldSelector: options.fieldSelector,
    }).items;
  }

  /** create stores a new object; `options.fieldManager` records who made it, as a client's create would. */
  create(gvr: GroupVersionResource, object: KubeObject, options: WriteOptions = {}): KubeObject {
    const type = this.served(gvr);
    const body = structuredClone(object);
    return structuredClone(this.createObject(type, type.namespaced ? (body.metadata?.namespace ?? 'default') : undefined, body, options));
  }

  update(gvr: GroupVersionResource, object: KubeObject): KubeObject {
    const type = this.served(gvr);
    const body = structuredClone(object);
    return structuredClone(this.replaceObject(type, this.scope(type, body.metadata?.namespace), body.metadata?.name ?? '', body));
  }

  updateStatus(gvr: GroupVersionResource, object: KubeObject): KubeObject {
    const type = this.served(gvr);
    const body = structuredClone(object);
    return structuredClone(
      this.replaceObject(type, this.scope(type, body.metadata?.namespace), body.metadata?.name ?? '', body, {}, 'status'),
    );
  }

  delete(gvr: GroupVersionResource, namespace: string | undefined, name: string, options: DeleteOptions = {}): KubeObject | undefined {
    const type = this.served(gvr);
    if (!this.store.get(type, this.scope(type, namespace), name)) return undefined;
    return structuredClone(this.deleteObject(type, this.scope(type, namespace), name, options).object);
  }

  subscribe(handler: (event: StoredEvent) => void): () => void {
    // One copy per event, shared by every in-process subscriber: subscribers must not be able to
    // change what the store holds, and a copy per subscriber would multiply the cost of a write.
    // The object is copied only when a subscriber reads it: controllers filter on groupResource
    // first, so the tens of thousands of custom resources a restore writes are never copied.
    return this.store.subscribe((event) => handler(this.eventCopy(event)));
  }

  // ---- reads -------------------------------------------------------------------------------

  /** readObject returns the stored object at the type's version, or 404. */
  readObject(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const found = this.store.get(type, this.scope(type, namespace), name);
    if (!found) throw notFound(type.group, type.resource, name);
    return this.atVersion(type, found);
  }

  /** listPage lists in key order with selectors and limit/continue, as etcd-backed lists do. */
  listPage(type: ResourceType, request: ListRequest): ListPage {
    const filter = combineFilters(labelFilter(request.labelSelector), fieldFilter(request.fieldSelector));
    const resourceVersion = String(this.store.currentRevision());
    const namespace = type.namespaced ? request.namespace : undefined;
    const name = selectedName(request.fieldSelector);
    if (name !== undefined && !request.continue) {
      // A list pinned to one name (kubectl wait, rollout status, delete) needs no scan.
      const one = this.store.get(type, namespace === undefined && type.namespaced ? undefined : namespace, name);
      if (namespace !== undefined || !type.namespaced)
        return { items: one && (!filter || filter(one)) ? [this.atVersion(type, one)] : [], resourceVersion };
    }
    const token = request.continue ? decodeContinue(request.continue) : undefined;
    const { keys, start, end } = this.store.range(type, namespace, token?.start);
    const limit = request.limit && request.limit > 0 ? request.limit : Infinity;
    const items: KubeObject[] = [];
    let i = start;
    let lastKey = '';
    for (; i < end && items.length < limit; i++) {
      const key = keys[i] as string;
      const object = this.store.at(type, key);
      if (!object || (filter && !filter(object))) continue;
      items.push(this.atVersion(type, object));
      lastKey = key;
    }
    const page: ListPage = { items, resourceVersion };
    if (items.length >= limit && this.hasMore(type, keys, i, end, filter)) {
      page.continue = encodeContinue({ rv: token?.rv ?? Number(resourceVersion), start: lastKey });
      // Like the real server, the count is only known (and sent) when no selector filters the list.
      if (!filter) page.remainingItemCount = end - i;
    }
    return page;
  }

  private hasMore(type: ResourceType, keys: string[], from: number, end: number, filter: ObjectFilter | undefined): boolean {
    if (!filter) return from < end;
    for (let i = from; i < end; i++) {
      const object = this.store.at(type, keys[i] as string);
      if (object && filter(object)) return true;
    }
    return false;
  }

  // ---- writes ------------------------------------------------------------------------------

  /** createObject creates `body` in `namespace` (ignored for cluster-scoped types). */
  createObject(type: ResourceType, namespace: string | undefined, body: KubeObject, options: WriteOptions = {}): KubeObject {
    return this.commit(type, undefined, body, this.scope(type, namespace), 'create', options, false);
  }

  /** replaceObject is PUT: the whole object (or with `status`, only its status). */
  replaceObject(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    body: KubeObject,
    options: WriteOptions = {},
    subresource?: 'status',
  ): KubeObject {
    const scope = this.scope(type, namespace);
    if (body.metadata?.name !== undefined && body.metadata.name !== name) {
      throw badRequest(`the name of the object (${String(body.metadata.name)}) does not match the name on the URL (${name})`);
    }
    const current = this.store.get(type, scope, name);
    if (!current) throw notFound(type.group, type.resource, name);
    return this.commit(type, current, body, scope, subresource === 'status' ? 'status' : 'update', options, false);
  }

  /** patchObject is PATCH in its four flavours; server-side apply creates a missing object (`created`). */
  patchObject(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    patch: PatchRequest,
    options: WriteOptions = {},
    subresource?: 'status',
  ): { object: KubeObject; created: boolean } {
    const scope = this.scope(type, namespace);
    const stored = this.store.get(type, scope, name);
    const now = nowRfc3339();
    if (!stored) {
      if (patch.type !== 'apply' || subresource) throw notFound(type.group, type.resource, name);
      const applied = this.appliedConfiguration(type, patch.body, name, scope);
      const object = applyServerSide({
        type,
        live: undefined,
        applied,
        fieldManager: options.fieldManager ?? '',
        force: patch.force ?? false,
        now,
      });
      return { object: this.commit(type, undefined, object, scope, 'create', options, true), created: true };
    }
    const current = this.atVersion(type, stored);
    let patched: KubeObject;
    switch (patch.type) {
      case 'json':
        patched = applyJsonPatch(current, patch.body);
        break;
      case 'merge':
        patched = applyMergePatch(current, patch.body);
        break;
      case 'strategic':
        patched = applyStrategicMergePatch(type, current, patch.body);
        break;
      case 'apply':
        patched = applyServerSide({
          type,
          live: current,
          applied: this.appliedConfiguration(type, patch.body, name, scope),
          fieldManager: options.fieldManager ?? '',
          force: patch.force ?? false,
          now,
        });
        break;
    }
    if (patched.metadata?.name !== name)
      throw badRequest(`the name of the object (${String(patched.metadata?.name)}) does not match the name on the URL (${name})`);
    return {
      object: this.commit(type, stored, patched, scope, subresource === 'status' ? 'status' : 'update', options, patch.type === 'apply'),
      created: false,
    };
  }

  /** deleteObject deletes, or marks for deletion while finalizers remain (`removed` false). */
  deleteObject(
    type: ResourceType,
    namespace: string | undefined,
    name: string,
    options: DeleteOptions = {},
  ): { object: KubeObject; removed: boolean } {
    const gr: GroupResource = { group: type.group, resource: type.resource };
    const scope = this.scope(type, namespace);
    const current = this.store.get(gr, scope, name);
    if (!current) throw notFound(type.group, type.resource, name);
    const preconditions = options.preconditions ?? {};
    if (preconditions.uid && preconditions.uid !== current.metadata.uid) {
      throw conflict(
        type.group,
        type.resource,
        name,
        `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${current.metadata.uid ?? ''}`,
      );
    }
    if (preconditions.resourceVersion && preconditions.resourceVersion !== current.metadata.resourceVersion) {
      throw conflict(
        type.group,
        type.resource,
        name,
        `Precondition failed: ResourceVersion in precondition: ${preconditions.resourceVersion}, ResourceVersion in object meta: ${current.metadata.resourceVersion ?? ''}`,
      );
    }
    const grace = this.podGracePeriod(gr, current, options);
    if (current.metadata.deletionTimestamp) {
      // A pod already terminating goes at once when deleted with grace 0 (the kubelet's final
      // delete, or `kubectl delete --grace-period=0 --force`) and no finalizer holds it.
      const terminating = (current.metadata.deletionGracePeriodSeconds ?? 0) > 0;
      if (!terminating || grace !== 0) return { object: this.atVersion(type, current), removed: false };
      if ((current.metadata.finalizers ?? []).length > 0) {
        const held: KubeObject = { ...current, metadata: { ...current.metadata, deletionGracePeriodSeconds: 0 } };
        if (options.dryRun) return { object: this.atVersion(type, held), removed: false };
        return { object: this.atVersion(type, this.store.put(gr, held, 'MODIFIED')), removed: false };
      }
      if (options.dryRun) return { object: this.atVersion(type, current), removed: true };
      return { object: this.atVersion(type, this.remove(gr, current)), removed: true };
    }
    if (grace !== undefined && grace > 0) {
      // Graceful pod deletion: the pod stays, terminating, until the kubelet has stopped it.
      const deadline = new Date(Date.now() + grace * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
      const marked: KubeObject = {
        ...current,
        metadata: { ...current.metadata, deletionTimestamp: deadline, deletionGracePeriodSeconds: grace },
      };
      if (options.dryRun) return { object: this.atVersion(type, marked), removed: false };
      return { object: this.atVersion(type, this.store.put(gr, marked, 'MODIFIED')), removed: false };
    }
    const finalizers = [...(current.metadata.finalizers ?? [])];
    // The garbage collector carries out Orphan and Foreground through these finalizers.
    if (options.propagationPolicy === 'Orphan' && !finalizers.includes('orphan')) finalizers.push('orphan');
    if (options.propagationPolicy === 'Foreground' && !finalizers.includes('foregroundDeletion')) finalizers.push('foregroundDeletion');
    if (finalizers.length > 0 || namespaceSpecFinalizers(gr, current).length > 0) {
      const metadata = { ...current.metadata, deletionTimestamp: nowRfc3339(), deletionGracePeriodSeconds: 0 };
      if (finalizers.length > 0) metadata.finalizers = finalizers;
      let marked: KubeObject = { ...current, metadata };
      if (gr.group === '' && gr.resource === 'namespaces')
        marked = { ...marked, status: { ...(current.status as object | undefined), phase: 'Terminating' } };
      if (options.dryRun) return { object: this.atVersion(type, marked), removed: false };
      return { object: this.atVersion(type, this.store.put(gr, marked, 'MODIFIED')), removed: false };
    }
    if (options.dryRun) return { object: this.atVersion(type, current), removed: true };
    return { object: this.atVersion(type, this.remove(gr, current)), removed: true };
  }

  /**
   * podGracePeriod is the grace a pod delete gets (the pod strategy's CheckGracefulDelete): the
   * request's, else spec.terminationGracePeriodSeconds, else 30; 0 for a pod on no node or one that
   * finished. Undefined for anything else, or when graceful pod deletion is off.
   */
  private podGracePeriod(gr: GroupResource, pod: KubeObject, options: DeleteOptions): number | undefined {
    if (!this.gracefulPodDeletion || gr.group !== '' || gr.resource !== 'pods') return undefined;
    const spec = (pod.spec ?? {}) as { nodeName?: string; terminationGracePeriodSeconds?: number };
    const phase = ((pod.status ?? {}) as { phase?: string }).phase;
    if (!spec.nodeName || phase === 'Succeeded' || phase === 'Failed') return 0;
    return options.gracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30;
  }

  /** deleteCollection deletes every object a list request selects; returns what it deleted. */
  deleteCollection(type: ResourceType, request: ListRequest, options: DeleteOptions = {}): KubeObject[] {
    const { items } = this.listPage(type, { ...request, limit: undefined, continue: undefined });
    return items.map((item) => this.deleteObject(type, item.metadata.namespace, item.metadata.name ?? '', options).object);
  }

  // ---- scale -------------------------------------------------------------------------------

  /** readScale is GET …/scale. */
  readScale(type: ResourceType, namespace: string | undefined, name: string): Scale {
    scaleMapping(type);
    return scaleOf(type, this.readObject(type, namespace, name));
  }

  /** replaceScale is PUT …/scale: sets the replicas the type maps, with the Scale's resourceVersion as precondition. */
  replaceScale(type: ResourceType, namespace: string | undefined, name: string, scale: unknown, options: WriteOptions = {}): Scale {
    const mapping = scaleMapping(type);
    const current = this.readObject(type, namespace, name);
    const replicas = replicasFrom(scale, name);
    const rv = (scale as { metadata?: { resourceVersion?: unknown } } | undefined)?.metadata?.resourceVersion;
    if (typeof rv === 'string' && rv && rv !== current.metadata.resourceVersion) throw conflict(type.group, type.resource, name);
    const next = withValueAtPath(current, mapping.specReplicasPath, replicas);
    return scaleOf(type, this.replaceObject(type, namespace, name, next, options));
  }

  /** patchScale is PATCH …/scale: the patch applies to the Scale, then as replaceScale. */
  patchScale(type: ResourceType, namespace: string | undefined, name: string, patch: PatchRequest, options: WriteOptions = {}): Scale {
    const current = this.readScale(type, namespace, name) as unknown as KubeObject;
    let patched: KubeObject;
    switch (patch.type) {
      case 'json':
        patched = applyJsonPatch(current, patch.body);
        break;
      // Scale is a compiled-in kind, and it has no list fields, so a strategic merge is a merge.
      case 'merge':
      case 'strategic':
      case 'apply':
        patched = applyMergePatch(current, patch.body);
        break;
    }
    return this.replaceScale(type, namespace, name, patched, options);
  }

  // ---- the write pipeline ------------------------------------------------------------------

  private commit(
    type: ResourceType,
    old: KubeObject | undefined,
    candidate: KubeObject,
    namespace: string | undefined,
    mode: WriteMode,
    options: WriteOptions,
    managersRecorded: boolean,
  ): KubeObject {
    const gr: GroupResource = { group: type.group, resource: type.resource };
    if (candidate === null || typeof candidate !== 'object' || Array.isArray(candidate))
      throw badRequest(`Object '${type.kind}' is not a JSON object`);
    const inMeta = (candidate.metadata ?? {}) as KubeObject['metadata'];
    if (typeof inMeta !== 'object' || Array.isArray(inMeta)) throw badRequest(this.decodeError(type, 'metadata', 'object', inMeta));
    for (const field of ['name', 'generateName', 'namespace', 'resourceVersion'] as const) {
      // YAML 1.1 turns `name: y` into true; the Go decoder refuses a non-string.
      if (inMeta[field] !== undefined && inMeta[field] !== null && typeof inMeta[field] !== 'string')
        throw badRequest(this.decodeError(type, `metadata.${field}`, 'string', inMeta[field]));
    }

    let next: KubeObject;
    if (mode === 'status' && old) {
      next = { ...old, metadata: { ...old.metadata } };
      if (candidate.status === undefined) delete next.status;
      else next.status = candidate.status;
    } else {
      next = { ...candidate, metadata: { ...inMeta } };
      if (type.subresources.status) {
        // With a status subresource the main endpoint ignores status, and create starts without one.
        if (old && old.status !== undefined) next.status = old.status;
        else delete next.status;
      }
    }
    next.apiVersion = groupVersion(type);
    next.kind = type.kind;
    const meta = next.metadata;

    if (old) {
      const sentRv = inMeta.resourceVersion;
      if (sentRv && sentRv !== old.metadata.resourceVersion) throw conflict(type.group, type.resource, old.metadata.name ?? '');
      meta.name = old.metadata.name;
      meta.uid = old.metadata.uid;
      meta.creationTimestamp = old.metadata.creationTimestamp;
      if (old.metadata.generateName !== undefined) meta.generateName = old.metadata.generateName;
      if (old.metadata.deletionTimestamp) {
        meta.deletionTimestamp = old.metadata.deletionTimestamp;
        meta.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds ?? 0;
      } else {
        delete meta.deletionTimestamp;
        delete meta.deletionGracePeriodSeconds;
      }
      if (!managersRecorded && inMeta.managedFields === undefined && old.metadata.managedFields)
        meta.managedFields = old.metadata.managedFields;
    } else {
      if (inMeta.resourceVersion) throw new ApiError(500, 'InternalError', 'resourceVersion should not be set on objects to be created');
      for (const field of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation'] as const)
        delete meta[field];
      meta.uid = randomUUID();
      meta.creationTimestamp = nowRfc3339();
      if (!meta.name && meta.generateName) meta.name = this.generatedName(gr, namespace, meta.generateName);
      if (!meta.name) {
        throw invalid(type.group, type.kind, '', [
          { reason: 'FieldValueRequired', field: 'metadata.name', message: 'Required value: name or generateName is required' },
        ]);
      }
    }
    delete meta.resourceVersion;
    if (namespace === undefined) delete meta.namespace;
    else meta.namespace = namespace;

    if (!old && type.namespaced && namespace !== undefined) this.checkNamespaceOpen(type, namespace, meta.name ?? '');
    const strategy = strategyFor(type);
    if (!old && strategy.prepareForCreate) next = strategy.prepareForCreate(next);

    next = this.validated(type, next, old, mode, options);

    if (old && sameContent({ ...next, metadata: { ...next.metadata, generation: old.metadata.generation } }, old)) {
      // A no-op write keeps the resourceVersion, and sends no watch event, as in the real registry.
      return this.atVersion(type, old);
    }
    next.metadata.generation = !old
      ? 1
      : (old.metadata.generation ?? 1) + (deepEqual(withoutMetaAndStatus(old), withoutMetaAndStatus(next)) ? 0 : 1);

    // `next` is this write's own copy from here on (validated made it): managedFields and the
    // resourceVersion are set on it rather than on further copies.
    if (options.fieldManager && !managersRecorded)
      next = recordUpdateManagerInPlace(type, old ? this.atVersion(type, old) : undefined, next, options.fieldManager, nowRfc3339());

    if (!old) {
      if (this.store.get(gr, namespace, meta.name ?? '')) throw alreadyExistsFor(type, meta.name ?? '');
      if (options.dryRun) return next;
      checkEtcdRequestSize(type, namespace, next);
      return this.store.put(gr, next, 'ADDED', true);
    }
    if (
      next.metadata.deletionTimestamp &&
      !(next.metadata.deletionGracePeriodSeconds ?? 0) &&
      !(next.metadata.finalizers ?? []).length &&
      namespaceSpecFinalizers(gr, next).length === 0
    ) {
      // The last finalizer is gone: the object goes now.
      if (options.dryRun) return next;
      return this.remove(gr, { ...next, metadata: { ...next.metadata, resourceVersion: old.metadata.resourceVersion } });
    }
    if (options.dryRun) return { ...next, metadata: { ...next.metadata, resourceVersion: old.metadata.resourceVersion } };
    checkEtcdRequestSize(type, namespace, next);
    return this.store.put(gr, next, 'MODIFIED', true);
  }

  /** Defaulting, validation, pruning and CRD storedVersions, as the registry strategies do before storing. */
  private validated(
    type: ResourceType,
    object: KubeObject,
    old: KubeObject | undefined,
    mode: WriteMode,
    options: WriteOptions,
  ): KubeObject {
    let next = defaultObject(type, object);
    const causes: StatusCause[] = [...validateObjectMeta(type, next, !old)];
    if (type.builtin) {
      causes.push(...validateBuiltin(type, next, old));
    } else {
      const result = validateCustomResource(type, next);
      // With nothing pruned and no null dropped, every field of `next` is still there: no need to look.
      const removed = result.pruned.length === 0 && result.nullsDropped === 0 ? [] : prunedPaths(next, result.object);
      const unknown =
        mode === 'status' ? [] : removed.filter((p) => !p.startsWith('metadata.') && p !== 'status' && !p.startsWith('status.'));
      if (unknown.length > 0) {
        const listed = unknown.map((p) => `unknown field "${p}"`).join(', ');
        if (options.fieldValidation === 'Strict')
          throw badRequest(
            `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: strict decoding error: ${listed}`,
          );
        if (options.fieldValidation !== 'Ignore') options.warnings?.push(...unknown.map((p) => `unknown field "${p}"`));
      }
      next = result.object;
      causes.push(...result.causes);
    }
    if (causes.length > 0) throw invalid(type.group, type.kind, next.metadata?.name ?? '', causes);
    const canonicalize = strategyFor(type).canonicalize;
    return canonicalize ? canonicalize(next, old) : next;
  }

  private checkNamespaceOpen(type: ResourceType, namespace: string, name: string): void {
    const ns = this.store.get(namespacesResource, undefined, namespace);
    if (!ns) throw notFound('', 'namespaces', namespace);
    if (ns.metadata.deletionTimestamp) {
      throw new ApiError(
        403,
        'Forbidden',
        `${qualifiedResource(type.group, type.resource)} "${name}" is forbidden: unable to create new content in namespace ${namespace} because it is being terminated`,
        {
          name,
          group: type.group,
          kind: type.resource,
          causes: [{ reason: 'NamespaceTerminating', message: `namespace ${namespace} is being terminated`, field: 'metadata.namespace' }],
        },
      );
    }
  }

  private generatedName(gr: GroupResource, namespace: string | undefined, prefix: string): string {
    for (let attempt = 0; attempt < 8; attempt++) {
      const name = `${prefix}${randomSuffix()}`;
      if (!this.store.get(gr, namespace, name)) return name;
    }
    return `${prefix}${randomSuffix()}`;
  }

  private remove(gr: GroupResource, last: KubeObject): KubeObject {
    const removed = this.store.remove(gr, last);
    if (gr.group === crdGroupResource.group && gr.resource === crdGroupResource.resource) {
      // Deleting a CRD deletes every custom resource it defined.
      const defined = definedGroupResource(last);
      if (defined) this.store.removeAll(defined);
    }
    return removed;
  }

  private appliedConfiguration(type: ResourceType, body: unknown, name: string, namespace: string | undefined): KubeObject {
    if (body === null || typeof body !== 'object' || Array.isArray(body))
      throw badRequest('error decoding YAML: the apply configuration is not an object');
    const applied = body as KubeObject;
    const metadata = { ...(applied.metadata ?? {}) };
    if (metadata.name === undefined) metadata.name = name;
    if (typeof metadata.name !== 'string') throw badRequest(this.decodeError(type, 'metadata.name', 'string', metadata.name));
    if (metadata.name !== name) throw badRequest(`the name of the object (${metadata.name}) does not match the name on the URL (${name})`);
    if (namespace !== undefined) metadata.namespace = namespace;
    return { ...applied, apiVersion: applied.apiVersion ?? groupVersion(type), kind: applied.kind ?? type.kind, metadata };
  }

  private decodeError(type: ResourceType, field: string, want: string, value: unknown): string {
    const got = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value === 'boolean' ? 'bool' : typeof value;
    return `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: json: cannot unmarshal ${got} into Go struct field ObjectMeta.${field} of type ${want}`;
  }

  /** The object as served at the type's version: one stored copy, any served version (conversion None). */
  atVersion(type: ResourceType, object: KubeObject): KubeObject {
    const apiVersion = groupVersion(type);
    return object.apiVersion === apiVersion ? object : { ...object, apiVersion };
  }

  /** The namespace an object of this type lives in: none for cluster-scoped types. */
  scope(type: ResourceType, namespace: string | undefined): string | undefined {
    return type.namespaced ? (namespace ?? 'default') : undefined;
  }

  private served(gvr: GroupVersionResource): ResourceType {
    const type = this.registry.lookup(gvr);
    if (!type) throw notServed();
    return type;
  }

  private eventCopy(event: StoredEvent): StoredEvent {
    if (this.lastEvent !== event) {
      this.lastEvent = event;
      this.lastEventCopy = new EventCopy(event);
    }
    return this.lastEventCopy as StoredEvent;
  }
}

/**
 * The event in-process subscribers see: the object is deep-copied on first read. A class, because
 * an object literal with a getter costs about 0.6 us to create and this is built once per write;
 * `object` is therefore a prototype getter (read it, don't spread the event).
 */
class EventCopy implements StoredEvent {
  readonly type: StoredEvent['type'];
  readonly groupResource: GroupResource;
  readonly resourceVersion: number;
  readonly metadata: StoredEvent['metadata'];
  private copy: KubeObject | undefined;

  constructor(private readonly event: StoredEvent) {
    this.type = event.type;
    this.groupResource = { group: event.groupResource.group, resource: event.groupResource.resource };
    this.resourceVersion = event.resourceVersion;
    this.metadata = event.object.metadata;
  }

  get object(): KubeObject {
    this.copy ??= deepClone(this.event.object);
    return this.copy;
  }
}

function alreadyExistsFor(type: ResourceType, name: string): ApiError {
  return new ApiError(409, 'AlreadyExists', `${qualifiedResource(type.group, type.resource)} "${name}" already exists`, {
    name,
    group: type.group,
    kind: type.resource,
  });
}

/** etcdMaxRequestBytes is etcd's default --max-request-bytes (1.5 MiB), which kube-apiserver's writes meet. */
export const etcdMaxRequestBytes = 1_572_864;

/**
 * checkEtcdRequestSize refuses a write etcd would refuse: custom resources are stored as JSON, and
 * a transaction whose key and value pass etcd's request limit fails with "etcdserver: request is too
 * large", which kube-apiserver passes on as a 500 with no reason (kubectl: "Error from server:
 * etcdserver: request is too large"). A dry run never reaches etcd, so it passes. Built-in kinds
 * (CRDs too) are stored as protobuf, smaller than their JSON: the sandbox has no encoder to measure
 * that, so only the 3 MiB request-body limit applies to them.
 */
function checkEtcdRequestSize(type: ResourceType, namespace: string | undefined, object: KubeObject): void {
  if (type.builtin) return;
  const key = `/registry/${type.group}/${type.resource}/${namespace ? `${namespace}/` : ''}${object.metadata.name ?? ''}`;
  // The transaction carries the key twice (compare and put) and a few dozen bytes of framing.
  const requestBytes = Buffer.byteLength(JSON.stringify(object)) + 2 * Buffer.byteLength(key) + 64;
  if (requestBytes > etcdMaxRequestBytes) throw new ApiError(500, '', 'etcdserver: request is too large');
}
