/**
 * restore: missing CRDs first (waiting for Established), then missing target namespaces, then kinds in the profile's restore
 * order (unknown kinds last), objects sanitized as they go, labelled with the archive they came
 * from, with bounded concurrency and retries for a webhook that is not ready yet. Re-running is
 * safe: existing objects are skipped, updated or failed as asked.
 */
import { isDeepStrictEqual } from 'node:util';
import { ApiStatusError, CliError, PreconditionError, TimeoutError, UsageError } from '../../../shared/errors/errors.js';
import type { CrdStore, CustomObjectStore, KubeObject, NamespaceStore } from '../../../shared/kube/ports.js';
import { isRetryable } from '../../../shared/kube/retry.js';
import { throwIfAborted } from '../../../shared/cli/interrupt.js';
import { restoredFrom, restoredFromLabel } from '../../../shared/labels.js';
import type { OpenedArchive } from './archive.js';
import type { KindEntry } from './manifest.js';
import { orderKinds } from './restore-order.js';
import { sanitize } from './sanitize.js';
import { checkArchive, checkServed } from './verify.js';

/** restoredLabel marks what restore created, so it can be found (and undone with kubectl delete -l). */
export const restoredLabel = restoredFromLabel;

/** Outcome counts per kind. */
export interface KindSummary {
  kind: string;
  created: number;
  updated: number;
  unchanged: number;
  skipped: number;
  failed: number;
}

/** RestoreRequest says how to restore. */
export interface RestoreRequest {
  readonly archiveFile: string;
  /** archiveId goes into the restored label (a label value: the manifest time, sanitized). */
  readonly archiveId: string;
  readonly dryRun: boolean;
  readonly existing: 'skip' | 'update' | 'fail';
  readonly namespaceMap: Readonly<Record<string, string>>;
  /**
   * namespace is an explicit -n: as with `kubectl apply -n`, every namespaced object must go there
   * (after --namespace-map), else the restore is refused before anything is read or written.
   */
  readonly namespace?: string;
  /** kinds limits the restore to these Kind names or plural.group keys; empty means all. */
  readonly kinds: readonly string[];
  readonly includeStatus: boolean;
  readonly concurrency: number;
  readonly restoreOrder: readonly string[];
  /** notRestored are plural.group keys the profile marks restore: false (skipped unless named in kinds). */
  readonly notRestored: readonly string[];
  /** retryTimeoutMs bounds retries of a not-yet-ready webhook (5xx) per object. */
  readonly retryTimeoutMs: number;
  readonly crdTimeoutMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly onProgress?: (message: string) => void;
  /** onObject is called once per object handled, whatever its outcome (the live progress line). */
  readonly onObject?: () => void;
  /** signal (Ctrl-C) stops the restore between objects: what was written stays, a rerun skips it. */
  readonly signal?: AbortSignal;
}

/** RestorePorts are the ports restore needs. */
export interface RestorePorts {
  readonly crds: Pick<CrdStore, 'list' | 'get' | 'apply'>;
  readonly customObjects: Pick<CustomObjectStore, 'create' | 'get' | 'mergePatch'>;
  readonly namespaces: Pick<NamespaceStore, 'get' | 'create'>;
}

/** RestoreResult is the summary and every failed object with the server's reason. */
export interface RestoreResult {
  readonly summaries: KindSummary[];
  readonly failures: { item: string; reason: string }[];
  readonly crdsCreated: string[];
  /** namespacesCreated are the target namespaces restore created (or, in a dry run, would create). */
  readonly namespacesCreated: string[];
}

