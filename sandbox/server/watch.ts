/**
 * Watch streams: chunked JSON lines `{"type":…,"object":…}`. Headers are flushed at once, because
 * `kubectl rollout status` and client-node's `watch()` wait for them before anything else
 * (apiserver-surface.md §2). A watch starts with synthetic ADDED events (resourceVersion unset
 * or 0), a replay of the log (resourceVersion N), or the WatchList protocol (sendInitialEvents,
 * ending with the `k8s.io/initial-events-end` bookmark that helm v4 waits for).
 */
import type { ServerResponse } from 'node:http';
import { ApiError, badRequest, invalid } from '../api/status.js';
import type { KubeObject, ResourceType, StoredEvent, WatchEventType } from '../api/types.js';
import type { SandboxApi } from '../api/internal-api.js';
import { combineFilters, fieldFilter, labelFilter } from '../store/selectors.js';
import { negotiateTable, toTable } from '../table/table.js';

/** What a watch asks for. */
export interface WatchRequest {
  type: ResourceType;
  namespace?: string;
  name?: string;
  query: URLSearchParams;
  accept: string | undefined;
  /** Ends the stream after this many milliseconds (the drop-watch fault). */
  dropAfterMs?: number;
  /** How often to send bookmarks when the client allows them. */
  bookmarkIntervalMs: number;
}

/** A running watch; `stop()` ends it (used when the server closes). */
export interface WatchHandle {
  stop(): void;
}

/** startWatch validates the request (throwing before any header is sent) and then streams until the client goes or a timer ends it. */
export function startWatch(api: SandboxApi, res: ServerResponse, request: WatchRequest, onEnd: () => void): WatchHandle {
  const { type, query } = request;
  const gv = type.group ? `${type.group}/${type.version}` : type.version;
  const sendInitialEvents = query.get('sendInitialEvents');
  const allowBookmarks = query.get('allowWatchBookmarks') === 'true';
  const rvParam = query.get('resourceVersion') ?? '';
  if (sendInitialEvents === 'true' && (query.get('resourceVersionMatch') !== 'NotOlderThan' || !allowBookmarks)) {
    throw invalid('meta.k8s.io', 'ListOptions', '', [
      {
        reason: 'FieldValueForbidden',
        field: 'sendInitialEvents',
        message:
          'Forbidden: sendInitialEvents is forbidden for watch unless resourceVersionMatch is NotOlderThan and allowWatchBookmarks is true',
      },
    ]);
  }
  if (rvParam && !/^\d+$/.test(rvParam)) throw badRequest(`invalid resource version: ${rvParam}`);
  const timeoutParam = query.get('timeoutSeconds');
  const timeoutSeconds = timeoutParam ? Number(timeoutParam) : 1800;
  const fields =
    request.name !== undefined
      ? `metadata.name=${request.name}${query.get('fieldSelector') ? `,${query.get('fieldSelector') ?? ''}` : ''}`
      : (query.get('fieldSelector') ?? undefined);
  const filter = combineFilters(labelFilter(query.get('labelSelector') ?? undefined), fieldFilter(fields));
  const namespace = type.namespaced ? request.namespace : undefined;
  const matches = (object: KubeObject): boolean =>
    (namespace === undefined || object.metadata.namespace === namespace) && (!filter || filter(object));
  const tableVersion = negotiateTable(request.accept);

  res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private', 'Transfer-Encoding': 'chunked' });
  res.flushHeaders();

  let firstTable = true;
  const write = (eventType: WatchEventType, object: unknown): void => {
    if (!res.writableEnded && !res.destroyed) res.write(`${JSON.stringify({ type: eventType, object })}\n`);
  };
  const send = (eventType: WatchEventType, object: KubeObject): void => {
    const served = api.atVersion(type, object);
    if (!tableVersion) return write(eventType, served);
    write(
      eventType,
      toTable(
        type,
        [served],
        { resourceVersion: served.metadata.resourceVersion ?? '' },
        { version: tableVersion, omitColumnDefinitions: !firstTable },
      ),
    );
    firstTable = false;
  };
  const bookmark = (annotations?: Record<string, string>): void => {
    const metadata: Record<string, unknown> = { resourceVersion: String(api.store.currentRevision()) };
    if (annotations) metadata.annotations = annotations;
    write('BOOKMARK', { kind: type.kind, apiVersion: gv, metadata });
  };

  const timers: NodeJS.Timeout[] = [];
  let unsubscribe: () => void = () => undefined;
  let ended = false;
  const stop = (): void => {
    if (ended) return;
    ended = true;
    unsubscribe();
    for (const timer of timers) clearTimeout(timer);
    if (!res.writableEnded) res.end();
    onEnd();
  };
  res.on('close', stop);

  // Everything up to the subscription runs synchronously, so no change can slip in between.
  if (sendInitialEvents === 'true') {
    for (const object of api.store.list(type, namespace)) if (matches(object)) send('ADDED', object);
    bookmark({ 'k8s.io/initial-events-end': 'true' });
  } else if ((rvParam === '' || rvParam === '0') && sendInitialEvents !== 'false') {
    for (const object of api.store.list(type, namespace)) if (matches(object)) send('ADDED', object);
  } else if (rvParam !== '' && rvParam !== '0') {
    const replay = api.store.log.since(Number(rvParam));
    if (!replay) {
      const gone = new ApiError(410, 'Expired', `too old resource version: ${rvParam} (${api.store.log.oldest()})`);
      write('ERROR', gone.status);
      stop();
      return { stop };
    }
    for (const event of replay) if (sameResource(event, type) && matches(event.object)) send(event.type, event.object);
  }
  unsubscribe = api.store.subscribe((event) => {
    if (sameResource(event, type) && matches(event.object)) send(event.type, event.object);
  });
  if (timeoutSeconds > 0) timers.push(setTimeout(stop, timeoutSeconds * 1000));
  if (request.dropAfterMs !== undefined) timers.push(setTimeout(stop, request.dropAfterMs));
  if (allowBookmarks) {
    const interval = setInterval(() => bookmark(), request.bookmarkIntervalMs);
    timers.push(interval);
  }
  return { stop };
}

function sameResource(event: StoredEvent, type: ResourceType): boolean {
  return event.groupResource.resource === type.resource && event.groupResource.group === type.group;
}
