/**
 * down / up / status over the ScalePorts: record, scale in order, wait, purge, settle.
 */
import { ApiStatusError, CliError, PartialFailureError, UsageError } from '../../../shared/errors/errors.js';
import type { DryRun } from '../../../shared/cli/flags.js';
import { ExitCode } from '../../../shared/errors/exit-codes.js';
import type { GroupVersionResource } from '../../../shared/kube/ports.js';
import type { ResourceKind } from '../../../shared/profiles/index.js';
import { gvrOf, ORIGINAL_REPLICAS_ANNOTATION, recordedReplicas, recordToWrite, type Target } from './plan.js';
import { downConsequences, downWarnings, hpaFor, readGuards, upConsequences, upWarnings, type Guards } from './guards.js';
import type { ScalePorts } from './ports.js';
import { waitForSettle } from './settle.js';
import { availableAt, interruption, scaledToZero, waitForPodsGone, waitForWorkload } from './wait.js';
import { listItems } from '../../../shared/kube/pagination.js';

/** Reporter receives progress lines (stderr). */
export type Reporter = (line: string) => void;

/**
 * DryRunPlan collects what a server dry run would change and, apart from it, what HPAs and PDBs
 * would do about it; the command prints both on stdout.
 */
export interface DryRunPlan {
  readonly changes: string[];
  readonly consequences: string[];
}

/** ScaleContext is shared by down and up. */
export interface ScaleContext {
  readonly ports: ScalePorts;
  readonly namespace: string;
  readonly timeoutMs: number;
  /** dryRun is the user's --dry-run: any but none writes nothing (client reads only; server sends dryRun=All). */
  readonly dryRun: DryRun;
  readonly signal?: AbortSignal;
  readonly report: Reporter;
  /** plan receives the would-be changes of a dry run (required when dryRun is set). */
  readonly plan?: DryRunPlan;
}

function isDryRun(ctx: Pick<ScaleContext, 'dryRun'>): boolean {
  return ctx.dryRun !== 'none';
}

/** dryRunNote marks a progress line of a dry run with its kind, as the plan's header names it. */
function dryRunNote(ctx: Pick<ScaleContext, 'dryRun'>): string {
  return ctx.dryRun === 'none' ? '' : ` (${ctx.dryRun} dry run)`;
}

function ref(target: Target): string {
  return `${target.kind === 'Deployment' ? 'deployment' : 'statefulset'}/${target.name}`;
}

function checkAbort(signal?: AbortSignal): void {
  if (signal?.aborted) throw interruption(signal);
}

/**
 * withConflictRetry retries a write that answered 409 (a concurrent update) a few times, and turns
 * a 403 into one line naming the verb and resource the write needs (`permission`, e.g.
 * `patch deployments/scale`), since the server's own message names only the one it refused.
 */
async function withConflictRetry<T>(permission: string, namespace: string, action: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await action();
    } catch (err) {
      if (err instanceof ApiStatusError && err.code === 409 && attempt < 4) continue;
      if (err instanceof ApiStatusError && err.code === 403) {
        throw new ApiStatusError({
          ...err.status,
          message: `${err.status.message} (meshscale needs "${permission}" (apps) in namespace ${namespace})`,
        });
      }
      throw err;
    }
  }
}

function plural(kind: Target['kind']): string {
  return kind === 'Deployment' ? 'deployments' : 'statefulsets';
}

/**
 * maxTimerMs is the longest wait a timer can hold: node fires a longer setTimeout at once (with a
 * TimeoutOverflowWarning), which would turn a --quiet-period of 999h into an instant "settled".
 */
export const maxTimerMs = 2 ** 31 - 1;

/**
 * checkDurations refuses a wait that is not a finite number of milliseconds within a timer's
 * range. The commands bound their flags far lower; this keeps any caller from a false timeout.
 */
function checkDurations(durations: Record<string, number>): void {
  for (const [flag, ms] of Object.entries(durations)) {
    if (!Number.isFinite(ms) || ms < 0 || ms > maxTimerMs)
      throw new UsageError(`${flag} must be a duration from 0 to 24 days, got ${ms} ms`);
  }
}

/**
 * partition returns the required targets not in the namespace (reporting the optional ones
 * that are skipped) and the targets present.
 */
