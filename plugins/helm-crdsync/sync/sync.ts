/**
 * The sync itself, over narrow ports: observe (live CRD, server-side dry-run of the apply, field
 * manager conflicts, object counts), plan (shared/crds/plan.ts), refuse, save the live CRDs that
 * will change, apply with server-side apply under crdsync's own field manager, and wait until each
 * CRD is Established with its names accepted (research/crdsync.md §4).
 *
 * Nothing is written before every refusal has been checked: a stored version dropped, a breaking
 * change without --allow-breaking, fields of another tool (not helm or kubectl) without
 * --force-conflicts, a CRD the server rejects on dry-run. Never deletes a CRD.
 */
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import {
  ApiStatusError,
  CliError,
  InterruptedError,
  PartialFailureError,
  PreconditionError,
  TimeoutError,
  type PartialFailure,
} from '../../../shared/errors/errors.js';
import { ExitCode, type ExitCodeValue } from '../../../shared/errors/exit-codes.js';
import { crdVersions } from '../../../shared/crds/compatibility.js';
import { convertCrdToV1, isV1beta1Crd } from '../../../shared/crds/convert-v1beta1.js';
import {
  crdName,
  planCrdSync,
  storedVersionMessage,
  withObjectCounts,
  type CrdObservation,
  type CrdPlan,
  type IncomingCrd,
} from '../../../shared/crds/plan.js';
import type { CrdStore, CustomObjectStore, KubeObject } from '../../../shared/kube/ports.js';

/** SyncPorts are the cluster operations the sync needs. */
export interface SyncPorts {
  readonly crds: Pick<CrdStore, 'get' | 'list' | 'apply'>;
  readonly customObjects: Pick<CustomObjectStore, 'list'>;
  /** sleep waits between readiness polls (tests pass a fake). */
  readonly sleep: (ms: number) => Promise<void>;
  /** now is the clock of the readiness deadline. */
  readonly now: () => number;
}

/** FieldConflict is one field another manager owns that the apply would take over. */
export interface FieldConflict {
  readonly manager: string;
  readonly field: string;
}

/** expectedManager says whether overriding a manager is routine: helm and kubectl applied these CRDs before. */
export function expectedManager(manager: string): boolean {
  // before-first-apply is the server's name for fields set before anyone used server-side apply.
  // Go-http-client is what the server records for Helm 3 releases that send no User-Agent when they
  // create a chart's crds/ (helm 3.6.2 does: `npm run demo -- gloo-mesh` met it); controllers such as
  // cainjector name themselves.
  return manager === 'helm' || manager === 'Go-http-client' || manager === 'before-first-apply' || /^kubectl(-[a-z-]+)?$/.test(manager);
}

/**
 * parseConflicts reads the field managers and fields out of an apply conflict's message
 * (k8s.io/apimachinery fieldmanager NewConflictError: one "conflict with "m": .f" or a
 * "conflicts with "m":" list of "- .f" lines).
 */
export function parseConflicts(message: string): FieldConflict[] {
  const conflicts: FieldConflict[] = [];
  const single =
    /^Apply failed with 1 conflict: conflict with "((?:[^"\\]|\\.)*)"(?: with subresource "[^"]*")?(?: using \S+)?: (.+)$/s.exec(
      message.trim(),
    );
  if (single) return [{ manager: JSON.parse(`"${single[1]}"`) as string, field: (single[2] as string).trim() }];
  let manager: string | undefined;
  for (const line of message.split('\n')) {
    const header = /conflicts with "((?:[^"\\]|\\.)*)"/.exec(line);
    if (header) {
      manager = JSON.parse(`"${header[1]}"`) as string;
      continue;
    }
    const field = /^\s*- (.+)$/.exec(line);
    if (field && manager !== undefined) conflicts.push({ manager, field: (field[1] as string).trim() });
  }
  return conflicts;
}

/** SyncOptions are the user's choices. */
export interface SyncOptions {
  readonly fieldManager: string;
  /** dryRun: client plans only; server sends every apply with dryRun=All; none applies. */
  readonly dryRun: 'none' | 'client' | 'server';
  readonly allowBreaking: boolean;
  readonly forceConflicts: boolean;
  /** wait for Established and NamesAccepted after applying. */
  readonly wait: boolean;
  readonly timeoutMs: number;
  /** backupDir is where the live CRDs about to change are saved (created 0700). */
  readonly backupDir: string;
  readonly concurrency: number;
  /** progress receives one line per step, for stderr. */
  readonly progress: (line: string) => void;
  readonly signal?: AbortSignal;
}

