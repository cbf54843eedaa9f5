/**
 * The order discovery lists groups and versions in. Clients pick the first version of a group as
 * the preferred one when none is marked, and `kubectl api-resources` prints in this order, so it
 * follows the real server: core first, built-in groups by kube-aggregator's group priority, then
 * custom groups (all at priority 1000) by name; versions by apimachinery's
 * CompareKubeAwareVersionStrings (GA > beta > alpha, then the higher major, then the higher minor;
 * non-Kubernetes-like versions last, alphabetically).
 */
import type { ResourceType } from '../api/types.js';

const kubeVersion = /^v(\d+)(?:(alpha|beta)(\d+))?$/;

function parseKubeVersion(version: string): { major: number; stability: number; minor: number } | undefined {
  const m = kubeVersion.exec(version);
  if (!m) return undefined;
  const stability = m[2] === 'alpha' ? 0 : m[2] === 'beta' ? 1 : 2;
  return { major: Number(m[1]), stability, minor: m[3] ? Number(m[3]) : 0 };
}

/** compareKubeAwareVersions is positive when `a` has the higher priority (apimachinery's CompareKubeAwareVersionStrings). */
export function compareKubeAwareVersions(a: string, b: string): number {
  if (a === b) return 0;
  const va = parseKubeVersion(a);
  const vb = parseKubeVersion(b);
  if (!va && !vb) return a < b ? 1 : -1;
  if (!va) return -1;
  if (!vb) return 1;
  if (va.stability !== vb.stability) return va.stability - vb.stability;
  if (va.major !== vb.major) return va.major - vb.major;
  return va.minor - vb.minor;
}

/** sortVersionsByPriority returns the versions highest priority first (v1, v1beta2, v1beta1, v1alpha1, foo). */
export function sortVersionsByPriority(versions: Iterable<string>): string[] {
  return [...new Set(versions)].sort((a, b) => compareKubeAwareVersions(b, a));
}

/** The built-in API groups in the order a real /apis lists them (kube-aggregator's group priorities). */
export const builtinGroupOrder = [
  'apiregistration.k8s.io',
  'apps',
  'events.k8s.io',
  'authentication.k8s.io',
  'authorization.k8s.io',
  'autoscaling',
  'batch',
  'certificates.k8s.io',
  'networking.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
  'admissionregistration.k8s.io',
  'apiextensions.k8s.io',
  'scheduling.k8s.io',
  'coordination.k8s.io',
  'node.k8s.io',
  'discovery.k8s.io',
  'flowcontrol.apiserver.k8s.io',
];

function groupRank(group: string): number {
  if (group === '') return -1;
  const i = builtinGroupOrder.indexOf(group);
  return i < 0 ? builtinGroupOrder.length : i;
}

/** compareGroups orders group names as /apis does: core, built-ins by priority, then the rest by name. */
export function compareGroups(a: string, b: string): number {
  const ra = groupRank(a);
  const rb = groupRank(b);
  if (ra !== rb) return ra - rb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One served group-version and its resources, sorted by resource name as the apiserver installs them. */
export interface ServedGroupVersion {
  version: string;
  types: ResourceType[];
}

/** One served group: its versions, highest priority (the preferred one) first. */
export interface ServedGroup {
  group: string;
  versions: ServedGroupVersion[];
}

// Discovery is requested on every kubectl command: the registry hands out the same array until a CRD
// changes, so the arrangement is computed once per registry generation.
const arranged = new WeakMap<ResourceType[], ServedGroup[]>();

/** servedGroups arranges resource types into groups and versions in discovery order (read-only result, memoized per array). */
export function servedGroups(types: ResourceType[]): ServedGroup[] {
  const cached = arranged.get(types);
  if (cached) return cached;
  const result = arrange(types);
  arranged.set(types, result);
  return result;
}

function arrange(types: ResourceType[]): ServedGroup[] {
  const byGroup = new Map<string, Map<string, ResourceType[]>>();
  for (const type of types) {
    let versions = byGroup.get(type.group);
    if (!versions) byGroup.set(type.group, (versions = new Map()));
    let list = versions.get(type.version);
    if (!list) versions.set(type.version, (list = []));
    list.push(type);
  }
  return [...byGroup.keys()].sort(compareGroups).map((group) => {
    const versions = byGroup.get(group) ?? new Map<string, ResourceType[]>();
    return {
      group,
      versions: sortVersionsByPriority(versions.keys()).map((version) => ({
        version,
        types: [...(versions.get(version) ?? [])].sort((a, b) => (a.resource < b.resource ? -1 : a.resource > b.resource ? 1 : 0)),
      })),
    };
  });
}

/** groupVersionString is `v1` for the core group and `group/version` otherwise. */
export function groupVersionString(group: string, version: string): string {
  return group ? `${group}/${version}` : version;
}

/** The Scale kind every scale subresource answers with, whatever the parent's group. */
export const scaleKind = { group: 'autoscaling', version: 'v1', kind: 'Scale' } as const;