function established(crd: KubeObject | undefined): boolean {
  const conditions = (crd?.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? [];
  return conditions.some((condition) => condition.type === 'Established' && condition.status === 'True');
}

async function withRetry<T>(request: Pick<RestoreRequest, 'retryTimeoutMs' | 'sleep'>, action: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + request.retryTimeoutMs;
  let delay = 100;
  for (;;) {
    try {
      return await action();
    } catch (err) {
      // What is retriable is decided in one place (shared/kube/retry.ts); here the adapter's
      // retries are exhausted and we keep trying up to --retry-timeout (a webhook not ready yet).
      if (!isRetryable(err, {}) || Date.now() + delay > deadline) throw err;
      await request.sleep(delay);
      delay = Math.min(delay * 2, 5000);
    }
  }
}

/**
 * doing names what a failed call was doing ("listing CRDs: …"): an API error gets the words in its
 * Status message (the formatter prints that), any other error in its message, keeping its code
 * so that a broken connection is still reported as one.
 */
export function doing(what: string, err: unknown): unknown {
  if (err instanceof ApiStatusError) {
    if (err.code === 401 || err.code === 403) return err;
    return new ApiStatusError({ ...err.status, message: `${what}: ${err.status.message}` }, { cause: err });
  }
  if (err instanceof CliError || !(err instanceof Error)) return err;
  return Object.assign(new Error(`${what}: ${err.message}`, { cause: err }), { code: (err as NodeJS.ErrnoException).code });
}

/**
 * patiently runs a read or write restore depends on with the same patience as an object's create
 * (retries until --retry-timeout), and names the call when it fails at last.
 */
export async function patiently<T>(
  request: Pick<RestoreRequest, 'retryTimeoutMs' | 'sleep'>,
  what: string,
  action: () => Promise<T>,
): Promise<T> {
  try {
    return await withRetry(request, action);
  } catch (err) {
    throw doing(what, err);
  }
}

/** maxConcurrency is the most objects restore writes in parallel (a real API server throttles long before). */
export const maxConcurrency = 256;

/** unknownKinds returns the --kinds names that match no kind of the archive. */
export function unknownKinds(kinds: readonly KindEntry[], names: readonly string[]): string[] {
  return names.filter((name) => !kinds.some((kind) => kind.kind === name || `${kind.plural}.${kind.group}` === name));
}

/**
 * restoreArchive restores an opened (integrity-checked) archive. Before its first write it parses
 * and checks every member (checkArchive: the same checks `verify` makes), checks --kinds, and reads
 * the cluster's CRDs; a problem found then writes nothing.
 */
export async function restoreArchive(ports: RestorePorts, archive: OpenedArchive, request: RestoreRequest): Promise<RestoreResult> {
  const { manifest } = archive;
  // The command bounds its flags; these guards keep a NaN or a runaway number from ever reaching
  // the loops (a NaN deadline retries forever, a huge concurrency exhausts memory).
  if (!Number.isInteger(request.concurrency) || request.concurrency < 1 || request.concurrency > maxConcurrency) {
    throw new UsageError(`--concurrency must be an integer from 1 to ${maxConcurrency}, got ${request.concurrency}`);
  }
  if (
    !Number.isFinite(request.retryTimeoutMs) ||
    request.retryTimeoutMs < 0 ||
    !Number.isFinite(request.crdTimeoutMs) ||
    request.crdTimeoutMs < 0
  ) {
    throw new UsageError(`--retry-timeout must be a duration of 0 or more, got ${request.retryTimeoutMs} ms`);
  }
  const unknown = unknownKinds(manifest.kinds, request.kinds);
  if (unknown.length > 0) {
    const held = manifest.kinds.map((kind) => `${kind.kind} (${kind.plural}.${kind.group})`).join(', ') || 'none';
    throw new UsageError(`--kinds ${unknown.join(', ')} matches no kind in the archive; it holds: ${held}`);
  }
  const wanted = (kind: { kind: string; plural: string; group: string }): boolean =>
    request.kinds.length === 0
      ? !request.notRestored.includes(`${kind.plural}.${kind.group}`)
      : request.kinds.includes(kind.kind) || request.kinds.includes(`${kind.plural}.${kind.group}`);
  const kinds = manifest.kinds.filter(wanted);
  if (request.namespace !== undefined) {
    const elsewhere = targetNamespaces(kinds, request.namespaceMap).filter((namespace) => namespace !== request.namespace);
    if (elsewhere.length > 0)
      throw new UsageError(
        `the archive's objects go to namespace ${elsewhere.join(', ')}, not ${request.namespace} (-n): a restore puts each object back in its own namespace; drop -n, or move them with --namespace-map ${elsewhere[0]}=${request.namespace}`,
      );
  }

  const byKey = new Map(kinds.map((kind) => [`${kind.plural}.${kind.group}`, kind]));
  const ordered = orderKinds([...byKey.keys()], request.restoreOrder).flatMap((key) => {
    const kind = byKey.get(key);
    return kind ? [{ key, kind }] : [];
  });
  // Every member is parsed and checked before the first write (a bad fourth file must not leave
  // three kinds restored); the cluster's CRDs are read meanwhile.
  const [checked, live] = await Promise.all([
    checkArchive(request.archiveFile, archive),
    patiently(request, 'listing CustomResourceDefinitions', () => ports.crds.list()),
  ]);

  // CRDs: only those missing.
  const crdsCreated: string[] = [];
  const liveNames = new Set(live.map((crd) => crd.metadata?.name));
  const toCreate = manifest.crds.filter(
    (crd) => !liveNames.has(crd.name) && kinds.some((kind) => `${kind.plural}.${kind.group}` === crd.name),
  );
  for (const entry of toCreate) {
    const crd = checked.crds.get(entry.name);
    if (!crd) continue;
    await patiently(request, `applying CustomResourceDefinition ${entry.name}`, () =>
      ports.crds.apply(sanitize(crd), { dryRun: request.dryRun, force: true, fieldManager: 'kubectl-meshbackup' }),
    );
    crdsCreated.push(entry.name);
  }
  if (!request.dryRun) await waitEstablished(ports, request, crdsCreated);

  // Every backed-up version must be served before anything else is written.
  const targetCrds: KubeObject[] = request.dryRun
    ? [
        ...live,
        ...toCreate.flatMap((entry): KubeObject[] => {
          const crd = checked.crds.get(entry.name);
          return crd ? [crd] : [];
        }),
      ]
    : await patiently(request, 'listing CustomResourceDefinitions', () => ports.crds.list());
  const unserved = checkServed({ manifest: { ...manifest, kinds } }, targetCrds);
  if (unserved.length > 0) {
    throw new PreconditionError(
      `the cluster does not serve backed-up versions: ${unserved.map((problem) => `${problem.item} (${problem.reason})`).join('; ')}`,
    );
  }

  const namespacesCreated = await ensureNamespaces(ports, request, kinds);

  const summaries: KindSummary[] = [];
  const failures: { item: string; reason: string }[] = [];
  for (const { key, kind } of ordered) {
    const summary: KindSummary = { kind: key, created: 0, updated: 0, unchanged: 0, skipped: 0, failed: 0 };
    summaries.push(summary);
    const objects = checked.objects.get(kind.file) ?? [];
    if (request.dryRun && crdsCreated.includes(key)) {
      // The CRD was only dry-run created: the server cannot admit its objects yet.
      summary.skipped = objects.length;
      request.onProgress?.(`${key}: CRD missing (would be created); ${objects.length} object(s) not dry-run checked`);
      continue;
    }
    const gvr = { group: kind.group, version: kind.version, resource: kind.plural };
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < objects.length) {
        throwIfAborted(request.signal);
        const source = objects[next++];
        if (!source) continue;
        const object = sanitize(source, { includeStatus: request.includeStatus });
        const metadata = { ...object.metadata };
        if (metadata.namespace && request.namespaceMap[metadata.namespace]) metadata.namespace = request.namespaceMap[metadata.namespace];
        metadata.labels = { ...metadata.labels, [restoredLabel]: request.archiveId };
        object.metadata = metadata;
        const item = `${key} ${metadata.namespace ? `${metadata.namespace}/` : ''}${metadata.name}`;
        if (request.dryRun && metadata.namespace && namespacesCreated.includes(metadata.namespace)) {
          // The namespace was only dry-run created: the server would answer 404 for its objects.
          summary.skipped++;
          continue;
        }
        const outcome = await restoreOne(ports, request, gvr, object);
        request.onObject?.();
        if (typeof outcome === 'string') {
          summary[outcome]++;
        } else {
          summary.failed++;
          failures.push({ item, reason: outcome.failed });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, request.concurrency) }, worker));
    request.onProgress?.(`${key}: ${summary.created} created, ${summary.skipped} skipped, ${summary.failed} failed`);
  }
  return { summaries, failures, crdsCreated, namespacesCreated };
}