/** Observed is the plan with what else was learned while observing. */
export interface Observed {
  readonly plan: CrdPlan;
  /** conflicts per CRD name (only CRDs with any). */
  readonly conflicts: ReadonlyMap<string, readonly FieldConflict[]>;
  /** rejected per CRD name: the API server's refusal of the dry-run apply. */
  readonly rejected: ReadonlyMap<string, string>;
  readonly live: ReadonlyMap<string, KubeObject>;
  /** desired is the server's dry-run result per CRD (v1 form), what the live CRD will become. */
  readonly desired: ReadonlyMap<string, KubeObject>;
}

/** SyncResult is what happened. */
export interface SyncResult extends Observed {
  /** applied names the CRDs written (or dry-run applied with --dry-run=server). */
  readonly applied: readonly string[];
  /** backupFile is where the live CRDs were saved; undefined when none changed or nothing was written. */
  readonly backupFile?: string;
}

async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  });
  await Promise.all(workers);
}

/** managersOf lists the field managers recorded on an object. */
export function managersOf(object: KubeObject): string[] {
  const entries = Array.isArray(object.metadata?.managedFields) ? (object.metadata.managedFields as Array<{ manager?: unknown }>) : [];
  return [...new Set(entries.map((entry) => String(entry.manager ?? '')))];
}

/** comparable turns a dry-run answer into v1 form (an old server answers a v1beta1 apply in v1beta1). */
function comparable(crd: KubeObject): KubeObject {
  return isV1beta1Crd(crd) ? convertCrdToV1(crd).crd : crd;
}

/** countObjects counts a CRD's custom resources through a served version (undefined when they cannot be listed). */
async function countObjects(ports: SyncPorts, live: KubeObject): Promise<number | undefined> {
  const spec = live.spec as { group?: string; names?: { plural?: string } } | undefined;
  const versions = crdVersions(live);
  const version = versions.find((v) => v.storage && v.served) ?? versions.find((v) => v.served);
  if (!spec?.group || !spec.names?.plural || !version) return undefined;
  const gvr = { group: spec.group, version: version.name, resource: spec.names.plural };
  let count = 0;
  let continueToken: string | undefined;
  try {
    do {
      const page = await ports.customObjects.list(gvr, { limit: 500, continueToken });
      count += page.items.length;
      continueToken = page.continueToken;
    } while (continueToken);
  } catch (err) {
    if (err instanceof ApiStatusError) return undefined;
    throw err;
  }
  return count;
}

/**
 * observeSync reads the cluster for every incoming CRD and builds the plan. It only reads: the
 * applies it sends are dryRun=All (first without force, to learn the conflicts, then with force
 * to learn the result).
 */
