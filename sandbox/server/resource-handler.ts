/**
 * The resource verbs over HTTP: get, list (plain or Table), watch, create, update, patch,
 * delete, deletecollection, and the status and scale subresources. Query parameters follow
 * the real server: dryRun=All, fieldManager, fieldValidation, propagationPolicy, limit/continue.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, badRequest, methodNotAllowed } from '../api/status.js';
import type { DeleteOptions, KubeObject, ResourceType } from '../api/types.js';
import type { FieldValidation, SandboxApi, WriteOptions } from '../api/internal-api.js';
import { negotiateTable, toTable, toTableForObject } from '../table/table.js';
import { decodeObjectBody, decodeOptionalBody, decodePatchBody, readBody } from './body.js';
import { sendJson, warningHeaders } from './respond.js';
import type { ResourceRoute } from './router.js';
import { startWatch, type WatchHandle } from './watch.js';

/** Everything a resource request needs besides the request itself. */
export interface ResourceContext {
  api: SandboxApi;
  req: IncomingMessage;
  res: ServerResponse;
  route: ResourceRoute;
  type: ResourceType;
  query: URLSearchParams;
  verb: string;
  dropWatchAfterMs?: number;
  bookmarkIntervalMs: number;
  /** Registers a running watch so closing the server can end it. */
  trackWatch(handle: WatchHandle): () => void;
  /**
   * legacy converts bodies and answers when the route is an older API version of the stored
   * type (apiextensions.k8s.io/v1beta1 CRDs on a server below 1.22): `in` to the stored version,
   * `out` back to the requested one.
   */
  legacy?: { in(body: unknown): unknown; out(object: KubeObject): KubeObject; listKindApiVersion: string };
}

function groupVersion(type: ResourceType): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

/** The manager a write is recorded under: fieldManager, else the user agent's product (as the real server derives it). */
function fieldManagerOf(req: IncomingMessage, query: URLSearchParams): string {
  const explicit = query.get('fieldManager');
  if (explicit) return explicit;
  const agent = req.headers['user-agent'] ?? 'unknown';
  return agent.split('/')[0]?.slice(0, 128) || 'unknown';
}

function writeOptions(req: IncomingMessage, query: URLSearchParams): WriteOptions & { warnings: string[] } {
  const dryRun = query.getAll('dryRun');
  if (dryRun.some((d) => d !== 'All')) throw badRequest(`Invalid value: "${dryRun.join(',')}": supported values: "All"`);
  const validation = query.get('fieldValidation');
  if (validation !== null && !['Strict', 'Warn', 'Ignore'].includes(validation)) {
    throw badRequest(`fieldValidation must be one of "Ignore", "Warn", or "Strict", got "${validation}"`);
  }
  const options: WriteOptions & { warnings: string[] } = {
    dryRun: dryRun.length > 0,
    fieldManager: fieldManagerOf(req, query),
    warnings: [],
  };
  if (validation) options.fieldValidation = validation as FieldValidation;
  return options;
}

function asObject(body: unknown, type: ResourceType): KubeObject {
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw badRequest(`${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: the body is not a JSON object`);
  const object = body as KubeObject;
  if (object.metadata === undefined || object.metadata === null) object.metadata = {};
  return object;
}