async function partition(ctx: ScaleContext, targets: readonly Target[]): Promise<{ present: Target[]; missing: Target[] }> {
  const found: Target[] = [];
  const missing: Target[] = [];
  for (const target of targets) {
    const object = await ctx.ports.workloads.get(target.kind, ctx.namespace, target.name);
    if (object) found.push(target);
    else if (target.optional) ctx.report(`${ref(target)} not found in ${ctx.namespace}: optional, skipped`);
    else missing.push(target);
  }
  return { present: found, missing };
}

function notFound(ctx: ScaleContext, missing: readonly Target[]): string {
  return `${missing.map(ref).join(', ')} not found in namespace ${ctx.namespace}: is the product installed there?`;
}

/**
 * scaleDown records and zeroes each target in order, waiting for each to report 0 replicas and for
 * its pods to be gone. Every target is checked first: a missing one refuses the whole scale-down
 * before anything is written, so no workload is left at 0 by a down that could not finish.
 * Returns the targets acted on, in order (optional ones not installed are skipped).
 */
export async function scaleDown(ctx: ScaleContext, targets: readonly Target[]): Promise<Target[]> {
  checkDurations({ '--timeout': ctx.timeoutMs });
  const { present: found, missing } = await partition(ctx, targets);
  if (missing.length > 0) throw new CliError(notFound(ctx, missing), ExitCode.Precondition);
  const guards = await readGuardsReporting(ctx);
  for (const target of found) {
    checkAbort(ctx.signal);
    const object = await ctx.ports.workloads.get(target.kind, ctx.namespace, target.name);
    if (!object) throw new CliError(notFound(ctx, [target]), ExitCode.Precondition);
    const scale = await ctx.ports.scale.getScale(target.kind, ctx.namespace, target.name);
    const existing = recordedReplicas(object);
    const record = recordToWrite(existing, scale.replicas);
    if (record !== undefined) {
      await withConflictRetry(`patch ${plural(target.kind)}`, ctx.namespace, () =>
        ctx.ports.objects.mergePatch(
          gvrOf(target.kind),
          target.name,
          { metadata: { annotations: { [ORIGINAL_REPLICAS_ANNOTATION]: String(record) } } },
          ctx.namespace,
          { dryRun: isDryRun(ctx) },
        ),
      );
    }
    const original = existing ?? record;
    if (isDryRun(ctx)) {
      ctx.plan?.changes.push(
        `${ref(target)}: ${scale.replicas === 0 ? 'already at 0 replicas' : `replicas ${scale.replicas} -> 0`}, ` +
          (record !== undefined
            ? `record ${ORIGINAL_REPLICAS_ANNOTATION}=${record}`
            : existing !== undefined
              ? `keep the recorded ${existing}`
              : 'nothing to record'),
      );
      ctx.plan?.consequences.push(...downConsequences(guards, target, object, scale.replicas));
    } else if (scale.replicas !== 0) {
      for (const line of downWarnings(guards, target, object, scale.replicas)) ctx.report(line);
    }
    ctx.report(`${ref(target)}: recorded ${original ?? 'none'}, scaling ${scale.replicas} -> 0${dryRunNote(ctx)}`);
    if (scale.replicas !== 0) {
      await withConflictRetry(`patch ${plural(target.kind)}/scale`, ctx.namespace, () =>
        ctx.ports.scale.setReplicas(target.kind, ctx.namespace, target.name, 0, { dryRun: isDryRun(ctx) }),
      );
    }
    if (isDryRun(ctx)) continue;
    // One --timeout per workload covers both waits: the status, then its pods.
    const deadline = Date.now() + ctx.timeoutMs;
    const zeroed = await waitForWorkload(ctx.ports, ctx.namespace, target, scaledToZero, {
      timeoutMs: ctx.timeoutMs,
      signal: ctx.signal,
      what: 'scale to 0',
    });
    await waitForPodsGone(ctx.ports, ctx.namespace, target, zeroed ?? object, {
      timeoutMs: Math.max(0, deadline - Date.now()),
      signal: ctx.signal,
    });
    ctx.report(`${ref(target)}: 0 replicas, no pods left`);
  }
  return found;
}

