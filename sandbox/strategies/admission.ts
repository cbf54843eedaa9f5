/** Validating and mutating webhook configurations (admissionregistration.k8s.io/v1): each webhook's defaults. */
import { defaultWebhooks } from '../validation/defaults.js';
import type { ResourceStrategy } from './strategy.js';

/** validatingWebhookConfigurationStrategy defaults every webhook. */
export const validatingWebhookConfigurationStrategy: ResourceStrategy = {
  default(object) {
    defaultWebhooks(object, false);
  },
};

/** mutatingWebhookConfigurationStrategy defaults every webhook, reinvocationPolicy too. */
export const mutatingWebhookConfigurationStrategy: ResourceStrategy = {
  default(object) {
    defaultWebhooks(object, true);
  },
};
