/**
 * findRerollTargets finds what a data-plane re-roll must restart: every Deployment, StatefulSet
 * and DaemonSet whose pods carry the mesh's sidecar (or whose pod template asks for injection),
 * and, apart, the pods no such controller owns (bare pods, Jobs' pods …), which a restart
 * cannot reach and the user must delete.
 */
import type { GroupVersionResource, KubeObject, ListOptions, ListPage } from '../../../shared/kube/ports.js';
import { paginate } from '../../../shared/kube/pagination.js';
import type { DataPlane } from '../../../shared/profiles/index.js';
import type { RerollPorts } from './ports.js';

/** RestartableKind is a workload kind `kubectl rollout restart` can restart. */
export type RestartableKind = 'Deployment' | 'StatefulSet' | 'DaemonSet';

/** RerollWorkload is one workload to restart, with why it was picked. */
export interface RerollWorkload {
  readonly kind: RestartableKind;
  readonly namespace: string;
  readonly name: string;
  /** reason: "sidecar in pod <name>", "sidecar in pod template", or "injection enabled in pod template". */
  readonly reason: string;
}

/** UnrestartablePod is a pod with the sidecar that no restartable workload owns. */
export interface UnrestartablePod {
  readonly namespace: string;
  readonly name: string;
  /** owner is "Kind/name" of its controller, or undefined for a bare pod. */
  readonly owner?: string;
  /** command is what the user runs to replace it. */
  readonly command: string;
}

/** RerollPlan is what a re-roll would do. */
export interface RerollPlan {
  readonly workloads: RerollWorkload[];
  readonly unrestartable: UnrestartablePod[];
}

const replicaSets: GroupVersionResource = { group: 'apps', version: 'v1', resource: 'replicasets' };

interface PodSpec {
  containers?: Array<{ name?: string }>;
  initContainers?: Array<{ name?: string }>;
}

/** carriesSidecar: the pod spec has the data plane's sidecar (or its init) container. */
export function carriesSidecar(spec: PodSpec | undefined, dataPlane: DataPlane): boolean {
  const names = [...(spec?.containers ?? []), ...(spec?.initContainers ?? [])].map((c) => c.name);
  return names.includes(dataPlane.sidecarContainer) || (dataPlane.initContainer !== undefined && names.includes(dataPlane.initContainer));
}

function templateOf(workload: KubeObject): { metadata?: { annotations?: Record<string, string> }; spec?: PodSpec } {
  return (
    ((workload['spec'] ?? {}) as { template?: { metadata?: { annotations?: Record<string, string> }; spec?: PodSpec } }).template ?? {}
  );
}

function controllerOf(object: KubeObject): { kind: string; name: string } | undefined {
  return object.metadata?.ownerReferences?.find((o) => (o as { controller?: boolean }).controller) ?? undefined;
}

async function listAll(list: (options: ListOptions) => Promise<ListPage>, namespace: string | undefined): Promise<KubeObject[]> {
  const items: KubeObject[] = [];
  for await (const page of paginate((continueToken) => list({ ...(namespace === undefined ? {} : { namespace }), continueToken })))
    items.push(...page.items);
  return items;
}

/**
 * findRerollTargets lists pods, workloads and ReplicaSets in `namespace` (every namespace when
 * undefined) and returns the workloads to restart, sorted by namespace, kind and name, and the
 * pods with the sidecar that a restart cannot reach. Reads only.
 */
export async function findRerollTargets(ports: RerollPorts, namespace: string | undefined, dataPlane: DataPlane): Promise<RerollPlan> {
  const [pods, deployments, statefulSets, daemonSets, rsList] = await Promise.all([
    listAll((o) => ports.workloads.list('Pod', o), namespace),
    listAll((o) => ports.workloads.list('Deployment', o), namespace),
    listAll((o) => ports.workloads.list('StatefulSet', o), namespace),
    listAll((o) => ports.workloads.list('DaemonSet', o), namespace),
    listAll((o) => ports.objects.list(replicaSets, o), namespace),
  ]);
  const key = (kind: string, ns: string | undefined, name: string | undefined): string => `${kind}/${ns ?? ''}/${name ?? ''}`;
  const workloads = new Map<string, KubeObject & { kind: RestartableKind }>();
  for (const [kind, items] of [
    ['Deployment', deployments],
    ['StatefulSet', statefulSets],
    ['DaemonSet', daemonSets],
  ] as const) {
    for (const item of items) workloads.set(key(kind, item.metadata?.namespace, item.metadata?.name), { ...item, kind });
  }
  // A Deployment owns its pods through a ReplicaSet: pod -> ReplicaSet -> Deployment.
  const rsOwner = new Map<string, { kind: string; name: string } | undefined>();
  for (const rs of rsList) rsOwner.set(key('ReplicaSet', rs.metadata?.namespace, rs.metadata?.name), controllerOf(rs));

  const picked = new Map<string, RerollWorkload>();
  const pick = (kind: RestartableKind, ns: string, name: string, reason: string): void => {
    const k = key(kind, ns, name);
    if (!picked.has(k)) picked.set(k, { kind, namespace: ns, name, reason });
  };
  const unrestartable: UnrestartablePod[] = [];
  for (const pod of pods) {
    if (!carriesSidecar(pod['spec'] as PodSpec | undefined, dataPlane)) continue;
    if (pod.metadata?.deletionTimestamp) continue;
    const ns = pod.metadata?.namespace ?? '';
    const podName = pod.metadata?.name ?? '';
    let owner = controllerOf(pod);
    if (owner?.kind === 'ReplicaSet') owner = rsOwner.get(key('ReplicaSet', ns, owner.name)) ?? owner;
    if (
      owner &&
      (owner.kind === 'Deployment' || owner.kind === 'StatefulSet' || owner.kind === 'DaemonSet') &&
      workloads.has(key(owner.kind, ns, owner.name))
    ) {
      pick(owner.kind, ns, owner.name, `sidecar in pod ${podName}`);
      continue;
    }
    unrestartable.push({
      namespace: ns,
      name: podName,
      ...(owner ? { owner: `${owner.kind}/${owner.name}` } : {}),
      command: `kubectl delete pod -n ${ns} ${podName}`,
    });
  }
  // Workloads whose template has the sidecar (manual injection) or asks for it, even with no pod
  // running now (scaled to 0, or started while the mesh was removed).
  for (const workload of workloads.values()) {
    const template = templateOf(workload);
    const ns = workload.metadata?.namespace ?? '';
    const name = workload.metadata?.name ?? '';
    if (carriesSidecar(template.spec, dataPlane)) pick(workload.kind, ns, name, 'sidecar in pod template');
    else if (dataPlane.injectionAnnotation && template.metadata?.annotations?.[dataPlane.injectionAnnotation] === 'enabled') {
      pick(workload.kind, ns, name, `${dataPlane.injectionAnnotation}=enabled in pod template`);
    }
  }
  const order = (w: RerollWorkload): string => `${w.namespace}\u0000${w.kind}\u0000${w.name}`;
  return {
    workloads: [...picked.values()].sort((a, b) => order(a).localeCompare(order(b))),
    unrestartable: unrestartable.sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`)),
  };
}