async function readGuardsReporting(ctx: ScaleContext): Promise<Guards> {
  const guards = await readGuards(ctx.ports, ctx.namespace);
  for (const problem of guards.problems) ctx.report(`warning: ${problem}`);
  return guards;
}

/** discoveryKinds returns the profile's kinds in the given API groups. */
export function discoveryKinds(kinds: readonly ResourceKind[], groups: readonly string[]): ResourceKind[] {
  return kinds.filter((kind) => groups.includes(kind.group));
}

function gvrOfKind(kind: ResourceKind): GroupVersionResource {
  return { group: kind.group, version: kind.versions[0]!, resource: kind.plural };
}

/** purgeDiscovery deletes every object of the discovery kinds and returns counts per kind. */
export async function purgeDiscovery(ctx: ScaleContext, kinds: readonly ResourceKind[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const kind of kinds) {
    checkAbort(ctx.signal);
    const gvr = gvrOfKind(kind);
    const page = await listAll(ctx, gvr, kind.namespaced);
    let deleted = 0;
    for (const item of page) {
      try {
        await ctx.ports.objects.delete(gvr, item.name, item.namespace, { dryRun: isDryRun(ctx) });
        deleted++;
      } catch (err) {
        if (!(err instanceof ApiStatusError && err.code === 404)) throw err;
      }
    }
    counts.set(kind.kind, deleted);
    ctx.report(`deleted ${deleted} ${kind.plural}.${kind.group}${dryRunNote(ctx)}`);
  }
  return counts;
}

async function listAll(
  ctx: ScaleContext,
  gvr: GroupVersionResource,
  namespaced: boolean,
): Promise<Array<{ name: string; namespace?: string; resourceVersion: string }>> {
  const result: Array<{ name: string; namespace?: string; resourceVersion: string }> = [];
  for await (const item of listItems((continueToken) => ctx.ports.objects.list(gvr, { continueToken }))) {
    result.push({
      name: item.metadata?.name ?? '',
      namespace: namespaced ? item.metadata?.namespace : undefined,
      resourceVersion: item.metadata?.resourceVersion ?? '',
    });
  }
  return result;
}

/** UpOptions add the settle parameters. */
export interface UpOptions {
  readonly replicas?: number;
  readonly settleKinds: readonly ResourceKind[];
  readonly settleTimeoutMs: number;
  readonly quietPeriodMs: number;
}

/**
 * scaleUp restores each target's recorded count in order, waiting for availability and discovery
 * to settle. It is the way back from any `down`, so a workload that is gone does not stop it:
 * the others are brought back, then it ends naming the missing ones (exit 7).
 */
