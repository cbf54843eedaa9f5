/**
 * The audit log: one entry per request, kept in memory so tests can assert what a plugin sent
 * (which verbs, which paths, which faults hit it), and served as JSON lines at GET /sandbox/audit.
 */

/** One request as the audit log records it. */
export interface AuditEntry {
  /** ISO time the request arrived. */
  time: string;
  /** The Kubernetes verb: get, list, watch, create, update, patch, delete, deletecollection (or the lower-case method off resources). */
  verb: string;
  method: string;
  path: string;
  /** The raw query string without "?" ('' when none). */
  query: string;
  /** The authenticated user, or "system:anonymous". */
  user: string;
  /** The HTTP status code sent (0 when the connection was reset by a fault). */
  code: number;
  /** The fault applied, if any: "429", "500", "503", "reset", "latency", "drop-watch". */
  fault?: string;
}

let lastMillis = NaN;
let lastMillisText = '';

/**
 * auditTime is `new Date().toISOString()`, formatted once per millisecond: formatting cost more
 * than a microsecond per request, and requests arrive many to a millisecond.
 */
export function auditTime(): string {
  const now = Date.now();
  if (now !== lastMillis) {
    lastMillis = now;
    lastMillisText = new Date(now).toISOString();
  }
  return lastMillisText;
}

/** AuditLog keeps the last `capacity` entries. */
export class AuditLog {
  private list: AuditEntry[] = [];

  constructor(private readonly capacity = 100_000) {}

  /** record appends an entry. */
  record(entry: AuditEntry): void {
    this.list.push(entry);
    if (this.list.length > this.capacity) this.list.splice(0, Math.floor(this.capacity / 4));
  }

  /** entries returns a copy of what is kept, oldest first. */
  entries(): AuditEntry[] {
    return [...this.list];
  }

  /** clear forgets everything. */
  clear(): void {
    this.list = [];
  }

  /** jsonLines renders the log as one JSON object per line. */
  jsonLines(): string {
    return this.list.map((e) => `${JSON.stringify(e)}\n`).join('');
  }
}