export async function observeSync(
  ports: SyncPorts,
  incoming: readonly IncomingCrd[],
  options: Pick<SyncOptions, 'fieldManager' | 'concurrency'>,
): Promise<Observed> {
  const observations = new Map<string, CrdObservation>();
  const conflicts = new Map<string, FieldConflict[]>();
  const rejected = new Map<string, string>();
  const live = new Map<string, KubeObject>();
  const desired = new Map<string, KubeObject>();
  const liveCrds = await ports.crds.list();
  const byName = new Map(liveCrds.map((crd) => [crdName(crd), crd]));
  await inParallel(incoming, options.concurrency, async (item) => {
    const name = crdName(item.crd);
    const current = byName.get(name);
    if (current) live.set(name, current);
    let dryRun: KubeObject | undefined;
    // Asking without force only to learn the conflicts costs a second pass over large CRDs: when
    // every manager of the live CRD is one crdsync overrides anyway, go straight to the forced answer.
    const force =
      current !== undefined && managersOf(current).every((manager) => manager === options.fieldManager || expectedManager(manager));
    if (force && current) {
      const others = managersOf(current).filter((manager) => manager !== options.fieldManager);
      // Which of their fields differ is not asked; the plan names whose fields may be taken over.
      if (others.length > 0)
        conflicts.set(
          name,
          others.map((manager) => ({ manager, field: '*' })),
        );
    }
    try {
      dryRun = await ports.crds.apply(item.crd, { dryRun: true, force, fieldManager: options.fieldManager });
    } catch (err) {
      if (!(err instanceof ApiStatusError)) throw err;
      if (err.code === 409) {
        conflicts.set(name, parseConflicts(err.status.message));
        try {
          dryRun = await ports.crds.apply(item.crd, { dryRun: true, force: true, fieldManager: options.fieldManager });
        } catch (forced) {
          if (!(forced instanceof ApiStatusError)) throw forced;
          rejected.set(name, forced.status.message);
        }
      } else if (err.code === 401 || err.code === 403) {
        throw err;
      } else {
        rejected.set(name, err.status.message);
      }
    }
    if (dryRun) desired.set(name, comparable(dryRun));
    observations.set(name, { live: current, dryRun: dryRun && current ? comparable(dryRun) : undefined });
  });
  let plan = planCrdSync(incoming, observations, liveCrds);
  // Impact: how many objects each changed CRD holds (read only for CRDs that change).
  const changed = plan.entries.filter((entry) => entry.action === 'update');
  if (changed.length > 0) {
    const counts = new Map<string, number | undefined>();
    await inParallel(changed, options.concurrency, async (entry) => {
      const current = live.get(entry.name);
      if (current) counts.set(entry.name, await countObjects(ports, current));
    });
    plan = withObjectCounts(plan, counts);
  }
  return { plan, conflicts, rejected, live, desired };
}

/** maxListedChanges is how many breaking changes the one-line refusal names (the plan lists them all). */
const maxListedChanges = 3;

/** refusals lists, as sentences, everything that stops the sync before any write. */
export function refusals(
  observed: Observed,
  options: Pick<SyncOptions, 'allowBreaking' | 'forceConflicts'>,
): { message: string; exitCode: ExitCodeValue }[] {
  const found: { message: string; exitCode: ExitCodeValue }[] = [];
  // Ours first: the server rejects a dropped stored version too, but says less about the way out.
  for (const refusal of observed.plan.storedVersionRefusals)
    found.push({ message: storedVersionMessage(refusal), exitCode: ExitCode.Precondition });
  const explained = new Set(observed.plan.storedVersionRefusals.map((refusal) => refusal.crd));
  for (const [name, reason] of [...observed.rejected].sort()) {
    if (!explained.has(name))
      found.push({ message: `the API server rejects ${name}: ${reason.split('\n')[0]}`, exitCode: ExitCode.ApiError });
  }
  if (observed.plan.breaking.length > 0 && !options.allowBreaking) {
    const crds = new Set(observed.plan.breaking.map((change) => change.crd));
    const listed = observed.plan.breaking
      .slice(0, maxListedChanges)
      .map((change) => `${change.crd} ${change.version ?? ''}${change.version ? ' ' : ''}${change.path}: ${change.detail}`);
    const more =
      observed.plan.breaking.length > maxListedChanges ? `; … ${observed.plan.breaking.length - maxListedChanges} more in the plan` : '';
    found.push({
      message: `refusing ${observed.plan.breaking.length} breaking change(s) to served versions of ${crds.size} CRD(s) (pass --allow-breaking to apply them): ${listed.join('; ')}${more}`,
      exitCode: ExitCode.Precondition,
    });
  }
  if (!options.forceConflicts) {
    const foreign: string[] = [];
    for (const [name, list] of [...observed.conflicts].sort(([a], [b]) => a.localeCompare(b))) {
      for (const conflict of list)
        if (!expectedManager(conflict.manager)) foreign.push(`${name} ${conflict.field} (owned by ${conflict.manager})`);
    }
    if (foreign.length > 0) {
      found.push({
        message: `refusing to take over fields another tool manages (pass --force-conflicts to override them): ${foreign.join('; ')}`,
        exitCode: ExitCode.Precondition,
      });
    }
  }
  return found;
}

