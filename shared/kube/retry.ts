/**
 * Retries for transient API failures, the way client-go's rest client and kubectl wait out
 * throttling. This file is the one place that decides what is retriable (see isRetryable):
 *  - 429 TooManyRequests, waiting what Retry-After (or Status details.retryAfterSeconds) asks,
 *    capped by the policy's maxDelayMs;
 *  - 500, 502, 503, 504 (an apiserver restarting, an aggregated API or webhook not ready), except
 *    etcd's "request is too large", which a retry only repeats;
 *  - a connection that broke without an answer: ECONNRESET, EPIPE, ETIMEDOUT, undici's
 *    UND_ERR_SOCKET, or node's "socket hang up".
 * All with exponential backoff and full jitter, bounded by attempts and by total time. Other 4xx
 * are the caller's problem and are never retried; 409 only when a caller opts in (its write is
 * idempotent or re-reads before retrying). ECONNREFUSED and DNS failures are not retried: the
 * server is not there, and saying so at once beats 30 s of backoff. Our --request-timeout abort
 * is not retried either: the user bounded the call.
 *
 * A broken connection is retried for writes too. Unlike a GET, a create may have reached the
 * server before the connection broke; its retry then answers 409 AlreadyExists, which callers
 * that create (meshbackup restore) treat as "exists" under their --existing policy, never as a
 * failure or a second creation.
 */
import { ApiStatusError } from '../errors/errors.js';
import { errorCodeChain } from '../errors/format-error.js';
import { LogLevel, silentLogger, type Logger } from '../log/logger.js';

/** RetryPolicy bounds the retries of one call. */
export interface RetryPolicy {
  /** attempts is the maximum number of tries, the first included (1 = no retry). */
  readonly attempts: number;
  /** maxElapsedMs stops retrying once this much time has passed since the first try. */
  readonly maxElapsedMs: number;
  /** baseDelayMs is the first backoff ceiling; it doubles per attempt. */
  readonly baseDelayMs: number;
  /** maxDelayMs caps a single backoff (and a server's Retry-After). */
  readonly maxDelayMs: number;
  /** retryConflicts also retries 409 Conflict; only for callers whose write is safe to repeat. */
  readonly retryConflicts?: boolean;
}

/** defaultRetryPolicy: 5 tries within 30 s, backoff 200 ms doubling up to 5 s. */
export const defaultRetryPolicy: RetryPolicy = {
  attempts: 5,
  maxElapsedMs: 30_000,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
};

/**
 * patientRetryPolicy is for commands that wait minutes anyway (meshscale's scale-down and settle
 * waits): 10 tries within 60 s. Giving up on a call throws away the progress of a long run, while
 * every call such a command makes is safe to repeat; at a 20 % transient failure rate 5 tries
 * still fail about one call in 3,000, 10 tries one in 10 million.
 */
export const patientRetryPolicy: RetryPolicy = {
  attempts: 10,
  maxElapsedMs: 60_000,
  baseDelayMs: 200,
  maxDelayMs: 5_000,
};

/** RetryClock is injected so tests run without real sleeps or randomness. */
export interface RetryClock {
  now(): number;
  sleep(ms: number): Promise<void>;
  /** random returns a number in [0, 1) for jitter. */
  random(): number;
}

/** realClock uses wall time, setTimeout and Math.random. */
export const realClock: RetryClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: () => Math.random(),
};

const retriedStatusCodes = new Set([429, 500, 502, 503, 504]);
const resetCodes = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'UND_ERR_SOCKET']);

/** isRetryable reports whether `err` is a transient failure worth another try under `policy`. */
export function isRetryable(err: unknown, policy: Pick<RetryPolicy, 'retryConflicts'>): boolean {
  if (err instanceof ApiStatusError) {
    // etcd refusing an object over its request limit comes back as a 500, and would again.
    if (err.code === 500 && /request is too large/.test(err.status.message)) return false;
    return retriedStatusCodes.has(err.code) || (err.code === 409 && policy.retryConflicts === true);
  }
  if (errorCodeChain(err).some((code) => resetCodes.has(code))) return true;
  return err instanceof Error && /socket hang up/i.test(err.message);
}

/** backoffDelay is the wait before retry number `retry` (1-based): full jitter over base·2^(retry-1), capped. */
export function backoffDelay(retry: number, policy: RetryPolicy, random: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.floor(random * ceiling);
}

/** RetryContext names the call for logs and supplies the clock and logger. */
export interface RetryContext {
  /** describe names the call in -v 4 logs, e.g. "list virtualservices.v1.gateway.solo.io". */
  readonly describe: string;
  readonly logger?: Logger;
  readonly clock?: RetryClock;
}

/**
 * withRetry runs `call` until it succeeds, fails with a non-retryable error, or the policy's
 * attempts or time run out; the last error is rethrown unchanged.
 */
export async function withRetry<T>(call: () => Promise<T>, policy: RetryPolicy, context: RetryContext): Promise<T> {
  const clock = context.clock ?? realClock;
  const logger = context.logger ?? silentLogger;
  const started = clock.now();
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (attempt >= policy.attempts || !isRetryable(err, policy)) throw err;
      const retryAfter = err instanceof ApiStatusError ? err.status.retryAfterSeconds : undefined;
      // A server that says when to come back knows better than our backoff (429 Retry-After).
      const delay =
        retryAfter !== undefined ? Math.min(policy.maxDelayMs, retryAfter * 1000) : backoffDelay(attempt, policy, clock.random());
      if (clock.now() + delay - started > policy.maxElapsedMs) throw err;
      const reason = err instanceof Error ? err.message : String(err);
      logger.v(LogLevel.Debug, `retrying ${context.describe} in ${delay}ms (attempt ${attempt + 1}/${policy.attempts}): ${reason}`);
      await clock.sleep(delay);
    }
  }
}
