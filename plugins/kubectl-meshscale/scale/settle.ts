/**
 * Waiting for Gloo Mesh-style discovery to settle: its resources stop changing for a quiet period.
 * Per discovery kind, one list (the counts and a resourceVersion) and then a watch from that
 * resourceVersion; "settled" means no ADDED, MODIFIED or DELETED event for the quiet period. A
 * stream that drops or answers 410 Gone (its resourceVersion compacted away) is replaced by a fresh
 * list and watch; if that list differs from what the stream had shown, the change restarts the
 * quiet period, so nothing that happened while unwatched is missed.
 */
import type { CustomObjectStore, GroupVersionResource, WatchEvent, WatchHandle } from '../../../shared/kube/ports.js';
import type { ResourceKind } from '../../../shared/profiles/index.js';
import { TimeoutError } from '../../../shared/errors/errors.js';
import { interruption } from './wait.js';
import { paginate } from '../../../shared/kube/pagination.js';

/** SettleOptions configure one settle wait. */
export interface SettleOptions {
  readonly kinds: readonly ResourceKind[];
  readonly quietPeriodMs: number;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** report receives progress lines: counts per kind. */
  readonly report: (line: string) => void;
  /** progressIntervalMs throttles the progress lines (default 1 s). */
  readonly progressIntervalMs?: number;
}

/** SettlePorts are what the settle wait reads. */
export type SettlePorts = Pick<CustomObjectStore, 'list' | 'watch'>;

function gvrOfKind(kind: ResourceKind): GroupVersionResource {
  return { group: kind.group, version: kind.versions[0]!, resource: kind.plural };
}

/** One kind's view: object key → resourceVersion, as of the last list plus the events since. */
interface KindView {
  readonly kind: ResourceKind;
  objects: Map<string, string>;
  handle?: WatchHandle;
  /** restarting is true between a drop and the fresh list's watch. */
  restarting: boolean;
  /** droppedAt is when the stream last ended: the view is known only up to then until the relist. */
  droppedAt: number;
  /** quickDrops counts streams that ended soon after starting, for a backoff. */
  quickDrops: number;
  /** generation tells the current stream's callbacks from those of streams already replaced. */
  generation: number;
  startedAt: number;
}

function keyOf(object: { metadata?: { namespace?: string; name?: string } }): string {
  return `${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`;
}

/** A stream that ends sooner than this after starting was refused or broken, not merely closed. */
const quickDropMs = 200;

function duration(ms: number): string {
  return ms < 1000 || ms % 1000 !== 0 ? `${ms}ms` : `${ms / 1000}s`;
}

function sameObjects(a: Map<string, string>, b: Map<string, string>): boolean {
  if (a.size !== b.size) return false;
  for (const [key, rv] of a) if (b.get(key) !== rv) return false;
  return true;
}

/**
 * waitForSettle resolves with the final counts per kind once no discovery resource changed for the
 * quiet period; it rejects with exit 8 after timeoutMs (naming the counts) and exit 130 on abort.
 */
