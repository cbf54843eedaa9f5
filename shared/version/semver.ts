/**
 * The suite's only door to the `semver` package (krew wraps its version library the same way), so
 * the vendor-tag rules live in one place (research/preflight.md §4):
 *  - a leading "v" is optional (`v1.17.0`, `1.17.0`);
 *  - Solo writes `1.17.0-beta10`; semver compares "beta10" as text (beta10 < beta9), so
 *    letters+digits identifiers are split (`beta.10`) before comparing;
 *  - build flavours (`-ee`, `-fips`, `-distroless`) and platform suffixes (`-eks-2d98532`,
 *    `-gke.1200`) are not prereleases: they are stripped for comparison, or `1.27.3-eks-…` would
 *    sort below `1.27.3` and fail every range;
 *  - build metadata (`+k3s1`) is ignored, as semver says;
 *  - `latest`, digests (`sha256:…`, `@sha256:…`) and anything else unparsable are "unknown"
 *    (undefined), never guessed;
 *  - the original text is kept for display.
 */
import semver from 'semver';
import { UsageError } from '../errors/errors.js';

/** VendorVersion is a parsed version tag. */
export interface VendorVersion {
  /** original is the text as found (tag, image tag, chart version), for display. */
  readonly original: string;
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** prerelease identifiers after normalisation, e.g. ['beta', 10]; empty for a release. */
  readonly prerelease: readonly (string | number)[];
  /** flavour is a build variant that does not change the version, e.g. "ee", "fips", "distroless". */
  readonly flavour?: string;
  /** platform is a distribution suffix of a Kubernetes version, e.g. "eks-2d98532", "gke.1200". */
  readonly platform?: string;
  /** build is semver build metadata without "+", e.g. "k3s1". */
  readonly build?: string;
  /** normalized is the canonical semver text compared on, e.g. "1.17.0-beta.10". */
  readonly normalized: string;
}

/** MinorLine is a major.minor release line, e.g. {major: 1, minor: 17} for 1.17.x. */
export interface MinorLine {
  readonly major: number;
  readonly minor: number;
}

// Known build variants; order does not matter, several may be chained ("-fips-distroless").
const flavours = ['ee', 'fips', 'distroless', 'extended'];
// Managed-Kubernetes server versions: EKS "-eks-<hash>", GKE "-gke.<n>", and kin.
const platformSuffix = /^-((?:eks|gke|aks|ack|tke|oke|iks|mke|rke2)[.-].*)$/i;
const versionPattern = /^v?(\d+)\.(\d+)(?:\.(\d+))?(-[0-9A-Za-z.-]+)?(?:\+([0-9A-Za-z.-]+))?$/;

function splitIdentifiers(prerelease: string): (string | number)[] {
  const identifiers: (string | number)[] = [];
  for (const part of prerelease.split('.')) {
    // "beta10" → "beta", 10 so beta10 sorts after beta9 (Solo's and NGINX's tag style).
    const match = /^([A-Za-z]+)(\d+)$/.exec(part);
    if (match?.[1] && match[2] !== undefined) identifiers.push(match[1], Number(match[2]));
    else identifiers.push(/^\d+$/.test(part) ? Number(part) : part);
  }
  return identifiers;
}

/** parseVersion parses a vendor tag; undefined means "unknown version" (latest, digest, garbage). */
export function parseVersion(text: string): VendorVersion | undefined {
  const original = text;
  const trimmed = text.trim();
  if (trimmed === '' || /^latest$/i.test(trimmed) || /(^|@)sha256:/i.test(trimmed)) return undefined;
  const match = versionPattern.exec(trimmed);
  if (!match) return undefined;
  const [, majorText, minorText, patchText, suffixText, build] = match;
  let suffix = suffixText ?? '';
  let platform: string | undefined;
  const platformMatch = platformSuffix.exec(suffix);
  if (platformMatch?.[1]) {
    platform = platformMatch[1];
    suffix = '';
  }
  const foundFlavours: string[] = [];
  for (;;) {
    const flavour = flavours.find((name) => suffix.toLowerCase().endsWith(`-${name}`));
    if (!flavour) break;
    foundFlavours.unshift(flavour);
    suffix = suffix.slice(0, -(flavour.length + 1));
  }
  const prerelease = suffix === '' ? [] : splitIdentifiers(suffix.slice(1));
  const major = Number(majorText);
  const minor = Number(minorText);
  const patch = Number(patchText ?? 0);
  const core = `${major}.${minor}.${patch}`;
  const normalized = prerelease.length > 0 ? `${core}-${prerelease.join('.')}` : core;
  if (semver.valid(normalized) === null) return undefined;
  return {
    original,
    major,
    minor,
    patch,
    prerelease,
    flavour: foundFlavours.length > 0 ? foundFlavours.join('-') : undefined,
    platform,
    build: build || undefined,
    normalized,
  };
}

