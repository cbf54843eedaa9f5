/**
 * CRD files from a GitHub repository at a tag, through the REST contents API (research/crdsync.md
 * §7.3): list the folder at `?ref=TAG`, then fetch each YAML file with the raw media type (the JSON
 * form stops at 1 MB and large Gloo CRDs approach that). GITHUB_TOKEN (or GH_TOKEN) is sent when set,
 * and never printed; `--github-api-url` points at GitHub Enterprise (https://HOST/api/v3). A 403 or
 * 429 with the rate limit exhausted says to set a token; a 404 names the repository, path and tag.
 */
import type { CrdFile } from '../../crds/read-crds.js';
import { checkScheme, displayUrl, SourceError, type HttpGet } from './http.js';

/** defaultGitHubApiUrl is github.com's REST API root. */
export const defaultGitHubApiUrl = 'https://api.github.com';

/** maxGitHubFileBytes caps one file (the contents API serves up to 100 MB raw; CRDs are far smaller). */
export const maxGitHubFileBytes = 16 * 1024 * 1024;
/** maxGitHubFiles caps how many files one folder may make us fetch. */
export const maxGitHubFiles = 200;

/** GitHubRequest names a folder (or one file) of a repository at a ref. */
export interface GitHubRequest {
  /** repository is "owner/name". */
  readonly repository: string;
  readonly ref: string;
  readonly path: string;
  readonly apiUrl: string;
  readonly token?: string;
  readonly insecureHttp: boolean;
  readonly signal?: AbortSignal;
}

/** validRepository checks "owner/name" as GitHub allows it. */
export function validRepository(repository: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9-]{0,38}\/[A-Za-z0-9._-]{1,100}$/.test(repository);
}

function contentsUrl(request: GitHubRequest, filePath: string): string {
  const base = request.apiUrl.replace(/\/+$/, '');
  const encodedPath = filePath.split('/').filter(Boolean).map(encodeURIComponent).join('/');
  return `${base}/repos/${request.repository}/contents/${encodedPath}?ref=${encodeURIComponent(request.ref)}`;
}

function headers(request: GitHubRequest, accept: string): Record<string, string> {
  return {
    accept,
    'x-github-api-version': '2022-11-28',
    ...(request.token ? { authorization: `Bearer ${request.token}` } : {}),
  };
}

function failure(
  request: GitHubRequest,
  what: string,
  status: number,
  answer: { headers: Readonly<Record<string, string>>; body: Buffer },
): SourceError {
  if (
    (status === 403 || status === 429) &&
    (answer.headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(answer.body.toString('utf8')))
  ) {
    const reset = Number(answer.headers['x-ratelimit-reset']);
    const when = Number.isFinite(reset) && reset > 0 ? ` until ${new Date(reset * 1000).toISOString()}` : '';
    return new SourceError(
      request.token
        ? `GitHub API rate limit exceeded${when} for this token`
        : `GitHub API rate limit exceeded${when} (60 requests an hour without a token): set GITHUB_TOKEN and retry`,
    );
  }
  if (status === 404) return new SourceError(`GitHub: ${request.repository} has no ${what} at ref ${request.ref} (404)`);
  if (status === 401) return new SourceError(`GitHub refused the token (401): check GITHUB_TOKEN`);
  return new SourceError(`GitHub answered HTTP ${status} for ${what} of ${request.repository} at ${request.ref}`);
}

/** fetchFromGitHub lists `path` at `ref` and fetches its YAML files (or the single file `path` names). */
export async function fetchFromGitHub(http: HttpGet, request: GitHubRequest): Promise<CrdFile[]> {
  checkScheme(request.apiUrl, request.insecureHttp);
  const listUrl = contentsUrl(request, request.path);
  const listing = await http(listUrl, {
    headers: headers(request, 'application/vnd.github+json'),
    maxBytes: 8 * 1024 * 1024,
    signal: request.signal,
  });
  if (listing.status !== 200) throw failure(request, `path ${request.path}`, listing.status, listing);
  let parsed: unknown;
  try {
    parsed = JSON.parse(listing.body.toString('utf8'));
  } catch {
    throw new SourceError(`GitHub answered ${displayUrl(listUrl)} with something that is not JSON`);
  }
  const entries = (Array.isArray(parsed) ? parsed : [parsed]) as Array<{ type?: string; name?: string; path?: string }>;
  const files = entries
    .filter((entry) => entry.type === 'file' && typeof entry.path === 'string' && /\.ya?ml$/i.test(entry.name ?? ''))
    .map((entry) => entry.path as string)
    .sort();
  if (files.length === 0) throw new SourceError(`GitHub: ${request.repository} ${request.path} at ${request.ref} holds no YAML files`);
  if (files.length > maxGitHubFiles)
    throw new SourceError(`GitHub: ${request.path} holds ${files.length} YAML files, over the ${maxGitHubFiles}-file cap`);
  const result: CrdFile[] = [];
  for (const file of files) {
    const url = contentsUrl(request, file);
    const answer = await http(url, {
      headers: headers(request, 'application/vnd.github.raw+json'),
      maxBytes: maxGitHubFileBytes,
      signal: request.signal,
    });
    if (answer.status !== 200) throw failure(request, `file ${file}`, answer.status, answer);
    result.push({ path: file, text: answer.body.toString('utf8') });
  }
  return result;
}