/**
 * waitEstablished polls the created CRDs until each is Established: after 20 ms, then every 50 ms
 * at most (an API server usually establishes a CRD within a fraction of a second, and the objects
 * wait on it; a few small GETs a second cost the server nothing).
 */
async function waitEstablished(ports: RestorePorts, request: RestoreRequest, names: readonly string[]): Promise<void> {
  const deadline = Date.now() + request.crdTimeoutMs;
  let pending = [...names];
  let delay = 20;
  while (pending.length > 0) {
    const states = await Promise.all(
      pending.map(async (name) => ({
        name,
        ready: established(await patiently(request, `reading CustomResourceDefinition ${name}`, () => ports.crds.get(name))),
      })),
    );
    pending = states.filter((state) => !state.ready).map((state) => state.name);
    if (pending.length === 0) return;
    if (Date.now() > deadline) throw new TimeoutError(`CRD ${pending.join(', ')} did not become Established in time`);
    await request.sleep(delay);
    delay = Math.min(delay * 2, 50);
  }
}

type Outcome = 'created' | 'updated' | 'unchanged' | 'skipped' | { failed: string };

/**
 * restoreOne creates one (sanitized, labelled) object; when it exists already (409) the outcome
 * follows --existing: skip it, count it as failed, or merge-patch labels, annotations and spec.
 */
