/**
 * The sandbox API server's HTTP(S) front: authentication, faults, audit, and dispatch to the
 * admin, discovery/OpenAPI and resource handlers. One request at a time goes through
 * `handle`; keep-alive connections are node's default.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';
import { ApiError, forbidden, qualifiedResource } from '../api/status.js';
import type { SandboxApi } from '../api/internal-api.js';
import { auditTime, type AuditEntry, type AuditLog } from '../audit/audit-log.js';
import { authorize, type RestrictedDenial } from '../auth/authorizer.js';
import { authenticate, unauthorized, type Tokens } from '../auth/tokens.js';
import type { FaultInjector } from '../faults/fault-injector.js';
import type { FaultRule } from '../faults/fault-spec.js';
import { reviewAccess } from './access-review.js';
import { handleAdmin } from './admin-handler.js';
import { decodeObjectBody, readBody } from './body.js';
import { handleNonResource, isPublicPath } from './discovery-handler.js';
import { handleResource } from './resource-handler.js';
import { crdBodyToV1, crdToV1beta1, isCrdV1beta1Route, servesCrdV1beta1 } from '../resources/crd-v1beta1.js';
import { sendJson, sendStatus } from './respond.js';
import { kubeVerb, parseRequestTarget, parseResourcePath, type ResourceRoute } from './router.js';
import type { WatchHandle } from './watch.js';

/** What the HTTP server serves. */
export interface ApiServerOptions {
  api: SandboxApi;
  tokens: Tokens;
  faults: FaultInjector;
  audit: AuditLog;
  /** The version /version reports (`1.33.1`). */
  k8sVersion: string;
  /** PEM cert and key for HTTPS; plain HTTP when absent. */
  tls?: { certPem: string; keyPem: string };
  /** How often watches that allow bookmarks get one (default 10 s). */
  bookmarkIntervalMs?: number;
  /** Extra rights the restricted user does not have (see authorizer.ts); none by default. */
  restrictedDenials?: readonly RestrictedDenial[];
}

/** A listening server. */
export interface RunningApiServer {
  url: string;
  port: number;
  /** Ends watches and connections and stops listening. */
  close(): Promise<void>;
}

function notFoundPath(): ApiError {
  return new ApiError(404, 'NotFound', 'the server could not find the requested resource');
}

