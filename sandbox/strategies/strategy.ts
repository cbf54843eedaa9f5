/**
 * A resource's strategy: its own rules in the generic write pipeline (api/internal-api.ts), as
 * k8s.io/apiserver's registry gives each resource a RESTCreateStrategy/RESTUpdateStrategy
 * (PrepareForCreate, Validate, ValidateUpdate, Canonicalize) and the API group its defaulters.
 * The pipeline does what is common to every resource (metadata, resourceVersion, generation,
 * conflicts, managedFields, custom resources against their schema) and calls these hooks in
 * the order the real server does: prepareForCreate → default → validate → canonicalize.
 */
import type { StatusCause } from '../api/status.js';
import type { KubeObject } from '../api/types.js';

/** ResourceStrategy holds one resource's hooks; a resource without rules has none. */
export interface ResourceStrategy {
  /** prepareForCreate returns a new object's server-set fields (a Namespace's finalizer and phase), before defaulting. */
  prepareForCreate?(object: KubeObject): KubeObject;
  /** default fills in the API's defaults, in place, on the write's own copy. */
  default?(object: KubeObject): void;
  /** validate returns the field errors of object, compared with old on an update (ValidateUpdate). */
  validate?(object: KubeObject, old: KubeObject | undefined): StatusCause[];
  /** canonicalize returns the object as stored, once it is valid (a CRD's status.storedVersions). */
  canonicalize?(object: KubeObject, old: KubeObject | undefined): KubeObject;
}

/** noRules is the strategy of a built-in resource the sandbox adds nothing to. */
export const noRules: ResourceStrategy = {};
