/**
 * A controller test's world: the sandbox's real in-process API (or, when a test passes one, the
 * small FakeInternalApi), the simulated controllers running over it with short delays, and
 * helpers to read it.
 */
import type { Controller, GroupVersionResource, InternalApi, KubeObject } from '../../sandbox/api/types.js';
import { startControllers, type ControllerDelays } from '../../sandbox/controllers/index.js';
import { SandboxApi } from '../../sandbox/api/internal-api.js';

/** Delays short enough for unit tests, long enough that convergence is observably asynchronous. */
export const unitDelays: ControllerDelays = { rolloutMs: 20, crdEstablishMs: 20, jobMs: 30, discoveryStepMs: 15 };

/** A running API with controllers. */
export interface ControllerHarness {
  api: InternalApi;
  stop(): void;
}

/** startHarness starts every controller on `api` (a fresh SandboxApi unless given). */
export function startHarness(delays: Partial<ControllerDelays> = {}, api: InternalApi = new SandboxApi()): ControllerHarness {
  const controllers: Controller[] = startControllers(api, { ...unitDelays, ...delays });
  return { api, stop: () => controllers.forEach((c) => c.stop()) };
}

/** ensureNamespace creates a namespace unless it exists. */
export function ensureNamespace(api: InternalApi, name: string): void {
  const gvr = { group: '', version: 'v1', resource: 'namespaces' };
  if (!api.get(gvr, undefined, name)) api.create(gvr, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
}

/** statusOf reads an object's status as a plain record (empty when absent). */
export function statusOf(
  api: InternalApi,
  gvr: GroupVersionResource,
  namespace: string | undefined,
  name: string,
): Record<string, unknown> {
  return (api.get(gvr, namespace, name)?.status ?? {}) as Record<string, unknown>;
}

/** podsIn lists the pods of a namespace, sorted by name. */
export function podsIn(api: InternalApi, namespace: string): KubeObject[] {
  return api
    .list({ group: '', version: 'v1', resource: 'pods' }, { namespace })
    .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
}