/** backupObject is a live CRD as `kubectl apply --server-side -f` takes it back: spec and identity, no server fields. */
export function backupObject(crd: KubeObject): KubeObject {
  const annotations = { ...(crd.metadata?.annotations ?? {}) };
  delete annotations['kubectl.kubernetes.io/last-applied-configuration'];
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: {
      name: crd.metadata?.name,
      ...(crd.metadata?.labels ? { labels: crd.metadata.labels } : {}),
      ...(Object.keys(annotations).length ? { annotations } : {}),
    },
    spec: crd.spec,
  };
}

/** saveBackup writes the CRDs to a new file (0600) in `dir` (0700) and returns its path. */
export async function saveBackup(dir: string, crds: readonly KubeObject[], now: Date): Promise<string> {
  await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  const file = path.join(dir, `crds-before-${stamp}.yaml`);
  const temp = `${file}.partial`;
  const stream = createWriteStream(temp, { mode: 0o600, flags: 'wx' });
  try {
    for (const crd of crds) {
      // JSON is YAML: one document per CRD, as `kubectl apply -f` reads it, without a slow YAML dump of large CRDs.
      if (!stream.write(`---\n${JSON.stringify(backupObject(crd))}\n`)) await once(stream, 'drain');
    }
    stream.end();
    await once(stream, 'finish');
    await fs.chmod(temp, 0o600);
    await fs.rename(temp, file);
  } catch (err) {
    stream.destroy();
    await fs.rm(temp, { force: true });
    throw new CliError(
      `cannot save the live CRDs to ${dir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}; nothing was applied`,
      ExitCode.Precondition,
    );
  }
  return file;
}

/** Readiness is a CRD's state after a write. */
export type Readiness = { ready: true } | { ready: false; failed?: string; waiting: string };

/** readiness reads Established, NamesAccepted and NonStructuralSchema from a CRD's status. */
export function readiness(crd: KubeObject): Readiness {
  const conditions =
    (crd.status as { conditions?: Array<{ type?: string; status?: string; message?: string; reason?: string }> } | undefined)?.conditions ??
    [];
  const condition = (type: string) => conditions.find((c) => c.type === type);
  const nonStructural = condition('NonStructuralSchema');
  if (nonStructural?.status === 'True')
    return { ready: false, failed: `NonStructuralSchema: ${nonStructural.message ?? nonStructural.reason ?? ''}`.trim(), waiting: '' };
  const names = condition('NamesAccepted');
  if (names?.status === 'False')
    return { ready: false, failed: `NamesAccepted=False: ${names.message ?? names.reason ?? ''}`.trim(), waiting: '' };
  if (crd.metadata?.deletionTimestamp) return { ready: false, failed: 'the CRD is being deleted (Terminating)', waiting: '' };
  if (names?.status !== 'True') return { ready: false, waiting: 'NamesAccepted' };
  if (condition('Established')?.status !== 'True') return { ready: false, waiting: 'Established' };
  return { ready: true };
}

/** waitReady polls every CRD until it is ready, one fails, or the deadline passes. */
export async function waitReady(
  ports: SyncPorts,
  names: readonly string[],
  options: Pick<SyncOptions, 'timeoutMs' | 'concurrency' | 'signal'>,
): Promise<void> {
  const deadline = ports.now() + options.timeoutMs;
  const failures: PartialFailure[] = [];
  const pending: string[] = [];
  await inParallel(names, options.concurrency, async (name) => {
    let delay = 50;
    for (;;) {
      const crd = await ports.crds.get(name);
      const state: Readiness = crd ? readiness(crd) : { ready: false, waiting: 'the CRD to exist' };
      if (state.ready) return;
      if (state.failed) {
        failures.push({ item: name, reason: state.failed });
        return;
      }
      if (options.signal?.aborted)
        throw new InterruptedError(`interrupted while waiting for ${name} to be ${state.waiting}: the CRDs are applied`);
      if (ports.now() >= deadline) {
        pending.push(`${name} (waiting for ${state.waiting})`);
        return;
      }
      await ports.sleep(Math.min(delay, Math.max(1, deadline - ports.now())));
      delay = Math.min(delay * 2, 1000);
    }
  });
  if (failures.length > 0) {
    throw new CliError(`CRD not usable after apply: ${failures.map((f) => `${f.item}: ${f.reason}`).join('; ')}`, ExitCode.ApiError);
  }
  if (pending.length > 0)
    throw new TimeoutError(`timed out after ${Math.round(options.timeoutMs / 1000)}s waiting for ${pending.sort().join(', ')}`);
}

