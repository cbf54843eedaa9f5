/**
 * waitForWorkload watches a workload (reconnecting when the stream drops) until `done` holds for
 * it, the deadline passes (TimeoutError naming the workload and why) or the signal aborts.
 */
import { CliError } from '../../../shared/errors/errors.js';
import { ExitCode } from '../../../shared/errors/exit-codes.js';
import type { KubeObject, WatchHandle } from '../../../shared/kube/ports.js';
import type { ScalePorts } from './ports.js';
import type { Target } from './plan.js';

/** TimeoutError is a wait that ran out of time (exit 8). */
export class WaitTimeoutError extends CliError {
  constructor(message: string) {
    super(message, ExitCode.Timeout);
  }
}

/** InterruptedError is a wait ended by Ctrl-C (exit 130). */
export class InterruptedError extends CliError {
  constructor() {
    super('interrupted: re-run the same command (or the opposite one) to converge', ExitCode.Interrupted);
  }
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

/** waitForWorkload resolves with the object once `done(object)` is true. */
export async function waitForWorkload(
  ports: ScalePorts,
  namespace: string,
  target: Target,
  done: (object: KubeObject | undefined) => boolean,
  options: { timeoutMs: number; signal?: AbortSignal; what: string },
): Promise<KubeObject | undefined> {
  const deadline = Date.now() + options.timeoutMs;
  let last: KubeObject | undefined;
  for (;;) {
    if (options.signal?.aborted) throw new InterruptedError();
    const page = await ports.workloads.list(target.kind, { namespace, fieldSelector: `metadata.name=${target.name}` });
    last = page.items[0];
    if (done(last)) return last;
    const remaining = deadline - Date.now();
    if (remaining <= 0) break;
    // Watch from the list's resourceVersion; a dropped stream (onDone) goes round the loop again.
    const outcome = await new Promise<'done' | 'dropped' | 'timeout' | 'aborted'>((resolve) => {
      let handle: WatchHandle | undefined;
      let settled = false;
      const finish = (result: 'done' | 'dropped' | 'timeout' | 'aborted'): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onAbort);
        handle?.stop();
        resolve(result);
      };
      const timer = setTimeout(() => finish('timeout'), remaining);
      const onAbort = (): void => finish('aborted');
      options.signal?.addEventListener('abort', onAbort);
      ports.workloads
        .watch(
          target.kind,
          { namespace, fieldSelector: `metadata.name=${target.name}`, resourceVersion: page.resourceVersion },
          (event) => {
            if (event.type === 'ERROR' || event.type === 'BOOKMARK') return;
            last = event.type === 'DELETED' ? undefined : event.object;
            if (done(last)) finish('done');
          },
          () => finish('dropped'),
        )
        .then(
          (h) => {
            handle = h;
            if (settled) h.stop();
          },
          () => finish('dropped'),
        );
    });
    if (outcome === 'done') return last;
    if (outcome === 'aborted') throw new InterruptedError();
    if (outcome === 'timeout') break;
  }
  throw new WaitTimeoutError(
    `timed out waiting for ${target.kind.toLowerCase()}/${target.name} to ${options.what}: ${describeWorkload(last)}${await podPhases(ports, namespace, target)}`,
  );
}

async function podPhases(ports: ScalePorts, namespace: string, target: Target): Promise<string> {
  try {
    const pods = await ports.workloads.list('Pod', { namespace });
    const mine = pods.items.filter((p) => p.metadata?.ownerReferences?.some((o) => o.name.startsWith(target.name)) || p.metadata?.name?.startsWith(`${target.name}-`));
    if (mine.length === 0) return '; no pods';
    return `; pods: ${mine.map((p) => `${p.metadata?.name ?? '?'}=${String((p['status'] as Record<string, unknown> | undefined)?.['phase'] ?? 'Unknown')}`).join(', ')}`;
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
