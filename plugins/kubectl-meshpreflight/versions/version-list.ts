/**
 * The list of published product versions the path is planned on: a chart repository index.yaml
 * (what meshctl reads), GitHub tags (what `glooctl upgrade --release v1.10.x` reads), or a text
 * file with one version a line (air-gapped sites). meshctl swallows a failed fetch and answers an
 * empty version (research/preflight.md §1.1): here a list that cannot be had is a visible warning
 * and the plan says which hops it could not resolve, never an empty answer.
 */
import yaml from 'js-yaml';
import { InputFileError } from '../../../shared/errors/errors.js';
import { parseVersion, type VendorVersion } from '../../../shared/version/semver.js';

/** maxListBytes bounds what is read or downloaded: Solo's public index is a few MB; a hostile one is not read whole. */
export const maxListBytes = 64 * 1024 * 1024;

/** PublishedVersion is one version of the list, with the chart's Kubernetes constraint when the index has one. */
export interface PublishedVersion {
  readonly version: VendorVersion;
  /** kubeVersion is Chart.yaml's kubeVersion from the index entry. */
  readonly kubeVersion?: string;
}

/** VersionList is the answer of {@link loadVersionList}. */
export interface VersionList {
  /** versions is undefined when no list could be had (then `warning` says why). */
  readonly versions?: readonly PublishedVersion[];
  /** source names where the list came from (URL or file). */
  readonly source: string;
  readonly warning?: string;
}

/** VersionSourcePorts are the side effects of loading a list, injected so tests need no network. */
export interface VersionSourcePorts {
  /** readFile returns a file's text; throws as fs does. */
  readFile(path: string): Promise<string>;
  /** fetchText GETs a URL and returns its body; throws on a network failure or a non-2xx status. */
  fetchText(url: string, headers?: Record<string, string>): Promise<string>;
}

/** parseChartIndex reads the versions of `chartNames` from a chart repository index.yaml. */
export function parseChartIndex(text: string, chartNames: readonly string[], what: string): PublishedVersion[] {
  let index: unknown;
  try {
    // JSON_SCHEMA: no custom tags, no anchors expanding into huge documents.
    index = yaml.load(text, { schema: yaml.JSON_SCHEMA, json: true });
  } catch (err) {
    throw new InputFileError(what, `not a chart repository index: ${(err as Error).message.split('\n')[0] ?? ''}`, { cause: err });
  }
  const entries = (index as { entries?: Record<string, unknown> } | null)?.entries;
  if (!entries || typeof entries !== 'object') throw new InputFileError(what, 'not a chart repository index: no "entries"');
  const result: PublishedVersion[] = [];
  for (const name of chartNames) {
    const list = entries[name];
    if (!Array.isArray(list)) continue;
    for (const entry of list as Array<{ version?: unknown; kubeVersion?: unknown }>) {
      const version = typeof entry?.version === 'string' ? parseVersion(entry.version) : undefined;
      if (!version) continue;
      result.push({ version, ...(typeof entry.kubeVersion === 'string' && entry.kubeVersion ? { kubeVersion: entry.kubeVersion } : {}) });
    }
  }
  if (result.length === 0) throw new InputFileError(what, `no versions of chart ${chartNames.join(' or ')} in the index`);
  return result;
}

/** parseVersionText reads one version a line; blank lines and "#" comments are skipped, anything else must parse. */
export function parseVersionText(text: string, what: string): PublishedVersion[] {
  const result: PublishedVersion[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, raw] of lines.entries()) {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') continue;
    const version = parseVersion(line);
    if (!version) throw new InputFileError(what, `line ${index + 1}: "${line.slice(0, 80)}" is not a version`);
    result.push({ version });
  }
  if (result.length === 0) throw new InputFileError(what, 'no versions');
  return result;
}

/** parseGithubTags reads the GitHub tags API answer (`[{ "name": "v1.17.0" }, …]`); tags that are not versions are skipped. */
export function parseGithubTags(text: string, what: string): PublishedVersion[] {
  let tags: unknown;
  try {
    tags = JSON.parse(text);
  } catch (err) {
    throw new InputFileError(what, 'not a GitHub tags answer: invalid JSON', { cause: err });
  }
  if (!Array.isArray(tags)) throw new InputFileError(what, 'not a GitHub tags answer: not a list');
  return tags.flatMap((tag: { name?: unknown }) => {
    const version = typeof tag?.name === 'string' ? parseVersion(tag.name) : undefined;
    return version ? [{ version }] : [];
  });
}

