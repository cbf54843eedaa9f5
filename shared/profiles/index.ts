/**
 * The built-in product profiles and lookups over them.
 */
import { UsageError } from '../errors/errors.js';
import { satisfiesRange, type VendorVersion } from '../version/semver.js';
import { glooEdgeProfile } from './gloo-edge.js';
import { glooMeshProfile } from './gloo-mesh.js';
import { nginxServiceMeshProfile } from './nginx-service-mesh.js';
import { loadProfileFile } from './profile-file.js';
import { kindKey, type ProductProfile, type ResourceKind, type ScalableWorkload } from './types.js';

export type * from './types.js';
export { kindKey } from './types.js';

/** builtinProfiles lists the products the suite knows out of the box. */
export const builtinProfiles: readonly ProductProfile[] = [glooMeshProfile, glooEdgeProfile, nginxServiceMeshProfile];

/**
 * profileFor returns the profile called `name` among `profiles` (built-ins plus any loaded from
 * --profile-file), or throws a usage error listing the known names.
 */
export function profileFor(name: string, profiles: readonly ProductProfile[] = builtinProfiles): ProductProfile {
  const profile = profiles.find((candidate) => candidate.name === name);
  if (!profile) {
    const known = profiles.map((candidate) => candidate.name).join(', ');
    throw new UsageError(`unknown profile "${name}": known profiles are ${known}`);
  }
  return profile;
}

/** workloadsFor returns the workloads a given product version runs (all of them when the version is unknown). */
export function workloadsFor(profile: ProductProfile, version: VendorVersion | undefined): ScalableWorkload[] {
  return profile.workloads.filter(
    (workload) => workload.versions === undefined || version === undefined || satisfiesRange(version, workload.versions),
  );
}

/** orderWorkloads sorts workloads by a name order (scaleDownOrder or scaleUpOrder); unlisted ones keep their place at the end. */
export function orderWorkloads(workloads: readonly ScalableWorkload[], order: readonly string[]): ScalableWorkload[] {
  const rank = (workload: ScalableWorkload): number => {
    const index = order.indexOf(workload.name);
    return index === -1 ? order.length : index;
  };
  return [...workloads].sort((a, b) => rank(a) - rank(b));
}

/**
 * restorableKinds returns the kinds that may be restored, in restore order: those listed in
 * restoreOrder first, then any other restorable kind, never discovery groups.
 */
export function restorableKinds(profile: ProductProfile): ResourceKind[] {
  const candidates = profile.kinds.filter((kind) => kind.restore && !profile.discoveryGroups.includes(kind.group));
  const rank = (kind: ResourceKind): number => {
    const index = profile.restoreOrder.indexOf(kindKey(kind));
    return index === -1 ? profile.restoreOrder.length : index;
  };
  return candidates.sort((a, b) => rank(a) - rank(b));
}

/** ProfileFlags are the parsed --profile and --profile-file values. */
export interface ProfileFlags {
  readonly profile?: string;
  readonly profileFile?: string;
}

/**
 * resolveProfile returns the profile the flags name: a built-in one, or the one a --profile-file
 * describes (then --profile may be omitted, or must name it). Undefined when neither is given.
 */
export function resolveProfile(flags: ProfileFlags, readFile: (file: string) => string): ProductProfile | undefined {
  if (!flags.profileFile) return flags.profile ? profileFor(flags.profile) : undefined;
  const loaded = loadProfileFile(flags.profileFile, readFile);
  if (flags.profile && flags.profile !== loaded.name) {
    throw new UsageError(`--profile ${flags.profile} does not match the profile "${loaded.name}" that ${flags.profileFile} describes`);
  }
  return loaded;
}
