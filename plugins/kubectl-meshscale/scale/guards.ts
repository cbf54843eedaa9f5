/**
 * HPA and PodDisruptionBudget checks: which HorizontalPodAutoscaler (autoscaling/v2) targets a
 * workload, and which PodDisruptionBudgets (policy/v1) select its pods with a budget that scaling
 * to zero would violate. Read through the ScalePorts' generic list; a failed read (403, a cluster
 * without the API) only turns into a warning, never a failed scale.
 */
import type { GroupVersionResource, KubeObject } from '../../../shared/kube/ports.js';
import type { Target } from './plan.js';
import type { ScalePorts } from './ports.js';
import { listItems } from '../../../shared/kube/pagination.js';

export const hpaResource: GroupVersionResource = { group: 'autoscaling', version: 'v2', resource: 'horizontalpodautoscalers' };
export const pdbResource: GroupVersionResource = { group: 'policy', version: 'v1', resource: 'poddisruptionbudgets' };

/** Guards are the HPAs and PDBs of one namespace (null when they could not be read). */
export interface Guards {
  readonly hpas: KubeObject[] | null;
  readonly pdbs: KubeObject[] | null;
  /** Why a read failed, for one warning line. */
  readonly problems: string[];
}

async function listAll(ports: ScalePorts, gvr: GroupVersionResource, namespace: string): Promise<KubeObject[]> {
  const items: KubeObject[] = [];
  for await (const item of listItems((continueToken) => ports.objects.list(gvr, { namespace, continueToken }))) {
    if ((item.metadata?.namespace ?? namespace) === namespace) items.push(item);
  }
  return items;
}

/** readGuards lists the namespace's HPAs and PDBs; a failure is recorded, not thrown. */
export async function readGuards(ports: ScalePorts, namespace: string): Promise<Guards> {
  const problems: string[] = [];
  const read = async (gvr: GroupVersionResource): Promise<KubeObject[] | null> => {
    try {
      return await listAll(ports, gvr, namespace);
    } catch (err) {
      problems.push(
        `could not list ${gvr.resource}.${gvr.group} in ${namespace} (${err instanceof Error ? err.message : String(err)}): not checked`,
      );
      return null;
    }
  };
  return { hpas: await read(hpaResource), pdbs: await read(pdbResource), problems };
}

function field<T>(object: KubeObject | undefined, ...path: string[]): T | undefined {
  let value: unknown = object;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value as T | undefined;
}

/** hpaFor returns the HPA whose scaleTargetRef names the target, if any. */
export function hpaFor(hpas: readonly KubeObject[] | null, target: Target): KubeObject | undefined {
  return hpas?.find(
    (hpa) =>
      field<string>(hpa, 'spec', 'scaleTargetRef', 'kind') === target.kind &&
      field<string>(hpa, 'spec', 'scaleTargetRef', 'name') === target.name,
  );
}

interface Requirement {
  key: string;
  operator: string;
  values?: string[];
}

/** selectorMatches evaluates a LabelSelector (matchLabels and matchExpressions); an empty selector matches everything. */
export function selectorMatches(
  selector: { matchLabels?: Record<string, string>; matchExpressions?: Requirement[] } | undefined,
  labels: Record<string, string>,
): boolean {
  if (!selector) return false;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const r of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    const inValues = has && (r.values ?? []).includes(labels[r.key]!);
    if (r.operator === 'In' && !inValues) return false;
    if (r.operator === 'NotIn' && inValues) return false;
    if (r.operator === 'Exists' && !has) return false;
    if (r.operator === 'DoesNotExist' && has) return false;
  }
  return true;
}

/** blocksScaleToZero says why a PDB cannot be satisfied with zero pods out of `replicas`, or undefined. */
export function blocksScaleToZero(pdb: KubeObject, replicas: number): string | undefined {
  const minAvailable = field<number | string>(pdb, 'spec', 'minAvailable');
  const maxUnavailable = field<number | string>(pdb, 'spec', 'maxUnavailable');
  if (minAvailable !== undefined) {
    const blocks = typeof minAvailable === 'number' ? minAvailable > 0 : parseFloat(minAvailable) > 0;
    return blocks ? `minAvailable ${minAvailable}` : undefined;
  }
  if (maxUnavailable !== undefined) {
    const blocks = typeof maxUnavailable === 'number' ? maxUnavailable < replicas : parseFloat(maxUnavailable) < 100;
    return blocks ? `maxUnavailable ${maxUnavailable}` : undefined;
  }
  return undefined;
}

function name(object: KubeObject): string {
  return object.metadata?.name ?? '';
}

function targetRef(target: Target): string {
  return `${target.kind === 'Deployment' ? 'deployment' : 'statefulset'}/${target.name}`;
}

/** hpaRange is an HPA's replica range (minReplicas defaults to 1; maxReplicas is required by the API). */
function hpaRange(hpa: KubeObject): { min: number; max: number | undefined } {
  return { min: field<number>(hpa, 'spec', 'minReplicas') ?? 1, max: field<number>(hpa, 'spec', 'maxReplicas') };
}

