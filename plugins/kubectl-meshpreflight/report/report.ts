/**
 * The report: a grouped list with √ ‼ × per check (linkerd's glyphs), then the path plan, for
 * people; `-o json|yaml` with the same content for scripts. The document's shape is the schema
 * documented in the README ("kubectl meshpreflight output"): fields are only ever added.
 */
import type { Writable } from 'node:stream';
import type { UpgradePlan } from '../path/plan.js';
import { summarize, type CheckResult, type CheckStatus, type Summary } from '../checks/check.js';

/** reportApiVersion versions the JSON/YAML document. */
export const reportApiVersion = 'meshpreflight.mesh-upgrade.io/v1alpha1' as const;

/** PreflightReport is the document `-o json|yaml` prints. */
export interface PreflightReport {
  readonly apiVersion: typeof reportApiVersion;
  /** kind: "PreflightReport" (before an upgrade) or "UpgradeCheckReport" (after, `check`). */
  readonly kind: 'PreflightReport' | 'UpgradeCheckReport';
  readonly profile: string;
  readonly namespace: string;
  readonly kubernetesVersion: string;
  /** installed: the version found and where from (undefined version when unknown). */
  readonly installed: { readonly version?: string; readonly source: string; readonly enterprise: boolean; readonly ossVersion?: string };
  /** target: --to (preflight) or --expect (check). */
  readonly target?: string;
  /** result: "passed" (exit 0), "passed-with-warnings" (exit 0; 1 with --strict), "failed" (exit 1). */
  readonly result: 'passed' | 'passed-with-warnings' | 'failed';
  readonly summary: Summary;
  readonly checks: readonly CheckResult[];
  readonly plan?: UpgradePlan;
  readonly versionList?: { readonly source: string; readonly count?: number; readonly warning?: string };
  /** vendorCheck is the vendor's own check command to run as well (`check` only), with its caveat. */
  readonly vendorCheck?: string;
}

/** resultOf derives the overall result from the checks. */
export function resultOf(checks: readonly CheckResult[], strict: boolean): PreflightReport['result'] {
  const summary = summarize(checks);
  if (summary.fail > 0 || (strict && summary.warn > 0)) return 'failed';
  return summary.warn > 0 ? 'passed-with-warnings' : 'passed';
}

const glyph: Record<CheckStatus, string> = { ok: '√', warn: '‼', fail: '×', skip: '-' };

/** renderText writes the human report. */
export function renderText(out: Writable, report: PreflightReport): void {
  const lines: string[] = [];
  const title = report.kind === 'PreflightReport' ? 'Preflight' : 'Post-upgrade check';
  lines.push(`${title}: ${report.profile} in ${report.namespace}, Kubernetes ${report.kubernetesVersion}`);
  let category = '';
  for (const check of report.checks) {
    if (check.category !== category) {
      category = check.category;
      lines.push('', category, '-'.repeat(category.length));
    }
    lines.push(`${glyph[check.status]} [${check.id}] ${check.message}`);
    for (const detail of check.details ?? []) lines.push(`    ${detail}`);
    if (check.hint && check.status !== 'ok') lines.push(`    hint: ${check.hint}`);
  }
  const plan = report.plan;
  if (plan && plan.outcome === 'upgrade') {
    lines.push('', `Upgrade path ${plan.from} → ${plan.to}`, '-'.repeat(`Upgrade path ${plan.from} → ${plan.to}`.length));
    plan.hops.forEach((hop, index) => {
      lines.push(`${index + 1}. ${hop.from} → ${hop.to} (${hop.kind}${hop.breaking ? ', breaking' : ''})`);
      if (hop.cli) lines.push(`   CLI:  ${hop.cli}`);
      lines.push(`   CRDs: ${hop.crds}`);
      for (const note of hop.notes) lines.push(`   note: ${note.message}`);
    });
  }
  if (report.vendorCheck) lines.push('', `Also run the vendor's check: ${report.vendorCheck}`);
  const { ok, warn, fail, skip } = report.summary;
  lines.push('', `Result: ${report.result} (${ok} passed, ${warn} warnings, ${fail} failed, ${skip} skipped)`);
  out.write(`${lines.join('\n')}\n`);
}
