/**
 * The one adapter from our ports to @kubernetes/client-node 1.4. It is imported only through
 * `await import()` in client.ts: loading client-node costs ~400 ms, which `--help` must not pay.
 *
 * client-node facts this file works around (research/apiserver-surface.md §4):
 *  - typed PATCH defaults to application/json-patch+json; we always name the patch type;
 *  - an http:// server throws unless the cluster sets insecure-skip-tls-verify (kubectl does not
 *    care), so we set it for plain-http servers;
 *  - failures are ApiException {code, body: raw Status JSON}; we convert them to ApiStatusError;
 *  - typed responses are class instances with Date fields and `_continue`; custom objects
 *    (also used for apps/v1 and CRDs) come back as the API's plain JSON.
 */
import {
  ApiException,
  ApisApi,
  AppsV1Api,
  AuthorizationV1Api,
  CoreApi,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  VersionApi,
  Watch,
  setHeaderMiddleware,
  type ConfigurationOptions,
  type RequestContext,
  type ResponseContext,
} from '@kubernetes/client-node';
import http from 'node:http';
import https from 'node:https';
import { ApiStatusError, ConnectionError, type ApiStatus } from '../errors/errors.js';
import { LogLevel } from '../log/logger.js';
import type { AdapterOptions } from './client.js';
import type { ResolvedKubeconfig } from './kubeconfig.js';
import { defaultPageSize } from './pagination.js';
import type {
  AccessReview,
  CrdStore,
  CustomObjectStore,
  DiscoveryClient,
  GroupVersionResource,
  KubeClients,
  KubeObject,
  ListOptions,
  ListPage,
  NamespaceStore,
  ScalableKind,
  ScaleClient,
  SecretStore,
  WatchEvent,
  WatchHandle,
  WorkloadKind,
  WorkloadStore,
} from './ports.js';
import { createJsonTransport, type JsonRequest } from './json-transport.js';
import { withRetry } from './retry.js';

// kubectl's wording for a Status-less failure, keyed by HTTP code (apimachinery's reasonForCode).
const reasonForCode: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Gone',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/** statusFromApiException decodes client-node's ApiException into our ApiStatus. */
export function statusFromApiException(err: { code: number; body: unknown; headers?: Record<string, string> }): ApiStatus {
  let body: unknown = err.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body) as unknown;
    } catch {
      // Not JSON (a proxy's HTML page, plain text): keep the text as the message.
    }
  }
  const retryHeader = Number(err.headers?.['retry-after']);
  const fromHeader = Number.isFinite(retryHeader) && retryHeader > 0 ? retryHeader : undefined;
  if (body instanceof Object && (body as { kind?: unknown }).kind === 'Status') {
    const status = body as { code?: number; reason?: string; message?: string; details?: { retryAfterSeconds?: number } };
    return {
      code: status.code ?? err.code,
      reason: status.reason ?? reasonForCode[err.code] ?? '',
      message: status.message ?? '',
      retryAfterSeconds: status.details?.retryAfterSeconds ?? fromHeader,
    };
  }
  const text = typeof body === 'string' && body.trim() !== '' ? body.trim() : `the server responded with HTTP ${err.code}`;
  return { code: err.code, reason: reasonForCode[err.code] ?? '', message: text, retryAfterSeconds: fromHeader };
}

function convertError(err: unknown, requestTimeoutMs: number | undefined): unknown {
  if (err instanceof ApiException) return new ApiStatusError(statusFromApiException(err), { cause: err });
  if (err instanceof Error && (err.name === 'AbortError' || (err as { type?: string }).type === 'aborted')) {
    return new ConnectionError(`request timed out after ${requestTimeoutMs ?? 0}ms (--request-timeout)`, { cause: err });
  }
  return err;
}

