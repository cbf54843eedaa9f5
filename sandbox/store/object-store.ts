/**
 * The sandbox's etcd: every object once, keyed by group-resource, namespace and name, with one
 * global resourceVersion counter and an event log that watches replay from. A multi-version
 * CRD's objects live here once, whatever version they are served at (conversion "None").
 *
 * Stored objects are never mutated in place: every write stores a new object, so the HTTP layer
 * can serialise stored objects directly and lists cost no clones.
 */
import type { GroupResource, KubeObject, StoredEvent } from '../api/types.js';
import { EventLog } from './event-log.js';

/** The key objects of one group-resource are stored and listed under: `namespace/name` (namespace empty when cluster-scoped). */
export function objectKey(namespace: string | undefined, name: string): string {
  return `${namespace ?? ''}/${name}`;
}

/** `resource.group`, the identity of a bucket. */
export function groupResourceKey(gr: GroupResource): string {
  return `${gr.resource}.${gr.group}`;
}

/** One group-resource's objects, with keys sorted lazily because lists must come back in key order as etcd returns them. */
class Bucket {
  readonly objects = new Map<string, KubeObject>();
  private sorted: string[] | undefined;

  set(key: string, object: KubeObject): void {
    if (!this.objects.has(key)) this.sorted = undefined;
    this.objects.set(key, object);
  }

  delete(key: string): void {
    if (this.objects.delete(key)) this.sorted = undefined;
  }

  sortedKeys(): string[] {
    this.sorted ??= [...this.objects.keys()].sort();
    return this.sorted;
  }
}

/** First index in sorted `keys` whose key is greater than `after` (or ≥ `from` when inclusive). */
function lowerBound(keys: string[], bound: string, inclusive: boolean): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const key = keys[mid] as string;
    if (inclusive ? key < bound : key <= bound) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A window of a bucket's sorted keys: the objects of one namespace (or all) starting after a continue key. */
export interface KeyRange {
  keys: string[];
  start: number;
  end: number;
}

/** ObjectStore holds objects, assigns resourceVersions, logs events and notifies subscribers synchronously. */
export class ObjectStore {
  private revision = 1;
  /** group → resource → bucket: two lookups on the type's own strings, instead of hashing a joined key per call. */
  private readonly buckets = new Map<string, Map<string, Bucket>>();
  /** Replaced, never changed in place, so an emit can run over it while a handler (un)subscribes. */
  private handlers: ReadonlyArray<(event: StoredEvent) => void> = [];
  readonly log: EventLog;

  constructor(maxEvents = 200_000) {
    this.log = new EventLog(maxEvents);
  }

  /** The resourceVersion of the latest change (what a list reports). */
  currentRevision(): number {
    return this.revision;
  }

  get(gr: GroupResource, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.find(gr)?.objects.get(objectKey(namespace, name));
  }

  /** How many objects a group-resource holds. */
  count(gr: GroupResource): number {
    return this.find(gr)?.objects.size ?? 0;
  }

  /** The sorted keys of a group-resource restricted to a namespace (undefined: all), starting after `afterKey`. */
  range(gr: GroupResource, namespace: string | undefined, afterKey?: string): KeyRange {
    const bucket = this.find(gr);
    if (!bucket) return { keys: [], start: 0, end: 0 };
    const keys = bucket.sortedKeys();
    let start = 0;
    let end = keys.length;
    if (namespace !== undefined) {
      const prefix = `${namespace}/`;
      start = lowerBound(keys, prefix, true);
      // '0' follows '/' in ASCII, so it bounds every key with this namespace prefix.
      end = lowerBound(keys, `${namespace}0`, true);
    }
    if (afterKey !== undefined) start = Math.max(start, lowerBound(keys, afterKey, false));
    return { keys, start, end };
  }

  /** The stored object under a key from `range`. */
  at(gr: GroupResource, key: string): KubeObject | undefined {
    return this.find(gr)?.objects.get(key);
  }

  /** Every object of a group-resource (optionally one namespace), in key order. */
  list(gr: GroupResource, namespace?: string): KubeObject[] {
    const { keys, start, end } = this.range(gr, namespace);
    const bucket = this.find(gr);
    const out: KubeObject[] = [];
    for (let i = start; i < end; i++) {
      const object = bucket?.objects.get(keys[i] as string);
      if (object) out.push(object);
    }
    return out;
  }

  /**
   * Stores `object` (ADDED or MODIFIED) under a new resourceVersion; returns the stored object.
   * With `owned`, the caller hands `object` over (nothing else holds it or its metadata), and it
   * is stored itself with the resourceVersion set on it instead of being copied.
   */
  put(gr: GroupResource, object: KubeObject, type: 'ADDED' | 'MODIFIED', owned = false): KubeObject {
    const resourceVersion = ++this.revision;
    let stored: KubeObject;
    if (owned) {
      // Same keys in the same order as the copy below: an existing resourceVersion keeps its place.
      object.metadata.resourceVersion = String(resourceVersion);
      stored = object;
    } else {
      stored = { ...object, metadata: { ...object.metadata, resourceVersion: String(resourceVersion) } };
    }
    this.bucket(gr).set(objectKey(stored.metadata.namespace, stored.metadata.name ?? ''), stored);
    this.emit({ type, groupResource: { group: gr.group, resource: gr.resource }, object: stored, resourceVersion });
    return stored;
  }

  /** Removes an object, recording `last` (its final state) as DELETED under a new resourceVersion. */
  remove(gr: GroupResource, last: KubeObject): KubeObject {
    const resourceVersion = ++this.revision;
    const removed: KubeObject = { ...last, metadata: { ...last.metadata, resourceVersion: String(resourceVersion) } };
    this.bucket(gr).delete(objectKey(removed.metadata.namespace, removed.metadata.name ?? ''));
    this.emit({ type: 'DELETED', groupResource: { group: gr.group, resource: gr.resource }, object: removed, resourceVersion });
    return removed;
  }

  /** Removes every object of a group-resource, as the apiextensions server does once a CRD is deleted. */
  removeAll(gr: GroupResource): void {
    for (const object of this.list(gr)) this.remove(gr, object);
    this.buckets.get(gr.group)?.delete(gr.resource);
  }

  /** Calls `handler` for every change from now on; returns an unsubscribe function. */
  subscribe(handler: (event: StoredEvent) => void): () => void {
    // Set semantics: subscribing a handler twice calls it once, and its unsubscribe removes it.
    if (!this.handlers.includes(handler)) this.handlers = [...this.handlers, handler];
    return () => {
      this.handlers = this.handlers.filter((h) => h !== handler);
    };
  }

  private find(gr: GroupResource): Bucket | undefined {
    return this.buckets.get(gr.group)?.get(gr.resource);
  }

  private bucket(gr: GroupResource): Bucket {
    let group = this.buckets.get(gr.group);
    if (!group) {
      group = new Map();
      this.buckets.set(gr.group, group);
    }
    let bucket = group.get(gr.resource);
    if (!bucket) {
      bucket = new Bucket();
      group.set(gr.resource, bucket);
    }
    return bucket;
  }

  private emit(event: StoredEvent): void {
    this.log.append(event);
    for (const handler of this.handlers) handler(event);
  }
}
