/**
 * save: discover the kinds served in the chosen API groups from the cluster's CRDs, stream every
 * object page by page into per-kind members, sanitized, and pack the archive.
 */
import { ApiStatusError, InterruptedError, PreconditionError } from '../../../shared/errors/errors.js';
import type { CrdStore, CustomObjectStore, CustomResourceDefinition, KubeObject } from '../../../shared/kube/ports.js';
import { withRetry, type RetryClock, type RetryPolicy } from '../../../shared/kube/retry.js';
import { ArchiveWriter, checkTarget } from './archive.js';
import { formatVersion, type KindEntry, type Manifest } from './manifest.js';
import { sanitize, sanitizePolicy } from './sanitize.js';
import { paginate } from '../../../shared/kube/pagination.js';

/** DiscoveredKind is a kind found in a CRD, at the version the backup reads it. */
export interface DiscoveredKind {
  readonly crdName: string;
  readonly group: string;
  readonly version: string;
  readonly kind: string;
  readonly plural: string;
  readonly namespaced: boolean;
}

interface CrdSpec {
  group?: string;
  scope?: string;
  names?: { kind?: string; plural?: string };
  versions?: Array<{ name: string; served?: boolean; storage?: boolean }>;
}

/** discoverKinds reads the kinds of the CRDs in `groups`, at the storage version when served, sorted by name. */
export function discoverKinds(crds: readonly CustomResourceDefinition[], groups: readonly string[]): DiscoveredKind[] {
  const kinds: DiscoveredKind[] = [];
  for (const crd of crds) {
    const spec = (crd.spec ?? {}) as CrdSpec;
    if (!spec.group || !groups.includes(spec.group) || !spec.names?.kind || !spec.names.plural) continue;
    const served = (spec.versions ?? []).filter((version) => version.served !== false);
    const chosen = served.find((version) => version.storage) ?? served[0];
    if (!chosen) continue;
    kinds.push({
      crdName: crd.metadata?.name ?? `${spec.names.plural}.${spec.group}`,
      group: spec.group,
      version: chosen.name,
      kind: spec.names.kind,
      plural: spec.names.plural,
      namespaced: spec.scope !== 'Cluster',
    });
  }
  return kinds.sort((a, b) => (a.crdName < b.crdName ? -1 : a.crdName > b.crdName ? 1 : 0));
}

/**
 * pageRetryPolicy bounds how long save keeps asking for one page after the client's own retries
 * (shared/kube/retry.ts decides what is retriable) gave up: a flaky or throttling server slows a
 * save down rather than failing it. The retry sends the same continue token, so the page is
 * neither skipped nor read twice.
 */
export const pageRetryPolicy: RetryPolicy = { attempts: 10, maxElapsedMs: 120_000, baseDelayMs: 500, maxDelayMs: 5_000 };

/** naming puts the kind into an API error that does not name it (a 403 already does). */
function naming(err: unknown, kindKey: string): unknown {
  if (!(err instanceof ApiStatusError) || err.code === 401 || err.code === 403) return err;
  return new ApiStatusError({ ...err.status, message: `listing ${kindKey}: ${err.status.message}` }, { cause: err });
}

/** SaveRequest is what to save and where. */
export interface SaveRequest {
  readonly groups: readonly string[];
  /** namespaces to list in; undefined lists all namespaces. */
  readonly namespaces?: readonly string[];
  readonly labelSelector?: string;
  readonly target: string;
  readonly force: boolean;
  readonly allowEmpty: boolean;
  readonly includeStatus: boolean;
  readonly pageSize?: number;
  readonly tool: { name: string; version: string };
  readonly source: { context: string; server: string; serverVersion?: string };
  readonly product: { profile?: string; version?: string; restoreOrder?: readonly string[]; notRestored?: readonly string[] };
  readonly now: () => Date;
  readonly onProgress?: (message: string) => void;
  /** onObjects counts objects as each page is written (the live progress line). */
  readonly onObjects?: (count: number) => void;
  /** signal (Ctrl-C) stops the save between pages; nothing is left at the target, the staging is removed. */
  readonly signal?: AbortSignal;
  /** pageRetry overrides {@link pageRetryPolicy} and its clock (tests). */
  readonly pageRetry?: { readonly policy: RetryPolicy; readonly clock?: RetryClock };
}

/** SavePorts are the ports save needs. */
export interface SavePorts {
  readonly crds: Pick<CrdStore, 'list'>;
  readonly customObjects: Pick<CustomObjectStore, 'list'>;
}

