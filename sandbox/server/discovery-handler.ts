/**
 * The non-resource endpoints: /version, discovery (aggregated when Accept asks for it, legacy
 * otherwise), OpenAPI v2 (always protobuf) and v3, and the health checks.
 */
import { crdV1beta1Type, servesCrdV1beta1 } from '../resources/crd-v1beta1.js';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SandboxApi } from '../api/internal-api.js';
import { aggregatedContentType, aggregatedDiscovery, negotiateAggregated } from '../discovery/aggregated.js';
import { apiGroup, apiGroupList, apiResourceList, apiVersions } from '../discovery/legacy.js';
import { openApiV2ContentType, openApiV2Protobuf } from '../openapi/v2.js';
import { openApiV3Entries, openApiV3Root } from '../openapi/v3.js';
import { sendBytes, sendJson, sendText } from './respond.js';

/** version.Info as /version answers it; kubectl's dispatcher on PATH picks the client minor from it. */
export function versionInfo(k8sVersion: string): Record<string, string> {
  const [major = '1', minor = '0'] = k8sVersion.split('.');
  return {
    major,
    minor,
    gitVersion: `v${k8sVersion}`,
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2025-01-01T00:00:00Z',
    goVersion: 'go1.24.2',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}

/** Paths any client may read without a token, as system:public-info-viewer allows on a real server. */
export function isPublicPath(pathname: string): boolean {
  return (
    pathname === '/version' ||
    pathname === '/healthz' ||
    pathname === '/readyz' ||
    pathname === '/livez' ||
    pathname.startsWith('/healthz/') ||
    pathname.startsWith('/readyz/') ||
    pathname.startsWith('/livez/')
  );
}

/** handleNonResource answers a discovery, OpenAPI, version or health path; false when the path is none of them. */
export function handleNonResource(
  api: SandboxApi,
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  k8sVersion: string,
): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  const accept = req.headers.accept;
  const served = api.resourceTypes();
  // Before 1.22, discovery also lists apiextensions.k8s.io/v1beta1 (the resource handler converts).
  const crdV1 = servesCrdV1beta1(k8sVersion)
    ? served.find((t) => t.group === 'apiextensions.k8s.io' && t.version === 'v1' && t.resource === 'customresourcedefinitions')
    : undefined;
  const types = crdV1 ? [...served, crdV1beta1Type(crdV1)] : served;
  if (pathname === '/version') {
    sendJson(res, 200, versionInfo(k8sVersion));
    return true;
  }
  if (isPublicPath(pathname)) {
    sendText(res, 200, 'ok');
    return true;
  }
  if (pathname === '/api' || pathname === '/apis') {
    const scope = pathname === '/api' ? 'core' : 'apis';
    const aggregated = negotiateAggregated(accept);
    if (aggregated) {
      sendJson(res, 200, aggregatedDiscovery(types, scope, aggregated), { Vary: 'Accept' }, aggregatedContentType(aggregated));
    } else {
      sendJson(res, 200, scope === 'core' ? apiVersions(req.headers.host ?? '127.0.0.1:6443') : apiGroupList(types), { Vary: 'Accept' });
    }
    return true;
  }
  if (pathname === '/openapi/v2' || pathname === '/swagger-2.0.0.pb-v1') {
    sendBytes(res, 200, openApiV2Protobuf(`v${k8sVersion}`), openApiV2ContentType);
    return true;
  }
  if (pathname === '/openapi/v3') {
    sendJson(res, 200, openApiV3Root(types));
    return true;
  }
  if (pathname.startsWith('/openapi/v3/')) {
    const entry = openApiV3Entries(types, `v${k8sVersion}`).get(pathname.slice('/openapi/v3/'.length));
    if (!entry) return false;
    sendJson(res, 200, entry.json, { ETag: `"${entry.hash}"` });
    return true;
  }
  const segments = pathname.split('/').filter((s) => s.length > 0);
  if (segments[0] === 'api' && segments.length === 2) {
    const list = apiResourceList(types, '', segments[1] as string);
    if (!list) return false;
    sendJson(res, 200, list);
    return true;
  }
  if (segments[0] === 'apis' && segments.length === 2) {
    const group = apiGroup(types, segments[1] as string);
    if (!group) return false;
    sendJson(res, 200, group);
    return true;
  }
  if (segments[0] === 'apis' && segments.length === 3) {
    const list = apiResourceList(types, segments[1] as string, segments[2] as string);
    if (!list) return false;
    sendJson(res, 200, list);
    return true;
  }
  return false;
}
