/**
 * Every port (ports.ts) over the lean JSON transport (json-transport.ts): plain REST paths, the
 * API's own JSON in and out (what the ports promise), failures as ApiStatusError, transient
 * failures retried (retry.ts). No client library: client-node is loaded only when the kubeconfig's
 * credentials need it (client.ts, client-node-credentials.ts).
 *
 * API facts kept here (research/apiserver-surface.md):
 *  - every PATCH names its type: custom resources reject strategic merge (415), and scale and
 *    namespace writes need nothing more than a JSON merge patch;
 *  - CRDs are server-side applied, so CRDs over 256 KiB never meet the last-applied annotation;
 *  - a watch that the server refuses is an HTTP answer, not an ERROR event: it reaches onDone as
 *    an ApiStatusError.
 */
import { ApiStatusError, InternalError } from '../errors/errors.js';
import { statusFromResponse } from './api-status.js';
import type { AdapterOptions } from './client.js';
import { createJsonTransport, type CredentialSource, type JsonRequest, type JsonTransport } from './json-transport.js';
import { defaultPageSize } from './pagination.js';
import type {
  AccessReview,
  CrdStore,
  CustomObjectStore,
  DiscoveryClient,
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
import { withRetry } from './retry.js';

const mergePatch = 'application/merge-patch+json';
const applyPatch = 'application/apply-patch+yaml';

interface Resource {
  readonly group: string;
  readonly version: string;
  readonly plural: string;
}

function groupVersionPath(group: string, version: string): string {
  return group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
}

/** resourcePath is a collection's path, or one object's with `name`. */
function resourcePath(resource: Resource, namespace?: string, name?: string): string {
  const scope = namespace === undefined ? '' : `/namespaces/${encodeURIComponent(namespace)}`;
  return `${groupVersionPath(resource.group, resource.version)}${scope}/${resource.plural}${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;
}

/** qualified names a resource in logs as kubectl does: "pods", "deployments.apps". */
function qualified(resource: Resource): string {
  return resource.group === '' ? resource.plural : `${resource.plural}.${resource.group}`;
}

const workloadResources: Record<WorkloadKind, Resource> = {
  Deployment: { group: 'apps', version: 'v1', plural: 'deployments' },
  StatefulSet: { group: 'apps', version: 'v1', plural: 'statefulsets' },
  DaemonSet: { group: 'apps', version: 'v1', plural: 'daemonsets' },
  Pod: { group: '', version: 'v1', plural: 'pods' },
};

const crdResource: Resource = { group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions' };
const namespaceResource: Resource = { group: '', version: 'v1', plural: 'namespaces' };
const secretResource: Resource = { group: '', version: 'v1', plural: 'secrets' };

/** createTransport builds the JSON transport the ports share, decoding failures into ApiStatusError. */
export function createTransport(credentials: CredentialSource, options: AdapterOptions): JsonTransport {
  return createJsonTransport(credentials, {
    logger: options.logger,
    userAgent: options.userAgent,
    requestTimeoutMs: options.requestTimeoutMs,
    ...(options.pooled ? { pooled: true } : {}),
    decodeStatus: (code, body, headers) => new ApiStatusError(statusFromResponse({ code, body, retryAfter: headers['retry-after'] })),
  });
}

/** createRestClients builds every port over one transport. */
export function createRestClients(transport: JsonTransport, options: AdapterOptions): KubeClients {
  const { logger } = options;

  const send = <T>(describe: string, request: JsonRequest): Promise<T> => {
    // A client dry run reads only: a write reaching this point is a bug, refused before it is sent.
    // Access reviews are POSTs that store nothing, and a server dry run (dryRun=All) stores nothing either.
    if (options.readOnly && request.method !== 'GET' && !/reviews$/.test(request.path) && request.query?.dryRun !== 'All') {
      return Promise.reject(new InternalError(`client dry run: refused to send ${request.method} ${request.path}`));
    }
    return withRetry(() => transport.request<T>(request), options.retryPolicy, { describe, logger });
  };

  const dryRun = (enabled: boolean | undefined): string | undefined => (enabled ? 'All' : undefined);
  const writeQuery = (write: { dryRun?: boolean; fieldManager?: string }) => ({
    dryRun: dryRun(write.dryRun),
    fieldManager: write.fieldManager ?? options.fieldManager,
  });

  const list = async (resource: Resource, page: ListOptions): Promise<ListPage> => {
    const body = await send<{
      items?: KubeObject[] | null;
      metadata?: { continue?: string; resourceVersion?: string; remainingItemCount?: number };
    }>(`list ${qualified(resource)}`, {
      method: 'GET',
      path: resourcePath(resource, page.namespace),
      query: {
        labelSelector: page.labelSelector,
        fieldSelector: page.fieldSelector,
        limit: page.limit ?? defaultPageSize,
        continue: page.continueToken,
      },
    });
    return {
      items: body.items ?? [],
      continueToken: body.metadata?.continue || undefined,
      resourceVersion: body.metadata?.resourceVersion,
      ...(typeof body.metadata?.remainingItemCount === 'number' ? { remainingItemCount: body.metadata.remainingItemCount } : {}),
    };
  };

  const get = (resource: Resource, name: string, namespace?: string): Promise<KubeObject> =>
    send<KubeObject>(`get ${qualified(resource)} ${name}`, { method: 'GET', path: resourcePath(resource, namespace, name) });

  const getOrUndefined = async <T>(fetch: () => Promise<T>): Promise<T | undefined> => {
    try {
      return await fetch();
    } catch (err) {
      if (err instanceof ApiStatusError && err.code === 404) return undefined;
      throw err;
    }
  };

  /** watch streams a collection's events from the transport, as WatchEvents. */
  const watch = async (
    resource: Resource,
    watchOptions: ListOptions & { resourceVersion?: string },
    onEvent: (event: WatchEvent) => void,
    onDone: (err?: Error) => void,
  ): Promise<WatchHandle> => {
    const path = resourcePath(resource, watchOptions.namespace);
    const query = {
      labelSelector: watchOptions.labelSelector,
      fieldSelector: watchOptions.fieldSelector,
      resourceVersion: watchOptions.resourceVersion,
      allowWatchBookmarks: true,
    };
    return withRetry(
      () =>
        transport.watch(
          { path, query },
          (line) => onEvent({ type: line.type as WatchEvent['type'], object: line.object as KubeObject }),
          onDone,
        ),
      options.retryPolicy,
      { describe: `watch ${qualified(resource)}`, logger },
    );
  };

  const customObjects: CustomObjectStore = {
    watch: (gvr, watchOptions, onEvent, onDone) =>
      watch({ group: gvr.group, version: gvr.version, plural: gvr.resource }, watchOptions, onEvent, onDone),
    list: (gvr, page = {}) => list({ group: gvr.group, version: gvr.version, plural: gvr.resource }, page),
    get: (gvr, name, namespace) => get({ group: gvr.group, version: gvr.version, plural: gvr.resource }, name, namespace),
    create(gvr, object, write = {}) {
      const resource = { group: gvr.group, version: gvr.version, plural: gvr.resource };
      return send<KubeObject>(`create ${qualified(resource)} ${object.metadata?.name ?? ''}`, {
        method: 'POST',
        path: resourcePath(resource, object.metadata?.namespace),
        query: writeQuery(write),
        body: object,
      });
    },
    mergePatch(gvr, name, patch, namespace, write = {}) {
      const resource = { group: gvr.group, version: gvr.version, plural: gvr.resource };
      // Custom resources reject strategic merge (415): always a JSON merge patch.
      return send<KubeObject>(`patch ${qualified(resource)} ${name}`, {
        method: 'PATCH',
        path: resourcePath(resource, namespace, name),
        query: writeQuery(write),
        body: patch,
        contentType: mergePatch,
      });
    },
    async delete(gvr, name, namespace, write = {}) {
      const resource = { group: gvr.group, version: gvr.version, plural: gvr.resource };
      await send(`delete ${qualified(resource)} ${name}`, {
        method: 'DELETE',
        path: resourcePath(resource, namespace, name),
        query: { dryRun: dryRun(write.dryRun) },
      });
    },
  };

  const crds: CrdStore = {
    async list(labelSelector) {
      const items: KubeObject[] = [];
      let continueToken: string | undefined;
      do {
        const page = await list(crdResource, { labelSelector, continueToken });
        items.push(...page.items);
        continueToken = page.continueToken;
      } while (continueToken);
      return items;
    },
    get: (name) => getOrUndefined(() => get(crdResource, name)),
    watch: (watchOptions, onEvent, onDone) => watch(crdResource, watchOptions, onEvent, onDone),
    apply(crd, write) {
      const name = crd.metadata?.name ?? '';
      // A v1beta1 CRD goes to the v1beta1 endpoint: servers before 1.22 take it as it is.
      const resource = crd.apiVersion === 'apiextensions.k8s.io/v1beta1' ? { ...crdResource, version: 'v1beta1' } : crdResource;
      // Server-side apply: no last-applied annotation, so CRDs over 256 KiB apply fine.
      return send<KubeObject>(`apply customresourcedefinitions ${name}`, {
        method: 'PATCH',
        path: resourcePath(resource, undefined, name),
        query: { ...writeQuery(write), force: write.force ?? true },
        body: crd,
        contentType: applyPatch,
      });
    },
  };

  /** scaleOf reads an autoscaling/v1 Scale answer. */
  const scaleOf = (answer: { spec?: { replicas?: number }; status?: { replicas?: number }; metadata?: { resourceVersion?: string } }) => ({
    replicas: answer.spec?.replicas ?? 0,
    currentReplicas: answer.status?.replicas ?? 0,
    resourceVersion: answer.metadata?.resourceVersion,
  });
  const scalePath = (kind: ScalableKind, namespace: string, name: string): string =>
    `${resourcePath(workloadResources[kind], namespace, name)}/scale`;

  const scale: ScaleClient = {
    async getScale(kind, namespace, name) {
      return scaleOf(await send(`get ${kind} ${namespace}/${name} scale`, { method: 'GET', path: scalePath(kind, namespace, name) }));
    },
    async setReplicas(kind, namespace, name, replicas, write = {}) {
      // A resourceVersion inside a patch is a precondition: the server answers 409 if it moved.
      const body = {
        ...(write.resourceVersion ? { metadata: { resourceVersion: write.resourceVersion } } : {}),
        spec: { replicas },
      };
      return scaleOf(
        await send(`scale ${kind} ${namespace}/${name}`, {
          method: 'PATCH',
          path: scalePath(kind, namespace, name),
          query: writeQuery(write),
          body,
          contentType: mergePatch,
        }),
      );
    },
  };

  const workloads: WorkloadStore = {
    get: (kind, namespace, name) => getOrUndefined(() => get(workloadResources[kind], name, namespace)),
    list: (kind, page) => list(workloadResources[kind], page),
    watch: (kind, watchOptions, onEvent, onDone) => watch(workloadResources[kind], watchOptions, onEvent, onDone),
  };

  const secrets: SecretStore = { list: (page) => list(secretResource, page) };

  const namespaces: NamespaceStore = {
    get: (name) => getOrUndefined(() => get(namespaceResource, name)),
    create(namespace, write = {}) {
      return send<KubeObject>(`create namespace ${namespace.metadata?.name ?? ''}`, {
        method: 'POST',
        path: resourcePath(namespaceResource),
        query: writeQuery(write),
        body: namespace,
      });
    },
  };

  const discovery: DiscoveryClient = {
    async serverVersion() {
      const info = await send<{ gitVersion: string; major: string; minor: string; platform?: string }>('get /version', {
        method: 'GET',
        path: '/version',
      });
      return { gitVersion: info.gitVersion, major: info.major, minor: info.minor, platform: info.platform };
    },
    async groupVersions() {
      const core = await send<{ versions?: string[] }>('get /api', { method: 'GET', path: '/api' });
      const groups = await send<{
        groups?: Array<{ preferredVersion?: { groupVersion?: string }; versions?: Array<{ groupVersion: string }> }>;
      }>('get /apis', {
        method: 'GET',
        path: '/apis',
      });
      const result = [...(core.versions ?? [])];
      for (const group of groups.groups ?? []) {
        const preferred = group.preferredVersion?.groupVersion;
        if (preferred) result.push(preferred);
        for (const version of group.versions ?? []) if (version.groupVersion !== preferred) result.push(version.groupVersion);
      }
      return result;
    },
    async servedResources(groupVersion) {
      const [group, version] = groupVersion.includes('/') ? groupVersion.split('/', 2) : ['', groupVersion];
      const path = groupVersionPath(group ?? '', version ?? '');
      const list = await send<{ resources?: Array<{ name: string; kind: string; namespaced: boolean; verbs: string[] }> }>(`get ${path}`, {
        method: 'GET',
        path,
      });
      return (list.resources ?? []).map((resource) => ({
        name: resource.name,
        kind: resource.kind,
        namespaced: resource.namespaced,
        verbs: resource.verbs,
      }));
    },
  };

  const access: AccessReview = {
    async canI(question) {
      const review = await send<{ status?: { allowed?: boolean; reason?: string } }>(`can-i ${question.verb} ${question.resource}`, {
        method: 'POST',
        path: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
        body: {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectAccessReview',
          spec: { resourceAttributes: { ...question } },
        },
      });
      return { allowed: review.status?.allowed ?? false, reason: review.status?.reason };
    },
  };

  return { customObjects, crds, namespaces, scale, workloads, secrets, discovery, access };
}
