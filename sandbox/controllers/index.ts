/**
 * The simulated controllers that run beside the sandbox API: the parts of kube-controller-manager,
 * kubelet and apiextensions-apiserver whose effects kubectl, helm and the plugins observe, plus
 * Gloo Mesh's discovery. They use only the in-process API, as real controllers use only the API.
 */
import type { Controller, InternalApi } from '../api/types.js';
import { CrdController } from './crd-controller.js';
import { DaemonSetController } from './daemonset-controller.js';
import { DeploymentController } from './deployment-controller.js';
import { GarbageCollector } from './garbage-collector.js';
import { GlooMeshDiscoverySimulator } from './gloo-mesh-discovery.js';
import { JobController } from './job-controller.js';
import { Kubelet } from './kubelet.js';
import { NamespaceController } from './namespace-controller.js';
import { ReplicaSetController } from './replicaset-controller.js';
import { ServiceLoadBalancerController } from './service-lb-controller.js';
import { StatefulSetController } from './statefulset-controller.js';

/** Delays of the simulated controllers, in milliseconds. */
export interface ControllerDelays {
  /** Until a Deployment/StatefulSet's pods become ready after a change. */
  rolloutMs: number;
  /** Until a CRD becomes NamesAccepted and Established. */
  crdEstablishMs: number;
  /** Until a Job completes. */
  jobMs: number;
  /** Between two writes of the Gloo Mesh discovery simulator. */
  discoveryStepMs: number;
  /**
   * How long a gracefully deleted pod stays terminating before the kubelet removes it. 0 (the
   * default) keeps pod deletion immediate; above 0 the sandbox's API must be built with
   * gracefulPodDeletion (startSandbox does that from this value).
   */
  podTerminationMs?: number;
}

/** defaultControllerDelays are what `npm run sandbox` uses. */
export const defaultControllerDelays: ControllerDelays = { rolloutMs: 300, crdEstablishMs: 200, jobMs: 300, discoveryStepMs: 250 };

/** startControllers starts every simulated controller over the in-process API and returns them (stop() each to end). */
export function startControllers(api: InternalApi, delays: ControllerDelays): Controller[] {
  const controllers: Controller[] = [
    new CrdController(api, delays.crdEstablishMs),
    new NamespaceController(api),
    new GarbageCollector(api),
    new Kubelet(api, delays.rolloutMs, delays.podTerminationMs ?? 0),
    new ReplicaSetController(api),
    new DeploymentController(api),
    new StatefulSetController(api),
    new DaemonSetController(api),
    new JobController(api, delays.jobMs),
    new ServiceLoadBalancerController(api),
    new GlooMeshDiscoverySimulator(api, delays.discoveryStepMs),
  ];
  for (const controller of controllers) controller.start();
  return controllers;
}
