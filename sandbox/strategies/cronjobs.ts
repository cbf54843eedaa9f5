/** CronJobs (batch/v1): SetDefaults_CronJob, and ValidateCronJob in part (a schedule, a restartable pod template). */
import { validateCronJob } from '../validation/builtin-rules.js';
import { defaultTemplate, obj, setDefault } from '../validation/defaults.js';
import type { ResourceStrategy } from './strategy.js';

/** cronJobStrategy defaults and validates CronJobs; the job template's pod spec gets the PodSpec defaults, not the Job's. */
export const cronJobStrategy: ResourceStrategy = {
  default(object) {
    const s = obj(object, 'spec');
    setDefault(s, 'concurrencyPolicy', 'Allow');
    setDefault(s, 'suspend', false);
    setDefault(s, 'successfulJobsHistoryLimit', 3);
    setDefault(s, 'failedJobsHistoryLimit', 1);
    defaultTemplate(obj(obj(s, 'jobTemplate'), 'spec'));
  },
  validate: (object) => validateCronJob(object),
};
