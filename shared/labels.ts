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

/**
 * crdSourceAnnotation records on each CRD `helm crdsync` applies where it came from: the chart
 * name, version and reference (with its digest when read from a repository), or the GitHub
 * repository, ref and path — so `kubectl get crd -o yaml` shows which chart the live CRD is from.
 */
export const crdSourceAnnotation = 'crdsync.mesh-upgrade.io/source';
