/** HorizontalPodAutoscalers (autoscaling): minReplicas defaults to 1. */
import { obj, setDefault } from '../validation/defaults.js';
import type { ResourceStrategy } from './strategy.js';

/** horizontalPodAutoscalerStrategy defaults HPAs. */
export const horizontalPodAutoscalerStrategy: ResourceStrategy = {
  default(object) {
    setDefault(obj(object, 'spec'), 'minReplicas', 1);
  },
};
