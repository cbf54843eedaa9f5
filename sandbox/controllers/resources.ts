/**
 * The group-version-resources the simulated controllers read and write, and small helpers over
 * object identity (keys, owner references) that every controller shares.
 */
import type { GroupResource, GroupVersionResource, InternalApi, KubeObject, OwnerReference } from '../api/types.js';

/** Pods (core/v1). */
export const podsResource: GroupVersionResource = { group: '', version: 'v1', resource: 'pods' };
/** Namespaces (core/v1). */
export const namespacesResource: GroupVersionResource = { group: '', version: 'v1', resource: 'namespaces' };
/** Deployments (apps/v1). */
export const deploymentsResource: GroupVersionResource = { group: 'apps', version: 'v1', resource: 'deployments' };
/** ReplicaSets (apps/v1). */
export const replicaSetsResource: GroupVersionResource = { group: 'apps', version: 'v1', resource: 'replicasets' };
/** StatefulSets (apps/v1). */
export const statefulSetsResource: GroupVersionResource = { group: 'apps', version: 'v1', resource: 'statefulsets' };
/** DaemonSets (apps/v1). */
export const daemonSetsResource: GroupVersionResource = { group: 'apps', version: 'v1', resource: 'daemonsets' };
/** Jobs (batch/v1). */
export const jobsResource: GroupVersionResource = { group: 'batch', version: 'v1', resource: 'jobs' };
/** CustomResourceDefinitions (apiextensions.k8s.io/v1). */
export const crdsResource: GroupVersionResource = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' };

/** isResource tells whether a group-resource is the one `gvr` names (the version does not matter to stored objects). */
export function isResource(gr: GroupResource, gvr: GroupVersionResource): boolean {
  return gr.resource === gvr.resource && gr.group === gvr.group;
}

/** objectKey is the queue key of a namespaced object: `namespace/name`. */
export function objectKey(object: KubeObject): string {
  return `${object.metadata.namespace ?? ''}/${object.metadata.name ?? ''}`;
}

/** splitKey undoes objectKey. */
export function splitKey(key: string): { namespace: string | undefined; name: string } {
  const slash = key.indexOf('/');
  return { namespace: key.slice(0, slash) || undefined, name: key.slice(slash + 1) };
}

/** controllerOf is the ownerReference marked controller=true, if any. */
export function controllerOf(object: KubeObject): OwnerReference | undefined {
  return object.metadata.ownerReferences?.find((ref) => ref.controller === true);
}

/** ownedBy tells whether `object` has an ownerReference to the uid. */
export function ownedBy(object: KubeObject, uid: string | undefined): boolean {
  return uid !== undefined && (object.metadata.ownerReferences ?? []).some((ref) => ref.uid === uid);
}

/** controllerReference is the ownerReference a controller puts on what it creates (blockOwnerDeletion as the real ones set it). */
export function controllerReference(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name ?? '',
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

/** isDeleting tells whether the object carries a deletionTimestamp (it waits only for finalizers). */
export function isDeleting(object: KubeObject): boolean {
  return object.metadata.deletionTimestamp !== undefined;
}

/**
 * servedResourceFor finds a version at which a stored group-resource is served (the storage
 * version when there is a choice): events name only the group-resource.
 */
export function servedResourceFor(api: InternalApi, gr: GroupResource): GroupVersionResource | undefined {
  const types = api.resourceTypes().filter((t) => t.group === gr.group && t.resource === gr.resource);
  const type = types.find((t) => t.storage) ?? types[0];
  return type ? { group: type.group, version: type.version, resource: type.resource } : undefined;
}

/** nowTimestamp is the current time as the RFC 3339 seconds the API writes in conditions and times. */
export function nowTimestamp(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

/** sameJson compares two JSON values structurally (status writes are skipped when nothing changed, so idle controllers stay idle). */
export function sameJson(a: unknown, b: unknown): boolean {
  return stableJson(a) === stableJson(b);
}

// Key order is not part of a JSON object's meaning, and the API may reorder keys when it defaults.
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
