/**
 * A small in-memory InternalApi for unit tests of code that runs beside the API (simulated
 * controllers, product installs). It keeps the semantics those callers rely on — global
 * resourceVersions, generation bumped by spec changes, the status subresource, finalizers and
 * deletionTimestamp, namespace termination, CRDs served only once Established, synchronous
 * change events — and nothing else (no validation, defaulting or schemas).
 */
import { randomUUID } from 'node:crypto';
import type {
  DeleteOptions,
  GroupResource,
  GroupVersionResource,
  InternalApi,
  KubeObject,
  ListOptions,
  ResourceType,
  StoredEvent,
} from '../../sandbox/api/types.js';
import { alreadyExists, conflict, notFound } from '../../sandbox/api/status.js';
import { builtinResourceTypes } from '../../sandbox/resources/builtins.js';
import { isCrdEstablished, resourceTypesFromCrd } from '../../sandbox/resources/crd.js';

const crdResource: GroupResource = { group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' };

function clone<T>(value: T): T {
  return structuredClone(value);
}

function grKey(gr: GroupResource): string {
  return `${gr.resource}.${gr.group}`;
}

function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

/** Equality selectors only (`a=b,c!=d`, `key`): all the callers of this fake use. */
function matchesLabels(object: KubeObject, selector: string | undefined): boolean {
  if (!selector) return true;
  const labels = object.metadata.labels ?? {};
  return selector.split(',').every((term) => {
    const ne = /^([^!=]+)!=(.*)$/.exec(term);
    if (ne) return labels[ne[1]!.trim()] !== ne[2]!.trim();
    const eq = /^([^!=]+)==?(.*)$/.exec(term);
    if (eq) return labels[eq[1]!.trim()] === eq[2]!.trim();
    return term.trim() in labels;
  });
}

/** FakeInternalApi is an InternalApi over plain maps; `events` records every change for assertions. */
export class FakeInternalApi implements InternalApi {
  /** Every change in order, as subscribers saw it. */
  readonly events: StoredEvent[] = [];
  private readonly stores = new Map<string, Map<string, KubeObject>>();
  private readonly handlers = new Set<(event: StoredEvent) => void>();
  private revision = 1;

  resourceType(gvr: GroupVersionResource): ResourceType | undefined {
    return this.resourceTypes().find((t) => t.group === gvr.group && t.version === gvr.version && t.resource === gvr.resource);
  }

  resourceTypes(): ResourceType[] {
    const crds = [...(this.stores.get(grKey(crdResource))?.values() ?? [])];
    return [...builtinResourceTypes(), ...crds.filter(isCrdEstablished).flatMap(resourceTypesFromCrd)];
  }

  get(gvr: GroupVersionResource, namespace: string | undefined, name: string): KubeObject | undefined {
    const found = this.store(gvr).get(objectKey(this.scope(gvr, namespace), name));
    return found ? clone(found) : undefined;
  }

  list(gvr: GroupVersionResource, options: ListOptions = {}): KubeObject[] {
    return [...this.store(gvr).values()]
      .filter((o) => options.namespace === undefined || o.metadata.namespace === options.namespace)
      .filter((o) => matchesLabels(o, options.labelSelector))
      .map(clone);
  }

  listShared(gvr: GroupVersionResource, options: ListOptions = {}): ReadonlyArray<Readonly<KubeObject>> {
    return [...this.store(gvr).values()]
      .filter((o) => options.namespace === undefined || o.metadata.namespace === options.namespace)
      .filter((o) => matchesLabels(o, options.labelSelector));
  }

  create(gvr: GroupVersionResource, object: KubeObject): KubeObject {
    const type = this.served(gvr);
    const created = clone(object);
    const meta = created.metadata;
    if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${randomUUID().slice(0, 5)}`;
    const name = meta.name ?? '';
    const namespace = this.scope(gvr, meta.namespace);
    if (namespace === undefined) delete meta.namespace;
    else meta.namespace = namespace;
    if (namespace !== undefined && !this.get({ group: '', version: 'v1', resource: 'namespaces' }, undefined, namespace)) {
      throw notFound('', 'namespaces', namespace);
    }
    const store = this.store(gvr);
    if (store.has(objectKey(namespace, name))) throw alreadyExists(gvr.group, gvr.resource, name);
    meta.uid = randomUUID();
    meta.creationTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    meta.generation = 1;
    // The real API resets status on create for resources with a status subresource.
    if (type?.subresources.status) delete created.status;
    if (gvr.resource === 'namespaces' && gvr.group === '') {
      created.spec = { finalizers: ['kubernetes'] };
      created.status = { phase: 'Active' };
    }
    return this.write(gvr, created, 'ADDED');
  }

  update(gvr: GroupVersionResource, object: KubeObject): KubeObject {
    const type = this.served(gvr);
    const current = this.current(gvr, object);
    const next = clone(object);
    if (type?.subresources.status) next.status = clone(current.status);
    next.metadata = {
      ...next.metadata,
      uid: current.metadata.uid,
      creationTimestamp: current.metadata.creationTimestamp,
      generation: current.metadata.generation,
    };
    if (current.metadata.deletionTimestamp) next.metadata.deletionTimestamp = current.metadata.deletionTimestamp;
    if (JSON.stringify(next.spec) !== JSON.stringify(current.spec)) next.metadata.generation = (current.metadata.generation ?? 1) + 1;
    if (next.metadata.deletionTimestamp && !(next.metadata.finalizers ?? []).length && !this.namespaceFinalizers(gvr, next).length) {
      return this.remove(gvr, next);
    }
    return this.write(gvr, next, 'MODIFIED');
  }

  updateStatus(gvr: GroupVersionResource, object: KubeObject): KubeObject {
    const current = this.current(gvr, object);
    const next = clone(current);
    next.status = clone(object.status);
    return this.write(gvr, next, 'MODIFIED');
  }

  delete(gvr: GroupVersionResource, namespace: string | undefined, name: string, options: DeleteOptions = {}): KubeObject | undefined {
    const current = this.get(gvr, namespace, name);
    if (!current) return undefined;
    if (options.dryRun) return current;
    const finalizers = [...(current.metadata.finalizers ?? [])];
    if (options.propagationPolicy === 'Orphan' && !finalizers.includes('orphan')) finalizers.push('orphan');
    if (options.propagationPolicy === 'Foreground' && !finalizers.includes('foregroundDeletion')) finalizers.push('foregroundDeletion');
    if (finalizers.length || this.namespaceFinalizers(gvr, current).length) {
      if (current.metadata.deletionTimestamp) return current;
      current.metadata.deletionTimestamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
      current.metadata.finalizers = finalizers.length ? finalizers : undefined;
      if (!finalizers.length) delete current.metadata.finalizers;
      if (gvr.resource === 'namespaces' && gvr.group === '') current.status = { phase: 'Terminating' };
      return this.write(gvr, current, 'MODIFIED');
    }
    return this.remove(gvr, current);
  }

  subscribe(handler: (event: StoredEvent) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  private namespaceFinalizers(gvr: GroupVersionResource, object: KubeObject): string[] {
    if (gvr.resource !== 'namespaces' || gvr.group !== '') return [];
    const spec = object.spec as { finalizers?: string[] } | undefined;
    return spec?.finalizers ?? [];
  }

  private served(gvr: GroupVersionResource): ResourceType | undefined {
    const type = this.resourceType(gvr);
    if (!type) throw notFound(gvr.group, gvr.resource, '');
    return type;
  }

  private scope(gvr: GroupVersionResource, namespace: string | undefined): string | undefined {
    const type = this.resourceType(gvr) ?? builtinResourceTypes().find((t) => t.group === gvr.group && t.resource === gvr.resource);
    return type?.namespaced === false ? undefined : (namespace ?? 'default');
  }

  private current(gvr: GroupVersionResource, object: KubeObject): KubeObject {
    const current = this.get(gvr, object.metadata.namespace, object.metadata.name ?? '');
    if (!current) throw notFound(gvr.group, gvr.resource, object.metadata.name ?? '');
    const rv = object.metadata.resourceVersion;
    if (rv && rv !== current.metadata.resourceVersion) throw conflict(gvr.group, gvr.resource, object.metadata.name ?? '');
    return current;
  }

  private store(gr: GroupResource): Map<string, KubeObject> {
    const key = grKey(gr);
    let store = this.stores.get(key);
    if (!store) {
      store = new Map();
      this.stores.set(key, store);
    }
    return store;
  }

  private write(gvr: GroupVersionResource, object: KubeObject, type: 'ADDED' | 'MODIFIED'): KubeObject {
    this.revision++;
    object.metadata.resourceVersion = String(this.revision);
    this.store(gvr).set(objectKey(object.metadata.namespace, object.metadata.name ?? ''), clone(object));
    this.emit({ type, groupResource: { group: gvr.group, resource: gvr.resource }, object: clone(object), resourceVersion: this.revision });
    return clone(object);
  }

  private remove(gvr: GroupVersionResource, object: KubeObject): KubeObject {
    this.revision++;
    object.metadata.resourceVersion = String(this.revision);
    this.store(gvr).delete(objectKey(object.metadata.namespace, object.metadata.name ?? ''));
    this.emit({
      type: 'DELETED',
      groupResource: { group: gvr.group, resource: gvr.resource },
      object: clone(object),
      resourceVersion: this.revision,
    });
    return clone(object);
  }

  private emit(event: StoredEvent): void {
    this.events.push(event);
    for (const handler of [...this.handlers]) handler(clone(event));
  }
}
