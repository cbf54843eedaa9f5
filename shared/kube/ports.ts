/**
 * The narrow ports plugins depend on instead of a client library. Each port is what one kind of
 * command needs (kubectl's pkg/scale ScalesGetter is the model); tests implement them with fakes
 * that record calls, and rest-clients.ts (over json-transport.ts) is the only real implementation.
 *
 * Every method may throw ApiStatusError (the server answered with a failure Status) or
 * ConnectionError (no answer); transient failures are already retried by the implementation.
 * Objects are the API's plain JSON (timestamps are RFC 3339 strings).
 */

/** GroupVersionResource addresses a collection of objects, in the API's own terms. */
export interface GroupVersionResource {
  /** API group, e.g. "gateway.solo.io"; "" for the core group. */
  readonly group: string;
  /** Version within the group, e.g. "v1". */
  readonly version: string;
  /** Plural lower-case resource name, e.g. "virtualservices". */
  readonly resource: string;
}

/** ObjectMeta is the subset of metav1.ObjectMeta the suite reads. */
export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: Array<{ apiVersion: string; kind: string; name: string; uid: string; controller?: boolean }>;
  finalizers?: string[];
  managedFields?: unknown[];
  [key: string]: unknown;
}

/** KubeObject is any object as the API serves it, untyped below metadata. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [key: string]: unknown;
}

/** ListOptions are the list query parameters shared by every collection. */
export interface ListOptions {
  /** Namespace to list in; undefined lists across all namespaces (cluster-scoped resources ignore it). */
  readonly namespace?: string;
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
  /** Page size (the `limit` query parameter); the adapter defaults to 500 like kubectl. */
  readonly limit?: number;
  /** The `continue` token of the previous page. */
  readonly continueToken?: string;
}

/** ListPage is one page of a list response. */
export interface ListPage<T = KubeObject> {
  readonly items: T[];
  /** Token for the next page; undefined on the last page. */
  readonly continueToken?: string;
  /** The list's resourceVersion, to start a watch from. */
  readonly resourceVersion?: string;
  /**
   * How many more objects the server holds past this page (metadata.remainingItemCount), when it
   * says: only for a limited list without selectors, and not from every server; an estimate.
   */
  readonly remainingItemCount?: number;
}

/** WriteOptions apply to create, patch and delete. */
export interface WriteOptions {
  /** Server-side dry run (`dryRun=All`): validated and admitted but not persisted. */
  readonly dryRun?: boolean;
  /** fieldManager recorded in managedFields; defaults to the plugin name. */
  readonly fieldManager?: string;
}

/** CustomObjectStore reads and writes custom resources by GroupVersionResource. */
export interface CustomObjectStore {
  /** list returns one page; use {@link paginate} to walk all pages without holding them all. */
  list(gvr: GroupVersionResource, options?: ListOptions): Promise<ListPage>;
  /** get returns one object; a missing object throws ApiStatusError 404. */
  get(gvr: GroupVersionResource, name: string, namespace?: string): Promise<KubeObject>;
  /** create posts `object`; its metadata.namespace selects the namespace of a namespaced resource. */
  create(gvr: GroupVersionResource, object: KubeObject, options?: WriteOptions): Promise<KubeObject>;
  /** mergePatch sends an RFC 7386 merge patch (custom resources do not support strategic merge). */
  mergePatch(
    gvr: GroupVersionResource,
    name: string,
    patch: Record<string, unknown>,
    namespace?: string,
    options?: WriteOptions,
  ): Promise<KubeObject>;
  /** delete removes one object; a missing object throws ApiStatusError 404. */
  delete(gvr: GroupVersionResource, name: string, namespace?: string, options?: WriteOptions): Promise<void>;
  /**
   * watch streams the events of one resource (across all namespaces unless `options.namespace`)
   * from `resourceVersion` (from a previous list) and calls `onEvent` per event; `onDone` is called
   * once when the stream ends or fails, a refused watch (e.g. 410 Gone as an HTTP answer) included.
   * A resourceVersion too old for the server arrives as an ERROR event carrying a 410 Status.
   */
  watch(
    gvr: GroupVersionResource,
    options: ListOptions & { resourceVersion?: string },
    onEvent: (event: WatchEvent) => void,
    onDone: (err?: Error) => void,
  ): Promise<WatchHandle>;
}

/** CustomResourceDefinition is an apiextensions.k8s.io/v1 CRD, untyped below metadata. */
export type CustomResourceDefinition = KubeObject;

/** CrdStore reads and applies CustomResourceDefinitions. */
export interface CrdStore {
  /** list returns every CRD (optionally filtered by label selector). */
  list(labelSelector?: string): Promise<CustomResourceDefinition[]>;
  /** get returns the CRD named `<plural>.<group>`, or undefined when it does not exist. */
  get(name: string): Promise<CustomResourceDefinition | undefined>;
  /**
   * apply server-side-applies a CRD (`application/apply-patch+yaml`, force on conflicts) so large
   * CRDs never hit the 256 KiB last-applied annotation limit of client-side apply.
   */
  apply(crd: CustomResourceDefinition, options: WriteOptions & { force?: boolean }): Promise<CustomResourceDefinition>;
  /**
   * watch streams CRD events from `resourceVersion` (e.g. an apply answer's), narrowed by
   * `fieldSelector` (`metadata.name=<name>`), as {@link CustomObjectStore.watch} does. Optional:
   * ports that only read or plan need not implement it.
   */
  watch?(
    options: Pick<ListOptions, 'labelSelector' | 'fieldSelector'> & { resourceVersion?: string },
    onEvent: (event: WatchEvent) => void,
    onDone: (err?: Error) => void,
  ): Promise<WatchHandle>;
}

