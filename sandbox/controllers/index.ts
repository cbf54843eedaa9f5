// CONTRACT STUB (owner: controllers/products helper) — replace the body, keep the signature.
import type { Controller, InternalApi } from '../api/types.js';

/** Delays of the simulated controllers, in milliseconds. */
export interface ControllerDelays {
  /** Until a Deployment/StatefulSet's pods become ready after a change. */
  rolloutMs: number;
  /** Until a CRD becomes NamesAccepted and Established. */
  crdEstablishMs: number;
  /** Until a Job completes. */
  jobMs: number;
  /** Between two writes of the Gloo Mesh discovery simulator. */
  discoveryStepMs: number;
}

/** defaultControllerDelays are what `npm run sandbox` uses. */
export const defaultControllerDelays: ControllerDelays = { rolloutMs: 300, crdEstablishMs: 200, jobMs: 300, discoveryStepMs: 250 };

/** startControllers starts every simulated controller over the in-process API and returns them (stop() each to end). */
export function startControllers(_api: InternalApi, _delays: ControllerDelays): Controller[] {
  return [];
}
