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
const protectedResources = new Set(['customresourcedefinitions.apiextensions.k8s.io', 'clusterroles.rbac.authorization.k8s.io', 'clusterrolebindings.rbac.authorization.k8s.io']);

/** authorize decides a request; `reason` is what a SelfSubjectAccessReview reports. */
export function authorize(request: AccessRequest): { allowed: boolean; reason: string } {
  if (request.user === adminUser) return { allowed: true, reason: 'sandbox-admin may do anything' };
  if (request.user !== restrictedUser) return { allowed: false, reason: '' };
  const resource = `${request.resource}.${request.group}`;
  const protectedWrite = writeVerbs.has(request.verb) && (protectedResources.has(resource) || request.resource === '*');
  if (protectedWrite) return { allowed: false, reason: '' };
  return { allowed: true, reason: 'sandbox-restricted may do anything but write CRDs, ClusterRoles and ClusterRoleBindings' };
}
