/** Jobs (batch/v1): SetDefaults_Job, and a template and selector that never change. */
import { validateJob } from '../validation/builtin-rules.js';
import { defaultJob, obj } from '../validation/defaults.js';
import type { ResourceStrategy } from './strategy.js';

/** jobStrategy defaults and validates Jobs. */
export const jobStrategy: ResourceStrategy = {
  default(object) {
    defaultJob(object, obj(object, 'spec'));
  },
  validate: validateJob,
};