async function restoreOne(
  ports: RestorePorts,
  request: RestoreRequest,
  gvr: { group: string; version: string; resource: string },
  object: KubeObject,
): Promise<Outcome> {
  const name = object.metadata?.name ?? '';
  const namespace = object.metadata?.namespace;
  try {
    await withRetry(request, () => ports.customObjects.create(gvr, object, { dryRun: request.dryRun, fieldManager: 'kubectl-meshbackup' }));
    return 'created';
  } catch (err) {
    if (!(err instanceof ApiStatusError && err.code === 409)) return { failed: (err as Error).message };
  }
  if (request.existing === 'skip') return 'skipped';
  if (request.existing === 'fail') {
    // A create whose connection broke after the server stored it meets 409 on its retry: an
    // object this archive put there (its label) with the same spec is no conflict.
    const current = await withRetry(request, () => ports.customObjects.get(gvr, name, namespace)).catch(() => undefined);
    const ours =
      current !== undefined && restoredFrom(current.metadata?.labels) === request.archiveId && isDeepStrictEqual(current.spec, object.spec);
    return ours ? 'unchanged' : { failed: 'already exists (--existing=fail)' };
  }
  try {
    const current = await withRetry(request, () => ports.customObjects.get(gvr, name, namespace));
    const patch: Record<string, unknown> = {
      metadata: { labels: object.metadata?.labels ?? null, annotations: object.metadata?.annotations ?? null },
    };
    if (object.spec !== undefined) patch.spec = object.spec;
    await withRetry(request, () => ports.customObjects.mergePatch(gvr, name, patch, namespace, { dryRun: request.dryRun }));
    return isDeepStrictEqual(current.spec, object.spec) ? 'unchanged' : 'updated';
  } catch (err) {
    return { failed: (err as Error).message };
  }
}

/** targetNamespaces are the namespaces the wanted kinds' objects go to, after --namespace-map, sorted. */
export function targetNamespaces(
  kinds: readonly { namespaced: boolean; countsByNamespace: Record<string, number> }[],
  namespaceMap: Readonly<Record<string, string>>,
): string[] {
  const names = new Set<string>();
  for (const kind of kinds) {
    if (!kind.namespaced) continue;
    for (const [namespace, count] of Object.entries(kind.countsByNamespace)) {
      if (namespace && count > 0) names.add(namespaceMap[namespace] ?? namespace);
    }
  }
  return [...names].sort();
}

function terminating(namespace: KubeObject): boolean {
  return Boolean(namespace.metadata?.deletionTimestamp) || (namespace.status as { phase?: string } | undefined)?.phase === 'Terminating';
}

/**
 * ensureNamespaces creates every target namespace that does not exist (labelled with the archive
 * it was restored from), after waiting out one that is still Terminating (a namespace deleted just
 * before the restore). A namespace the user may not read (403) is assumed to exist: its objects'
 * creates will say whether it does.
 */
async function ensureNamespaces(ports: RestorePorts, request: RestoreRequest, kinds: readonly KindEntry[]): Promise<string[]> {
  const created: string[] = [];
  for (const name of targetNamespaces(kinds, request.namespaceMap)) {
    let current: KubeObject | undefined;
    try {
      current = await patiently(request, `reading namespace ${name}`, () => ports.namespaces.get(name));
      const deadline = Date.now() + request.crdTimeoutMs;
      if (current && terminating(current)) request.onProgress?.(`namespace ${name}: waiting for its deletion to finish`);
      while (current && terminating(current)) {
        if (Date.now() > deadline)
          throw new TimeoutError(
            `namespace ${name} is still Terminating; restore into it once it is gone, or map it elsewhere with --namespace-map`,
          );
        await request.sleep(200);
        current = await patiently(request, `reading namespace ${name}`, () => ports.namespaces.get(name));
      }
    } catch (err) {
      if (!(err instanceof ApiStatusError && err.code === 403)) throw err;
      request.onProgress?.(`namespace ${name}: cannot check whether it exists (forbidden); assuming it does`);
      continue;
    }
    if (current) continue;
    const namespace: KubeObject = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, labels: { [restoredLabel]: request.archiveId } },
    };
    try {
      await withRetry(request, () => ports.namespaces.create(namespace, { dryRun: request.dryRun, fieldManager: 'kubectl-meshbackup' }));
    } catch (err) {
      if (!(err instanceof ApiStatusError && err.code === 409)) throw doing(`creating namespace ${name}`, err);
      // 409: it exists. Either our own create was stored and its answer lost (the retry met our
      // namespace: it carries this archive's label, so we created it), or someone else made it
      // meanwhile (a parallel restore, a GitOps controller), which is all we need.
      const existing = await patiently(request, `reading namespace ${name}`, () => ports.namespaces.get(name)).catch(() => undefined);
      if (restoredFrom(existing?.metadata?.labels) !== request.archiveId) continue;
    }
    created.push(name);
    request.onProgress?.(
      `namespace ${name}: ${request.dryRun ? 'missing (would be created); its objects are not dry-run checked' : 'created'}`,
    );
  }
  return created;
}
