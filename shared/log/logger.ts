/**
 * A leveled logger to stderr with kubectl's -v semantics. Everything passes through redact(), so a
 * caller can log a request or a Secret without thinking about credentials.
 */
import type { Writable } from 'node:stream';
import { redact } from './redact.js';

/** LogLevel names the -v levels the suite uses, matching kubectl's conventions. */
export const LogLevel = {
  /** Default: warnings and progress. */
  Default: 0,
  /** Debug detail: decisions taken, retries, skipped items. */
  Debug: 4,
  /** Each HTTP request: method, URL, status, latency (kubectl -v 6). */
  Requests: 6,
  /** Request and response bodies (kubectl -v 8), redacted. */
  Bodies: 8,
} as const;

/** Logger writes diagnostics to stderr; data never goes through it. */
export interface Logger {
  /** level is the -v verbosity the logger was created with. */
  readonly level: number;
  /** enabled reports whether messages at `level` are printed (to skip building costly messages). */
  enabled(level: number): boolean;
  /** info prints a progress or status line at level 0. */
  info(message: string): void;
  /** warn prints "Warning: <message>" like kubectl's API warnings, at every level. */
  warn(message: string): void;
  /** v prints `message` when the verbosity is at least `level`; `detail` is redacted and appended as JSON. */
  v(level: number, message: string, detail?: unknown): void;
}

/** createLogger returns a Logger writing to `stream` (normally IOStreams.err) at verbosity `level`. */
export function createLogger(stream: Writable, level: number): Logger {
  const write = (line: string): void => {
    stream.write(`${redact(line)}\n`);
  };
  return {
    level,
    enabled: (wanted) => level >= wanted,
    info: (message) => write(message),
    warn: (message) => write(`Warning: ${message}`),
    v(wanted, message, detail) {
      if (level < wanted) return;
      write(detail === undefined ? message : `${message} ${JSON.stringify(redact(detail))}`);
    },
  };
}

/** silentLogger drops everything; for tests and for code paths that must stay quiet. */
export const silentLogger: Logger = {
  level: 0,
  enabled: () => false,
  info: () => undefined,
  warn: () => undefined,
  v: () => undefined,
};
