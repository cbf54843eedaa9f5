/**
 * The spelling of `--crds-from` that can be judged without touching anything: github:, oci:// and
 * URLs (crd-source.ts tells REPO/NAME from a path and fetches). Kept apart from the fetching code so
 * validate() can refuse a malformed value while the chart readers stay out of --help's start-up.
 */
import { validRepository } from '../../../shared/charts/sources/github.js';
import { displayUrl } from '../../../shared/charts/sources/http.js';
import { UsageError } from '../../../shared/errors/errors.js';

/** CrdSourceSpec is a parsed `--crds-from` value. */
export type CrdSourceSpec =
  | { readonly kind: 'github'; readonly repository: string; readonly ref?: string; readonly path?: string }
  | { readonly kind: 'helm'; readonly reference: string }
  | { readonly kind: 'repository'; readonly repoUrl: string; readonly chart?: string }
  | { readonly kind: 'local'; readonly path: string };

/**
 * parseRemoteSpelling reads a `--crds-from` value that names a remote by its form alone
 * (github:, oci://, a URL); undefined for anything else (REPO/NAME or a path, told apart by
 * {@link parseCrdSource}). Pure, so validate() can refuse a malformed value (exit 2) before any work.
 */
export function parseRemoteSpelling(value: string): CrdSourceSpec | undefined {
  if (value.startsWith('github:')) {
    const match = /^github:([^@:]+)(?:@([^:]+))?(?::(.+))?$/.exec(value);
    if (!match || !validRepository(match[1] ?? ''))
      throw new UsageError(`invalid --crds-from "${value}": expected github:OWNER/REPO[@REF][:PATH]`);
    return { kind: 'github', repository: match[1] as string, ref: match[2], path: match[3]?.replace(/^\/+|\/+$/g, '') };
  }
  if (value.startsWith('oci://')) return { kind: 'helm', reference: value };
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    const [url = '', chart] = value.split('#', 2);
    if (chart !== undefined && !/^[A-Za-z0-9._-]+$/.test(chart))
      throw new UsageError(`invalid --crds-from "${displayUrl(url)}#${chart}": CHART after # is a chart name`);
    // Only the scheme is judged here (https, or http with --insecure-http, is checked when fetching).
    if (!/^https?:\/\//i.test(url)) throw new UsageError(`invalid --crds-from "${displayUrl(url)}": a chart repository URL is https://…`);
    return { kind: 'repository', repoUrl: url, ...(chart ? { chart } : {}) };
  }
  return undefined;
}

/** describeCrdSource names a source in messages and the report (no credentials, no query string). */
export function describeCrdSource(spec: CrdSourceSpec): string {
  switch (spec.kind) {
    case 'github':
      return `github:${spec.repository}${spec.ref ? `@${spec.ref}` : ''}${spec.path ? `:${spec.path}` : ''}`;
    case 'helm':
      return spec.reference;
    case 'repository':
      return `${displayUrl(spec.repoUrl)}${spec.chart ? `#${spec.chart}` : ''}`;
    case 'local':
      return spec.path;
  }
}
