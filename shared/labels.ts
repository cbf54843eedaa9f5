/**
 * Every label and annotation the suite writes on cluster objects, under one domain
 * (mesh-upgrade.io), and the older keys still read on objects an earlier version touched.
 */

/** originalReplicasAnnotation records a workload's replica count before `meshscale down`. */
export const originalReplicasAnnotation = 'meshscale.mesh-upgrade.io/original-replicas';

/** restoredFromLabel marks what `meshbackup restore` created (undo: kubectl delete KIND -A -l <label>). */
export const restoredFromLabel = 'meshbackup.mesh-upgrade.io/restored-from';

/** legacyRestoredFromLabel is the key restores wrote before the suite used one domain; still read. */
export const legacyRestoredFromLabel = 'meshbackup.mesh.io/restored-from';

/** restoredFrom reads which archive restored an object, under the current or the older key. */
export function restoredFrom(labels: Readonly<Record<string, string>> | undefined): string | undefined {
  return labels?.[restoredFromLabel] ?? labels?.[legacyRestoredFromLabel];
}
