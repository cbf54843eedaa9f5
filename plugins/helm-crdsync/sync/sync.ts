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
import { forEachLimited } from '../../../shared/async/limited.js';
import { ExitCode, type ExitCodeValue } from '../../../shared/errors/exit-codes.js';
import { crdVersions, same } from '../../../shared/crds/compatibility.js';
import { apiextensionsV1, convertCrdToV1, isV1beta1Crd } from '../../../shared/crds/convert-v1beta1.js';
import {
  crdName,
  planCrdSync,
  storedVersionMessage,
  changesSomething,
  type CrdObservation,
  type CrdPlan,
  type IncomingCrd,
} from '../../../shared/crds/plan.js';
import type { CrdStore, CustomObjectStore, KubeObject } from '../../../shared/kube/ports.js';
import { watchRound } from '../../../shared/kube/watch-round.js';

/** SyncPorts are the cluster operations the sync needs. */
export interface SyncPorts {
  /** crds: watch is used to wait for Established; without it (read-only fakes) the wait reads the CRD again. */
  readonly crds: Pick<CrdStore, 'get' | 'list' | 'apply' | 'watch'>;
  readonly customObjects: Pick<CustomObjectStore, 'list'>;
  /** sleep waits `ms` or until `signal` aborts (the readiness deadline, backoff; tests pass a fake clock). */
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
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
  /** incoming are the CRDs read from the source, in source order. */
  readonly incoming: readonly IncomingCrd[];
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
    // One object and the server's count of the rest (remainingItemCount) instead of reading
    // thousands of custom resources just to count them; a server that does not say is paged through.
    const first = await ports.customObjects.list(gvr, { limit: 1 });
    if (!first.continueToken) return first.items.length;
    if (first.remainingItemCount !== undefined) return first.items.length + first.remainingItemCount;
    count = first.items.length;
    continueToken = first.continueToken;
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
 * unchangedAgainst says whether applying `incoming` over `live` cannot change anything: the same
 * spec, and every label and annotation it sets already there. The live CRD was defaulted when it
 * was written and defaulting is idempotent, so the server-side dry-run would answer `live` itself:
 * it is not asked.
 */
export function unchangedAgainst(live: KubeObject, incoming: KubeObject): boolean {
  // A v1beta1 CRD applied as it is (an old server) is compared by the dry-run: its spec reads differently.
  return incoming.apiVersion === apiextensionsV1 && same(incoming.spec, live.spec) && !changesSomething(live, incoming);
}

/** Incoming is what observeSync reads: a list, or a stream that parses file by file. */
export type Incoming = readonly IncomingCrd[] | AsyncIterable<IncomingCrd>;

/** ObserveOptions are the options observing needs, and the live CRD list when the caller started it early. */
export type ObserveOptions = Pick<SyncOptions, 'fieldManager' | 'concurrency'> & {
  /** liveCrds is the CRD list already asked for (the caller starts it while it fetches the chart). */
  readonly liveCrds?: Promise<KubeObject[]>;
};

/**
 * observeSync reads the cluster for every incoming CRD and builds the plan. It only reads: the
 * applies it sends are dryRun=All (first without force, to learn the conflicts, then with force
 * to learn the result). Up to `concurrency` CRDs are observed at once, each as soon as the stream
 * yields it, so parsing the next file overlaps the server's work on the previous ones. A CRD whose
 * spec equals the live one is not dry-run (nothing to learn); objects are counted only for CRDs
 * that change.
 */
export async function observeSync(ports: SyncPorts, incoming: Incoming, options: ObserveOptions): Promise<Observed> {
  const observations = new Map<string, CrdObservation>();
  const conflicts = new Map<string, FieldConflict[]>();
  const rejected = new Map<string, string>();
  const live = new Map<string, KubeObject>();
  const desired = new Map<string, KubeObject>();
  const liveCrds = await (options.liveCrds ?? ports.crds.list());
  const byName = new Map(liveCrds.map((crd) => [crdName(crd), crd]));
  const received: IncomingCrd[] = [];

  const observe = async (item: IncomingCrd): Promise<void> => {
    const name = crdName(item.crd);
    const current = byName.get(name);
    if (current) live.set(name, current);
    if (current && unchangedAgainst(current, item.crd)) {
      desired.set(name, current);
      observations.set(name, { live: current });
      return;
    }
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
    const result = dryRun ? comparable(dryRun) : undefined;
    if (result) desired.set(name, result);
    const changes = current !== undefined && (!result || changesSomething(current, item.crd, result));
    // Applying what changes nothing takes over no field: the managers named before asking are not news.
    if (current && result && !changes && force) conflicts.delete(name);
    // Impact: how many objects a CRD that changes (or that the server refused) holds.
    const objectCount = current && changes ? await countObjects(ports, current) : undefined;
    observations.set(name, { live: current, dryRun: current ? result : undefined, objectCount });
  };

  const stream: AsyncIterator<IncomingCrd> = Array.isArray(incoming)
    ? (async function* () {
        yield* incoming as readonly IncomingCrd[];
      })()
    : (incoming as AsyncIterable<IncomingCrd>)[Symbol.asyncIterator]();
  // Workers share one iterator (an async generator queues concurrent next() calls); the first
  // failure stops the others from taking more.
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed) {
      const next = await stream.next();
      if (next.done) return;
      received.push(next.value);
      await observe(next.value);
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, options.concurrency) }, () =>
      worker().catch((err: unknown) => {
        failed = true;
        throw err;
      }),
    ),
  );
  const plan = planCrdSync(received, observations, liveCrds);
  return { incoming: received, plan, conflicts, rejected, live, desired };
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

