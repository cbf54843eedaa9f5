/**
 * The single source of the suite's exit codes. They are part of the public contract (scripts branch
 * on them, as on helm-diff's --detailed-exitcode), so the README table is generated from
 * {@link exitCodeTable} rather than written by hand.
 */

/** ExitCode names every code a plugin may return. */
export const ExitCode = {
  /** Success. */
  Success: 0,
  /** A negative result, not an error: differences found, checks failed. */
  NegativeResult: 1,
  /** Usage error: an unknown or bad flag, a missing or extra argument. */
  Usage: 2,
  /** Bad input file: not an archive, tampered, unsupported format, unparsable YAML. */
  BadInput: 3,
  /** Cannot reach the cluster: connection, TLS, DNS, kubeconfig missing or invalid, unknown context. */
  Unreachable: 4,
  /** Not authorized: the API server answered 401 or 403. */
  Unauthorized: 5,
  /** Any other API error (404, 409, 422, 500 …) that was not retried away. */
  ApiError: 6,
  /** Partial failure: some items failed, the rest were done. */
  PartialFailure: 7,
  /** Timed out waiting (for rollout, scale, CRD establishment …). */
  Timeout: 8,
  /** Precondition not met: the command refuses (would overwrite, would lose data, product not found …). */
  Precondition: 9,
  /** Internal error: a bug. Please report it. */
  Internal: 70,
  /** Interrupted by SIGINT, Ctrl-C (128 + 2, the shell convention). */
  Interrupted: 130,
  /** Terminated by SIGTERM (128 + 15), handled as Ctrl-C: stopped at a safe point, cleaned up. */
  Terminated: 143,
} as const;

/** ExitCodeValue is one of the numbers in {@link ExitCode}. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** ExitCodeRow is one documented row: the code and what it means to a script. */
export interface ExitCodeRow {
  readonly code: ExitCodeValue;
  readonly name: keyof typeof ExitCode;
  readonly meaning: string;
}

/** exitCodeTable is the documented table, in code order, for the README and `--help` epilogues. */
export const exitCodeTable: readonly ExitCodeRow[] = [
  { code: 0, name: 'Success', meaning: 'success' },
  { code: 1, name: 'NegativeResult', meaning: 'a negative result, not an error (differences found, checks failed)' },
  { code: 2, name: 'Usage', meaning: 'usage error (bad flag or argument)' },
  { code: 3, name: 'BadInput', meaning: 'bad input file (not an archive, tampered, unsupported format, unparsable YAML)' },
  {
    code: 4,
    name: 'Unreachable',
    meaning: 'cannot reach the cluster (connection, TLS, DNS, kubeconfig missing or invalid, unknown context)',
  },
  { code: 5, name: 'Unauthorized', meaning: 'not authorized (401/403)' },
  { code: 6, name: 'ApiError', meaning: 'other API error' },
  { code: 7, name: 'PartialFailure', meaning: 'partial failure (some items failed, the rest done)' },
  { code: 8, name: 'Timeout', meaning: 'timed out waiting' },
  {
    code: 9,
    name: 'Precondition',
    meaning: 'precondition not met (would overwrite, would lose data, product not found, nothing to do)',
  },
  { code: 70, name: 'Internal', meaning: 'internal error (a bug)' },
  { code: 130, name: 'Interrupted', meaning: 'interrupted (SIGINT, Ctrl-C): stopped at a safe point' },
  { code: 143, name: 'Terminated', meaning: 'terminated (SIGTERM): handled as Ctrl-C' },
];

/** exitCodeMarkdown renders {@link exitCodeTable} as a Markdown table for the README. */
export function exitCodeMarkdown(): string {
  const rows = exitCodeTable.map((row) => `| ${row.code} | ${row.meaning} |`);
  return ['| Code | Meaning |', '|---|---|', ...rows].join('\n');
}
