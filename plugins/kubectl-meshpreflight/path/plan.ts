/**
 * The upgrade path (research/preflight.md §4): current → latest patch of the current minor →
 * latest patch of every intermediate minor → target, one minor at a time, because the vendors
 * support only N-1 → N upgrades. Hops are counted on major.minor lines, never with semver.diff
 * (which calls 1.16.0-beta3 → 1.16.0 a "minor"). Below 1.0 every minor is breaking.
 */
import type { VersionNote } from '../../../shared/profiles/index.js';
import {
  compareMinorLines,
  compareVersions,
  formatMinorLine,
  isBreakingMinor,
  latestPatch,
  minorLineOf,
  sortVersions,
  type MinorLine,
  type VendorVersion,
} from '../../../shared/version/semver.js';

/** HopKind says what a hop changes. */
export type HopKind = 'patch' | 'minor' | 'major';

/** UpgradeHop is one `helm upgrade` of the plan. */
export interface UpgradeHop {
  readonly from: string;
  /** to is a concrete version, or "1.16.x" when no version list was available to resolve it. */
  readonly to: string;
  readonly kind: HopKind;
  /** breaking is true for a major change and for any 0.y minor change (fresh install recommended). */
  readonly breaking: boolean;
  /** cli is the vendor CLI line to use for this hop, e.g. "glooctl 1.16.x". */
  readonly cli?: string;
  /** crds is the command that brings the CRDs to this hop's version before `helm upgrade`. */
  readonly crds: string;
  /** notes are the profile's version notes this hop crosses. */
  readonly notes: readonly VersionNote[];
}

/** UpgradePlan is the answer of {@link planUpgradePath}. */
export interface UpgradePlan {
  readonly from: string;
  readonly to: string;
  /** outcome: "upgrade" (hops follow), "up-to-date" (same version), "downgrade" (refused). */
  readonly outcome: 'upgrade' | 'up-to-date' | 'downgrade';
  readonly hops: readonly UpgradeHop[];
  /** problems are things about the path the user must know (gaps in the version list, unreleased target …). */
  readonly problems: readonly string[];
}

/** PlanInput is what the planner needs; `available` undefined means no version list could be had. */
export interface PlanInput {
  readonly current: VendorVersion;
  readonly target: VendorVersion;
  readonly available?: readonly VendorVersion[];
  /** cliName names the vendor CLI in each hop ("glooctl"). */
  readonly cliName?: string;
  /** crdsCommand renders the CRD step of a hop, e.g. (v) => `helm crdsync --version ${v} -n gloo-system`. */
  readonly crdsCommand: (version: string) => string;
  readonly notes?: readonly VersionNote[];
}

const unresolvedPatch = 999_999;

function display(version: VendorVersion): string {
  return version.original.replace(/^v/, '');
}

function hopKind(from: MinorLine, to: MinorLine): HopKind {
  if (from.major !== to.major) return 'major';
  return from.minor !== to.minor ? 'minor' : 'patch';
}

/** notesCrossed returns the notes whose version lies in (from, to]. */
export function notesCrossed(notes: readonly VersionNote[], from: VendorVersion, to: VendorVersion | MinorLine): VersionNote[] {
  return notes.filter((note) => {
    if (compareVersions(note.at, from) <= 0) return false;
    if ('original' in to) return compareVersions(note.at, to) <= 0;
    const line = minorLineOf(note.at);
    return compareMinorLines(line, to) <= 0;
  });
}

/**
 * linesBetween lists the release lines after `from` up to `to`. With a version list it takes the
 * lines that have a release there; without one it counts minors within a major (a major bump then
 * goes to X+1.0, the Radius rule) so the plan still shows every hop, unresolved.
 */
function linesBetween(from: MinorLine, to: MinorLine, available: readonly VendorVersion[] | undefined): MinorLine[] {
  if (available) {
    const seen = new Map<string, MinorLine>();
    for (const version of available) {
      const line = minorLineOf(version);
      if (compareMinorLines(line, from) > 0 && compareMinorLines(line, to) <= 0) seen.set(formatMinorLine(line), line);
    }
    return [...seen.values()].sort(compareMinorLines);
  }
  const lines: MinorLine[] = [];
  let line = from;
  for (;;) {
    // Without a list the last minor of a major is unknown: a major bump goes to X+1.0.
    const next = line.major < to.major ? { major: line.major + 1, minor: 0 } : { major: line.major, minor: line.minor + 1 };
    if (compareMinorLines(next, to) > 0) break;
    lines.push(next);
    line = next;
  }
  return lines;
}