/** requireVersion parses a user-given version or throws a usage error naming the flag or argument. */
export function requireVersion(text: string, what: string): VendorVersion {
  const version = parseVersion(text);
  if (!version) throw new UsageError(`invalid ${what} "${text}": expected a version like v1.17.0`);
  return version;
}

type VersionLike = VendorVersion | string;

function toVersion(value: VersionLike): VendorVersion {
  if (typeof value !== 'string') return value;
  const parsed = parseVersion(value);
  if (!parsed) throw new TypeError(`not a version: "${value}"`);
  return parsed;
}

/** compareVersions orders two versions (-1, 0, 1) ignoring flavour, platform and build metadata. */
export function compareVersions(a: VersionLike, b: VersionLike): -1 | 0 | 1 {
  return semver.compare(toVersion(a).normalized, toVersion(b).normalized);
}

/** sortVersions returns the parsable versions ascending; unknown tags are dropped. */
export function sortVersions(values: readonly VersionLike[]): VendorVersion[] {
  const parsed = values.flatMap((value) => {
    const version = typeof value === 'string' ? parseVersion(value) : value;
    return version ? [version] : [];
  });
  return parsed.sort((a, b) => compareVersions(a, b));
}

/** isPrerelease reports whether a version is a beta/rc/etc. (flavours and platforms are not prereleases). */
export function isPrerelease(version: VersionLike): boolean {
  return toVersion(version).prerelease.length > 0;
}

/** minorLineOf returns a version's major.minor line. */
export function minorLineOf(version: VersionLike): MinorLine {
  const parsed = toVersion(version);
  return { major: parsed.major, minor: parsed.minor };
}

/** formatMinorLine renders a line as "1.17". */
export function formatMinorLine(line: MinorLine): string {
  return `${line.major}.${line.minor}`;
}

/** compareMinorLines orders release lines. */
export function compareMinorLines(a: MinorLine, b: MinorLine): number {
  return a.major - b.major || a.minor - b.minor;
}

/** sameMinorLine reports whether two versions are on the same major.minor line (how glooctl compares CLI and server). */
export function sameMinorLine(a: VersionLike, b: VersionLike): boolean {
  return compareMinorLines(minorLineOf(a), minorLineOf(b)) === 0;
}

/**
 * latestPatch returns the highest stable release of `line` among `available` (meshctl's
 * GetLatestChartMinorVersion): prereleases are skipped; undefined when the line has no stable release.
 */
export function latestPatch(available: readonly VersionLike[], line: MinorLine): VendorVersion | undefined {
  const candidates = sortVersions(available).filter(
    (version) => version.major === line.major && version.minor === line.minor && version.prerelease.length === 0,
  );
  return candidates[candidates.length - 1];
}

/**
 * minorLinesBetween lists the release lines strictly after `from` up to and including `to` that
 * appear in `available`, ascending: the hops of a one-minor-at-a-time upgrade. Counting lines (not
 * semver.diff, which calls 1.16.0-beta3 → 1.16.0 a "minor") keeps prerelease-to-GA a no-hop.
 */
export function minorLinesBetween(from: MinorLine, to: MinorLine, available: readonly VersionLike[]): MinorLine[] {
  const seen = new Map<string, MinorLine>();
  for (const version of sortVersions(available)) {
    const line = minorLineOf(version);
    if (compareMinorLines(line, from) > 0 && compareMinorLines(line, to) <= 0) seen.set(formatMinorLine(line), line);
  }
  return [...seen.values()].sort(compareMinorLines);
}

/** isMajorBump reports whether going from `from` to `to` crosses a major version. */
export function isMajorBump(from: VersionLike, to: VersionLike): boolean {
  return toVersion(to).major > toVersion(from).major;
}

/**
 * isBreakingMinor reports whether a step between lines may break: any major change, and any minor
 * change below 1.0 (vendors treat every 0.y as breaking; npm's caret range agrees).
 */
export function isBreakingMinor(from: MinorLine, to: MinorLine): boolean {
  if (from.major !== to.major) return true;
  return from.major === 0 && from.minor !== to.minor;
}

/**
 * satisfiesRange checks a version against a semver range (a chart's kubeVersion, a profile's
 * version range). Prereleases are included, and flavour/platform suffixes are already stripped, so
 * `v1.27.3-eks-2d98532` satisfies `>=1.22.0-0` as it should.
 */
export function satisfiesRange(version: VersionLike, range: string): boolean {
  return semver.satisfies(toVersion(version).normalized, range, { includePrerelease: true });
}

/** isValidRange reports whether `range` is a semver range this module can evaluate. */
export function isValidRange(range: string): boolean {
  return semver.validRange(range) !== null;
}
