/**
 * Resource URLs: `/api/v1/[namespaces/{ns}/]{resource}[/{name}[/{subresource}]]` and the same
 * under `/apis/{group}/{version}`, plus the legacy `/watch/` prefix after the version.
 */

/** A parsed resource URL. */
export interface ResourceRoute {
  group: string;
  version: string;
  resource: string;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** The path had the `/watch/` prefix. */
  watchPath: boolean;
}

/** parseResourcePath parses a resource URL, or returns undefined for anything else (discovery paths included). */
export function parseResourcePath(pathname: string): ResourceRoute | undefined {
  const segments = pathname.split('/').filter((s) => s.length > 0).map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === 'api' && segments.length >= 3) {
    group = '';
    version = segments[1] as string;
    rest = segments.slice(2);
  } else if (segments[0] === 'apis' && segments.length >= 4) {
    group = segments[1] as string;
    version = segments[2] as string;
    rest = segments.slice(3);
  } else return undefined;
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  // `namespaces/x/status` and `namespaces/x/finalize` are the Namespace's own subresources, not a resource inside it.
  const namespaceSubresource = group === '' && rest[0] === 'namespaces' && rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize');
  if (rest[0] === 'namespaces' && rest.length >= 3 && !namespaceSubresource) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  if (rest.length === 0 || rest.length > 3) return undefined;
  const route: ResourceRoute = { group, version, resource: rest[0] as string, watchPath };
  if (namespace !== undefined) route.namespace = namespace;
  if (rest[1] !== undefined) route.name = rest[1];
  if (rest[2] !== undefined) route.subresource = rest[2];
  return route;
}

/** kubeVerb names a request as Kubernetes' RequestInfo does: get, list, watch, create, update, patch, delete, deletecollection. */
export function kubeVerb(method: string, route: ResourceRoute | undefined, watchQuery: boolean): string {
  if (!route) return method.toLowerCase();
  switch (method) {
    case 'GET':
    case 'HEAD':
      if (route.watchPath || watchQuery) return 'watch';
      return route.name === undefined ? 'list' : 'get';
    case 'POST': return 'create';
    case 'PUT': return 'update';
    case 'PATCH': return 'patch';
    case 'DELETE': return route.name === undefined ? 'deletecollection' : 'delete';
    default: return method.toLowerCase();
  }
}