/**
 * gapsIn reports minors missing from a version list inside one major (1.15 then 1.17: where is
 * 1.16?): the plan cannot say how to cross a line it does not know.
 */
function gapsIn(lines: readonly MinorLine[], start: MinorLine): string[] {
  const gaps: string[] = [];
  let previous = start;
  for (const line of lines) {
    if (line.major === previous.major) {
      for (let minor = previous.minor + 1; minor < line.minor; minor++) gaps.push(`${line.major}.${minor}`);
    }
    previous = line;
  }
  return gaps;
}

/** planUpgradePath builds the hop-by-hop plan from `current` to `target`. */
export function planUpgradePath(input: PlanInput): UpgradePlan {
  const { current, target, cliName } = input;
  const notes = input.notes ?? [];
  const available = input.available ? sortVersions(input.available) : undefined;
  const base = { from: display(current), to: display(target) };
  const order = compareVersions(target, current);
  if (order < 0) {
    return {
      ...base,
      outcome: 'downgrade',
      hops: [],
      problems: [`${base.to} is older than the installed ${base.from}: downgrades are not supported, restore a backup instead`],
    };
  }
  if (order === 0) return { ...base, outcome: 'up-to-date', hops: [], problems: [] };

  const problems: string[] = [];
  if (available && !available.some((version) => compareVersions(version, target) === 0)) {
    problems.push(`${base.to} is not in the version list`);
  }
  const hops: UpgradeHop[] = [];
  let at = current;
  const addHop = (to: VendorVersion | MinorLine): void => {
    const fromLine = minorLineOf(at);
    const toLine = 'original' in to ? minorLineOf(to) : to;
    const text = 'original' in to ? display(to) : `${formatMinorLine(to)}.x`;
    hops.push({
      from: display(at),
      to: text,
      kind: hopKind(fromLine, toLine),
      breaking: isBreakingMinor(fromLine, toLine),
      ...(cliName ? { cli: `${cliName} ${formatMinorLine(toLine)}.x` } : {}),
      crds: input.crdsCommand(text),
      notes: notesCrossed(notes, at, to),
    });
  };

  const currentLine = minorLineOf(current);
  const targetLine = minorLineOf(target);
  // Step 1: the latest patch of the current minor, unless the target is on that line anyway.
  if (compareMinorLines(currentLine, targetLine) < 0) {
    const latest = available ? latestPatch(available, currentLine) : undefined;
    if (latest && compareVersions(latest, current) > 0) {
      addHop(latest);
      at = latest;
    } else if (!available) {
      problems.push(`cannot tell whether ${base.from} is the latest patch of ${formatMinorLine(currentLine)}: no version list`);
    } else if (!latest) {
      problems.push(`${formatMinorLine(currentLine)} has no stable release in the version list`);
    }
  }
  const lines = linesBetween(currentLine, targetLine, available);
  if (available) {
    const gaps = gapsIn([...lines, ...(lines.some((line) => compareMinorLines(line, targetLine) === 0) ? [] : [targetLine])], currentLine);
    for (const gap of gaps) problems.push(`no ${gap} release in the version list: the path cannot cross it`);
  }
  for (const line of lines) {
    if (compareMinorLines(line, targetLine) === 0) break;
    const latest = available ? latestPatch(available, line) : undefined;
    if (available && !latest) {
      problems.push(`${formatMinorLine(line)} has no stable release in the version list: no hop through it`);
      continue;
    }
    if (latest) {
      addHop(latest);
      at = latest;
    } else {
      addHop(line);
      // An unresolved "1.16.x" stands for the line's last patch in what follows.
      at = {
        original: `${formatMinorLine(line)}.x`,
        major: line.major,
        minor: line.minor,
        patch: unresolvedPatch,
        prerelease: [],
        normalized: `${line.major}.${line.minor}.${unresolvedPatch}`,
      };
    }
  }
  addHop(target);
  return { ...base, outcome: 'upgrade', hops, problems };
}
