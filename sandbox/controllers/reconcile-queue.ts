/**
 * The work queue every simulated controller runs on, as client-go's workqueue does for real
 * controllers: keys are coalesced (ten events for one Deployment give one reconcile), work runs
 * outside the event handler (the in-process API delivers events synchronously, inside the write
 * that caused them), and a failed reconcile is retried after a short delay.
 */
import { ApiError } from '../api/status.js';

/** How often a key may fail in a row before the queue stops retrying it (a bug, not a race). */
const maxConsecutiveFailures = 50;

/** ReconcileQueue runs `reconcile(key)` once per burst of enqueues, and again after failures or requested delays. */
export class ReconcileQueue {
  private readonly pending = new Set<string>();
  private readonly timers = new Map<string, { at: number; timer: NodeJS.Timeout }>();
  private readonly failures = new Map<string, number>();
  private flushScheduled = false;
  private stopped = false;

  constructor(private readonly reconcile: (key: string) => void) {}

  /** enqueue asks for a reconcile of `key` soon (after the current event handler returns). */
  enqueue(key: string): void {
    if (this.stopped) return;
    this.pending.add(key);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** enqueueAfter asks for a reconcile of `key` in `ms` (the earliest request wins). */
  enqueueAfter(key: string, ms: number): void {
    if (this.stopped) return;
    if (ms <= 0) return this.enqueue(key);
    const at = Date.now() + ms;
    const existing = this.timers.get(key);
    if (existing && existing.at <= at) return;
    if (existing) clearTimeout(existing.timer);
    const timer = setTimeout(() => {
      this.timers.delete(key);
      this.enqueue(key);
    }, ms);
    this.timers.set(key, { at, timer });
  }

  /** stop cancels every timer; nothing runs afterwards. */
  stop(): void {
    this.stopped = true;
    for (const { timer } of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.pending.clear();
  }

  private flush(): void {
    this.flushScheduled = false;
    const keys = [...this.pending];
    this.pending.clear();
    for (const key of keys) {
      if (this.stopped) return;
      try {
        this.reconcile(key);
        this.failures.delete(key);
      } catch (error) {
        // A 404 means the object went away between the event and the reconcile: nothing to do.
        if (error instanceof ApiError && error.code === 404) continue;
        const count = (this.failures.get(key) ?? 0) + 1;
        this.failures.set(key, count);
        // A 409 is the optimistic-concurrency race every controller loses now and then: retry soon.
        if (count < maxConsecutiveFailures) this.enqueueAfter(key, error instanceof ApiError && error.code === 409 ? 5 : 50);
      }
    }
  }
}