/** parseVersionDocument recognises the format: an index (has "entries:"), GitHub tags (a JSON list), else text. */
export function parseVersionDocument(text: string, chartNames: readonly string[], what: string): PublishedVersion[] {
  if (/^entries:/m.test(text) || /"entries"\s*:/.test(text)) return parseChartIndex(text, chartNames, what);
  if (/^\s*\[/.test(text)) return parseGithubTags(text, what);
  return parseVersionText(text, what);
}

/** isUrl tells a --versions-from URL from a file path. */
export function isUrl(source: string): boolean {
  return /^https?:\/\//i.test(source);
}

/** indexUrl turns a chart repository URL into its index.yaml URL (a URL already naming a file is kept). */
export function indexUrl(repository: string): string {
  if (/\.(ya?ml|json|txt)(\?.*)?$/i.test(repository)) return repository;
  return `${repository.replace(/\/+$/, '')}/index.yaml`;
}

/** defaultGithubApiUrl is github.com's API root; --github-api-url names a GitHub Enterprise one. */
export const defaultGithubApiUrl = 'https://api.github.com';

/** githubTagsUrl is the GitHub API page listing a repository's tags ("github:owner/repo"). */
export function githubTagsUrl(repository: string, page: number, apiUrl: string = defaultGithubApiUrl): string {
  return `${apiUrl.replace(/\/+$/, '')}/repos/${repository}/tags?per_page=100&page=${page}`;
}

/**
 * loadVersionList loads the versions from `source`: a file (an unreadable or unparsable file is
 * bad input, exit 3), a URL or `github:owner/repo` (a download that fails is a warning: the plan
 * is still made, unresolved), or, when `source` is undefined, the profile's chart repository.
 */
export async function loadVersionList(
  source: string | undefined,
  defaults: {
    readonly chartRepository: string;
    readonly chartNames: readonly string[];
    readonly githubToken?: string;
    /** githubApiUrl is the API root for github: sources (--github-api-url); github.com's by default. */
    readonly githubApiUrl?: string;
  },
  ports: VersionSourcePorts,
): Promise<VersionList> {
  if (source !== undefined && !isUrl(source) && !source.startsWith('github:')) {
    let text: string;
    try {
      text = await ports.readFile(source);
    } catch (err) {
      throw new InputFileError(source, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message, {
        cause: err,
      });
    }
    return { versions: parseVersionDocument(text, defaults.chartNames, source), source };
  }
  if (source?.startsWith('github:')) {
    const repository = source.slice('github:'.length);
    if (!/^[\w.-]+\/[\w.-]+$/.test(repository)) throw new InputFileError(source, 'expected github:OWNER/REPO');
    const versions: PublishedVersion[] = [];
    try {
      // At most 10 pages (1,000 tags): Solo's repositories have a few hundred.
      for (let page = 1; page <= 10; page++) {
        // Anonymous GitHub API calls are limited to 60 an hour; GITHUB_TOKEN lifts that (never printed).
        const headers: Record<string, string> = {
          accept: 'application/vnd.github+json',
          ...(defaults.githubToken ? { authorization: `Bearer ${defaults.githubToken}` } : {}),
        };
        const tags = parseGithubTags(await ports.fetchText(githubTagsUrl(repository, page, defaults.githubApiUrl), headers), source);
        versions.push(...tags);
        if (tags.length < 100) break;
      }
    } catch (err) {
      if (err instanceof InputFileError) throw err;
      return { source, warning: `cannot list the versions from ${source}: ${(err as Error).message}` };
    }
    return { versions, source };
  }
  const url = indexUrl(source ?? defaults.chartRepository);
  let text: string;
  try {
    text = await ports.fetchText(url);
  } catch (err) {
    return { source: url, warning: `cannot list the versions from ${url}: ${(err as Error).message}` };
  }
  return { versions: parseVersionDocument(text, defaults.chartNames, url), source: url };
}
