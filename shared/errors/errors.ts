/**
 * Error classes that carry their exit code. Commands throw them; only run-cli turns them into a
 * line on stderr and a process exit code (kubectl's CheckErr does the same at its root).
 */
import { ExitCode, type ExitCodeValue } from './exit-codes.js';

/** CliError is the base of every error whose message is fit to show a user as is. */
export class CliError extends Error {
  /** exitCode is what the process exits with when this error reaches the root. */
  readonly exitCode: ExitCodeValue;

  constructor(message: string, exitCode: ExitCodeValue, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.exitCode = exitCode;
  }
}

/**
 * UsageError is a bad flag, argument or combination. The root prints it with kubectl's
 * "See '<command> --help' for usage." hint, as kubectl prints it.
 */
export class UsageError extends CliError {
  constructor(message: string) {
    super(message, ExitCode.Usage);
  }
}

/**
 * NegativeResultError ends a command that worked but found something (differences, failed
 * checks), like `diff` exiting 1. An empty message prints nothing: the command already reported.
 */
export class NegativeResultError extends CliError {
  constructor(message = '') {
    super(message, ExitCode.NegativeResult);
  }
}

/** InputFileError is a file the user gave that we cannot use (not an archive, tampered, bad YAML). */
export class InputFileError extends CliError {
  /** file is the path as the user wrote it. */
  readonly file: string;

  constructor(file: string, reason: string, options?: { cause?: unknown }) {
    super(`${file}: ${reason}`, ExitCode.BadInput, options);
    this.file = file;
  }
}

/**
 * ConnectionError means the cluster cannot be reached. Its message is printed after kubectl's
 * "Unable to connect to the server: " prefix.
 */
export class ConnectionError extends CliError {
  constructor(reason: string, options?: { cause?: unknown }) {
    super(reason, ExitCode.Unreachable, options);
  }
}

/** KubeconfigError is a missing or invalid kubeconfig or an unknown context (exit 4: no way to reach a cluster). */
export class KubeconfigError extends CliError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.Unreachable, options);
  }
}

/** ApiStatus is the part of a metav1.Status the formatter and retry logic read. */
export interface ApiStatus {
  /** HTTP status code (Status.code, or the response code when the body is not a Status). */
  readonly code: number;
  /** Status.reason, e.g. "Forbidden", "NotFound", "Conflict"; empty when the server sent none. */
  readonly reason: string;
  /** Status.message, the human sentence kubectl prints. */
  readonly message: string;
  /** Status.details.retryAfterSeconds or the Retry-After header, when the server asked to wait. */
  readonly retryAfterSeconds?: number;
}

/**
 * ApiStatusError is a failure response from the API server, carrying the Status. 401 and 403 exit
 * 5; anything else exits 6.
 */
export class ApiStatusError extends CliError {
  /** status is the decoded Status body. */
  readonly status: ApiStatus;

  constructor(status: ApiStatus, options?: { cause?: unknown }) {
    super(status.message, status.code === 401 || status.code === 403 ? ExitCode.Unauthorized : ExitCode.ApiError, options);
    this.status = status;
  }

  /** code is the HTTP status code. */
  get code(): number {
    return this.status.code;
  }
}

/** PartialFailure names one item that failed while the others were done. */
export interface PartialFailure {
  /** item names the object, e.g. `virtualservices.gateway.solo.io gloo-system/default`. */
  readonly item: string;
  /** reason is the one-line cause. */
  readonly reason: string;
}

/**
 * PartialFailureError ends a command that continued past failures (krew install, kubectl scale):
 * one summary line, the failed items available for -v output, exit 7.
 */
export class PartialFailureError extends CliError {
  /** failures lists every failed item. */
  readonly failures: readonly PartialFailure[];

  constructor(summary: string, failures: readonly PartialFailure[]) {
    const names = failures.map((failure) => failure.item).join(', ');
    super(failures.length > 0 ? `${summary}: ${names}` : summary, ExitCode.PartialFailure);
    this.failures = failures;
  }
}

/** TimeoutError is a wait that did not finish in time (exit 8). */
export class TimeoutError extends CliError {
  constructor(message: string) {
    super(message, ExitCode.Timeout);
  }
}

/**
 * PreconditionError is a refusal: the command would overwrite, lose data, or has nothing to act on
 * (exit 9). `field`, `expected` and `actual` follow kubectl's scale PreconditionError.
 */
export class PreconditionError extends CliError {
  readonly field?: string;
  readonly expected?: string;
  readonly actual?: string;

  constructor(message: string, detail: { field?: string; expected?: string; actual?: string } = {}) {
    super(message, ExitCode.Precondition);
    this.field = detail.field;
    this.expected = detail.expected;
    this.actual = detail.actual;
  }
}

/** InterruptedError ends a command stopped by Ctrl-C (exit 130) or SIGTERM (exit 143) at a safe point. */
export class InterruptedError extends CliError {
  constructor(message = 'interrupted', exitCode: typeof ExitCode.Interrupted | typeof ExitCode.Terminated = ExitCode.Interrupted) {
    super(message, exitCode);
  }
}

/** InternalError is a bug: a state the code believed impossible (exit 70). */
export class InternalError extends CliError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.Internal, options);
  }
}