/** blockingPdbs are the PDBs selecting the workload's pods that scaling from `replicas` to 0 violates, with why. */
function blockingPdbs(guards: Guards, workload: KubeObject | undefined, replicas: number): Array<{ pdb: KubeObject; why: string }> {
  const labels = field<Record<string, string>>(workload, 'spec', 'template', 'metadata', 'labels') ?? {};
  const blocking: Array<{ pdb: KubeObject; why: string }> = [];
  for (const pdb of guards.pdbs ?? []) {
    if (!selectorMatches(field(pdb, 'spec', 'selector'), labels)) continue;
    const why = blocksScaleToZero(pdb, replicas);
    if (why) blocking.push({ pdb, why });
  }
  return blocking;
}

/** clampedBy is the count an HPA will move a restored count of `replicas` to. */
function clampedBy(range: { min: number; max: number | undefined }, replicas: number): number {
  return Math.min(Math.max(replicas, range.min), range.max ?? Number.POSITIVE_INFINITY);
}

/** downWarnings are the lines to print before scaling `workload` (currently `replicas`) to zero. */
export function downWarnings(guards: Guards, target: Target, workload: KubeObject | undefined, replicas: number): string[] {
  const lines: string[] = [];
  const hpa = hpaFor(guards.hpas, target);
  if (hpa) {
    const { min, max = '?' } = hpaRange(hpa);
    lines.push(
      `warning: horizontalpodautoscaler/${name(hpa)} targets ${targetRef(target)} (minReplicas ${min}, maxReplicas ${max}): ` +
        `at 0 replicas it stops acting, and once scaled up again it will resize ${target.name} to between ${min} and ${max} whatever count is restored; ` +
        `anything else that scales ${target.name} above 0 re-enables it and it will scale back up to at least ${min}`,
    );
  }
  for (const { pdb, why } of blockingPdbs(guards, workload, replicas)) {
    lines.push(
      `warning: poddisruptionbudget/${name(pdb)} (${why}) selects the pods of ${targetRef(target)}: scaling to 0 violates it ` +
        `(the scale is not blocked, but it reports 0 disruptions allowed and evictions such as node drains of matching pods are refused until ${target.name} is scaled up)`,
    );
  }
  return lines;
}

/** upWarnings are the lines to print before restoring `replicas` on a workload an HPA targets. */
export function upWarnings(guards: Guards, target: Target, replicas: number): string[] {
  const hpa = hpaFor(guards.hpas, target);
  if (!hpa) return [];
  const range = hpaRange(hpa);
  const { min, max = Number.POSITIVE_INFINITY } = range;
  const clamped = clampedBy(range, replicas);
  const fate =
    clamped !== replicas
      ? `it will fight the restored count and scale ${target.name} from ${replicas} to ${clamped}`
      : `it resumes autoscaling and may change ${target.name} from ${replicas} (within ${min}..${max}) as its metrics dictate`;
  return [`warning: horizontalpodautoscaler/${name(hpa)} targets ${targetRef(target)} (minReplicas ${min}, maxReplicas ${max}): ${fate}`];
}

/**
 * downConsequences are the HPA and PDB consequences of scaling `workload` (at `replicas`) to 0, in
 * the short form a server dry run lists apart from the changes themselves.
 */
export function downConsequences(guards: Guards, target: Target, workload: KubeObject | undefined, replicas: number): string[] {
  const lines: string[] = [];
  const hpa = hpaFor(guards.hpas, target);
  if (hpa) {
    const { min, max = '?' } = hpaRange(hpa);
    lines.push(
      `HPA ${name(hpa)} targets ${targetRef(target)}: min ${min}, max ${max} — it stops acting at 0; once anything scales ${target.name} above 0 it will scale it back up to at least ${min}`,
    );
  }
  if (replicas === 0) return lines;
  for (const { pdb, why } of blockingPdbs(guards, workload, replicas)) {
    lines.push(
      `PDB ${name(pdb)} (${why}) selects the pods of ${targetRef(target)}: at 0 it allows no disruptions, so it would block eviction (node drains) of any pod it selects until ${target.name} is scaled up`,
    );
  }
  return lines;
}

/** upConsequences are the HPA consequences of restoring `replicas` on the target, for a server dry run. */
export function upConsequences(guards: Guards, target: Target, replicas: number): string[] {
  const hpa = hpaFor(guards.hpas, target);
  if (!hpa) return [];
  const range = hpaRange(hpa);
  const { min, max = Number.POSITIVE_INFINITY } = range;
  const clamped = clampedBy(range, replicas);
  return [
    clamped !== replicas
      ? `HPA ${name(hpa)} targets ${targetRef(target)}: min ${min}, max ${max} — it will scale it from ${replicas} to ${clamped}`
      : `HPA ${name(hpa)} targets ${targetRef(target)}: min ${min}, max ${max} — it resumes autoscaling and may move it away from ${replicas}`,
  ];
}
