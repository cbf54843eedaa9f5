/**
 * A classic Helm chart repository read directly (`--repo URL` or a profile's repository): index.yaml,
 * the chart version's .tgz, and its sha256 checked against the index's digest before anything in it
 * is read (helm pkg/repo/v1 index.go and chartrepo.go; research/crdsync.md §7.1). Version selection
 * is helm's: an exact version string, with the nearest available versions named when it is missing.
 */
import { createHash } from 'node:crypto';
import { readChartArchive, type ChartCrds } from '../chart-files.js';
import { loadYamlDocuments, YamlRefusal } from '../safe-input.js';
import { compareVersions, parseVersion, sortVersions } from '../../version/semver.js';
import { checkScheme, displayUrl, SourceError, type HttpGet } from './http.js';

/** maxIndexBytes caps index.yaml (big public indexes are tens of MB). */
export const maxIndexBytes = 64 * 1024 * 1024;
/** maxChartBytes caps a chart archive download. */
export const maxChartBytes = 64 * 1024 * 1024;

/** IndexEntry is one chart version of index.yaml. */
export interface IndexEntry {
  readonly name: string;
  readonly version: string;
  readonly urls: readonly string[];
  readonly digest?: string;
}

/** parseIndex reads index.yaml's entries for `chart`, refusing alias bombs and non-index documents. */
export function parseIndex(repoUrl: string, text: string, chart: string): IndexEntry[] {
  let documents: unknown[];
  try {
    documents = loadYamlDocuments(text);
  } catch (err) {
    if (err instanceof YamlRefusal) throw new SourceError(`${displayUrl(repoUrl)}/index.yaml: ${err.message}`);
    throw err;
  }
  const index = documents[0] as { entries?: Record<string, unknown> } | undefined;
  if (!index || typeof index !== 'object' || typeof index.entries !== 'object' || index.entries === null) {
    throw new SourceError(`${displayUrl(repoUrl)}/index.yaml is not a chart repository index (no entries)`);
  }
  const versions = index.entries[chart];
  if (!Array.isArray(versions)) {
    const names = Object.keys(index.entries).sort().slice(0, 10).join(', ');
    throw new SourceError(`chart "${chart}" not found in ${displayUrl(repoUrl)} (it has: ${names || 'no charts'})`);
  }
  return versions
    .filter((entry): entry is Record<string, unknown> => entry !== null && typeof entry === 'object')
    .map((entry) => ({
      name: chart,
      version: String(entry.version ?? ''),
      urls: Array.isArray(entry.urls) ? entry.urls.map(String) : [],
      digest: typeof entry.digest === 'string' ? entry.digest : undefined,
    }));
}

/** nearestVersions names up to `count` available versions closest to `wanted` (those just below and above). */
export function nearestVersions(wanted: string, available: readonly string[], count = 3): string[] {
  const sorted = sortVersions(available);
  const target = parseVersion(wanted);
  if (!target) return sorted.slice(-count).map((v) => v.original);
  const above = sorted.findIndex((v) => compareVersions(v, target) > 0);
  const split = above === -1 ? sorted.length : above;
  const below = sorted.slice(Math.max(0, split - count), split);
  const after = sorted.slice(split, split + count);
  const picked = [...below.slice(-Math.ceil(count / 2)), ...after].slice(0, count);
  return (picked.length ? picked : sorted.slice(-count)).map((v) => v.original);
}

/** selectVersion picks the entry of `version` (exact, or equal as semver), or the latest release when omitted. */
export function selectVersion(repoUrl: string, entries: readonly IndexEntry[], version: string | undefined): IndexEntry {
  if (version === undefined) {
    const releases = sortVersions(entries.map((e) => e.version)).filter((v) => v.prerelease.length === 0);
    const latest = releases[releases.length - 1];
    const entry = latest && entries.find((e) => e.version === latest.original);
    if (!entry) throw new SourceError(`no released version of ${entries[0]?.name ?? 'the chart'} in ${displayUrl(repoUrl)}`);
    return entry;
  }
  const exact = entries.find((e) => e.version === version);
  if (exact) return exact;
  const parsed = parseVersion(version);
  const equal = parsed && entries.find((e) => parseVersion(e.version) && compareVersions(e.version, parsed) === 0);
  if (equal) return equal;
  const near = nearestVersions(
    version,
    entries.map((e) => e.version),
  );
  throw new SourceError(
    `chart ${entries[0]?.name ?? ''} version ${version} not found in ${displayUrl(repoUrl)}; nearest available: ${near.join(', ') || 'none'}`,
  );
}

/** resolveChartUrl resolves a (possibly relative) chart URL against the repository, carrying its query string (helm ResolveReferenceURL). */
export function resolveChartUrl(repoUrl: string, chartUrl: string): string {
  const base = new URL(repoUrl);
  if (!base.pathname.endsWith('/')) base.pathname = `${base.pathname}/`;
  const resolved = new URL(chartUrl, base);
  if (!/^[a-z]+:\/\//i.test(chartUrl) && base.search && !resolved.search) resolved.search = base.search;
  return resolved.toString();
}

/** RepositoryFetch asks for one chart version from a repository. */
export interface RepositoryFetch {
  readonly repoUrl: string;
  readonly chart: string;
  readonly version?: string;
  readonly insecureHttp: boolean;
  readonly signal?: AbortSignal;
}

/** RepositoryChart is a downloaded, digest-checked chart. */
export interface RepositoryChart extends ChartCrds {
  readonly url: string;
  readonly digest: string;
}

/** fetchFromRepository downloads and checks a chart version, then reads its CRD files. */
export async function fetchFromRepository(http: HttpGet, request: RepositoryFetch): Promise<RepositoryChart> {
  checkScheme(request.repoUrl, request.insecureHttp);
  const indexUrl = resolveChartUrl(request.repoUrl, 'index.yaml');
  const index = await http(indexUrl, { maxBytes: maxIndexBytes, signal: request.signal });
  if (index.status !== 200) throw new SourceError(`cannot read ${displayUrl(indexUrl)}: HTTP ${index.status}`);
  const entry = selectVersion(request.repoUrl, parseIndex(request.repoUrl, index.body.toString('utf8'), request.chart), request.version);
  const first = entry.urls[0];
  if (!first) throw new SourceError(`${entry.name} ${entry.version} has no download URL in ${displayUrl(indexUrl)}`);
  const chartUrl = resolveChartUrl(request.repoUrl, first);
  checkScheme(chartUrl, request.insecureHttp);
  const download = await http(chartUrl, { maxBytes: maxChartBytes, signal: request.signal });
  if (download.status !== 200) throw new SourceError(`cannot download ${displayUrl(chartUrl)}: HTTP ${download.status}`);
  const digest = createHash('sha256').update(download.body).digest('hex');
  if (!entry.digest)
    throw new SourceError(`${entry.name} ${entry.version} has no digest in ${displayUrl(indexUrl)}: refusing an unverifiable chart`);
  if (entry.digest.toLowerCase() !== digest) {
    throw new SourceError(
      `${displayUrl(chartUrl)} does not match its digest in index.yaml (expected sha256 ${entry.digest}, got ${digest}): refusing a tampered or corrupt chart`,
    );
  }
  const chart = await readChartArchive(displayUrl(chartUrl), download.body);
  return { ...chart, url: displayUrl(chartUrl), digest };
}
