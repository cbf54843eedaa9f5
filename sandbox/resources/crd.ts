// CONTRACT STUB (owner: discovery/openapi helper) — replace the body, keep the signature.
import type { KubeObject, ResourceType } from '../api/types.js';

/** resourceTypesFromCrd turns a CustomResourceDefinition into one ResourceType per served version. */
export function resourceTypesFromCrd(_crd: KubeObject): ResourceType[] {
  return [];
}
