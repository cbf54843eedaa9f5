/** Services (v1): type, ports and a cluster IP allotted once and kept for life. */
import { validateService } from '../validation/builtin-rules.js';
import { defaultService, obj } from '../validation/defaults.js';
import type { ResourceStrategy } from './strategy.js';

/** serviceStrategy defaults and validates Services. */
export const serviceStrategy: ResourceStrategy = {
  default(object) {
    defaultService(object, obj(object, 'spec'));
  },
  validate: validateService,
};
