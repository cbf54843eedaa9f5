/**
 * The sandbox's validation and defaulting, as pure functions: object metadata, built-in defaults
 * and rules, custom resources against their schema, and CustomResourceDefinitions. Each returns
 * StatusCauses the HTTP layer wraps in a 422 with `invalid()` (sandbox/api/status.ts).
 */
export { validateObjectMeta, annotationsTooLong, totalAnnotationSizeLimitBytes } from './object-meta.js';
export { imagePullPolicyFor, clusterIPFor } from './defaults.js';
export { selectorMatches, fieldImmutable } from './builtin-rules.js';
// Each resource's defaults and rules are its strategy's (sandbox/strategies/).
export { defaultObject, validateBuiltin } from '../strategies/registry.js';
export {
  validateCustomResource,
  pruneUnknownFields,
  validateAgainstSchema,
  objectMetaFields,
  type CustomResourceValidation,
} from './schema-validation.js';
export { validateCrd, maintainStoredVersions, storageVersionOf } from './crd.js';
export { isDNS1123Label, isDNS1123Subdomain, isDNS1035Label, isQualifiedName, isValidLabelValue, isValidPathSegmentName } from './names.js';
