/**
 * The sandbox's RBAC model, small enough to state in one line: the admin may do anything, the
 * restricted user anything except create/update/patch/delete/deletecollection on
 * customresourcedefinitions, clusterroles and clusterrolebindings. That is the shape of a
 * namespace-admin-like role the plugins must cope with (they need `kubectl auth can-i`).
 */
import { adminUser, restrictedUser } from './tokens.js';

/** The attributes an authorizer decides on (authorizer.Attributes). */
export interface AccessRequest {
  user: string;
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
}

const writeVerbs = new Set(['create', 'update', 'patch', 'delete', 'deletecollection', '*']);
const protectedResources = new Set([
  'customresourcedefinitions.apiextensions.k8s.io',
  'clusterroles.rbac.authorization.k8s.io',
  'clusterrolebindings.rbac.authorization.k8s.io',
]);

/**
 * RestrictedDenial takes one more right away from the restricted user, written as kubectl names
 * it: "VERB RESOURCE[.GROUP]", e.g. "list ratelimits.specs.smi.nginx.com" or "get namespaces"
 * ("*" as the verb denies every verb). Tests use it for a user who may not list one kind.
 */
export type RestrictedDenial = string;

/** parseDenial splits "VERB RESOURCE[.GROUP]"; a malformed rule throws. */
export function parseDenial(rule: RestrictedDenial): { verb: string; resource: string; group: string } {
  const match = /^\s*(\S+)\s+([a-z0-9-]+)(?:\.(\S+))?\s*$/.exec(rule);
  if (!match) throw new Error(`invalid restricted-user denial "${rule}": want "VERB RESOURCE[.GROUP]"`);
  return { verb: match[1] ?? '', resource: match[2] ?? '', group: match[3] ?? '' };
}

/** authorize decides a request; `reason` is what a SelfSubjectAccessReview reports. */
export function authorize(
  request: AccessRequest,
  restrictedDenials: readonly RestrictedDenial[] = [],
): { allowed: boolean; reason: string } {
  if (request.user === adminUser) return { allowed: true, reason: 'sandbox-admin may do anything' };
  if (request.user !== restrictedUser) return { allowed: false, reason: '' };
  for (const rule of restrictedDenials) {
    const denial = parseDenial(rule);
    if ((denial.verb === '*' || denial.verb === request.verb) && denial.resource === request.resource && denial.group === request.group)
      return { allowed: false, reason: '' };
  }
  const resource = `${request.resource}.${request.group}`;
  const protectedWrite = writeVerbs.has(request.verb) && (protectedResources.has(resource) || request.resource === '*');
  if (protectedWrite) return { allowed: false, reason: '' };
  return { allowed: true, reason: 'sandbox-restricted may do anything but write CRDs, ClusterRoles and ClusterRoleBindings' };
}
