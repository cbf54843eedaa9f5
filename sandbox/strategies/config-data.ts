/** Secrets and ConfigMaps (v1): data that cannot change once marked immutable; a Secret's type. */
import { validateImmutableData } from '../validation/builtin-rules.js';
import { setDefault } from '../validation/defaults.js';
import type { ResourceStrategy } from './strategy.js';

/** secretStrategy: type Opaque by default; immutable data stays. */
export const secretStrategy: ResourceStrategy = {
  default(object) {
    setDefault(object, 'type', 'Opaque');
  },
  validate: (object, old) => validateImmutableData('Secret', object, old),
};

/** configMapStrategy: immutable data stays. */
export const configMapStrategy: ResourceStrategy = {
  validate: (object, old) => validateImmutableData('ConfigMap', object, old),
};
