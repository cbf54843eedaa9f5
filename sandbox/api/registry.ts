/**
 * What the server serves right now: the built-in resource types plus every version of every CRD
 * whose Established condition is True. Like apiextensions-apiserver, a CRD is published only once
 * Established and unpublished as soon as it is deleted (apiserver-surface.md §1).
 */
import type { GroupResource, GroupVersionResource, KubeObject, ResourceType } from './types.js';
import { builtinResourceTypes } from '../resources/builtins.js';
import { isCrdEstablished, resourceTypesFromCrd } from '../resources/crd.js';

/** The group-resource CRDs are stored under. */
export const crdGroupResource: GroupResource = { group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' };

function gvrKey(group: string, version: string, resource: string): string {
  return `${group}/${version}/${resource}`;
}

/** Registry answers "is this group/version/resource served" from a cache rebuilt after CRD changes. */
export class Registry {
  private readonly builtins: ResourceType[];
  private cache: { all: ResourceType[]; byGvr: Map<string, ResourceType>; byGr: Map<string, ResourceType[]> } | undefined;

  /** `crds` lists the stored CRDs; `invalidate()` must be called whenever one changes. */
  constructor(private readonly crds: () => KubeObject[]) {
    this.builtins = builtinResourceTypes();
  }

  /** Drops the cache; the next lookup rebuilds it from the stored CRDs. */
  invalidate(): void {
    this.cache = undefined;
  }

  /** Every served resource type: built-ins first, then CRD versions. */
  all(): ResourceType[] {
    return this.built().all;
  }

  /** The type served at group/version/resource, if any. */
  lookup(gvr: GroupVersionResource): ResourceType | undefined {
    return this.built().byGvr.get(gvrKey(gvr.group, gvr.version, gvr.resource));
  }

  /** Every served version of a group-resource. */
  versionsOf(gr: GroupResource): ResourceType[] {
    return this.built().byGr.get(`${gr.resource}.${gr.group}`) ?? [];
  }

  /** The type of a group-resource regardless of version, for deciding its scope before anything is served (e.g. namespaced or not). */
  anyVersionOf(gr: GroupResource): ResourceType | undefined {
    const versions = this.versionsOf(gr);
    return versions.find((t) => t.storage) ?? versions[0];
  }

  private built(): NonNullable<Registry['cache']> {
    if (this.cache) return this.cache;
    const fromCrds = this.crds().filter(isCrdEstablished).flatMap(resourceTypesFromCrd);
    const all = [...this.builtins, ...fromCrds];
    const byGvr = new Map<string, ResourceType>();
    const byGr = new Map<string, ResourceType[]>();
    for (const type of all) {
      byGvr.set(gvrKey(type.group, type.version, type.resource), type);
      const key = `${type.resource}.${type.group}`;
      byGr.set(key, [...(byGr.get(key) ?? []), type]);
    }
    this.cache = { all, byGvr, byGr };
    return this.cache;
  }
}
