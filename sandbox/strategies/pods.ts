/** Pods (v1): the pod spec's defaults (SetDefaults_PodSpec, enableServiceLinks) and validation. */
import { validatePodSpec } from '../validation/builtin-rules.js';
import { defaultPodSpec, obj, setDefault } from '../validation/defaults.js';
import { isJsonObject } from '../patch/json-value.js';
import type { ResourceStrategy } from './strategy.js';

/** podStrategy defaults and validates Pods. */
export const podStrategy: ResourceStrategy = {
  default(object) {
    defaultPodSpec(obj(object, 'spec'));
    setDefault(obj(object, 'spec'), 'enableServiceLinks', true);
  },
  validate: (object) => validatePodSpec(isJsonObject(object.spec) ? object.spec : {}, 'spec'),
};
