/**
 * The sandbox API server's core vocabulary, shared by every part of `sandbox/`:
 * objects, resource types (what discovery publishes), and the in-process API that
 * controllers and product installs use instead of HTTP.
 *
 * Words follow Kubernetes' own sense: `group`, `version`, `resource` (the plural),
 * `kind`. A GroupVersionResource is not a "type".
 */

/** An owner reference, as in meta/v1. */
export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** A managedFields entry, as in meta/v1 (fieldsV1 is the FieldsV1 JSON set). */
export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time?: string;
  fieldsType: 'FieldsV1';
  fieldsV1: Record<string, unknown>;
  subresource?: string;
}

/** ObjectMeta, as in meta/v1. */
export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
  managedFields?: ManagedFieldsEntry[];
}

/** Any Kubernetes object as JSON. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** Group + version + resource (plural, lower case). The core group is "". */
export interface GroupVersionResource {
  group: string;
  version: string;
  resource: string;
}

/** Group + resource: the identity under which objects are stored, whatever version they are served at. */
export interface GroupResource {
  group: string;
  resource: string;
}

/** A column of `kubectl get` (CRD additionalPrinterColumns, or a built-in's columns). */
export interface PrinterColumn {
  name: string;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'date';
  /** A simple JSONPath such as `.spec.replicas` or `.status.conditions[?(@.type=="Ready")].status`. */
  jsonPath: string;
  description?: string;
  format?: string;
  priority?: number;
}

/** The scale subresource's mapping (CRD `subresources.scale`; fixed for Deployments and StatefulSets). */
export interface ScaleSubresource {
  specReplicasPath: string;
  statusReplicasPath: string;
  labelSelectorPath?: string;
}

/** An OpenAPI v3 schema as it appears in a CRD (JSONSchemaProps), kept as plain JSON. */
export type JSONSchemaProps = Record<string, unknown>;

/**
 * One resource served at one group-version: what discovery lists, what the router
 * resolves a URL to, and what validation and tables consult.
 */
export interface ResourceType {
  group: string;
  version: string;
  /** The plural, lower case: `deployments`. */
  resource: string;
  singular: string;
  kind: string;
  listKind: string;
  namespaced: boolean;
  verbs: string[];
  shortNames: string[];
  categories: string[];
  subresources: { status: boolean; scale?: ScaleSubresource };
  printerColumns: PrinterColumn[];
  /** True for compiled-in kinds: they take strategic-merge patches and are defaulted. */
  builtin: boolean;
  /** True for the version objects are stored at (for built-ins, the only version). */
  storage: boolean;
  /** The CRD's openAPIV3Schema for this version, when the resource comes from a CRD. */
  schema?: JSONSchemaProps;
  /** The CRD's name (`plural.group`), when the resource comes from a CRD. */
  crdName?: string;
}

/** A watch event as sent on the wire (`{"type":…,"object":…}`). */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

/** A change recorded by the store, in resourceVersion order. */
export interface StoredEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  /** The group-resource the object belongs to. */
  groupResource: GroupResource;
  /** The object after the change (for DELETED, its last state with the deletion's resourceVersion). */
  object: KubeObject;
  /** The global resourceVersion of the change. */
  resourceVersion: number;
  /**
   * The object's metadata as stored, uncopied, for subscribers that read a few fields of every
   * event (the garbage collector reads ownerReferences): reading `object` may cost a deep copy,
   * this costs nothing. Read-only, and not to be kept. Absent where an InternalApi does not offer it.
   */
  readonly metadata?: ReadonlyObjectMeta;
}

/** ObjectMeta as a read-only view: neither it nor its lists and maps may be changed. */
export type ReadonlyObjectMeta = {
  readonly [K in keyof ObjectMeta]: NonNullable<ObjectMeta[K]> extends Array<infer Item>
    ? ReadonlyArray<Readonly<Item>>
    : Readonly<ObjectMeta[K]>;
};

/** Options shared by the in-process API's list and watch. */
export interface ListOptions {
  namespace?: string;
  labelSelector?: string;
  fieldSelector?: string;
}

/** Options for in-process deletes, as in DeleteOptions. */
export interface DeleteOptions {
  propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
  /**
   * Seconds a pod gets to terminate (DeleteOptions.gracePeriodSeconds); 0 removes it at once.
   * Only pods honour it, and only on a SandboxApi built with gracefulPodDeletion.
   */
  gracePeriodSeconds?: number;
}

/**
 * The in-process API: the same semantics as the HTTP API (validation, defaulting,
 * resourceVersions, generation, finalizers, watch events), without HTTP, auth or
 * faults. Controllers and product installs use only this. Errors are thrown as
 * `ApiError` (see status.ts).
 */
export interface InternalApi {
  /** The resource type served for group/version/resource, if it is served now. */
  resourceType(gvr: GroupVersionResource): ResourceType | undefined;
  /** Every resource type served now (built-ins plus Established CRDs). */
  resourceTypes(): ResourceType[];
  get(gvr: GroupVersionResource, namespace: string | undefined, name: string): KubeObject | undefined;
  list(gvr: GroupVersionResource, options?: ListOptions): KubeObject[];
  /**
   * listShared is list without the copies: the stored objects themselves, as an informer's lister
   * hands out its shared cache. Only for reading before the caller returns; never mutated or kept.
   * A controller that scans every CRD on each event (each one up to a few hundred KB) would
   * otherwise copy megabytes per write.
   */
  listShared(gvr: GroupVersionResource, options?: ListOptions): ReadonlyArray<Readonly<KubeObject>>;
  /** Creates the object; `options.fieldManager` is recorded in managedFields as the creating client's Update entry. */
  create(gvr: GroupVersionResource, object: KubeObject, options?: { readonly fieldManager?: string }): KubeObject;
  /** Replaces the object; a set metadata.resourceVersion that is stale gives 409 Conflict. Status is ignored when the resource has a status subresource. */
  update(gvr: GroupVersionResource, object: KubeObject): KubeObject;
  /** Replaces only .status (the status subresource). */
  updateStatus(gvr: GroupVersionResource, object: KubeObject): KubeObject;
  /** Deletes (or marks for deletion when finalizers remain). Returns the object as last seen, or undefined when absent. */
  delete(gvr: GroupVersionResource, namespace: string | undefined, name: string, options?: DeleteOptions): KubeObject | undefined;
  /** Calls `handler` for every change to any object from now on (all resources, all namespaces). Returns an unsubscribe function. */
  subscribe(handler: (event: StoredEvent) => void): () => void;
}

/** Something that runs beside the API (a simulated controller). */
export interface Controller {
  readonly name: string;
  start(): void;
  stop(): void;
}