/**
 * waitOne follows one CRD until it is ready or failed (returned), or the deadline passes (its last
 * state returned). It starts from `seen` (the apply answer) and watches from its resourceVersion,
 * so a change made in between is still delivered; a dropped watch reads the CRD again and resumes.
 */
async function waitOne(
  ports: SyncPorts,
  name: string,
  seen: KubeObject | undefined,
  deadline: number,
  signal: AbortSignal | undefined,
): Promise<Readiness> {
  let current = seen;
  let fresh = seen !== undefined;
  let backoff = 25;
  for (;;) {
    if (!fresh) current = await ports.crds.get(name);
    let state: Readiness = current ? readiness(current) : { ready: false, waiting: 'the CRD to exist' };
    if (state.ready || state.failed) return state;
    if (signal?.aborted) throw new InterruptedError(`interrupted while waiting for ${name} to be ${state.waiting}: the CRDs are applied`);
    const remaining = deadline - ports.now();
    if (remaining <= 0) return state;
    const watch = ports.crds.watch;
    if (!watch) {
      // A port without watch (a read-only fake): read again after a pause.
      await ports.sleep(Math.min(backoff, remaining), signal);
      backoff = Math.min(backoff * 2, 1000);
      fresh = false;
      continue;
    }
    const startedAt = ports.now();
    // Watch the one CRD from the version read; a dropped stream reads again.
    const outcome = await watchRound(
      (onEvent, onDone) =>
        watch({ fieldSelector: `metadata.name=${name}`, resourceVersion: current?.metadata?.resourceVersion }, onEvent, onDone),
      (event) => {
        const crd = event.type === 'DELETED' ? undefined : event.object;
        current = crd;
        state = crd ? readiness(crd) : { ready: false, waiting: 'the CRD to exist' };
        return state.ready || state.failed !== undefined;
      },
      { remainingMs: remaining, signal, sleep: ports.sleep },
    );
    if (outcome === 'done' || outcome === 'timeout') return state;
    if (outcome === 'aborted')
      throw new InterruptedError(`interrupted while waiting for ${name} to be ${state.waiting}: the CRDs are applied`);
    // Dropped: read again and watch from the new resourceVersion; a watch refused at once backs off.
    fresh = false;
    if (ports.now() - startedAt < 200) {
      await ports.sleep(Math.min(backoff, Math.max(1, deadline - ports.now())), signal);
      backoff = Math.min(backoff * 2, 2000);
    } else {
      backoff = 25;
    }
  }
}

/**
 * waitReady waits, with a watch per CRD (up to `concurrency` at once), until every CRD is
 * Established with its names accepted, one fails (NonStructuralSchema, NamesAccepted=False,
 * Terminating), or the deadline passes. `seen` is what the apply answered for each.
 */
export async function waitReady(
  ports: SyncPorts,
  crds: ReadonlyArray<{ readonly name: string; readonly seen?: KubeObject }>,
  options: Pick<SyncOptions, 'timeoutMs' | 'concurrency' | 'signal'>,
): Promise<void> {
  const deadline = ports.now() + options.timeoutMs;
  const failures: PartialFailure[] = [];
  const pending: string[] = [];
  await forEachLimited(crds, options.concurrency, async ({ name, seen }) => {
    const state = await waitOne(ports, name, seen, deadline, options.signal);
    if (state.ready) return;
    if (state.failed) failures.push({ item: name, reason: state.failed });
    else pending.push(`${name} (waiting for ${state.waiting})`);
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
  incoming: Incoming,
  options: SyncOptions & Pick<ObserveOptions, 'liveCrds'>,
  onPlan: (observed: Observed) => void,
): Promise<SyncResult> {
  options.progress(`Comparing ${Array.isArray(incoming) ? `${incoming.length} ` : 'the '}CRD(s) with the cluster (server-side dry-run)…`);
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

  const byName = new Map(observed.incoming.map((item) => [crdName(item.crd), item.crd]));
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
  const answers = new Map<string, KubeObject>();
  const failures: PartialFailure[] = [];
  options.progress(
    `${dryRun ? 'Dry-run applying' : 'Applying'} ${toApply.length} CRD(s) with server-side apply (field manager ${options.fieldManager})…`,
  );
  // New CRDs first: the server establishes a new CRD some time after creating it, and that time
  // then passes while the others are applied instead of after them. Then largest first: the server
  // takes longest over the big CRDs, so starting them early shortens the whole.
  const order = [...toApply].sort((a, b) => Number(b.action === 'create') - Number(a.action === 'create') || b.jsonBytes - a.jsonBytes);
  await forEachLimited(order, options.concurrency, async (entry) => {
    if (options.signal?.aborted) return;
    const crd = byName.get(entry.name) as KubeObject;
    try {
      const answer = await ports.crds.apply(crd, { dryRun, force: true, fieldManager: options.fieldManager });
      applied.push(entry.name);
      answers.set(entry.name, answer);
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
    // An update of an established CRD answers with its conditions: only the others are watched.
    const pending = applied.filter((name) => !readiness(answers.get(name) ?? {}).ready);
    if (pending.length > 0) {
      options.progress(`Waiting for ${pending.length} CRD(s) to be Established…`);
      await waitReady(
        ports,
        pending.map((name) => ({ name, seen: answers.get(name) })),
        options,
      );
    }
  }
  return { ...observed, applied, backupFile };
}
