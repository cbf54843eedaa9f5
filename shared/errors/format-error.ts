/**
 * The one error formatter, the analogue of kubectl's cmdutil.CheckErr: every error that reaches a
 * plugin's root becomes exactly one line on stderr (two for usage errors, which add the help hint)
 * and an exit code from exit-codes.ts.
 */
import { ApiStatusError, CliError, ConnectionError, UsageError } from './errors.js';
import { ExitCode } from './exit-codes.js';
import { redact } from '../log/redact.js';

/** FormatErrorOptions controls how much the formatter reveals. */
export interface FormatErrorOptions {
  /** The -v level; a stack trace is added from level 6 on (kubectl shows request details there too). */
  readonly verbosity: number;
  /** --debug (or HELM_DEBUG=true for helm plugins) also adds the stack trace. */
  readonly debug: boolean;
  /**
   * helpCommand is what the usage hint tells the user to run with --help, e.g. `kubectl meshbackup restore`
   * (kubectl's "See 'kubectl get --help' for usage.").
   * Without it usage errors print no hint.
   */
  readonly helpCommand?: string;
}

/** FormattedError is what run-cli prints and returns. */
export interface FormattedError {
  /** lines to write to stderr, without trailing newlines. */
  readonly lines: readonly string[];
  /** exitCode for the process. */
  readonly exitCode: number;
}

/** unauthorizedHint is appended to 401 answers: the token or certificate in the kubeconfig is wrong. */
export const unauthorizedHint = "(check your credentials: kubectl config view / the context's user)";

// Node and undici error codes that mean "never got an HTTP answer": kubectl prints these as
// "Unable to connect to the server: …" (refused, DNS, TLS trust, timeouts, resets).
const connectionErrorCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
]);

/** errorCodeChain returns the `code` of an error and of each of its causes, outermost first. */
export function errorCodeChain(err: unknown): string[] {
  const codes: string[] = [];
  let current: unknown = err;
  for (let depth = 0; depth < 5 && current instanceof Object; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') codes.push(code);
    current = (current as { cause?: unknown }).cause;
  }
  return codes;
}

function connectionReason(err: Error): string {
  // node-fetch (used by client-node) words it "request to URL failed, reason: connect ECONNREFUSED …";
  // kubectl shows only the cause, so keep the part after "reason: ".
  const match = /reason: (.*)$/s.exec(err.message);
  if (match?.[1]) return match[1];
  const cause = (err as { cause?: unknown }).cause;
  if (err.message === 'fetch failed' && cause instanceof Error) return cause.message;
  return err.message;
}

/**
 * toCliError classifies anything thrown into a CliError: CliErrors pass through, yargs validation
 * errors become usage errors, network failures become ConnectionError, the rest InternalError-like
 * "error: <message>" with exit 70 only when it is not an Error we understand.
 */
export function toCliError(err: unknown): CliError {
  if (err instanceof CliError) return err;
  if (err instanceof Error) {
    // yargs' own validation errors (unknown argument, missing value, invalid choice).
    if (err.name === 'YError') return new UsageError(err.message);
    if (errorCodeChain(err).some((code) => connectionErrorCodes.has(code))) {
      return new ConnectionError(connectionReason(err), { cause: err });
    }
    return new CliError(err.message, ExitCode.Internal, { cause: err });
  }
  return new CliError(String(err), ExitCode.Internal);
}

function oneLine(text: string): string {
  return text.trim().replace(/\s*\n\s*/g, '; ');
}

function headline(err: CliError): string {
  if (err instanceof ApiStatusError) {
    const { reason, code } = err.status;
    const message = oneLine(err.status.message || `the server responded with HTTP ${code}`);
    // kubectl: "Error from server (Forbidden): <message>"; without a reason just "Error from server: …".
    const prefix = reason ? `Error from server (${reason})` : 'Error from server';
    return code === 401 ? `${prefix}: ${message} ${unauthorizedHint}` : `${prefix}: ${message}`;
  }
  if (err instanceof ConnectionError) return `Unable to connect to the server: ${oneLine(err.message)}`;
  return `error: ${oneLine(err.message)}`;
}

/**
 * safeStack is a stack trace fit to print: the message part cut to its first line (parsers such
 * as js-yaml quote the input around an error there, and the input may be a kubeconfig) and
 * credentials redacted (a message may carry a header, a URL with userinfo, a token).
 */
export function safeStack(err: Error): string {
  const stack = err.stack ?? '';
  const message = err.message;
  const firstLine = message.split('\n')[0] ?? '';
  const trimmed = message.includes('\n') && stack.includes(message) ? stack.replace(message, firstLine) : stack;
  // Frames start with "    at "; anything else after the first line is still message text.
  const lines = trimmed.split('\n');
  const frames = lines.slice(1).filter((line) => /^\s+at /.test(line));
  return redact([lines[0] ?? '', ...frames].join('\n'));
}

/** formatError renders an error the way kubectl's CheckErr does, plus the exit code to use. */
export function formatError(err: unknown, options: FormatErrorOptions): FormattedError {
  const cliError = toCliError(err);
  const lines: string[] = [];
  // A negative result with no message was already reported by the command itself.
  if (!(cliError.exitCode === ExitCode.NegativeResult && cliError.message === '')) lines.push(redact(headline(cliError)));
  if (cliError instanceof UsageError && options.helpCommand) {
    lines.push(`See '${options.helpCommand} --help' for usage.`);
  }
  if (options.debug || options.verbosity >= 6) {
    const original = cliError.cause instanceof Error ? cliError.cause : cliError;
    if (original.stack) lines.push(...safeStack(original).split('\n'));
  }
  return { lines, exitCode: cliError.exitCode };
}