/**
 * runSync observes, checks refusals, saves, applies and waits. The plan is handed to `onPlan`
 * before anything is written (it is printed even when the sync then refuses).
 */
export async function runSync(
  ports: SyncPorts,
  incoming: readonly IncomingCrd[],
  options: SyncOptions,
  onPlan: (observed: Observed) => void,
): Promise<SyncResult> {
  options.progress(`Comparing ${incoming.length} CRD(s) with the cluster (server-side dry-run)…`);
  const observed = await observeSync(ports, incoming, options);
  onPlan(observed);
  const found = refusals(observed, options);
  if (found.length > 0) {
    const first = found[0] as { message: string; exitCode: ExitCodeValue };
    const more = found.length > 1 ? ` (and ${found.length - 1} more refusal(s); see the plan above)` : '';
    if (first.exitCode === ExitCode.Precondition) throw new PreconditionError(`${first.message}${more}; nothing was applied`);
    throw new CliError(`${first.message}${more}; nothing was applied`, first.exitCode);
  }
  const toApply = observed.plan.entries.filter((entry) => entry.action !== 'unchanged');
  if (options.dryRun === 'client' || toApply.length === 0) return { ...observed, applied: [] };

  const byName = new Map(incoming.map((item) => [crdName(item.crd), item.crd]));
  let backupFile: string | undefined;
  const dryRun = options.dryRun === 'server';
  const updated = toApply
    .filter((entry) => entry.action === 'update')
    .map((entry) => observed.live.get(entry.name))
    .filter((crd): crd is KubeObject => crd !== undefined);
  if (!dryRun && updated.length > 0) {
    backupFile = await saveBackup(options.backupDir, updated, new Date(ports.now()));
    options.progress(
      `Saved the ${updated.length} live CRD(s) about to change to ${backupFile} (undo: kubectl apply --server-side --force-conflicts -f ${backupFile})`,
    );
  }
  if (options.signal?.aborted) throw new InterruptedError('interrupted before applying: nothing was written');
  const applied: string[] = [];
  const ready = new Set<string>();
  const failures: PartialFailure[] = [];
  options.progress(
    `${dryRun ? 'Dry-run applying' : 'Applying'} ${toApply.length} CRD(s) with server-side apply (field manager ${options.fieldManager})…`,
  );
  await inParallel(toApply, options.concurrency, async (entry) => {
    if (options.signal?.aborted) return;
    const crd = byName.get(entry.name) as KubeObject;
    try {
      const answer = await ports.crds.apply(crd, { dryRun, force: true, fieldManager: options.fieldManager });
      applied.push(entry.name);
      // An update of an established CRD answers with its conditions: no need to read it again.
      if (readiness(answer).ready) ready.add(entry.name);
    } catch (err) {
      if (!(err instanceof CliError)) throw err;
      failures.push({ item: entry.name, reason: err.message.split('\n')[0] as string });
    }
  });
  applied.sort();
  if (options.signal?.aborted) {
    // The applies already sent finish; the rest never start. The saved file undoes the ones done.
    const undo = backupFile ? `; undo with kubectl apply --server-side --force-conflicts -f ${backupFile}` : '';
    throw new InterruptedError(
      `interrupted: applied ${applied.length} of ${toApply.length} CRD(s)${applied.length ? ` (${applied.join(', ')})` : ''}${undo}`,
    );
  }
  if (failures.length > 0) {
    const undo = backupFile ? `; undo with kubectl apply --server-side --force-conflicts -f ${backupFile}` : '';
    throw new PartialFailureError(
      `${failures.length} of ${toApply.length} CRD(s) failed to apply (${failures.map((f) => `${f.item}: ${f.reason}`).join('; ')})${undo}`,
      failures,
    );
  }
  if (!dryRun && options.wait) {
    options.progress(`Waiting for ${applied.length} CRD(s) to be Established…`);
    await waitReady(
      ports,
      applied.filter((name) => !ready.has(name)),
      options,
    );
  }
  return { ...observed, applied, backupFile };
}
