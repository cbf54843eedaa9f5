/**
 * How the plan and the result read: kubectl-style tables for people, one JSON/YAML document for
 * scripts (the same facts), and `--diff`'s unified diff of live against the dry-run result per CRD.
 */
import type { CrdPlan, PlanEntry } from '../../../shared/crds/plan.js';
import { annotationLimitBytes } from '../../../shared/crds/plan.js';
import type { KubeObject } from '../../../shared/kube/ports.js';
import { crdSourceAnnotation } from '../../../shared/labels.js';
import type { TableCell } from '../../../shared/output/table.js';
import type { FieldConflict, Observed } from './sync.js';

/** SourceSummary says where the CRDs came from. */
export interface SourceSummary {
  /** kind: repository, helm, local, github. */
  readonly kind: string;
  /** reference is the chart reference, URL or owner/repo@ref:path. */
  readonly reference: string;
  readonly chart?: string;
  readonly version?: string;
  readonly digest?: string;
}

/** sourceDescription is the source in one line, as the CRDs are annotated with it and the plan names it. */
export function sourceDescription(source: SourceSummary): string {
  if (source.kind === 'github') return `github ${source.reference}`;
  const chart = source.chart ? `chart ${source.chart}${source.version ? ` ${source.version}` : ''} from ` : '';
  return `${chart}${source.reference}${source.digest ? ` (sha256 ${source.digest})` : ''}`;
}

/** planHeaders are the plan table's columns. */
export const planHeaders = ['NAME', 'ACTION', 'CHANGES', 'BREAKING', 'OBJECTS', 'NOTES'] as const;

function entryNotes(entry: PlanEntry, conflicts: readonly FieldConflict[] | undefined, rejected: string | undefined): string {
  const notes: string[] = [];
  if (entry.convertedFrom) notes.push('converted from v1beta1');
  const unclassified = updateWithoutSchemaChange(entry);
  if (unclassified) notes.push(unclassified);
  if (entry.jsonBytes > annotationLimitBytes) notes.push(`${Math.round(entry.jsonBytes / 1024)} KiB: too large for client-side apply`);
  if (conflicts?.length) notes.push(`takes over fields of ${[...new Set(conflicts.map((c) => c.manager))].join(', ')}`);
  if (rejected) notes.push(`rejected: ${rejected.split('\n')[0]}`);
  return notes.join('; ');
}

/**
 * updateWithoutSchemaChange says, for an update with no change to list, what it alters: the
 * metadata alone (often just the source annotation crdsync adds), or spec text no rule classes,
 * such as descriptions. Otherwise "update 0 0" would leave the reader guessing.
 */
export function updateWithoutSchemaChange(entry: PlanEntry): string | undefined {
  if (entry.action !== 'update' || entry.changes.length > 0 || entry.changedParts.length === 0) return undefined;
  if (entry.changedParts.includes('spec')) return 'spec text no rule lists differs, e.g. descriptions (--diff)';
  return `metadata only (${entry.changedParts.join(', ')})`;
}

/** planRows renders one row per incoming CRD. */
export function planRows(observed: Observed): TableCell[][] {
  return observed.plan.entries.map((entry) => [
    entry.name,
    entry.action,
    entry.changes.length,
    entry.changes.filter((c) => c.severity === 'breaking').length,
    entry.objectCount ?? (entry.action === 'create' ? 0 : '-'),
    entryNotes(entry, observed.conflicts.get(entry.name), observed.rejected.get(entry.name)) || '<none>',
  ]);
}

/** planDetails lists, per changed CRD, each change as an indented line, then the CRDs kept. */
export function planDetails(plan: CrdPlan): string[] {
  const lines: string[] = [];
  for (const entry of plan.entries) {
    if (entry.changes.length === 0 && entry.notes.length === 0) continue;
    lines.push(`${entry.name}:`);
    for (const note of entry.notes) lines.push(`  note: ${note}`);
    for (const change of entry.changes) {
      lines.push(
        `  ${change.severity === 'breaking' ? 'BREAKING' : 'safe'}  ${change.version ? `${change.version} ` : ''}${change.path}: ${change.detail}`,
      );
    }
  }
  if (plan.kept.length > 0) lines.push(`Kept (in the cluster, no longer shipped; never deleted): ${plan.kept.join(', ')}`);
  return lines;
}

/** planDocument is the plan (and result) for -o json|yaml. */
export function planDocument(
  source: SourceSummary,
  observed: Observed,
  outcome: { dryRun: string; applied?: readonly string[]; backupFile?: string; error?: { message: string; exitCode: number } },
): Record<string, unknown> {
  return {
    apiVersion: 'crdsync.mesh-upgrade.io/v1alpha1',
    kind: 'CrdSyncPlan',
    source,
    // What each applied CRD is annotated with.
    annotations: { [crdSourceAnnotation]: sourceDescription(source) },
    dryRun: outcome.dryRun,
    crds: observed.plan.entries.map((entry) => ({
      name: entry.name,
      action: entry.action,
      file: entry.file,
      ...(entry.convertedFrom ? { convertedFrom: entry.convertedFrom } : {}),
      notes: entry.notes,
      storedVersions: entry.storedVersions,
      ...(entry.objectCount !== undefined ? { objects: entry.objectCount } : {}),
      jsonBytes: entry.jsonBytes,
      changedParts: entry.changedParts,
      changes: entry.changes,
      conflicts: observed.conflicts.get(entry.name) ?? [],
      ...(observed.rejected.has(entry.name) ? { rejected: observed.rejected.get(entry.name) } : {}),
    })),
    kept: observed.plan.kept,
    storedVersionRefusals: observed.plan.storedVersionRefusals,
    applied: outcome.applied ?? [],
    ...(outcome.backupFile ? { backupFile: outcome.backupFile } : {}),
    ...(outcome.error ? { error: outcome.error } : {}),
  };
}

/** diffText is a unified diff of the live CRD's spec against the desired one (YAML). */
export async function diffText(name: string, live: KubeObject | undefined, desired: KubeObject): Promise<string> {
  const [{ createTwoFilesPatch }, { default: yaml }] = await Promise.all([import('diff'), import('js-yaml')]);
  const render = (crd: KubeObject | undefined) =>
    crd
      ? yaml.dump(
          { metadata: { labels: crd.metadata?.labels, annotations: crd.metadata?.annotations }, spec: crd.spec },
          { noRefs: true, lineWidth: -1, sortKeys: true },
        )
      : '';
  return createTwoFilesPatch(`live/${name}`, `chart/${name}`, render(live), render(desired), undefined, undefined, { context: 3 });
}
