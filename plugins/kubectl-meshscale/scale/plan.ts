/**
 * Which workloads to scale, and in which order, from a profile or from --workload flags.
 */
import { originalReplicasAnnotation } from '../../../shared/labels.js';
import { UsageError } from '../../../shared/errors/errors.js';
import type { GroupVersionResource, KubeObject } from '../../../shared/kube/ports.js';
import { orderWorkloads, type ProductProfile, type ScalableWorkload } from '../../../shared/profiles/index.js';

/** ORIGINAL_REPLICAS_ANNOTATION records a workload's replica count before scale-down. */
export const ORIGINAL_REPLICAS_ANNOTATION = originalReplicasAnnotation;

/** Target is one workload to act on. */
export interface Target {
  readonly kind: 'Deployment' | 'StatefulSet';
  readonly name: string;
  readonly optional: boolean;
}

/** gvrOf returns the apps/v1 resource of a workload kind. */
export function gvrOf(kind: Target['kind']): GroupVersionResource {
  return { group: 'apps', version: 'v1', resource: kind === 'Deployment' ? 'deployments' : 'statefulsets' };
}

/** parseWorkloadRef parses `deploy/NAME`, `deployment/NAME`, `sts/NAME` or `statefulset/NAME`. */
export function parseWorkloadRef(ref: string): Target {
  const match = /^([a-z.]+)\/([a-z0-9][a-z0-9.-]*)$/.exec(ref);
  if (!match) throw new UsageError(`invalid --workload "${ref}": expected deploy/NAME or sts/NAME`);
  const kindText = match[1]!.split('.')[0]!;
  const kind = ['deploy', 'deployment', 'deployments'].includes(kindText)
    ? 'Deployment'
    : ['sts', 'statefulset', 'statefulsets'].includes(kindText)
      ? 'StatefulSet'
      : undefined;
  if (!kind) throw new UsageError(`invalid --workload "${ref}": only Deployments and StatefulSets can be scaled`);
  return { kind, name: match[2]!, optional: false };
}

/** Direction is down (stop) or up (start). */
export type Direction = 'down' | 'up';

/**
 * planTargets returns the workloads in the order to act on them: the profile's scaleDownOrder or
 * scaleUpOrder, narrowed by --only; or the --workload refs in the order given (reversed for up).
 */
export function planTargets(
  direction: Direction,
  source: { profile?: ProductProfile; workloadRefs?: readonly string[]; only?: readonly string[] },
): Target[] {
  if (source.profile) {
    const profile = source.profile;
    const order = direction === 'down' ? profile.scaleDownOrder : profile.scaleUpOrder;
    let workloads: ScalableWorkload[] = orderWorkloads(profile.workloads, order);
    if (source.only && source.only.length > 0) {
      for (const name of source.only) {
        if (!workloads.some((w) => w.name === name)) {
          const known = profile.workloads.map((w) => w.name).join(', ');
          throw new UsageError(`unknown workload "${name}" for profile ${profile.name}: known workloads are ${known}`);
        }
      }
      workloads = workloads.filter((w) => source.only!.includes(w.name));
    }
    // A workload of some product versions only is skipped when absent (the version is not detected here).
    return workloads.map((w) => ({ kind: w.kind, name: w.name, optional: (w.optional ?? false) || w.versions !== undefined }));
  }
  const refs = (source.workloadRefs ?? []).map(parseWorkloadRef);
  if (refs.length === 0) throw new UsageError('either --profile or --workload is required');
  return direction === 'down' ? refs : [...refs].reverse();
}

/** recordedReplicas reads the recorded original count, or undefined when none (or unreadable). */
export function recordedReplicas(object: KubeObject | undefined): number | undefined {
  const text = object?.metadata?.annotations?.[ORIGINAL_REPLICAS_ANNOTATION];
  if (text === undefined || !/^\d+$/.test(text)) return undefined;
  return Number(text);
}

/**
 * recordToWrite decides what count to record before scaling down: keep an existing record (never
 * overwrite it, above all not with 0); otherwise record the current spec.replicas when above 0.
 */
export function recordToWrite(existing: number | undefined, currentReplicas: number): number | undefined {
  if (existing !== undefined) return undefined;
  return currentReplicas > 0 ? currentReplicas : undefined;
}
