/**
 * One round of a watch that waits for a condition: the shape every wait of the suite shares
 * (meshscale's rollouts, crdsync's Established). The caller lists, then watches from the list's
 * resourceVersion; a dropped round (an ERROR event such as 410 Gone, a closed stream, a watch
 * that could not start) sends it back to list again.
 */
import type { WatchEvent, WatchHandle } from './ports.js';

/** WatchOutcome is how one watch round ended. */
export type WatchOutcome = 'done' | 'dropped' | 'timeout' | 'aborted';

/** WatchRoundOptions bound a round: its time, the user's Ctrl-C, and the clock (tests inject one). */
export interface WatchRoundOptions {
  readonly remainingMs: number;
  readonly signal?: AbortSignal;
  /** sleep resolves after `ms` or when its signal aborts; setTimeout by default. */
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/**
 * watchRound runs one watch until `onEvent` says done, the stream drops, `remainingMs` runs out or
 * the signal aborts; the watch is stopped however it ends, even when it starts after the end.
 */
export function watchRound(
  start: (onEvent: (event: WatchEvent) => void, onDone: () => void) => Promise<WatchHandle>,
  onEvent: (event: WatchEvent) => boolean,
  options: WatchRoundOptions,
): Promise<WatchOutcome> {
  const { remainingMs, signal } = options;
  return new Promise<WatchOutcome>((resolve) => {
    const timer = new AbortController();
    let handle: WatchHandle | undefined;
    let settled = false;
    const finish = (result: WatchOutcome): void => {
      if (settled) return;
      settled = true;
      timer.abort();
      signal?.removeEventListener('abort', onAbort);
      handle?.stop();
      resolve(result);
    };
    const onAbort = (): void => finish('aborted');
    signal?.addEventListener('abort', onAbort);
    if (options.sleep) {
      void options.sleep(remainingMs, timer.signal).then(() => finish('timeout'));
    } else {
      const timeout = setTimeout(() => finish('timeout'), remainingMs);
      timer.signal.addEventListener('abort', () => clearTimeout(timeout));
    }
    start(
      (event) => {
        if (settled || event.type === 'BOOKMARK') return;
        if (event.type === 'ERROR') return finish('dropped');
        if (onEvent(event)) finish('done');
      },
      () => finish('dropped'),
    ).then(
      (started) => {
        handle = started;
        if (settled) started.stop();
      },
      // The watch could not start even after the adapter's retries: the caller lists again.
      () => finish('dropped'),
    );
  });
}
