/**
 * Status errors, shaped exactly as a real kube-apiserver sends them, because kubectl
 * and client-node print `reason`, `message` and `details` as they find them
 * (../shared/docs/research/apiserver-surface.md §3).
 */

/** A StatusCause, as in meta/v1. */
export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

/** StatusDetails, as in meta/v1. `kind` is the plural resource for NotFound/AlreadyExists/Conflict, the Kind for Invalid. */
export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** A meta/v1 Status object. */
export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** An error that becomes a Status response with its HTTP code. */
export class ApiError extends Error {
  readonly status: Status;

  /** `reason` '' is StatusReasonUnknown, which metav1.Status leaves out (omitempty), as for errors the server does not classify. */
  constructor(code: number, reason: string, message: string, details?: StatusDetails) {
    super(message);
    this.name = 'ApiError';
    this.status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, ...(reason ? { reason } : {}), code };
    if (details) this.status.details = details;
  }

  get code(): number {
    return this.status.code;
  }

  get reason(): string {
    return this.status.reason ?? '';
  }
}

/** `<resource>.<group>` or just `<resource>` for the core group, as the API names a group-resource in messages. */
export function qualifiedResource(group: string, resource: string): string {
  return group ? `${resource}.${group}` : resource;
}

/** 404: `deployments.apps "x" not found`. */
export function notFound(group: string, resource: string, name: string): ApiError {
  return new ApiError(404, 'NotFound', `${qualifiedResource(group, resource)} "${name}" not found`, { name, group, kind: resource });
}

/** 409 AlreadyExists: `deployments.apps "x" already exists`. */
export function alreadyExists(group: string, resource: string, name: string): ApiError {
  return new ApiError(409, 'AlreadyExists', `${qualifiedResource(group, resource)} "${name}" already exists`, {
    name,
    group,
    kind: resource,
  });
}

/** 409 Conflict on a stale resourceVersion, with the real server's wording. */
export function conflict(
  group: string,
  resource: string,
  name: string,
  why = 'the object has been modified; please apply your changes to the latest version and try again',
): ApiError {
  return new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(group, resource)} "${name}": ${why}`, {
    name,
    group,
    kind: resource,
  });
}

/** 422 Invalid: `<Kind> "<name>" is invalid: <field>: <message>, …`. */
export function invalid(group: string, kind: string, name: string, causes: StatusCause[]): ApiError {
  const detail = causes.map((c) => (c.field ? `${c.field}: ${c.message ?? ''}` : (c.message ?? ''))).join(', ');
  const subject = group ? `${kind}.${group}` : kind;
  const message = causes.length === 1 ? `${subject} "${name}" is invalid: ${detail}` : `${subject} "${name}" is invalid: [${detail}]`;
  return new ApiError(422, 'Invalid', message, { name, group, kind, causes });
}

/** 400 BadRequest. */
export function badRequest(message: string): ApiError {
  return new ApiError(400, 'BadRequest', message);
}

/** 403 Forbidden with the real server's wording: `User "u" cannot create resource "x" in API group "g" [in the namespace "n"|at the cluster scope]`. */
export function forbidden(
  user: string,
  verb: string,
  group: string,
  resource: string,
  namespace: string | undefined,
  name?: string,
): ApiError {
  const where = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
  const message = `${qualifiedResource(group, resource)}${name ? ` "${name}"` : ''} is forbidden: User "${user}" cannot ${verb} resource "${resource}" in API group "${group}" ${where}`;
  const details: StatusDetails = { group, kind: resource };
  if (name) details.name = name;
  return new ApiError(403, 'Forbidden', message, details);
}

/** 415 for a patch type the resource does not accept (strategic merge on a custom resource). */
export function unsupportedMediaType(contentType: string): ApiError {
  return new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml`,
    { causes: [{ reason: 'UnexpectedServerResponse', message: contentType }] },
  );
}

/** 405 MethodNotAllowed. */
export function methodNotAllowed(verb: string): ApiError {
  return new ApiError(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource (${verb})`);
}
