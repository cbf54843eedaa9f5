/**
 * The check model (linkerd's categories and glyphs, istioctl's ids and hints): every check has a
 * stable id users can `--skip`, a category, and returns ok, warn, fail or skip with a message and,
 * when something is wrong, a hint naming the command or the page that fixes it.
 */

/** CheckStatus is a check's outcome; "fail" makes the run exit 1, "warn" only with --strict. */
export type CheckStatus = 'ok' | 'warn' | 'fail' | 'skip';

/** CheckResult is one line of the report. */
export interface CheckResult {
  readonly id: string;
  readonly category: string;
  readonly status: CheckStatus;
  readonly message: string;
  readonly hint?: string;
  readonly details?: readonly string[];
}

/** Check is a pure judgement over the gathered input. */
export interface Check<I> {
  readonly id: string;
  readonly category: string;
  /** applies says whether the check belongs to this run (Gloo-only checks on other products do not appear). */
  applies?(input: I): boolean;
  run(input: I): Omit<CheckResult, 'id' | 'category'>;
}

/** Summary counts the results by status. */
export interface Summary {
  readonly ok: number;
  readonly warn: number;
  readonly fail: number;
  readonly skip: number;
}

/** runChecks runs the applicable checks in order; skipped ids are reported as skip with the reason. */
export function runChecks<I>(checks: readonly Check<I>[], input: I, skip: ReadonlySet<string>): CheckResult[] {
  return checks
    .filter((check) => check.applies?.(input) ?? true)
    .map((check) => {
      if (skip.has(check.id)) return { id: check.id, category: check.category, status: 'skip', message: 'skipped with --skip' };
      return { id: check.id, category: check.category, ...check.run(input) };
    });
}

/** summarize counts statuses. */
export function summarize(results: readonly CheckResult[]): Summary {
  const count = (status: CheckStatus): number => results.filter((r) => r.status === status).length;
  return { ok: count('ok'), warn: count('warn'), fail: count('fail'), skip: count('skip') };
}

/** failed says whether a run with these results exits 1: any failure, or any warning under --strict. */
export function failed(summary: Summary, strict: boolean): boolean {
  return summary.fail > 0 || (strict && summary.warn > 0);
}