function buildKubeConfig(resolved: ResolvedKubeconfig): KubeConfig {
  const config = structuredClone(resolved.config);
  for (const { cluster } of config.clusters) {
    // kubectl talks to http:// servers happily; client-node refuses unless TLS verification is
    // "skipped", which for plain http means nothing.
    if (cluster.server.startsWith('http://')) cluster['insecure-skip-tls-verify'] = true;
  }
  for (const { user } of config.users) {
    // kubectl spells the token file "tokenFile"; client-node reads "token-file".
    if (typeof user.tokenFile === 'string' && user['token-file'] === undefined) user['token-file'] = user.tokenFile;
  }
  const kc = new KubeConfig();
  kc.loadFromString(JSON.stringify(config));
  kc.setCurrentContext(resolved.contextName);
  return kc;
}

function toPlain<T>(value: unknown): T {
  // Typed client-node models hold Date objects; JSON round-tripping restores RFC 3339 strings.
  return JSON.parse(JSON.stringify(value ?? null)) as T;
}

function groupVersionPath(group: string, version: string): string {
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}

const workloadResources: Record<WorkloadKind, { group: string; version: string; plural: string }> = {
  Deployment: { group: 'apps', version: 'v1', plural: 'deployments' },
  StatefulSet: { group: 'apps', version: 'v1', plural: 'statefulsets' },
  Pod: { group: '', version: 'v1', plural: 'pods' },
};

