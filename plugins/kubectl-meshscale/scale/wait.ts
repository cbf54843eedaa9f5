/**
 * waitForWorkload watches a workload (reconnecting when the stream drops) until `done` holds for
 * it, the deadline passes (TimeoutError naming the workload and why) or the signal aborts.
 */
import { InterruptedError, TimeoutError } from '../../../shared/errors/errors.js';
import { abortableSleep } from '../../../shared/cli/interrupt.js';
import { ExitCode } from '../../../shared/errors/exit-codes.js';
import type { CustomObjectStore, GroupVersionResource, KubeObject, WorkloadKind } from '../../../shared/kube/ports.js';
import type { ScalePorts } from './ports.js';
import type { Target } from './plan.js';
import { paginate } from '../../../shared/kube/pagination.js';
import { watchRound, type WatchOutcome } from '../../../shared/kube/watch-round.js';

/**
 * interruption is the error a wait ends with once the user asked to stop: the shared
 * InterruptedError (exit 130 for Ctrl-C, 143 for SIGTERM), saying how to converge.
 */
export function interruption(signal: AbortSignal | undefined): InterruptedError {
  const exitCode = signal?.reason instanceof InterruptedError ? signal.reason.exitCode : ExitCode.Interrupted;
  return new InterruptedError('interrupted: re-run the same command (or the opposite one) to converge', exitCode as 130 | 143);
}

/** describeWorkload explains why a workload is not in the wanted state: replicas and conditions. */
export function describeWorkload(object: KubeObject | undefined): string {
  if (!object) return 'not found';
  const status = (object['status'] ?? {}) as Record<string, unknown>;
  const conditions = ((status['conditions'] as Array<Record<string, string>> | undefined) ?? [])
    .map((c) => `${c['type']}=${c['status']}${c['reason'] ? ` (${c['reason']})` : ''}`)
    .join(', ');
  const replicas = `replicas=${String(status['replicas'] ?? 0)} ready=${String(status['readyReplicas'] ?? 0)} available=${String(status['availableReplicas'] ?? 0)}`;
  return conditions ? `${replicas}; ${conditions}` : replicas;
}

/**
 * Backoff keeps a watch that is refused at once (403, 5xx, a reset) from turning the wait into a
 * hot loop of lists and watches: after a round that dropped within quickDropMs, the next one waits
 * 50 ms, doubling up to 2 s; a stream that lived longer resets it.
 */
class Backoff {
  private quick = 0;

  async after(outcome: WatchOutcome, startedAt: number, signal?: AbortSignal): Promise<void> {
    if (outcome !== 'dropped' || Date.now() - startedAt >= quickDropMs) {
      this.quick = 0;
      return;
    }
    this.quick++;
    const ms = Math.min(2000, 25 * 2 ** this.quick);
    await abortableSleep(ms, signal);
  }
}

const quickDropMs = 200;

/** WatchedWorkload names the workload a wait follows (a scale Target, or a DaemonSet a reroll restarts). */
export interface WatchedWorkload {
  readonly kind: Exclude<WorkloadKind, 'Pod'>;
  readonly name: string;
}

/** waitForWorkload resolves with the object once `done(object)` is true. */
export async function waitForWorkload(
  ports: Pick<ScalePorts, 'workloads'>,
  namespace: string,
  target: WatchedWorkload,
  done: (object: KubeObject | undefined) => boolean,
  options: { timeoutMs: number; signal?: AbortSignal; what: string },
): Promise<KubeObject | undefined> {
  const deadline = Date.now() + options.timeoutMs;
  const backoff = new Backoff();
  let last: KubeObject | undefined;
  for (;;) {
    if (options.signal?.aborted) throw interruption(options.signal);
    const page = await ports.workloads.list(target.kind, { namespace, fieldSelector: `metadata.name=${target.name}` });
    last = page.items[0];
    if (done(last)) return last;
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    // Watch from the list's resourceVersion; a dropped stream goes round the loop again.
    const startedAt = Date.now();
    const outcome = await watchRound(
      (onEvent, onDone) =>
        ports.workloads.watch(
          target.kind,
          { namespace, fieldSelector: `metadata.name=${target.name}`, resourceVersion: page.resourceVersion },
          onEvent,
          onDone,
        ),
      (event) => {
        last = event.type === 'DELETED' ? undefined : event.object;
        return done(last);
      },
      { remainingMs: remaining, signal: options.signal },
    );
    if (outcome === 'done') return last;
    if (outcome === 'aborted') throw interruption(options.signal);
    if (outcome === 'timeout') break;
    await backoff.after(outcome, startedAt, options.signal);
  }
  throw new TimeoutError(
    `timed out waiting for ${target.kind.toLowerCase()}/${target.name} to ${options.what}: ${describeWorkload(last)}${await podPhases(ports, namespace, target, last)}`,
  );
}

interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

/**
 * labelSelectorString renders a workload's spec.selector in the labelSelector query syntax
 * (metav1.LabelSelectorAsSelector): `k=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`. Undefined
 * when there is no selector or it selects everything.
 */
export function labelSelectorString(selector: LabelSelector | undefined): string | undefined {
  if (!selector) return undefined;
  const parts = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => `${key}=${value}`);
  for (const r of selector.matchExpressions ?? []) {
    const values = [...(r.values ?? [])].sort().join(',');
    if (r.operator === 'In') parts.push(`${r.key} in (${values})`);
    else if (r.operator === 'NotIn') parts.push(`${r.key} notin (${values})`);
    else if (r.operator === 'Exists') parts.push(r.key);
    else if (r.operator === 'DoesNotExist') parts.push(`!${r.key}`);
  }
  return parts.length > 0 ? parts.join(',') : undefined;
}

function selectorOf(object: KubeObject | undefined): string | undefined {
  return labelSelectorString(((object?.['spec'] ?? {}) as { selector?: LabelSelector }).selector);
}

/** describePod is `name=Phase`, with "(terminating)" once it carries a deletionTimestamp. */
export function describePod(pod: KubeObject): string {
  const phase = String((pod['status'] as Record<string, unknown> | undefined)?.['phase'] ?? 'Unknown');
  return `${pod.metadata?.name ?? '?'}=${phase}${pod.metadata?.deletionTimestamp ? ' (terminating)' : ''}`;
}

async function listPods(
  ports: Pick<ScalePorts, 'workloads'>,
  namespace: string,
  labelSelector: string,
): Promise<{ pods: Map<string, KubeObject>; resourceVersion?: string }> {
  const pods = new Map<string, KubeObject>();
  let resourceVersion: string | undefined;
  for await (const page of paginate((continueToken) => ports.workloads.list('Pod', { namespace, labelSelector, continueToken }))) {
    for (const pod of page.items) pods.set(pod.metadata?.name ?? '', pod);
    resourceVersion = page.resourceVersion;
  }
  return { pods, resourceVersion };
}

/**
 * waitForPodsGone waits until no pod matching the workload's selector exists, terminating ones
 * included: a ReplicaSet reports 0 replicas as soon as its pods are marked for deletion, while
 * they may still run for their grace period. Watches pods (relisting when the stream drops);
 * a timeout names the workload and each remaining pod with its phase.
 */
