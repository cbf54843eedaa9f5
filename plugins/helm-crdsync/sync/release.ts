/**
 * With no CHART given, `helm crdsync --version V` finds the installed release of a known product
 * from Helm's release Secrets (shared/helm/release.ts), as `helm list` would, without the helm
 * binary. Where to look: the given namespace, else each profile's namespace, else every namespace
 * the user may read. Helm always sets HELM_NAMESPACE (to "default" without -n), so "given" is
 * always tried first; the search says which namespace it used.
 */
import { ApiStatusError, PreconditionError } from '../../../shared/errors/errors.js';
import { currentRelease, decodeReleaseSecret, releaseLabelSelector, type HelmRelease } from '../../../shared/helm/release.js';
import type { KubeObject, SecretStore } from '../../../shared/kube/ports.js';
import type { ProductProfile } from '../../../shared/profiles/index.js';
import { compareVersions, parseVersion } from '../../../shared/version/semver.js';

/** FoundRelease is the release crdsync syncs CRDs for. */
export interface FoundRelease {
  readonly release: HelmRelease;
  readonly profile: ProductProfile;
  /** where says how it was found, for the progress line. */
  readonly where: string;
}

/** chartNamesOf lists the chart names that install a product. */
function chartNamesOf(profile: ProductProfile): string[] {
  return [profile.chart.name, ...(profile.chart.alternateNames ?? []), ...profile.versionDetection.helmChartNames];
}

/** profileOfChart finds the profile whose chart names include `chart`. */
export function profileOfChart(chart: string, profiles: readonly ProductProfile[]): ProductProfile | undefined {
  return profiles.find((profile) => chartNamesOf(profile).includes(chart));
}

async function releasesIn(
  secrets: SecretStore,
  namespace: string | undefined,
  releaseName: string | undefined,
): Promise<HelmRelease[] | undefined> {
  const found: KubeObject[] = [];
  let continueToken: string | undefined;
  try {
    do {
      const page = await secrets.list({ namespace, labelSelector: releaseLabelSelector(releaseName), continueToken });
      found.push(...page.items);
      continueToken = page.continueToken;
    } while (continueToken);
  } catch (err) {
    // A namespace the user may not read is skipped, as "every namespace the user may read" says.
    if (err instanceof ApiStatusError && (err.code === 403 || err.code === 404)) return undefined;
    throw err;
  }
  const byName = new Map<string, HelmRelease[]>();
  for (const secret of found) {
    const release = decodeReleaseSecret(secret);
    byName.set(`${release.namespace}/${release.name}`, [...(byName.get(`${release.namespace}/${release.name}`) ?? []), release]);
  }
  return [...byName.values()].map(currentRelease).filter((r): r is HelmRelease => r !== undefined);
}

/**
 * findProductRelease searches for one deployed release of a known product (or of `releaseName`).
 * None, or several in the first place that has any, is a PreconditionError naming what to pass.
 */
export async function findProductRelease(
  secrets: SecretStore,
  profiles: readonly ProductProfile[],
  request: { namespace?: string; releaseName?: string },
): Promise<FoundRelease> {
  const places: Array<{ namespace?: string; label: string }> = [];
  if (request.namespace) places.push({ namespace: request.namespace, label: `namespace ${request.namespace}` });
  for (const profile of profiles) {
    if (!places.some((p) => p.namespace === profile.namespace))
      places.push({ namespace: profile.namespace, label: `namespace ${profile.namespace} (${profile.displayName}'s)` });
  }
  places.push({ namespace: undefined, label: 'every namespace' });
  const searched: string[] = [];
  for (const place of places) {
    const releases = await releasesIn(secrets, place.namespace, request.releaseName);
    if (!releases) {
      searched.push(`${place.label} (not allowed to list Secrets)`);
      continue;
    }
    searched.push(place.label);
    const matches = releases
      .map((release) => ({ release, profile: profileOfChart(release.chart.name, profiles) }))
      .filter((match): match is { release: HelmRelease; profile: ProductProfile } => match.profile !== undefined);
    if (matches.length === 1) {
      const match = matches[0] as { release: HelmRelease; profile: ProductProfile };
      return {
        ...match,
        where: `release ${match.release.name} in namespace ${match.release.namespace} (chart ${match.release.chart.name} ${match.release.chart.version})`,
      };
    }
    if (matches.length > 1) {
      const names = matches
        .map((m) => `${m.release.namespace}/${m.release.name} (${m.release.chart.name} ${m.release.chart.version})`)
        .join(', ');
      throw new PreconditionError(
        `several product releases found in ${place.label}: ${names}; pass --release NAME (and -n NAMESPACE) or a CHART`,
      );
    }
    if (request.releaseName && releases.length > 0) {
      const release = releases[0] as HelmRelease;
      throw new PreconditionError(
        `release ${release.name} installs chart ${release.chart.name}, which no profile knows; pass the CHART (and --repo) to sync its CRDs`,
      );
    }
  }
  const what = request.releaseName
    ? `release ${request.releaseName}`
    : 'no deployed release of a known product (gloo-mesh, gloo, nginx-service-mesh)';
  throw new PreconditionError(
    `${request.releaseName ? `${what} not found` : what} in ${searched.join(', ')}; pass a CHART (REPO/NAME, oci://…, --repo URL NAME, a .tgz or directory) or --github OWNER/REPO`,
  );
}

/** InstalledRelease is the installed release a CHART's version is checked against. */
export interface InstalledRelease {
  readonly release: HelmRelease;
  /** where says which release was found and where, for the progress line. */
  readonly where: string;
}

/**
 * findInstalledRelease looks for the installed releases of the product whose chart is `chartName`
 * (every chart name of its profile, or just `chartName` when no profile knows it), searching as
 * {@link findProductRelease} does: the given namespace, the profile's, then every namespace the user
 * may read, stopping at the first place that has any. Of several there, the highest chart version
 * is returned: CRDs are cluster-wide, so syncing below any installed release is a downgrade for it.
 * Undefined when none is installed (nothing to check against).
 */
export async function findInstalledRelease(
  secrets: SecretStore,
  chartName: string,
  profiles: readonly ProductProfile[],
  request: { namespace?: string; warn?: (line: string) => void },
): Promise<InstalledRelease | undefined> {
  const profile = profileOfChart(chartName, profiles);
  const names = new Set(profile ? chartNamesOf(profile) : [chartName]);
  const places: Array<string | undefined> = [];
  if (request.namespace) places.push(request.namespace);
  if (profile && !places.includes(profile.namespace)) places.push(profile.namespace);
  places.push(undefined);
  let refused = 0;
  for (const namespace of places) {
    const releases = await releasesIn(secrets, namespace, undefined);
    if (!releases) refused++;
    const matches = (releases ?? []).filter((release) => names.has(release.chart.name));
    if (matches.length === 0) continue;
    const highest = matches.reduce((best, release) => {
      const version = parseVersion(release.chart.version);
      return version && (!parseVersion(best.chart.version) || compareVersions(version, best.chart.version) > 0) ? release : best;
    });
    const others = matches.length > 1 ? ` (the highest of ${matches.length} releases of it)` : '';
    return {
      release: highest,
      where: `release ${highest.name} in namespace ${highest.namespace} (chart ${highest.chart.name} ${highest.chart.version})${others}`,
    };
  }
  // Nowhere readable: say that the version was not checked rather than pass silently.
  if (refused === places.length)
    request.warn?.(
      `cannot list Helm release Secrets (forbidden): ${chartName}'s version is not checked against an installed release (pass --release NAME to name it)`,
    );
  return undefined;
}
