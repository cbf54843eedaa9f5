/**
 * The shape shared by the simulated controllers: one subscription to the in-process API whose
 * handler only filters by group-resource and enqueues keys (cheap for the tens of thousands of
 * unrelated custom resources a benchmark writes), and a reconcile per key run from the queue.
 */
import type { Controller, InternalApi, StoredEvent } from '../api/types.js';
import { ReconcileQueue } from './reconcile-queue.js';

/** QueueController subscribes on start, reconciles keys from its queue, and leaves nothing behind on stop. */
export abstract class QueueController implements Controller {
  abstract readonly name: string;
  protected readonly queue: ReconcileQueue;
  private unsubscribe: (() => void) | undefined;

  constructor(protected readonly api: InternalApi) {
    this.queue = new ReconcileQueue((key) => this.reconcile(key));
  }

  /** start subscribes and enqueues what already exists (the informer's initial list). */
  start(): void {
    this.unsubscribe = this.api.subscribe((event) => this.onEvent(event));
    this.resync();
  }

  /** stop unsubscribes and cancels every pending reconcile and timer. */
  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.queue.stop();
  }

  /** onEvent filters one change and enqueues the keys it concerns; it must not write. */
  protected abstract onEvent(event: StoredEvent): void;
  /** resync enqueues every existing object this controller manages. */
  protected abstract resync(): void;
  /** reconcile brings one object's world in line with its spec. */
  protected abstract reconcile(key: string): void;
}
