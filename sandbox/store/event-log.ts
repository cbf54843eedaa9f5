/**
 * The bounded history of changes a watch replays from. etcd compacts its history too, and a
 * watch from a compacted resourceVersion gets 410 Gone "too old resource version", which makes
 * informers relist: the sandbox reproduces that once its log has dropped the events asked for.
 */
import type { StoredEvent } from '../api/types.js';

/** EventLog keeps the last `capacity` events in resourceVersion order. */
export class EventLog {
  private events: StoredEvent[] = [];
  /** The resourceVersion before the oldest retained event: replay is possible from here on. */
  private oldestReplayable = 0;

  constructor(private readonly capacity: number) {}

  append(event: StoredEvent): void {
    this.events.push(event);
    if (this.events.length > this.capacity) {
      // Trim in batches so appends stay amortised O(1).
      const drop = Math.max(1, Math.floor(this.capacity / 4));
      const dropped = this.events.splice(0, drop);
      this.oldestReplayable = dropped[dropped.length - 1]?.resourceVersion ?? this.oldestReplayable;
    }
  }

  /** Events newer than `resourceVersion`, or undefined when the log no longer reaches back that far. */
  since(resourceVersion: number): StoredEvent[] | undefined {
    if (resourceVersion < this.oldestReplayable) return undefined;
    let lo = 0;
    let hi = this.events.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.events[mid] as StoredEvent).resourceVersion <= resourceVersion) lo = mid + 1;
      else hi = mid;
    }
    return this.events.slice(lo);
  }

  /** The oldest resourceVersion a watch may still start from. */
  oldest(): number {
    return this.oldestReplayable;
  }
}