/** NamespaceStore reads and creates Namespaces (what restore needs before namespaced objects). */
export interface NamespaceStore {
  /** get returns the Namespace, or undefined when it does not exist. */
  get(name: string): Promise<KubeObject | undefined>;
  /** create posts a Namespace; an existing one throws ApiStatusError 409. */
  create(namespace: KubeObject, options?: WriteOptions): Promise<KubeObject>;
}

/** ScalableKind is a workload kind with a scale subresource that the suite scales. */
export type ScalableKind = 'Deployment' | 'StatefulSet';

/** Scale is the autoscaling/v1 Scale of a workload. */
export interface Scale {
  readonly replicas: number;
  /** status.replicas: pods currently existing. */
  readonly currentReplicas: number;
  readonly resourceVersion?: string;
}

/** ScaleClient reads and sets replicas through the scale subresource (never read-modify-replace). */
export interface ScaleClient {
  getScale(kind: ScalableKind, namespace: string, name: string): Promise<Scale>;
  /**
   * setReplicas merge-patches spec.replicas. With `resourceVersion` the patch carries it as a
   * precondition, so a concurrent change answers 409 instead of being overwritten (kubectl scale
   * --resource-version).
   */
  setReplicas(
    kind: ScalableKind,
    namespace: string,
    name: string,
    replicas: number,
    options?: WriteOptions & { resourceVersion?: string },
  ): Promise<Scale>;
}

/** WatchEvent is one event of a watch stream. */
export interface WatchEvent<T = KubeObject> {
  readonly type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  readonly object: T;
}

/** WatchHandle stops a running watch. */
export interface WatchHandle {
  stop(): void;
}

/** WorkloadKind is a kind WorkloadStore reads. */
export type WorkloadKind = 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Pod';

/** WorkloadStore reads Deployments, StatefulSets, DaemonSets and Pods, and watches them for readiness waits. */
export interface WorkloadStore {
  /** get returns one workload, or undefined when it does not exist. */
  get(kind: WorkloadKind, namespace: string, name: string): Promise<KubeObject | undefined>;
  list(kind: WorkloadKind, options: ListOptions): Promise<ListPage>;
  /**
   * watch streams events from `resourceVersion` (from a previous list) and calls `onEvent` per event;
   * `onDone` is called once when the stream ends or fails.
   */
  watch(
    kind: WorkloadKind,
    options: ListOptions & { resourceVersion?: string },
    onEvent: (event: WatchEvent) => void,
    onDone: (err?: Error) => void,
  ): Promise<WatchHandle>;
}

/** SecretStore lists Secrets (for Helm release records) without exposing the rest of the core API. */
export interface SecretStore {
  list(options: ListOptions): Promise<ListPage>;
}

/** ServerVersion is the API server's /version answer. */
export interface ServerVersion {
  /** e.g. "v1.33.1" or "v1.27.3-eks-2d98532". */
  readonly gitVersion: string;
  readonly major: string;
  readonly minor: string;
  readonly platform?: string;
}

/** ServedResource is one entry of an APIResourceList. */
export interface ServedResource {
  /** Plural name; subresources look like "deployments/scale". */
  readonly name: string;
  readonly kind: string;
  readonly namespaced: boolean;
  readonly verbs: readonly string[];
}

/** DiscoveryClient reads what the API server serves. */
export interface DiscoveryClient {
  serverVersion(): Promise<ServerVersion>;
  /** groupVersions lists every served "group/version" ("v1" for core), preferred versions first per group. */
  groupVersions(): Promise<string[]>;
  /** servedResources lists the resources of one group version; a group version not served throws ApiStatusError 404. */
  servedResources(groupVersion: string): Promise<ServedResource[]>;
}

/** AccessQuestion is what `kubectl auth can-i` asks (a SelfSubjectAccessReview). */
export interface AccessQuestion {
  readonly verb: string;
  readonly group: string;
  readonly resource: string;
  readonly subresource?: string;
  readonly namespace?: string;
  readonly name?: string;
}

/** AccessReview answers can-i questions for the current user. */
export interface AccessReview {
  canI(question: AccessQuestion): Promise<{ allowed: boolean; reason?: string }>;
}

/** KubeClients bundles every port, all built from one kubeconfig context. */
export interface KubeClients {
  readonly customObjects: CustomObjectStore;
  readonly crds: CrdStore;
  readonly namespaces: NamespaceStore;
  readonly scale: ScaleClient;
  readonly workloads: WorkloadStore;
  readonly secrets: SecretStore;
  readonly discovery: DiscoveryClient;
  readonly access: AccessReview;
}

/** gvrString renders a GroupVersionResource as kubectl names it: `virtualservices.v1.gateway.solo.io`. */
export function gvrString(gvr: GroupVersionResource): string {
  return gvr.group === '' ? `${gvr.resource}.${gvr.version}` : `${gvr.resource}.${gvr.version}.${gvr.group}`;
}
