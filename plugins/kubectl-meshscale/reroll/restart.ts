/**
 * restartWorkloads restarts workloads as `kubectl rollout restart` does (a merge patch of the pod
 * template annotation kubectl.kubernetes.io/restartedAt, so the controller rolls new pods), a
 * bounded number at a time, following each rollout until it completes as `kubectl rollout
 * status` judges it. Failures do not stop the others: each result says what happened.
 */
import { ApiStatusError, InterruptedError } from '../../../shared/errors/errors.js';
import type { GroupVersionResource, KubeObject } from '../../../shared/kube/ports.js';
import { interruption, waitForWorkload } from '../scale/wait.js';
import type { RerollWorkload, RestartableKind } from './find.js';
import type { RerollPorts } from './ports.js';

/** restartedAtAnnotation is the pod-template annotation `kubectl rollout restart` sets (kubectl/pkg/polymorphichelpers/objectrestarter.go). */
export const restartedAtAnnotation = 'kubectl.kubernetes.io/restartedAt';

/** RestartResult is the outcome for one workload. */
export interface RestartResult extends RerollWorkload {
  /** result: "restarted" (rolled out), "patched" (server dry run), or "failed". */
  readonly result: 'restarted' | 'patched' | 'failed';
  readonly error?: string;
}

/** RestartContext is what a re-roll needs besides the workloads. */
export interface RestartContext {
  readonly ports: RerollPorts;
  /** concurrency is how many workloads restart at once. */
  readonly concurrency: number;
  /** timeoutMs bounds each rollout wait. */
  readonly timeoutMs: number;
  /** dryRun sends the patches with dryRun=All and waits for nothing. */
  readonly dryRun: boolean;
  /** now gives the restartedAt time (RFC 3339, as kubectl's time.Now().Format(time.RFC3339)). */
  readonly now: () => Date;
  readonly signal?: AbortSignal;
  /** report receives progress lines. */
  readonly report: (line: string) => void;
  /** onDone is called once per finished workload (progress ticks). */
  readonly onDone?: (result: RestartResult) => void;
}

const resources: Record<RestartableKind, GroupVersionResource> = {
  Deployment: { group: 'apps', version: 'v1', resource: 'deployments' },
  StatefulSet: { group: 'apps', version: 'v1', resource: 'statefulsets' },
  DaemonSet: { group: 'apps', version: 'v1', resource: 'daemonsets' },
};

/** rfc3339 formats a time as Go's time.RFC3339 in UTC: seconds, no fraction, "Z". */
export function rfc3339(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** restartPatch is the merge patch `kubectl rollout restart` sends (as a strategic merge patch; for this field both merge the same way). */
export function restartPatch(at: Date): Record<string, unknown> {
  return { spec: { template: { metadata: { annotations: { [restartedAtAnnotation]: rfc3339(at) } } } } };
}

type Status = Record<string, number | string | undefined>;

/**
 * rolledOut says whether a restarted workload's rollout is complete, with kubectl rollout status's
 * rules (kubectl/pkg/polymorphichelpers/rollout_status.go), once the controller has observed at
 * least `generation` (the one the restart patch produced).
 */
export function rolledOut(kind: RestartableKind, generation: number): (object: KubeObject | undefined) => boolean {
  return (object) => {
    if (!object) return false;
    const status = (object['status'] ?? {}) as Status;
    const spec = (object['spec'] ?? {}) as {
      replicas?: number;
      updateStrategy?: { type?: string; rollingUpdate?: { partition?: number } };
    };
    const observed = Number(status['observedGeneration'] ?? 0);
    if (observed < Math.max(generation, object.metadata?.generation ?? 0)) return false;
    const n = (field: string): number => Number(status[field] ?? 0);
    if (kind === 'Deployment') {
      const replicas = spec.replicas ?? 1;
      return n('updatedReplicas') >= replicas && n('replicas') <= n('updatedReplicas') && n('availableReplicas') >= n('updatedReplicas');
    }
    if (kind === 'StatefulSet') {
      // OnDelete StatefulSets never roll by themselves; kubectl refuses to follow them.
      if (spec.updateStrategy?.type === 'OnDelete') return true;
      const replicas = spec.replicas ?? 1;
      if (n('readyReplicas') < replicas) return false;
      // A partitioned rolling update only ever updates the ordinals at or above the partition.
      const partition = spec.updateStrategy?.rollingUpdate?.partition ?? 0;
      if (partition > 0) return n('updatedReplicas') >= replicas - partition;
      return n('updatedReplicas') >= replicas && status['updateRevision'] === status['currentRevision'];
    }
    if (spec.updateStrategy?.type === 'OnDelete') return true;
    const desired = n('desiredNumberScheduled');
    return n('updatedNumberScheduled') >= desired && n('numberAvailable') >= desired;
  };
}

function message(error: unknown): string {
  if (error instanceof ApiStatusError) return error.message;
  return error instanceof Error ? error.message : String(error);
}

/** restartOne patches one workload and, unless dry-running, waits for its rollout. */
async function restartOne(ctx: RestartContext, workload: RerollWorkload): Promise<RestartResult> {
  const what = `${workload.kind.toLowerCase()}/${workload.name} -n ${workload.namespace}`;
  let patched: KubeObject;
  try {
    patched = await ctx.ports.objects.mergePatch(resources[workload.kind], workload.name, restartPatch(ctx.now()), workload.namespace, {
      dryRun: ctx.dryRun,
    });
  } catch (error) {
    return { ...workload, result: 'failed', error: `restart patch: ${message(error)}` };
  }
  if (ctx.dryRun) {
    ctx.report(`${what} restart accepted (server dry run)`);
    return { ...workload, result: 'patched' };
  }
  ctx.report(`${what} restarted; waiting for its rollout`);
  try {
    await waitForWorkload(ctx.ports, workload.namespace, workload, rolledOut(workload.kind, patched.metadata?.generation ?? 0), {
      timeoutMs: ctx.timeoutMs,
      ...(ctx.signal ? { signal: ctx.signal } : {}),
      what: 'roll out',
    });
  } catch (error) {
    if (error instanceof InterruptedError) throw error;
    return { ...workload, result: 'failed', error: message(error) };
  }
  ctx.report(`${what} rolled out`);
  return { ...workload, result: 'restarted' };
}

/**
 * restartWorkloads restarts every workload, at most `concurrency` at a time, in the given order.
 * On Ctrl-C no new restart starts; those under way are left rolling and an InterruptedError
 * says to re-run (a second restart only rolls the pods once more).
 */
export async function restartWorkloads(ctx: RestartContext, workloads: readonly RerollWorkload[]): Promise<RestartResult[]> {
  const results: RestartResult[] = new Array<RestartResult>(workloads.length);
  let next = 0;
  let interrupted: unknown;
  const worker = async (): Promise<void> => {
    while (next < workloads.length && interrupted === undefined) {
      if (ctx.signal?.aborted) {
        interrupted = interruption(ctx.signal);
        return;
      }
      const index = next++;
      try {
        results[index] = await restartOne(ctx, workloads[index]!);
        ctx.onDone?.(results[index]);
      } catch (error) {
        interrupted ??= error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(ctx.concurrency, workloads.length)) }, worker));
  if (interrupted instanceof InterruptedError) {
    throw new InterruptedError(
      'interrupted: restarted workloads keep rolling; re-run the same command to restart the rest (workloads already restarted roll once more)',
      interrupted.exitCode as 130 | 143,
    );
  }
  if (interrupted !== undefined) throw interrupted;
  return results;
}