function faultResponse(res: http.ServerResponse, rule: FaultRule, route: ResourceRoute | undefined): void {
  switch (rule.kind) {
    case '409': {
      // The optimistic-concurrency answer a write gets when the object moved under it.
      const resource = route ? qualifiedResource(route.group, route.resource) : 'the object';
      const name = route?.name ?? '';
      return sendStatus(
        res,
        new ApiError(
          409,
          'Conflict',
          `Operation cannot be fulfilled on ${resource} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
          { name, group: route?.group ?? '', kind: route?.resource ?? '' },
        ),
      );
    }
    case '429': {
      const seconds = rule.retryAfterSeconds ?? 1;
      const error = new ApiError(429, 'TooManyRequests', 'Too many requests, please try again later.', { retryAfterSeconds: seconds });
      return sendStatus(res, error, { 'Retry-After': String(seconds) });
    }
    case '500':
      return sendStatus(res, new ApiError(500, 'InternalError', 'Internal error occurred: injected fault'));
    case '503':
      return sendStatus(res, new ApiError(503, 'ServiceUnavailable', 'the server is currently unable to handle the request'));
    default:
      // reset: drop the connection without a response, as a crashed apiserver or a proxy would.
      res.socket?.destroy();
  }
}

/**
 * swallowResponse makes a `reset-after` fault: the request is handled (a create is stored), then
 * the connection is destroyed instead of answering, as when an apiserver or proxy dies after the
 * write. The client cannot tell whether its request took effect.
 */
function swallowResponse(res: http.ServerResponse): void {
  const destroy = (): http.ServerResponse => {
    res.socket?.destroy();
    return res;
  };
  Object.assign(res, { writeHead: () => res, write: () => true, end: destroy, flushHeaders: () => undefined });
}

/** answerBufferBytes is how much of its answers a connection buffers before it reports backpressure. */
const answerBufferBytes = 8 * 1024 * 1024;

/** startApiServer listens on host:port (0 picks a free port). */
export async function startApiServer(options: ApiServerOptions, host: string, port: number): Promise<RunningApiServer> {
  const { api, tokens, faults, audit, k8sVersion } = options;
  const bookmarkIntervalMs = options.bookmarkIntervalMs ?? 10_000;
  const restrictedDenials = options.restrictedDenials ?? [];
  const watches = new Set<WatchHandle>();

  const handleResourceRoute = async (
    req: http.IncomingMessage,
    res: http.ServerResponse,
    route: ResourceRoute,
    query: URLSearchParams,
    verb: string,
    user: string,
    dropWatchAfterMs: number | undefined,
  ): Promise<void> => {
    if (route.group === 'authorization.k8s.io' && route.resource === 'selfsubjectaccessreviews' && verb === 'create') {
      return sendJson(res, 201, reviewAccess(user, decodeObjectBody(await readBody(req), req.headers['content-type']), restrictedDenials));
    }
    // Before 1.22 the server also served CRDs as apiextensions.k8s.io/v1beta1 (stored as v1).
    const legacyCrd = servesCrdV1beta1(k8sVersion) && isCrdV1beta1Route(route);
    const type = api.resourceType({ group: route.group, version: legacyCrd ? 'v1' : route.version, resource: route.resource });
    if (!type || (route.namespace !== undefined && !type.namespaced)) throw notFoundPath();
    const decision = authorize(
      {
        user,
        verb,
        group: route.group,
        resource: route.resource,
        ...(route.subresource ? { subresource: route.subresource } : {}),
        ...(route.namespace !== undefined ? { namespace: route.namespace } : {}),
        ...(route.name !== undefined ? { name: route.name } : {}),
      },
      restrictedDenials,
    );
    if (!decision.allowed) throw forbidden(user, verb, route.group, route.resource, route.namespace, route.name);
    await handleResource({
      api,
      req,
      res,
      route,
      type,
      query,
      verb,
      bookmarkIntervalMs,
      ...(legacyCrd ? { legacy: { in: crdBodyToV1, out: crdToV1beta1, listKindApiVersion: 'apiextensions.k8s.io/v1beta1' } } : {}),
      ...(dropWatchAfterMs !== undefined ? { dropWatchAfterMs } : {}),
      trackWatch: (handle) => {
        watches.add(handle);
        return () => watches.delete(handle);
      },
    });
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const { pathname, search, query } = parseRequestTarget(req.url ?? '/');
    const route = parseResourcePath(pathname);
    const method = req.method ?? 'GET';
    const verb = kubeVerb(method, route, query.get('watch') === 'true' || query.get('watch') === '1');
    const entry: AuditEntry = { time: auditTime(), verb, method, path: pathname, query: search, user: 'system:anonymous', code: 0 };
    res.on('close', () => {
      entry.code = res.headersSent ? res.statusCode : 0;
      audit.record(entry);
    });
    try {
      const user = authenticate(tokens, req.headers.authorization);
      if (user) entry.user = user;
      if (pathname.startsWith('/sandbox/')) return await handleAdmin(req, res, pathname, user, faults, audit);
      let dropWatchAfterMs: number | undefined;
      if (faults.active()) {
        const decision = faults.decide({ path: pathname, verb, method });
        if (decision.applied.length > 0) entry.fault = decision.applied.join(',');
        if (decision.latencyMs > 0) await delay(decision.latencyMs);
        if (decision.error?.kind === 'reset-after') swallowResponse(res);
        else if (decision.error) return faultResponse(res, decision.error, route);
        dropWatchAfterMs = decision.dropWatchAfterMs;
      }
      if (!user && !isPublicPath(pathname)) throw unauthorized();
      if (route) return await handleResourceRoute(req, res, route, query, verb, user ?? 'system:anonymous', dropWatchAfterMs);
      if (!handleNonResource(api, req, res, pathname, k8sVersion)) throw notFoundPath();
    } catch (error) {
      if (res.headersSent) res.destroy();
      else sendStatus(res, error);
    }
  };

  const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    void handle(req, res);
  };
  const server = options.tls
    ? https.createServer({ cert: options.tls.certPem, key: options.tls.keyPem }, listener)
    : http.createServer(listener);
  // Each socket buffers a whole answer (a large CRD with its managedFields is hundreds of KB) before
  // it reports backpressure. With the default 16 KiB, a keep-alive client's next request could
  // arrive before the 'drain' of the previous answer was processed: Node's server then pauses the
  // socket mid-parse, its parser fails on the rest of the body with HPE_PAUSED and drops the
  // connection, which kubectl reports as "Unable to connect to the server: EOF" (seen with `kubectl
  // apply --server-side` of Gloo Edge's CRDs under a latency fault). A Go API server has no such
  // state. The server's highWaterMark option does not reach TLS sockets, hence the per-socket setting.
  const roomyWrites = (socket: { _writableState?: { highWaterMark: number } }): void => {
    if (socket._writableState) socket._writableState.highWaterMark = answerBufferBytes;
  };
  server.on(options.tls ? 'secureConnection' : 'connection', roomyWrites);
  // Long enough that a client's idle keep-alive connection is not cut under it between requests.
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `${options.tls ? 'https' : 'http'}://${hostForUrl}:${address.port}`,
    port: address.port,
    close: async () => {
      for (const watch of [...watches]) watch.stop();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
