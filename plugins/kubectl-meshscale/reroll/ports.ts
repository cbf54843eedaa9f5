/**
 * The narrow port the reroll domain needs: workload and pod reads and watches (rollout waits),
 * and by-GroupVersionResource lists, merge patches and watches (ReplicaSets to find a pod's
 * Deployment, the restart patch, the --wait-for-deletion watch).
 */
import type { CustomObjectStore, WorkloadStore } from '../../../shared/kube/ports.js';

/** RerollPorts are the collaborators of the reroll domain. */
export interface RerollPorts {
  readonly workloads: Pick<WorkloadStore, 'get' | 'list' | 'watch'>;
  readonly objects: Pick<CustomObjectStore, 'list' | 'mergePatch' | 'watch'>;
}
