/**
 * Legacy (unaggregated) discovery. kubectl only falls back to it, but @kubernetes/client-node's
 * KubernetesObjectApi reads nothing else: it GETs `/api/v1` or `/apis/G/V` per apiVersion to map
 * a kind to its plural, so these documents must be exact even when aggregated discovery is served.
 */
import type { ResourceType } from '../api/types.js';
import { groupVersionString, scaleKind, servedGroups, type ServedGroup } from './ordering.js';
import { subresourceVerbs } from '../resources/builtins.js';

/** `/api`: APIVersions. `serverAddress` is what the real server advertises for clients on any network. */
export function apiVersions(serverAddress = '127.0.0.1:6443'): object {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupEntry(served: ServedGroup): { name: string; versions: object[]; preferredVersion: object } {
  const versions = served.versions.map((v) => ({ groupVersion: groupVersionString(served.group, v.version), version: v.version }));
  // The highest-priority version is preferred, as the CRD discovery controller and the aggregator pick it.
  const preferred = versions[0] ?? { groupVersion: '', version: '' };
  return { name: served.group, versions, preferredVersion: preferred };
}

/** `/apis`: APIGroupList built from the served resource types. */
export function apiGroupList(types: ResourceType[]): object {
  const groups = servedGroups(types)
    .filter((g) => g.group !== '')
    .map(groupEntry);
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/** `/apis/G`: APIGroup, or undefined when the group is not served. */
export function apiGroup(types: ResourceType[], group: string): object | undefined {
  const served = servedGroups(types.filter((t) => t.group === group))[0];
  if (!group || !served) return undefined;
  return { kind: 'APIGroup', apiVersion: 'v1', ...groupEntry(served) };
}

/** apiResourceEntries lists a group-version's resources and subresources as APIResource objects. */
export function apiResourceEntries(types: ResourceType[]): object[] {
  const entries: object[] = [];
  for (const type of types) {
    const entry: Record<string, unknown> = {
      name: type.resource,
      singularName: type.singular,
      namespaced: type.namespaced,
      kind: type.kind,
      verbs: type.verbs,
    };
    if (type.shortNames.length) entry.shortNames = type.shortNames;
    if (type.categories.length) entry.categories = type.categories;
    entries.push(entry);
    // Subresources are listed right after their parent because the apiserver installs paths sorted.
    if (type.subresources.scale) {
      entries.push({
        name: `${type.resource}/scale`,
        singularName: '',
        namespaced: type.namespaced,
        group: scaleKind.group,
        version: scaleKind.version,
        kind: scaleKind.kind,
        verbs: subresourceVerbs,
      });
    }
    if (type.subresources.status) {
      entries.push({
        name: `${type.resource}/status`,
        singularName: '',
        namespaced: type.namespaced,
        kind: type.kind,
        verbs: subresourceVerbs,
      });
    }
  }
  return entries;
}

/** `/api/v1` or `/apis/G/V`: APIResourceList, or undefined when that group-version is not served. */
export function apiResourceList(types: ResourceType[], group: string, version: string): object | undefined {
  const matching = types.filter((t) => t.group === group && t.version === version);
  if (!matching.length) return undefined;
  const sorted = servedGroups(matching)[0]?.versions[0]?.types ?? matching;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersionString(group, version),
    resources: apiResourceEntries(sorted),
  };
}
