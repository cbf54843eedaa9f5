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

/** The path and query of a request target, as `new URL(target, base)` gives them. */
export interface RequestTarget {
  pathname: string;
  /** The query without "?" ('' when none), percent-encoded as URL serialises it. */
  search: string;
  query: URLSearchParams;
}

/**
 * A request target URL would hand back unchanged: an absolute path (not `//host`) and a query of
 * characters URL neither percent-encodes nor interprets, with no `.`/`..` segment to resolve and
 * no fragment; nor a second '?', which URLSearchParams would strip from the query's start.
 * Anything else goes through URL.
 */
const plainTarget = /^\/(?!\/)[A-Za-z0-9\-._~!$&()*+,;=:@/]*(?:\?[A-Za-z0-9\-._~!$&()*+,;=:@/%]*)?$/;
const dotSegment = /\/\.{1,2}(?:[/?]|$)/;

/** parseRequestTarget splits a request's target into path and query: by hand for plain targets (most), else with URL. */
export function parseRequestTarget(target: string): RequestTarget {
  if (plainTarget.test(target) && !dotSegment.test(target)) {
    const mark = target.indexOf('?');
    if (mark < 0) return { pathname: target, search: '', query: new URLSearchParams() };
    const search = target.slice(mark + 1);
    return { pathname: target.slice(0, mark), search, query: new URLSearchParams(search) };
  }
  const url = new URL(target, 'http://sandbox');
  return { pathname: url.pathname, search: url.search.replace(/^\?/, ''), query: url.searchParams };
}

/** parseResourcePath parses a resource URL, or returns undefined for anything else (discovery paths included). */
export function parseResourcePath(pathname: string): ResourceRoute | undefined {
  // Non-empty segments, percent-decoded (a segment without '%' decodes to itself).
  const segments: string[] = [];
  for (let start = 0; start < pathname.length;) {
    let end = pathname.indexOf('/', start);
    if (end < 0) end = pathname.length;
    if (end > start) {
      const segment = pathname.slice(start, end);
      segments.push(segment.includes('%') ? decodeURIComponent(segment) : segment);
    }
    start = end + 1;
  }
  let group: string;
  let version: string;
  let at: number;
  if (segments[0] === 'api' && segments.length >= 3) {
    group = '';
    version = segments[1] as string;
    at = 2;
  } else if (segments[0] === 'apis' && segments.length >= 4) {
    group = segments[1] as string;
    version = segments[2] as string;
    at = 3;
  } else return undefined;
  let watchPath = false;
  if (segments[at] === 'watch') {
    watchPath = true;
    at++;
  }
  let left = segments.length - at;
  let namespace: string | undefined;
  // `namespaces/x/status` and `namespaces/x/finalize` are the Namespace's own subresources, not a resource inside it.
  const namespaceSubresource =
    group === '' && segments[at] === 'namespaces' && left === 3 && (segments[at + 2] === 'status' || segments[at + 2] === 'finalize');
  if (segments[at] === 'namespaces' && left >= 3 && !namespaceSubresource) {
    namespace = segments[at + 1];
    at += 2;
    left -= 2;
  }
  if (left === 0 || left > 3) return undefined;
  const route: ResourceRoute = { group, version, resource: segments[at] as string, watchPath };
  if (namespace !== undefined) route.namespace = namespace;
  if (left > 1) route.name = segments[at + 1];
  if (left > 2) route.subresource = segments[at + 2];
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
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return route.name === undefined ? 'deletecollection' : 'delete';
    default:
      return method.toLowerCase();
  }
}
