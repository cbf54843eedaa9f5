/**
 * Namespaces (v1): the namespace strategy's PrepareForCreate sets the `kubernetes` finalizer and
 * phase Active whatever the client sent, and the NamespaceDefaultLabelName feature (GA in 1.22)
 * labels every namespace with its own name.
 */
import { obj, setDefault } from '../validation/defaults.js';
import type { ResourceStrategy } from './strategy.js';

/** namespaceStrategy prepares and defaults Namespaces. */
export const namespaceStrategy: ResourceStrategy = {
  prepareForCreate(object) {
    return { ...object, spec: { ...(object.spec as object | undefined), finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
  },
  default(object) {
    setDefault(obj(object, 'spec'), 'finalizers', ['kubernetes']);
    setDefault(obj(object, 'status'), 'phase', 'Active');
    if (object.metadata.name)
      object.metadata.labels = { ...(object.metadata.labels ?? {}), 'kubernetes.io/metadata.name': object.metadata.name };
  },
};
