/**
 * Which strategy a resource has: built-in kinds by kind (the sandbox serves each built-in kind
 * from one group), custom resources none (the pipeline validates them against their schema).
 * defaultObject and validateBuiltin are the pipeline's entry points into them.
 */
import type { StatusCause } from '../api/status.js';
import type { KubeObject, ResourceType } from '../api/types.js';
import { deepClone } from '../patch/json-value.js';
import { mutatingWebhookConfigurationStrategy, validatingWebhookConfigurationStrategy } from './admission.js';
import { horizontalPodAutoscalerStrategy } from './autoscaling.js';
import { configMapStrategy, secretStrategy } from './config-data.js';
import { crdStrategy } from './crds.js';
import { cronJobStrategy } from './cronjobs.js';
import { jobStrategy } from './jobs.js';
import { namespaceStrategy } from './namespaces.js';
import { podStrategy } from './pods.js';
import { bindingStrategy } from './rbac.js';
import { serviceStrategy } from './services.js';
import { noRules, type ResourceStrategy } from './strategy.js';
import { daemonSetStrategy, deploymentStrategy, replicaSetStrategy, statefulSetStrategy } from './workloads.js';

const builtinStrategies: ReadonlyMap<string, ResourceStrategy> = new Map([
  ['Deployment', deploymentStrategy],
  ['StatefulSet', statefulSetStrategy],
  ['DaemonSet', daemonSetStrategy],
  ['ReplicaSet', replicaSetStrategy],
  ['Job', jobStrategy],
  ['CronJob', cronJobStrategy],
  ['Pod', podStrategy],
  ['Service', serviceStrategy],
  ['Secret', secretStrategy],
  ['ConfigMap', configMapStrategy],
  ['Namespace', namespaceStrategy],
  ['HorizontalPodAutoscaler', horizontalPodAutoscalerStrategy],
  ['ValidatingWebhookConfiguration', validatingWebhookConfigurationStrategy],
  ['MutatingWebhookConfiguration', mutatingWebhookConfigurationStrategy],
  ['RoleBinding', bindingStrategy],
  ['ClusterRoleBinding', bindingStrategy],
  ['CustomResourceDefinition', crdStrategy],
]);

/** strategyFor is the strategy of a served type: a built-in kind's, or none. */
export function strategyFor(type: ResourceType): ResourceStrategy {
  return (type.builtin && builtinStrategies.get(type.kind)) || noRules;
}

/** defaultObject fills in the defaults a real server sets on built-ins (Deployment strategy/replicas/…, StatefulSet updateStrategy, …). Returns a new object. */
export function defaultObject(type: ResourceType, object: KubeObject): KubeObject {
  // Custom resources get their schema defaults in validateCustomResource, which copies them.
  if (!type.builtin) return object;
  const result = deepClone(object);
  strategyFor(type).default?.(result);
  return result;
}

/** validateBuiltin checks the built-in rules clients observe (selectors vs template labels, immutable fields, CRDs). */
export function validateBuiltin(type: ResourceType, object: KubeObject, old: KubeObject | undefined): StatusCause[] {
  if (!type.builtin) return [];
  return strategyFor(type).validate?.(object, old) ?? [];
}