/** saveArchive writes the archive and returns its manifest. */
export async function saveArchive(ports: SavePorts, request: SaveRequest): Promise<Manifest> {
  await checkTarget(request.target, request.force);
  // The CRD list gets the patience of a page: a brief outage must not end a save before it starts.
  const allCrds = await withRetry(() => ports.crds.list(), request.pageRetry?.policy ?? pageRetryPolicy, {
    describe: 'list customresourcedefinitions',
    clock: request.pageRetry?.clock,
  }).catch((err: unknown) => {
    throw naming(err, 'customresourcedefinitions.apiextensions.k8s.io');
  });
  const kinds = discoverKinds(allCrds, request.groups);
  if (kinds.length === 0 && !request.allowEmpty) {
    throw new PreconditionError(
      `no CustomResourceDefinitions found in groups ${request.groups.join(', ')}: is the product installed and the context right? (--allow-empty to save anyway)`,
    );
  }
  const interrupted = (): void => {
    if (request.signal?.aborted) throw new InterruptedError('interrupted: nothing was written');
  };
  const scopesOf = (kind: DiscoveredKind): (string | undefined)[] =>
    kind.namespaced && request.namespaces ? [...request.namespaces].sort() : [undefined];
  // Probe every kind with a one-object list first: a kind the user may not list (403) or
  // credentials the server refuses (401) stop the save before anything is read or written.
  // Other failures are left to the real listing, which retries and reports them.
  for (const kind of kinds) {
    for (const namespace of scopesOf(kind)) {
      interrupted();
      try {
        await ports.customObjects.list(
          { group: kind.group, version: kind.version, resource: kind.plural },
          { namespace, labelSelector: request.labelSelector, limit: 1 },
        );
      } catch (err) {
        if (err instanceof ApiStatusError && (err.code === 401 || err.code === 403)) throw err;
      }
    }
  }
  const writer = await ArchiveWriter.create();
  try {
    const crdEntries: { name: string; file: string }[] = [];
    for (const kind of kinds) {
      const crd = allCrds.find((candidate) => candidate.metadata?.name === kind.crdName);
      if (!crd) continue;
      const file = `crds/${kind.crdName}.yaml`;
      const member = await writer.member(file);
      await member.write(sanitize(crd, { includeStatus: false }));
      await writer.closeMember(member);
      crdEntries.push({ name: kind.crdName, file });
    }
    const entries: KindEntry[] = [];
    let total = 0;
    for (const kind of kinds) {
      const file = `resources/${kind.plural}.${kind.group}.yaml`;
      const member = await writer.member(file);
      const countsByNamespace: Record<string, number> = {};
      const gvr = { group: kind.group, version: kind.version, resource: kind.plural };
      for (const namespace of scopesOf(kind)) {
        // A failed page is asked for again with the same continue token: none is skipped or read twice.
        const fetchPage = (continueToken: string | undefined) => {
          interrupted();
          const options = { namespace, labelSelector: request.labelSelector, limit: request.pageSize ?? 500, continueToken };
          return withRetry(() => ports.customObjects.list(gvr, options), request.pageRetry?.policy ?? pageRetryPolicy, {
            describe: `list ${kind.plural}.${kind.group}`,
            clock: request.pageRetry?.clock,
          }).catch((err: unknown) => {
            throw naming(err, `${kind.plural}.${kind.group}`);
          });
        };
        for await (const page of paginate(fetchPage)) {
          for (const item of page.items) {
            const object: KubeObject = {
              ...item,
              apiVersion: item.apiVersion ?? `${kind.group}/${kind.version}`,
              kind: item.kind ?? kind.kind,
            };
            await member.write(sanitize(object, { includeStatus: request.includeStatus }));
            const ns = object.metadata?.namespace ?? '';
            countsByNamespace[ns] = (countsByNamespace[ns] ?? 0) + 1;
          }
          request.onObjects?.(page.items.length);
        }
      }
      await writer.closeMember(member);
      total += member.count;
      request.onProgress?.(`saved ${member.count} ${kind.plural}.${kind.group}`);
      entries.push({
        group: kind.group,
        version: kind.version,
        kind: kind.kind,
        plural: kind.plural,
        namespaced: kind.namespaced,
        file,
        count: member.count,
        countsByNamespace,
      });
    }
    if (total === 0 && !request.allowEmpty) {
      throw new PreconditionError(
        `no objects found in groups ${request.groups.join(', ')}: nothing to back up (--allow-empty to save anyway)`,
      );
    }
    const manifest: Manifest = {
      formatVersion,
      tool: request.tool,
      createdAt: request.now().toISOString(),
      source: request.source,
      product: { ...request.product, groups: [...request.groups] },
      selector: { namespaces: request.namespaces, labelSelector: request.labelSelector },
      sanitize: sanitizePolicy(request.includeStatus),
      crds: crdEntries,
      kinds: entries,
      files: writer.fileHashes(),
    };
    interrupted();
    await writer.finish(manifest, request.target, request.force, request.signal);
    return manifest;
  } catch (err) {
    await writer.discard();
    throw err;
  }
}