/** A body namespace must agree with the URL's, as the real server insists. */
function checkNamespace(object: KubeObject, route: ResourceRoute, type: ResourceType): void {
  const namespace = object.metadata.namespace;
  if (type.namespaced && namespace !== undefined && namespace !== '' && route.namespace !== undefined && namespace !== route.namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
}

function deleteOptionsOf(body: unknown, query: URLSearchParams): DeleteOptions {
  const options: DeleteOptions = {};
  const sent = (body ?? {}) as {
    propagationPolicy?: unknown;
    preconditions?: { uid?: unknown; resourceVersion?: unknown };
    dryRun?: unknown;
    orphanDependents?: unknown;
    gracePeriodSeconds?: unknown;
  };
  const policy = query.get('propagationPolicy') ?? sent.propagationPolicy ?? (sent.orphanDependents === true ? 'Orphan' : undefined);
  if (policy !== undefined && policy !== null) {
    if (policy !== 'Foreground' && policy !== 'Background' && policy !== 'Orphan')
      throw badRequest(`propagationPolicy: Unsupported value: "${String(policy)}": supported values: "Foreground", "Background", "Orphan"`);
    options.propagationPolicy = policy;
  }
  if (sent.preconditions && typeof sent.preconditions === 'object') {
    options.preconditions = {};
    if (typeof sent.preconditions.uid === 'string') options.preconditions.uid = sent.preconditions.uid;
    if (typeof sent.preconditions.resourceVersion === 'string') options.preconditions.resourceVersion = sent.preconditions.resourceVersion;
  }
  if (query.getAll('dryRun').includes('All') || (Array.isArray(sent.dryRun) && sent.dryRun.includes('All'))) options.dryRun = true;
  const grace = query.get('gracePeriodSeconds') ?? sent.gracePeriodSeconds;
  if (grace !== undefined && grace !== null) {
    const seconds = Number(grace);
    if (!Number.isInteger(seconds)) throw badRequest(`invalid gracePeriodSeconds: ${String(grace)}`);
    // Negative means "the pod's own", as on a real server; 0 with --force removes at once.
    if (seconds >= 0) options.gracePeriodSeconds = seconds;
  }
  return options;
}

function listRequest(
  route: ResourceRoute,
  query: URLSearchParams,
): { namespace?: string; labelSelector?: string; fieldSelector?: string; limit?: number; continue?: string } {
  const request: ReturnType<typeof listRequest> = {};
  if (route.namespace !== undefined) request.namespace = route.namespace;
  const labelSelector = query.get('labelSelector');
  if (labelSelector) request.labelSelector = labelSelector;
  const fieldSelector = query.get('fieldSelector');
  if (fieldSelector) request.fieldSelector = fieldSelector;
  const limit = query.get('limit');
  if (limit) {
    const n = Number(limit);
    if (!Number.isInteger(n) || n < 0) throw badRequest(`invalid limit: ${limit}`);
    if (n > 0) request.limit = n;
  }
  const token = query.get('continue');
  if (token) request.continue = token;
  return request;
}

/** legacyAnswer converts an answer (an object, or a list's items) to the legacy version. */
function legacyAnswer(body: unknown, legacy: NonNullable<ResourceContext['legacy']>): unknown {
  const object = body as (KubeObject & { items?: KubeObject[] }) | undefined;
  if (object && Array.isArray(object.items) && typeof object.kind === 'string' && object.kind.endsWith('List') && object.kind !== 'Table') {
    return { ...object, apiVersion: legacy.listKindApiVersion, items: object.items.map((item) => legacy.out(item)) };
  }
  return object && object.kind === 'CustomResourceDefinition' ? legacy.out(object) : body;
}

/** handleResource serves one resource request (the route resolved to a served type and authorized). */
export async function handleResource(ctx: ResourceContext): Promise<void> {
  const { api, req, route, type, query, verb } = ctx;
  const legacy = ctx.legacy;
  const res = ctx.res;
  const reply = (code: number, body: unknown, headers?: Record<string, string | string[]>): void =>
    sendJson(res, code, legacy ? legacyAnswer(body, legacy) : body, headers);
  const readBodyIn = async (): Promise<Buffer> => {
    const raw = await readBody(req);
    if (!legacy || raw.length === 0) return raw;
    // JSON and YAML bodies both decode to an object; re-encode the converted one as JSON.
    const decoded = decodeObjectBody(raw, req.headers['content-type']);
    return Buffer.from(JSON.stringify(legacy.in(decoded)));
  };
  const namespace = type.namespaced ? route.namespace : undefined;
  const accept = req.headers.accept;
  const sub = route.subresource;
  if (sub !== undefined && sub !== 'status' && sub !== 'scale')
    throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  if (sub === 'status' && !type.subresources.status)
    throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  if (!type.verbs.includes(verb) && sub === undefined) throw methodNotAllowed(verb);
  const name = route.name ?? '';

  switch (verb) {
    case 'get': {
      if (sub === 'scale') return reply(200, api.readScale(type, namespace, name));
      const object = api.readObject(type, namespace, name);
      const table = negotiateTable(accept);
      return reply(200, table ? toTableForObject(type, object, { version: table }) : object);
    }
    case 'list': {
      const page = api.listPage(type, listRequest(route, query));
      const table = negotiateTable(accept);
      const metadata: Record<string, unknown> = { resourceVersion: page.resourceVersion };
      if (page.continue) metadata.continue = page.continue;
      if (page.remainingItemCount !== undefined) metadata.remainingItemCount = page.remainingItemCount;
      if (table) return reply(200, toTable(type, page.items, metadata as { resourceVersion: string }, { version: table }));
      return reply(200, { kind: type.listKind, apiVersion: groupVersion(type), metadata, items: page.items });
    }
    case 'watch': {
      let untrack: () => void = () => undefined;
      const request = {
        type,
        query,
        accept,
        bookmarkIntervalMs: ctx.bookmarkIntervalMs,
        ...(namespace !== undefined ? { namespace } : {}),
        ...(route.name !== undefined ? { name: route.name } : {}),
        ...(ctx.dropWatchAfterMs !== undefined ? { dropAfterMs: ctx.dropWatchAfterMs } : {}),
      };
      const handle = startWatch(api, res, request, () => untrack());
      untrack = ctx.trackWatch(handle);
      return;
    }
    case 'create': {
      if (route.name !== undefined) throw methodNotAllowed('create');
      const options = writeOptions(req, query);
      const object = asObject(
        legacy
          ? decodeObjectBody(await readBodyIn(), 'application/json')
          : decodeObjectBody(await readBody(req), req.headers['content-type']),
        type,
      );
      checkNamespace(object, route, type);
      const created = api.createObject(
        type,
        namespace ?? (type.namespaced ? object.metadata.namespace || undefined : undefined),
        object,
        options,
      );
      return reply(201, created, warningHeaders(options.warnings));
    }
    case 'update': {
      const options = writeOptions(req, query);
      const body = legacy
        ? decodeObjectBody(await readBodyIn(), 'application/json')
        : decodeObjectBody(await readBody(req), req.headers['content-type']);
      if (sub === 'scale') return reply(200, api.replaceScale(type, namespace, name, body, options));
      const object = asObject(body, type);
      checkNamespace(object, route, type);
      const updated = api.replaceObject(type, namespace, name, object, options, sub === 'status' ? 'status' : undefined);
      return reply(200, updated, warningHeaders(options.warnings));
    }
    case 'patch': {
      const options = writeOptions(req, query);
      const decoded = decodePatchBody(await readBody(req), req.headers['content-type']);
      // Only an apply patch is a whole (partial) object that converts; the other patch types would
      // need the v1beta1 rendering of the live object, which the sandbox does not keep.
      if (legacy && decoded.type !== 'apply')
        throw new ApiError(
          415,
          'UnsupportedMediaType',
          'the sandbox serves apiextensions.k8s.io/v1beta1 patches as server-side apply only',
        );
      const { type: patchType, body } = legacy ? { type: decoded.type, body: legacy.in(decoded.body) } : decoded;
      const force = query.get('force') === 'true';
      if (patchType === 'apply' && !query.get('fieldManager')) {
        throw badRequest('PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch');
      }
      if (patchType !== 'apply' && query.has('force')) throw badRequest('force: Forbidden: may not be specified for non-apply patch');
      const patch = { type: patchType, body, force };
      if (sub === 'scale') return reply(200, api.patchScale(type, namespace, name, patch, options));
      if (patchType === 'apply' && body && typeof body === 'object') checkNamespace(asObject(body, type), route, type);
      const { object, created } = api.patchObject(type, namespace, name, patch, options, sub === 'status' ? 'status' : undefined);
      return reply(created ? 201 : 200, object, warningHeaders(options.warnings));
    }
    case 'delete': {
      const options = deleteOptionsOf(decodeOptionalBody(await readBody(req), req.headers['content-type']), query);
      const { object, removed } = api.deleteObject(type, namespace, name, options);
      if (removed && !type.builtin) {
        // Custom resources answer a finished delete with a Status, built-ins with the object (§3).
        return reply(200, {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Success',
          details: { name, group: type.group, kind: type.resource, uid: object.metadata.uid },
        });
      }
      return reply(200, object);
    }
    case 'deletecollection': {
      const options = deleteOptionsOf(decodeOptionalBody(await readBody(req), req.headers['content-type']), query);
      const items = api.deleteCollection(type, listRequest(route, query), options);
      return reply(200, {
        kind: type.listKind,
        apiVersion: groupVersion(type),
        metadata: { resourceVersion: String(api.store.currentRevision()) },
        items,
      });
    }
    default:
      throw methodNotAllowed(verb);
  }
}
