/**
 * SelfSubjectAccessReview, which `kubectl auth can-i` posts: the answer comes from the same
 * authorizer that guards every request, so "yes" means the request would pass.
 */
import { badRequest } from '../api/status.js';
import { authorize, type RestrictedDenial } from '../auth/authorizer.js';

interface ReviewSpec {
  resourceAttributes?: { namespace?: string; verb?: string; group?: string; resource?: string; subresource?: string; name?: string };
  nonResourceAttributes?: { path?: string; verb?: string };
}

/** reviewAccess answers a SelfSubjectAccessReview body for `user`. */
export function reviewAccess(user: string, body: unknown, restrictedDenials: readonly RestrictedDenial[] = []): Record<string, unknown> {
  const spec = ((body ?? {}) as { spec?: ReviewSpec }).spec;
  if (!spec || (!spec.resourceAttributes && !spec.nonResourceAttributes)) {
    throw badRequest(
      'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec: Invalid value: exactly one of nonResourceAttributes or resourceAttributes must be specified',
    );
  }
  let decision: { allowed: boolean; reason: string };
  if (spec.resourceAttributes) {
    const a = spec.resourceAttributes;
    decision = authorize(
      {
        user,
        verb: a.verb ?? '',
        group: a.group ?? '',
        resource: a.resource ?? '',
        ...(a.subresource ? { subresource: a.subresource } : {}),
        ...(a.namespace ? { namespace: a.namespace } : {}),
        ...(a.name ? { name: a.name } : {}),
      },
      restrictedDenials,
    );
  } else {
    // Non-resource URLs (/healthz, /version, …) are open to every authenticated user.
    decision = { allowed: true, reason: 'non-resource URLs are open to authenticated users' };
  }
  const status: Record<string, unknown> = { allowed: decision.allowed };
  if (decision.reason) status.reason = decision.reason;
  return { kind: 'SelfSubjectAccessReview', apiVersion: 'authorization.k8s.io/v1', metadata: { creationTimestamp: null }, spec, status };
}
