/**
 * The narrow port the scale domain needs: a subset of the shared kube ports (scale subresource,
 * workload reads and watches, and merge patches / lists / deletes / watches by GroupVersionResource
 * for the record annotation, the discovery purge and the discovery settle wait).
 */
import type { CustomObjectStore, ScaleClient, WorkloadStore } from '../../../shared/kube/ports.js';

/** ScalePorts are the collaborators of the scale domain. */
export interface ScalePorts {
  readonly scale: Pick<ScaleClient, 'getScale' | 'setReplicas'>;
  readonly workloads: Pick<WorkloadStore, 'get' | 'list' | 'watch'>;
  readonly objects: Pick<CustomObjectStore, 'list' | 'mergePatch' | 'delete' | 'watch'>;
}
