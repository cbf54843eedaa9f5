/**
 * Waiting on the in-process API for a state, as `kubectl wait` does: subscribe first, then check,
 * so a change between the check and the subscription is not missed.
 */
import type { GroupVersionResource, InternalApi, KubeObject } from '../api/types.js';

/** waitForObjects resolves once `ready` holds for every named object, or rejects after `timeoutMs` naming those still waiting. */
export function waitForObjects(
  api: InternalApi,
  gvr: GroupVersionResource,
  targets: Array<{ namespace?: string; name: string }>,
  ready: (object: KubeObject) => boolean,
  timeoutMs: number,
  what: string,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const pending = (): string[] =>
      targets
        .filter((t) => {
          const object = api.get(gvr, t.namespace, t.name);
          return !object || !ready(object);
        })
        .map((t) => (t.namespace ? `${t.namespace}/${t.name}` : t.name));
    let done = false;
    const finish = (error?: Error): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      unsubscribe();
      if (error) reject(error);
      else resolve();
    };
    const timer = setTimeout(
      () =>
        finish(
          new Error(`timed out after ${timeoutMs} ms waiting for ${what}: ${pending().join(', ')} (are the sandbox controllers running?)`),
        ),
      timeoutMs,
    );
    const unsubscribe = api.subscribe((event) => {
      if (event.groupResource.group === gvr.group && event.groupResource.resource === gvr.resource && !pending().length) finish();
    });
    if (!pending().length) finish();
  });
}

/** hasCondition tells whether status.conditions holds `type` with status True. */
export function hasCondition(object: KubeObject, type: string): boolean {
  const conditions = ((object.status ?? {}) as { conditions?: Array<{ type?: string; status?: string }> }).conditions ?? [];
  return conditions.some((c) => c.type === type && c.status === 'True');
}