export function waitForSettle(ports: SettlePorts, options: SettleOptions): Promise<Map<string, number>> {
  if (options.kinds.length === 0) return Promise.resolve(new Map());
  const views: KindView[] = options.kinds.map((kind) => ({
    kind,
    objects: new Map(),
    restarting: true,
    droppedAt: 0,
    quickDrops: 0,
    generation: 0,
    startedAt: 0,
  }));
  const counts = (): string => views.map((v) => `${v.kind.kind}=${v.objects.size}`).join(' ');
  const progressEvery = options.progressIntervalMs ?? 1000;

  return new Promise((resolve, reject) => {
    let finished = false;
    let quietTimer: NodeJS.Timeout | undefined;
    let quietElapsed = false;
    let lastChange = 0;
    let lastProgress = 0;
    let progressPending = false;
    let progressTimer: NodeJS.Timeout | undefined;
    const retryTimers = new Set<NodeJS.Timeout>();

    const cleanup = (): void => {
      finished = true;
      clearTimeout(quietTimer);
      clearTimeout(deadline);
      clearTimeout(progressTimer);
      for (const timer of retryTimers) clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      for (const view of views) view.handle?.stop();
    };
    const fail = (err: unknown): void => {
      if (finished) return;
      cleanup();
      reject(err);
    };
    const settle = (): void => {
      if (finished) return;
      cleanup();
      options.report(`discovery settled: ${counts()}`);
      resolve(new Map(views.map((v) => [v.kind.kind, v.objects.size])));
    };

    const progress = (): void => {
      const wait = lastProgress + progressEvery - Date.now();
      if (wait <= 0) {
        lastProgress = Date.now();
        progressPending = false;
        options.report(`discovery: ${counts()}`);
        return;
      }
      if (progressPending) return;
      progressPending = true;
      progressTimer = setTimeout(() => {
        if (!finished) progress();
      }, wait);
    };

    /**
     * trySettle settles once the quiet period has elapsed and every kind was observed through all of
     * it: watched, or dropped only after it ended. A kind that dropped within it is decided by its
     * relist (unchanged: observed after all; changed: the quiet period starts again).
     */
    const trySettle = (): void => {
      if (!quietElapsed) return;
      const quietEnd = lastChange + options.quietPeriodMs;
      if (views.every((v) => !v.restarting || v.droppedAt >= quietEnd)) settle();
    };
    /** armQuiet (re)starts the quiet period. */
    const armQuiet = (): void => {
      quietElapsed = false;
      lastChange = Date.now();
      clearTimeout(quietTimer);
      quietTimer = setTimeout(() => {
        quietElapsed = true;
        trySettle();
      }, options.quietPeriodMs);
    };
    const changed = (): void => {
      if (finished) return;
      armQuiet();
      progress();
    };

    const onEvent = (view: KindView, event: WatchEvent): void => {
      if (finished || view.restarting) return;
      if (event.type === 'BOOKMARK') return;
      if (event.type === 'ERROR') {
        // 410 Gone (or another Status): the stream is useless from here; list afresh.
        restart(view);
        return;
      }
      const key = keyOf(event.object);
      if (event.type === 'DELETED') view.objects.delete(key);
      else view.objects.set(key, event.object.metadata?.resourceVersion ?? '');
      changed();
    };

    const restart = (view: KindView): void => {
      if (finished || view.restarting) return;
      view.restarting = true;
      view.droppedAt = Date.now();
      view.handle?.stop();
      view.handle = undefined;
      // A stream that keeps ending at once (a proxy, a fault) is retried with a growing delay.
      view.quickDrops = Date.now() - view.startedAt < quickDropMs ? view.quickDrops + 1 : 0;
      const delay = view.quickDrops === 0 ? 0 : Math.min(2000, 50 * 2 ** view.quickDrops);
      const timer = setTimeout(() => {
        retryTimers.delete(timer);
        void start(view);
      }, delay);
      retryTimers.add(timer);
    };

    const start = async (view: KindView): Promise<void> => {
      if (finished) return;
      try {
        const gvr = gvrOfKind(view.kind);
        const objects = new Map<string, string>();
        let resourceVersion: string | undefined;
        for await (const page of paginate((continueToken) => ports.list(gvr, { continueToken }))) {
          for (const item of page.items) objects.set(keyOf(item), item.metadata?.resourceVersion ?? '');
          resourceVersion = page.resourceVersion;
        }
        if (finished) return;
        const differs = !sameObjects(view.objects, objects);
        view.objects = objects;
        view.startedAt = Date.now();
        view.restarting = false;
        const generation = ++view.generation;
        const handle = await ports.watch(
          gvr,
          { resourceVersion },
          (event) => {
            if (generation === view.generation) onEvent(view, event);
          },
          () => {
            if (generation === view.generation) restart(view);
          },
        );
        if (finished) {
          handle.stop();
          return;
        }
        // The stream may have ended before its handle arrived: then a restart is already under way.
        if (view.restarting) return;
        view.handle = handle;
        const allWatched = views.every((v) => !v.restarting);
        if (quietTimer === undefined) {
          // The quiet period starts once every kind has been listed and is watched.
          if (allWatched) {
            options.report(`discovery: ${counts()}`);
            lastProgress = Date.now();
            armQuiet();
          }
          return;
        }
        if (differs) changed();
        else trySettle();
      } catch (err) {
        fail(err);
      }
    };

    const deadline = setTimeout(
      () =>
        fail(
          new TimeoutError(
            `timed out after ${duration(options.timeoutMs)} waiting for discovery to settle (still changing within the last ${duration(options.quietPeriodMs)}): ${counts()}`,
          ),
        ),
      options.timeoutMs,
    );
    const onAbort = (): void => fail(interruption(options.signal));
    if (options.signal?.aborted) return fail(interruption(options.signal));
    options.signal?.addEventListener('abort', onAbort);
    for (const view of views) void start(view);
  });
}