export async function waitForPodsGone(
  ports: ScalePorts,
  namespace: string,
  target: Target,
  workload: KubeObject | undefined,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<void> {
  const labelSelector = selectorOf(workload);
  // No selector (or one that selects everything) cannot tell this workload's pods from others.
  if (!labelSelector) return;
  const deadline = Date.now() + options.timeoutMs;
  const backoff = new Backoff();
  let pods = new Map<string, KubeObject>();
  for (;;) {
    if (options.signal?.aborted) throw interruption(options.signal);
    const listed = await listPods(ports, namespace, labelSelector);
    pods = listed.pods;
    if (pods.size === 0) return;
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    const startedAt = Date.now();
    const outcome = await watchRound(
      (onEvent, onDone) =>
        ports.workloads.watch('Pod', { namespace, labelSelector, resourceVersion: listed.resourceVersion }, onEvent, onDone),
      (event) => {
        const name = event.object.metadata?.name ?? '';
        if (event.type === 'DELETED') pods.delete(name);
        else pods.set(name, event.object);
        return pods.size === 0;
      },
      { remainingMs: remaining, signal: options.signal },
    );
    if (outcome === 'done') return;
    if (outcome === 'aborted') throw interruption(options.signal);
    if (outcome === 'timeout') break;
    await backoff.after(outcome, startedAt, options.signal);
  }
  const left = [...pods.values()].map(describePod).join(', ');
  throw new TimeoutError(
    `timed out waiting for the pods of ${target.kind.toLowerCase()}/${target.name} to be gone (selector ${labelSelector}): ${pods.size} left: ${left}`,
  );
}

async function podPhases(
  ports: Pick<ScalePorts, 'workloads'>,
  namespace: string,
  target: WatchedWorkload,
  workload: KubeObject | undefined,
): Promise<string> {
  try {
    const labelSelector = selectorOf(workload);
    const pods = labelSelector
      ? [...(await listPods(ports, namespace, labelSelector)).pods.values()]
      : (await ports.workloads.list('Pod', { namespace })).items.filter(
          (p) =>
            p.metadata?.ownerReferences?.some((o) => o.name.startsWith(target.name)) || p.metadata?.name?.startsWith(`${target.name}-`),
        );
    if (pods.length === 0) return '; no pods';
    return `; pods: ${pods.map(describePod).join(', ')}`;
  } catch {
    return '';
  }
}

/** scaledToZero: spec and status report 0 replicas. */
export function scaledToZero(object: KubeObject | undefined): boolean {
  if (!object) return true;
  const spec = (object['spec'] ?? {}) as Record<string, unknown>;
  const status = (object['status'] ?? {}) as Record<string, unknown>;
  return spec['replicas'] === 0 && ((status['replicas'] as number | undefined) ?? 0) === 0;
}

/** availableAt: the rollout has `replicas` available and up to date, observed by the controller. */
export function availableAt(replicas: number): (object: KubeObject | undefined) => boolean {
  return (object) => {
    if (!object) return false;
    const meta = object.metadata ?? {};
    const status = (object['status'] ?? {}) as Record<string, unknown>;
    const observed = (status['observedGeneration'] as number | undefined) ?? 0;
    if (meta.generation !== undefined && observed < meta.generation) return false;
    const available = (status['availableReplicas'] as number | undefined) ?? (status['readyReplicas'] as number | undefined) ?? 0;
    const ready = (status['readyReplicas'] as number | undefined) ?? 0;
    return available >= replicas && ready >= replicas;
  };
}

/**
 * waitForObjectGone waits until the object `name` of `resource` in `namespace` no longer exists
 * (absent from the start counts as gone): a list by name, then a watch from its resourceVersion,
 * relisting when the stream drops. A timeout says what still exists.
 */
export async function waitForObjectGone(
  objects: Pick<CustomObjectStore, 'list' | 'watch'>,
  resource: GroupVersionResource,
  namespace: string,
  name: string,
  options: { timeoutMs: number; signal?: AbortSignal; what: string },
): Promise<void> {
  const deadline = Date.now() + options.timeoutMs;
  const backoff = new Backoff();
  const fieldSelector = `metadata.name=${name}`;
  for (;;) {
    if (options.signal?.aborted) throw interruption(options.signal);
    const page = await objects.list(resource, { namespace, fieldSelector });
    if (page.items.length === 0) return;
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    const startedAt = Date.now();
    const outcome = await watchRound(
      (onEvent, onDone) => objects.watch(resource, { namespace, fieldSelector, resourceVersion: page.resourceVersion }, onEvent, onDone),
      (event) => event.type === 'DELETED' && event.object.metadata?.name === name,
      { remainingMs: remaining, signal: options.signal },
    );
    if (outcome === 'done') return;
    if (outcome === 'aborted') throw interruption(options.signal);
    if (outcome === 'timeout') break;
    await backoff.after(outcome, startedAt, options.signal);
  }
  throw new TimeoutError(`timed out waiting for ${options.what} in namespace ${namespace} to be deleted: it still exists`);
}