/** createClientNodeClients builds every port over one client-node KubeConfig. */
export function createClientNodeClients(resolved: ResolvedKubeconfig, options: AdapterOptions): KubeClients {
  const kc = buildKubeConfig(resolved);
  const customApi = kc.makeApiClient(CustomObjectsApi);
  const appsApi = kc.makeApiClient(AppsV1Api);
  const coreV1Api = kc.makeApiClient(CoreV1Api);
  const { logger, requestTimeoutMs } = options;

  // client-node 1.x builds a new http(s).Agent for every request (KubeConfig.createAgent), so each
  // call pays a TCP and TLS handshake. One keep-alive agent with the same TLS options, shared by
  // this adapter's calls, reuses connections as kubectl does. Proxy agents are left alone.
  let keepAliveAgent: http.Agent | undefined;
  const reuseConnections = (request: RequestContext): void => {
    const agent = request.getAgent();
    if (!agent || (agent.constructor !== https.Agent && agent.constructor !== http.Agent)) return;
    keepAliveAgent ??= agent instanceof https.Agent
      ? new https.Agent({ ...agent.options, keepAlive: true })
      : new http.Agent({ keepAlive: true });
    request.setAgent(keepAliveAgent);
  };

  /** requestOptions sets User-Agent, timeout, -v 6 request logging and an optional Content-Type. */
  const requestOptions = (contentType?: string): ConfigurationOptions => {
    // The object-style API runs Observable middleware; setHeaderMiddleware builds a correct one
    // (client-node's Observable stub is not exported), and we add our work around it.
    const userAgent = setHeaderMiddleware('User-Agent', options.userAgent);
    let started = 0;
    let line = '';
    const middleware = {
      pre: (request: RequestContext) => {
        reuseConnections(request);
        if (contentType) request.setHeaderParam('Content-Type', contentType);
        if (requestTimeoutMs !== undefined) request.setSignal(AbortSignal.timeout(requestTimeoutMs));
        started = Date.now();
        line = `${request.getHttpMethod()} ${request.getUrl()}`;
        const body = request.getBody();
        if (typeof body === 'string' && body !== '') logger.v(LogLevel.Bodies, `Request Body: ${body}`);
        return userAgent.pre(request);
      },
      post: (response: ResponseContext) => {
        logger.v(LogLevel.Requests, `${line} ${response.httpStatusCode} in ${Date.now() - started} milliseconds`);
        return userAgent.post(response);
      },
    };
    return { middleware: [middleware], middlewareMergeStrategy: 'append' };
  };

  const call = <T>(describe: string, fn: () => Promise<T>): Promise<T> =>
    withRetry(
      async () => {
        try {
          return await fn();
        } catch (err) {
          throw convertError(err, requestTimeoutMs);
        }
      },
      options.retryPolicy,
      { describe, logger },
    );

  const dryRun = (enabled: boolean | undefined): string | undefined => (enabled ? 'All' : undefined);

  // Custom objects, CRDs and apps/v1 reads go through the lean transport (json-transport.ts):
  // client-node's generated layers cost more CPU per call than the API server's own work.
  const transport = createJsonTransport(kc, {
    logger,
    userAgent: options.userAgent,
    requestTimeoutMs,
    decodeStatus: (code, body, headers) =>
      new ApiStatusError(statusFromApiException({ code, body, headers: { 'retry-after': String(headers['retry-after'] ?? '') } })),
  });
  const resourcePath = (gvr: { group: string; version: string; plural: string }, namespace?: string, name?: string): string =>
    `${groupVersionPath(gvr.group, gvr.version)}${namespace === undefined ? '' : `/namespaces/${encodeURIComponent(namespace)}`}/${gvr.plural}${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;
  const send = <T>(describe: string, request: JsonRequest): Promise<T> => call(describe, () => transport.request<T>(request));

  const listCustom = async (
    group: string,
    version: string,
    plural: string,
    list: ListOptions,
  ): Promise<ListPage> => {
    const body = await send<{ items?: KubeObject[]; metadata?: { continue?: string; resourceVersion?: string } }>(`list ${plural}.${group}`, {
      method: 'GET',
      path: resourcePath({ group, version, plural }, list.namespace),
      query: {
        labelSelector: list.labelSelector,
        fieldSelector: list.fieldSelector,
        limit: list.limit ?? defaultPageSize,
        continue: list.continueToken,
      },
    });
    return {
      items: body.items ?? [],
      continueToken: body.metadata?.continue || undefined,
      resourceVersion: body.metadata?.resourceVersion,
    };
  };

  const getCustom = (group: string, version: string, plural: string, name: string, namespace?: string): Promise<KubeObject> =>
    send<KubeObject>(`get ${plural}.${group} ${name}`, { method: 'GET', path: resourcePath({ group, version, plural }, namespace, name) });

  const getOrUndefined = async <T>(fetch: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await fetch();
    } catch (err) {
      if (err instanceof ApiStatusError && err.code === 404) return undefined;
      throw err;
    }
  };

  const writeQuery = (write: { dryRun?: boolean; fieldManager?: string }) => ({
    dryRun: dryRun(write.dryRun),
    fieldManager: write.fieldManager ?? options.fieldManager,
  });

  /**
   * watchPath streams a collection's events. client-node's Watch reports a non-200 answer through
   * `done` (an Error with statusCode), never by throwing; we hand it on as an ApiStatusError.
   */
  const watchPath = async (
    path: string,
    list: ListOptions & { resourceVersion?: string },
    onEvent: (event: WatchEvent) => void,
    onDone: (err?: Error) => void,
  ): Promise<WatchHandle> => {
    const controller = await call(`watch ${path}`, () =>
      new Watch(kc).watch(
        path,
        {
          labelSelector: list.labelSelector,
          fieldSelector: list.fieldSelector,
          resourceVersion: list.resourceVersion,
          allowWatchBookmarks: true,
        },
        (type, object) => onEvent({ type: type as WatchEvent['type'], object: object as KubeObject }),
        (err?: unknown) => {
          const code = (err as { statusCode?: unknown } | undefined)?.statusCode;
          if (typeof code === 'number') {
            onDone(new ApiStatusError({ code, reason: reasonForCode[code] ?? '', message: `watch ${path}: ${(err as Error).message}` }));
          } else {
            onDone(err instanceof Error ? err : undefined);
          }
        },
      ),
    );
    return { stop: () => controller.abort() };
  };

  const customObjects: CustomObjectStore = {
    watch: (gvr, list, onEvent, onDone) =>
      watchPath(resourcePath({ group: gvr.group, version: gvr.version, plural: gvr.resource }, list.namespace), list, onEvent, onDone),
    list: (gvr, list = {}) => listCustom(gvr.group, gvr.version, gvr.resource, list),
    get: (gvr, name, namespace) => getCustom(gvr.group, gvr.version, gvr.resource, name, namespace),
    create(gvr: GroupVersionResource, object, write = {}) {
      const target = { group: gvr.group, version: gvr.version, plural: gvr.resource };
      return send<KubeObject>(`create ${gvr.resource}.${gvr.group} ${object.metadata?.name ?? ''}`, {
        method: 'POST',
        path: resourcePath(target, object.metadata?.namespace),
        query: writeQuery(write),
        body: object,
      });
    },
    mergePatch(gvr, name, patch, namespace, write = {}) {
      // Custom resources reject strategic merge (415): always a JSON merge patch.
      return send<KubeObject>(`patch ${gvr.resource}.${gvr.group} ${name}`, {
        method: 'PATCH',
        path: resourcePath({ group: gvr.group, version: gvr.version, plural: gvr.resource }, namespace, name),
        query: writeQuery(write),
        body: patch,
        contentType: PatchStrategy.MergePatch,
      });
    },
    async delete(gvr, name, namespace, write = {}) {
      await send(`delete ${gvr.resource}.${gvr.group} ${name}`, {
        method: 'DELETE',
        path: resourcePath({ group: gvr.group, version: gvr.version, plural: gvr.resource }, namespace, name),
        query: { dryRun: dryRun(write.dryRun) },
      });
    },
  };

  const crdGroup = 'apiextensions.k8s.io';
  const crds: CrdStore = {
    async list(labelSelector) {
      const items: KubeObject[] = [];
      let continueToken: string | undefined;
      do {
        const page = await listCustom(crdGroup, 'v1', 'customresourcedefinitions', { labelSelector, continueToken });
        items.push(...page.items);
        continueToken = page.continueToken;
      } while (continueToken);
      return items;
    },
    get: (name) => getOrUndefined(() => getCustom(crdGroup, 'v1', 'customresourcedefinitions', name)),
    apply(crd, write) {
      const name = crd.metadata?.name ?? '';
      // Server-side apply: no last-applied annotation, so CRDs over 256 KiB apply fine.
      return send<KubeObject>(`apply customresourcedefinitions ${name}`, {
        method: 'PATCH',
        path: resourcePath({ group: crdGroup, version: 'v1', plural: 'customresourcedefinitions' }, undefined, name),
        query: { ...writeQuery(write), force: write.force ?? true },
        body: crd,
        contentType: PatchStrategy.ServerSideApply,
      });
    },
  };

  const scale: ScaleClient = {
    async getScale(kind: ScalableKind, namespace, name) {
      const result = await call(`get ${kind} ${namespace}/${name} scale`, () =>
        kind === 'Deployment'
          ? appsApi.readNamespacedDeploymentScale({ name, namespace }, requestOptions())
          : appsApi.readNamespacedStatefulSetScale({ name, namespace }, requestOptions()),
      );
      return {
        replicas: result.spec?.replicas ?? 0,
        currentReplicas: result.status?.replicas ?? 0,
        resourceVersion: result.metadata?.resourceVersion,
      };
    },
    async setReplicas(kind, namespace, name, replicas, write = {}) {
      // A resourceVersion inside a patch is a precondition: the server answers 409 if it moved.
      const body = {
        ...(write.resourceVersion ? { metadata: { resourceVersion: write.resourceVersion } } : {}),
        spec: { replicas },
      };
      const params = { name, namespace, body, dryRun: dryRun(write.dryRun), fieldManager: write.fieldManager ?? options.fieldManager };
      const opts = requestOptions(PatchStrategy.MergePatch);
      const result = await call(`scale ${kind} ${namespace}/${name}`, () =>
        kind === 'Deployment'
          ? appsApi.patchNamespacedDeploymentScale(params, opts)
          : appsApi.patchNamespacedStatefulSetScale(params, opts),
      );
      return {
        replicas: result.spec?.replicas ?? 0,
        currentReplicas: result.status?.replicas ?? 0,
        resourceVersion: result.metadata?.resourceVersion,
      };
    },
  };

  const listCoreV1 = async (plural: 'pods' | 'secrets', list: ListOptions): Promise<ListPage> => {
    const query = {
      labelSelector: list.labelSelector,
      fieldSelector: list.fieldSelector,
      limit: list.limit ?? defaultPageSize,
      _continue: list.continueToken,
    };
    const body = await call(`list ${plural}`, () => {
      if (plural === 'pods') {
        return list.namespace === undefined
          ? coreV1Api.listPodForAllNamespaces(query, requestOptions())
          : coreV1Api.listNamespacedPod({ ...query, namespace: list.namespace }, requestOptions());
      }
      return list.namespace === undefined
        ? coreV1Api.listSecretForAllNamespaces(query, requestOptions())
        : coreV1Api.listNamespacedSecret({ ...query, namespace: list.namespace }, requestOptions());
    });
    return {
      items: toPlain<KubeObject[]>(body.items),
      continueToken: body.metadata?._continue || undefined,
      resourceVersion: body.metadata?.resourceVersion,
    };
  };

  const workloads: WorkloadStore = {
    get(kind, namespace, name) {
      if (kind === 'Pod') {
        return getOrUndefined(async () =>
          toPlain<KubeObject>(await call(`get pod ${namespace}/${name}`, () => coreV1Api.readNamespacedPod({ name, namespace }, requestOptions()))),
        );
      }
      const resource = workloadResources[kind];
      return getOrUndefined(() => getCustom(resource.group, resource.version, resource.plural, name, namespace));
    },
    list(kind, list) {
      if (kind === 'Pod') return listCoreV1('pods', list);
      const resource = workloadResources[kind];
      return listCustom(resource.group, resource.version, resource.plural, list);
    },
    watch: (kind, list, onEvent, onDone) => watchPath(resourcePath(workloadResources[kind], list.namespace), list, onEvent, onDone),
  };

  const secrets: SecretStore = { list: (list) => listCoreV1('secrets', list) };

  const namespaces: NamespaceStore = {
    get: (name) =>
      getOrUndefined(async () => toPlain<KubeObject>(await call(`get namespace ${name}`, () => coreV1Api.readNamespace({ name }, requestOptions())))),
    async create(namespace, write = {}) {
      const name = namespace.metadata?.name ?? '';
      return toPlain<KubeObject>(
        await call(`create namespace ${name}`, () =>
          coreV1Api.createNamespace(
            { body: namespace as never, dryRun: dryRun(write.dryRun), fieldManager: write.fieldManager ?? options.fieldManager },
            requestOptions(),
          ),
        ),
      );
    },
  };

  const discovery: DiscoveryClient = {
    async serverVersion() {
      const info = await call('get /version', () => kc.makeApiClient(VersionApi).getCode(undefined, requestOptions()));
      return { gitVersion: info.gitVersion, major: info.major, minor: info.minor, platform: info.platform };
    },
    async groupVersions() {
      const core = await call('get /api', () => kc.makeApiClient(CoreApi).getAPIVersions(undefined, requestOptions()));
      const groups = await call('get /apis', () => kc.makeApiClient(ApisApi).getAPIVersions(undefined, requestOptions()));
      const result = [...core.versions];
      for (const group of groups.groups) {
        const preferred = group.preferredVersion?.groupVersion;
        if (preferred) result.push(preferred);
        for (const version of group.versions) if (version.groupVersion !== preferred) result.push(version.groupVersion);
      }
      return result;
    },
    async servedResources(groupVersion) {
      const [group, version] = groupVersion.includes('/') ? groupVersion.split('/', 2) : ['', groupVersion];
      const list = await call(`get ${groupVersionPath(group ?? '', version ?? '')}`, () =>
        group === ''
          ? coreV1Api.getAPIResources(requestOptions())
          : customApi.getAPIResources({ group: group ?? '', version: version ?? '' }, requestOptions()),
      );
      return list.resources.map((resource) => ({
        name: resource.name,
        kind: resource.kind,
        namespaced: resource.namespaced,
        verbs: resource.verbs,
      }));
    },
  };

  const access: AccessReview = {
    async canI(question) {
      const review = await call(`can-i ${question.verb} ${question.resource}`, () =>
        kc.makeApiClient(AuthorizationV1Api).createSelfSubjectAccessReview(
          {
            body: {
              apiVersion: 'authorization.k8s.io/v1',
              kind: 'SelfSubjectAccessReview',
              spec: { resourceAttributes: { ...question } },
            },
          },
          requestOptions(),
        ),
      );
      return { allowed: review.status?.allowed ?? false, reason: review.status?.reason };
    },
  };

  return { customObjects, crds, namespaces, scale, workloads, secrets, discovery, access };
}
