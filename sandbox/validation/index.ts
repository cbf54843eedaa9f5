// CONTRACT STUB (owner: patch/validation helper) — replace the bodies, keep the signatures.
import type { KubeObject, ResourceType } from '../api/types.js';
import type { StatusCause } from '../api/status.js';

/** validateObjectMeta checks name (DNS-1123 per kind rules), generateName, labels, annotations (256 KiB total), types of metadata fields. */
export function validateObjectMeta(_type: ResourceType, _object: KubeObject, _isCreate: boolean): StatusCause[] {
  return [];
}
/** defaultObject fills in the defaults a real server sets on built-ins (Deployment strategy/replicas/…, StatefulSet updateStrategy, …). Returns a new object. */
export function defaultObject(_type: ResourceType, object: KubeObject): KubeObject {
  return object;
}
/** validateBuiltin checks the few built-in rules clients depend on (e.g. a Deployment's selector matches its template labels). */
export function validateBuiltin(_type: ResourceType, _object: KubeObject, _old: KubeObject | undefined): StatusCause[] {
  return [];
}
/** validateCustomResource validates a custom resource against its version's openAPIV3Schema and prunes unknown fields. Returns the pruned object and the causes. */
export function validateCustomResource(_type: ResourceType, object: KubeObject): { object: KubeObject; causes: StatusCause[] } {
  return { object, causes: [] };
}
/** validateCrd checks a CustomResourceDefinition (names, exactly one storage version, storedVersions rules against `old`). */
export function validateCrd(_crd: KubeObject, _old: KubeObject | undefined): StatusCause[] {
  return [];
}
