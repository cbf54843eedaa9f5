/**
 * How each list (and a few maps) of the built-in kinds the sandbox serves merges, in one table:
 * the `patchStrategy`/`patchMergeKey` struct tags of k8s.io/api (what strategic merge patch reads)
 * and the `+listType`/`+listMapKey` markers (what server-side apply reads, published in OpenAPI as
 * x-kubernetes-list-type / x-kubernetes-list-map-keys). Anything not listed is atomic and replaced.
 *
 * Paths are field names joined by '.', with `[]` for "every item of the list":
 * `spec.template.spec.containers[].ports`.
 */

/** How one list merges. */
export interface ListSchema {
  /** Strategic merge patch: `merge` (with mergeKey, or a primitive set when none) or `replace`. */
  strategy: 'merge' | 'replace';
  mergeKey?: string;
  /** Server-side apply: associative `map` keyed by mapKeys, `set` of scalars, or `atomic`. */
  listType: 'map' | 'set' | 'atomic';
  mapKeys?: string[];
}

const byName: ListSchema = { strategy: 'merge', mergeKey: 'name', listType: 'map', mapKeys: ['name'] };
const byType: ListSchema = { strategy: 'merge', mergeKey: 'type', listType: 'map', mapKeys: ['type'] };
const atomic: ListSchema = { strategy: 'replace', listType: 'atomic' };

// core/v1 PodSpec tags.
const podSpecLists: Record<string, ListSchema> = {
  containers: byName,
  initContainers: byName,
  ephemeralContainers: byName,
  volumes: byName,
  imagePullSecrets: byName,
  schedulingGates: byName,
  resourceClaims: byName,
  hostAliases: { strategy: 'merge', mergeKey: 'ip', listType: 'map', mapKeys: ['ip'] },
  topologySpreadConstraints: { strategy: 'merge', mergeKey: 'topologyKey', listType: 'map', mapKeys: ['topologyKey', 'whenUnsatisfiable'] },
  tolerations: atomic,
  readinessGates: atomic,
};

// core/v1 Container tags. Ports merge on containerPort under SMP, but SSA keys them on containerPort+protocol.
const containerLists: Record<string, ListSchema> = {
  ports: { strategy: 'merge', mergeKey: 'containerPort', listType: 'map', mapKeys: ['containerPort', 'protocol'] },
  env: byName,
  volumeMounts: { strategy: 'merge', mergeKey: 'mountPath', listType: 'map', mapKeys: ['mountPath'] },
  volumeDevices: { strategy: 'merge', mergeKey: 'devicePath', listType: 'map', mapKeys: ['devicePath'] },
};

// Lists that belong to one kind.
const kindLists: Record<string, Record<string, ListSchema>> = {
  Service: { 'spec.ports': { strategy: 'merge', mergeKey: 'port', listType: 'map', mapKeys: ['port', 'protocol'] } },
  ValidatingWebhookConfiguration: { webhooks: byName },
  MutatingWebhookConfiguration: { webhooks: byName },
};

// The maps that take `$retainKeys` (patchStrategy "retainKeys"): a union type where setting one member clears the others.
const kindRetainKeys: Record<string, string[]> = { Deployment: ['spec.strategy'] };

const podTemplatePrefix: Record<string, string> = {
  Pod: 'spec',
  PodTemplate: 'template.spec',
  Deployment: 'spec.template.spec',
  ReplicaSet: 'spec.template.spec',
  StatefulSet: 'spec.template.spec',
  DaemonSet: 'spec.template.spec',
  Job: 'spec.template.spec',
  CronJob: 'spec.jobTemplate.spec.template.spec',
};

// LabelSelector is `+structType=atomic`: SSA owns and replaces it as a whole.
const kindAtomicMaps: Record<string, string[]> = {
  Deployment: ['spec.selector'],
  ReplicaSet: ['spec.selector'],
  StatefulSet: ['spec.selector'],
  DaemonSet: ['spec.selector'],
  Job: ['spec.selector'],
  PodDisruptionBudget: ['spec.selector'],
};

/** pathString joins path segments (`[]` marks list items) into the table's notation. */
export function pathString(segments: readonly string[]): string {
  return segments.join('.').replace(/\.\[\]/g, '[]');
}

/** builtinListSchema tells how the list at `path` of a built-in `kind` merges; undefined means atomic. */
export function builtinListSchema(kind: string, path: string): ListSchema | undefined {
  const own = kindLists[kind]?.[path];
  if (own) return own;
  // ObjectMeta: finalizers is a merged set of strings; ownerReferences merge on uid.
  if (path === 'metadata.finalizers' || path.endsWith('.metadata.finalizers')) return { strategy: 'merge', listType: 'set' };
  if (path === 'metadata.ownerReferences' || path.endsWith('.metadata.ownerReferences'))
    return { strategy: 'merge', mergeKey: 'uid', listType: 'map', mapKeys: ['uid'] };
  // Every built-in status condition list merges on type.
  if (path === 'status.conditions') return byType;
  const prefix = podTemplatePrefix[kind];
  if (prefix && path.startsWith(`${prefix}.`)) {
    const rest = path.slice(prefix.length + 1);
    const inPod = podSpecLists[rest];
    if (inPod) return inPod;
    const container = /^(containers|initContainers|ephemeralContainers)\[\]\.([A-Za-z]+)$/.exec(rest);
    if (container?.[2]) return containerLists[container[2]];
  }
  return undefined;
}

/** builtinRetainKeys is true for maps with patchStrategy retainKeys (Deployment strategy, each pod volume). */
export function builtinRetainKeys(kind: string, path: string): boolean {
  if (kindRetainKeys[kind]?.includes(path)) return true;
  const prefix = podTemplatePrefix[kind];
  return prefix !== undefined && path === `${prefix}.volumes[]`;
}

/** builtinAtomicMap is true for structs server-side apply treats as one value (label selectors). */
export function builtinAtomicMap(kind: string, path: string): boolean {
  return kindAtomicMaps[kind]?.includes(path) ?? false;
}