export async function scaleUp(ctx: ScaleContext, targets: readonly Target[], options: UpOptions): Promise<Target[]> {
  checkDurations({ '--timeout': ctx.timeoutMs, '--quiet-period': options.quietPeriodMs, 'settle timeout': options.settleTimeoutMs });
  const { present: found, missing } = await partition(ctx, targets);
  if (found.length === 0 && missing.length > 0) throw new CliError(notFound(ctx, missing), ExitCode.Precondition);
  for (const target of missing) ctx.report(`warning: ${ref(target)} not found in namespace ${ctx.namespace}: bringing back the others`);
  // Check every target first, so a missing record fails before anything is started.
  const plans: Array<{ target: Target; replicas: number; current: number; recorded?: number }> = [];
  for (const target of found) {
    const object = await ctx.ports.workloads.get(target.kind, ctx.namespace, target.name);
    const recorded = recordedReplicas(object);
    const current = (object?.['spec'] as { replicas?: number } | undefined)?.replicas ?? 1;
    // A workload never scaled down (no record, still running: a down interrupted before reaching
    // it, or an up run twice) keeps its count; only one at 0 with no record needs --replicas.
    const replicas = recorded ?? (current > 0 ? current : options.replicas);
    if (replicas === undefined) {
      throw new CliError(`${ref(target)} is at 0 replicas with no recorded original count: pass --replicas N`, ExitCode.Precondition);
    }
    plans.push({ target, replicas, current, recorded });
  }
  const guards = await readGuardsReporting(ctx);
  for (const [index, { target, replicas, current, recorded }] of plans.entries()) {
    checkAbort(ctx.signal);
    const last = index === plans.length - 1;
    if (isDryRun(ctx)) {
      const source = recorded !== undefined ? 'recorded' : current > 0 ? 'not scaled down: kept' : '--replicas';
      ctx.plan?.changes.push(
        `${ref(target)}: ${current === replicas ? `stays at ${replicas}` : `replicas ${current} -> ${replicas}`} (${source}), then wait until available` +
          (recorded !== undefined ? `, remove ${ORIGINAL_REPLICAS_ANNOTATION}` : ''),
      );
      if (!last && options.settleKinds.length > 0) {
        ctx.plan?.changes.push(
          `wait for ${[...new Set(options.settleKinds.map((k) => k.group))].join(', ')} to settle (quiet for ${options.quietPeriodMs}ms)`,
        );
      }
      ctx.plan?.consequences.push(...upConsequences(guards, target, replicas));
    } else {
      for (const line of upWarnings(guards, target, replicas)) ctx.report(line);
    }
    if (recorded === undefined && current > 0) {
      ctx.report(`${ref(target)}: no record and already at ${replicas} replicas: kept`);
    } else {
      ctx.report(`${ref(target)}: scaling to ${replicas}${dryRunNote(ctx)}`);
      await withConflictRetry(`patch ${plural(target.kind)}/scale`, ctx.namespace, () =>
        ctx.ports.scale.setReplicas(target.kind, ctx.namespace, target.name, replicas, { dryRun: isDryRun(ctx) }),
      );
    }
    if (isDryRun(ctx)) continue;
    await waitForWorkload(ctx.ports, ctx.namespace, target, availableAt(replicas), {
      timeoutMs: ctx.timeoutMs,
      signal: ctx.signal,
      what: `have ${replicas} available replicas`,
    });
    ctx.report(`${ref(target)}: ${replicas} available`);
    if (!last && options.settleKinds.length > 0) {
      await waitForSettle(ctx.ports.objects, {
        kinds: options.settleKinds,
        quietPeriodMs: options.quietPeriodMs,
        timeoutMs: options.settleTimeoutMs,
        signal: ctx.signal,
        report: ctx.report,
      });
    }
    if (recorded === undefined) continue;
    await withConflictRetry(`patch ${plural(target.kind)}`, ctx.namespace, () =>
      ctx.ports.objects.mergePatch(
        gvrOf(target.kind),
        target.name,
        { metadata: { annotations: { [ORIGINAL_REPLICAS_ANNOTATION]: null } } },
        ctx.namespace,
      ),
    );
  }
  if (missing.length > 0) {
    throw new PartialFailureError(
      `${found.length} workload(s) brought back; ${missing.length} not found in namespace ${ctx.namespace}`,
      missing.map((target) => ({ item: ref(target), reason: 'not found' })),
    );
  }
  return found;
}

/** StatusRow is one workload's status. */
export interface StatusRow {
  kind: string;
  name: string;
  desired: number | null;
  ready: number;
  available: number;
  recordedOriginal: number | null;
  /** The name of the HorizontalPodAutoscaler targeting the workload, or null. */
  hpa: string | null;
}

/** workloadStatus reads each target's desired/ready/available and recorded count. */
export async function workloadStatus(ports: ScalePorts, namespace: string, targets: readonly Target[]): Promise<StatusRow[]> {
  const rows: StatusRow[] = [];
  const { hpas } = await readGuards(ports, namespace);
  for (const target of targets) {
    const object = await ports.workloads.get(target.kind, namespace, target.name);
    const spec = (object?.['spec'] ?? {}) as Record<string, unknown>;
    const status = (object?.['status'] ?? {}) as Record<string, unknown>;
    rows.push({
      kind: target.kind,
      name: target.name,
      desired: object ? ((spec['replicas'] as number | undefined) ?? 1) : null,
      ready: (status['readyReplicas'] as number | undefined) ?? 0,
      available: (status['availableReplicas'] as number | undefined) ?? 0,
      recordedOriginal: recordedReplicas(object) ?? null,
      hpa: hpaFor(hpas, target)?.metadata?.name ?? null,
    });
  }
  return rows;
}
