/**
 * Where `--crds-from` points, and fetching the target CRD files from there through the sources
 * helm crdsync uses (shared/charts/sources): a chart repository read directly (index.yaml, digest
 * checked), `helm pull` for REPO/NAME and oci:// (the user's repositories, logins and TLS
 * settings apply), the GitHub contents API at a tag, or a local chart, CRD file or folder.
 *
 * One value names one source, without guessing between a path and a remote:
 *   github:OWNER/REPO[@REF][:PATH]  GitHub (REF default: the profile's tag prefix + --to; PATH: the profile's CRD folder)
 *   oci://HOST/PATH/CHART           helm pull --version <--to>
 *   https://REPO-URL[#CHART]        a chart repository (CHART default: the profile's chart), version --to
 *   REPO/NAME                       helm pull from `helm repo add` repositories, version --to
 *   anything else                   a local path; one starting with ./ / ../ or ending in .tgz/.yaml/.yml/.json
 *                                   is always a path, and an existing path always wins over REPO/NAME
 */
import { stat } from 'node:fs/promises';
import type { CrdFile } from '../../../shared/crds/read-crds.js';
import { defaultGitHubApiUrl, fetchFromGitHub } from '../../../shared/charts/sources/github.js';
import { isHelmReference, pullWithHelm } from '../../../shared/charts/sources/helm-pull.js';
import { checkScheme, displayUrl, type HttpGet } from '../../../shared/charts/sources/http.js';
import { fetchFromRepository } from '../../../shared/charts/sources/repository.js';
import { UsageError } from '../../../shared/errors/errors.js';
import { parseRemoteSpelling, type CrdSourceSpec } from './crd-spelling.js';
import type { HelmRunner } from '../../../shared/helm/helm-runner.js';
import type { ProductProfile } from '../../../shared/profiles/index.js';
import { satisfiesRange, type VendorVersion } from '../../../shared/version/semver.js';

export { describeCrdSource, parseRemoteSpelling, type CrdSourceSpec } from './crd-spelling.js';

function alwaysLocal(value: string): boolean {
  return /^(\.{1,2}\/|\/|~)/.test(value) || /\.(tgz|ya?ml|json)$/i.test(value);
}

/**
 * parseCrdSource reads the spelling of a `--crds-from` value; `exists` tells whether a local
 * path of that name exists (only asked for a value shaped like REPO/NAME). Malformed github:
 * and URL values are usage errors (exit 2).
 */
export async function parseCrdSource(value: string, exists: (path: string) => Promise<boolean>): Promise<CrdSourceSpec> {
  const remote = parseRemoteSpelling(value);
  if (remote) return remote;
  if (!alwaysLocal(value) && isHelmReference(value) && !(await exists(value))) return { kind: 'helm', reference: value };
  return { kind: 'local', path: value };
}

/** RemoteCrdOptions are what a remote source needs besides its spelling. */
export interface RemoteCrdOptions {
  readonly profile: ProductProfile;
  /** target is --to: the chart version or tag whose CRDs are read. */
  readonly target: VendorVersion;
  readonly insecureHttp: boolean;
  readonly githubApiUrl?: string;
  /** githubToken is GITHUB_TOKEN or GH_TOKEN (sent in a header only, never printed). */
  readonly githubToken?: string;
  readonly signal?: AbortSignal;
}

/** RemoteCrdPorts are the side effects: the web (capped, https-only unless told) and helm. */
export interface RemoteCrdPorts {
  readonly http: HttpGet;
  helm(): HelmRunner;
  /** progress says what is being fetched (stderr). */
  progress(line: string): void;
}

/** FetchedCrds are the CRD files of a remote source and where exactly they came from. */
export interface FetchedCrds {
  readonly reference: string;
  readonly files: CrdFile[];
}

/**
 * fetchRemoteCrds reads the CRD files of a github:, oci://, REPO/NAME or repository source at
 * the target version. A source that cannot be had is bad input (exit 3, SourceError); a chart
 * without crds/ too.
 */
export async function fetchRemoteCrds(
  spec: Exclude<CrdSourceSpec, { kind: 'local' }>,
  options: RemoteCrdOptions,
  ports: RemoteCrdPorts,
): Promise<FetchedCrds> {
  const version = options.target.original;
  switch (spec.kind) {
    case 'repository': {
      const chart = spec.chart ?? options.profile.chart.name;
      ports.progress(`Reading chart ${chart} ${version} from ${displayUrl(spec.repoUrl)}…`);
      const fetched = await fetchFromRepository(ports.http, {
        repoUrl: spec.repoUrl,
        chart,
        version,
        insecureHttp: options.insecureHttp,
        signal: options.signal,
      });
      return { reference: fetched.url, files: [...fetched.crdFiles] };
    }
    case 'helm': {
      ports.progress(`Pulling ${spec.reference} ${version} with helm…`);
      const pulled = await pullWithHelm(ports.helm(), {
        reference: spec.reference,
        version,
        insecureHttp: options.insecureHttp,
        plainHttpFlag: '--insecure-http',
        signal: options.signal,
      });
      return { reference: `${spec.reference} ${pulled.version}`, files: [...pulled.crdFiles] };
    }
    case 'github': {
      const entry = options.profile.crdSources.find(
        (s) => s.repository.toLowerCase() === spec.repository.toLowerCase() && satisfiesRange(options.target, s.versions),
      );
      // Tags are spelled as released (v1.17.0-beta10), not in semver's normalized form (1.17.0-beta.10).
      const ref = spec.ref ?? `${entry?.tagPrefix ?? 'v'}${options.target.original.replace(/^v/, '')}`;
      const path = spec.path ?? entry?.path;
      if (!path)
        throw new UsageError(
          `the ${options.profile.name} profile does not say where ${spec.repository} keeps its CRDs at ${version}: use github:${spec.repository}@${ref}:PATH`,
        );
      const apiUrl = options.githubApiUrl ?? defaultGitHubApiUrl;
      checkScheme(apiUrl, options.insecureHttp);
      ports.progress(
        `Reading ${spec.repository} ${path} at ${ref} from the GitHub API${options.githubToken ? ' (with GITHUB_TOKEN)' : ''}…`,
      );
      const files = await fetchFromGitHub(ports.http, {
        repository: spec.repository,
        ref,
        path,
        apiUrl,
        token: options.githubToken,
        insecureHttp: options.insecureHttp,
        signal: options.signal,
      });
      return { reference: `github:${spec.repository}@${ref}:${path}`, files };
    }
  }
}

/** pathExists is the real `exists` of {@link parseCrdSource}. */
export function pathExists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
