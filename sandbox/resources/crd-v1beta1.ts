/**
 * apiextensions.k8s.io/v1beta1 CustomResourceDefinitions, served next to v1 by a sandbox that
 * reports a Kubernetes version below 1.22, as every real server did until 1.22 removed them.
 * Storage stays v1: a v1beta1 body is converted to v1 on the way in (crdToV1, the conversion the
 * seeded vendor CRDs already use) and each answer back to v1beta1 on the way out.
 */
import type { KubeObject, ResourceType } from '../api/types.js';
import { crdToV1 } from '../products/vendor-files.js';

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => value !== null && typeof value === 'object' && !Array.isArray(value);

/** servesCrdV1beta1 says whether a server of this version serves apiextensions.k8s.io/v1beta1 (before 1.22). */
export function servesCrdV1beta1(k8sVersion: string): boolean {
  const [major = '1', minor = '0'] = k8sVersion.split('.');
  return Number(major) === 1 && Number(minor) < 22;
}

/** crdV1beta1Type is the v1beta1 resource type, a copy of the v1 one that is not the storage version. */
export function crdV1beta1Type(v1: ResourceType): ResourceType {
  return { ...v1, version: 'v1beta1', storage: false };
}

/** isCrdV1beta1Route says whether a request addresses v1beta1 CRDs. */
export function isCrdV1beta1Route(route: { group: string; version: string; resource: string }): boolean {
  return route.group === 'apiextensions.k8s.io' && route.version === 'v1beta1' && route.resource === 'customresourcedefinitions';
}

/** crdBodyToV1 converts a v1beta1 request body (object or apply patch) to v1; other apiVersions pass. */
export function crdBodyToV1(body: unknown): unknown {
  if (!isObject(body) || body.apiVersion !== 'apiextensions.k8s.io/v1beta1') return body;
  return crdToV1(body as KubeObject);
}

/**
 * crdToV1beta1 renders a stored v1 CRD as v1beta1 answers it: `version` is the first version's name,
 * per-version schema, subresources and columns stay per version (v1beta1 allows them there), a
 * column's jsonPath is JSONPath, a conversion webhook's clientConfig is webhookClientConfig.
 */
export function crdToV1beta1(crd: KubeObject): KubeObject {
  if (crd.apiVersion !== 'apiextensions.k8s.io/v1' || !isObject(crd.spec)) return crd;
  const spec: Json = { ...crd.spec };
  const versions = Array.isArray(spec.versions) ? spec.versions.filter(isObject) : [];
  spec.version = versions[0]?.name;
  spec.versions = versions.map((version) => {
    const out: Json = { ...version };
    if (Array.isArray(version.additionalPrinterColumns)) {
      out.additionalPrinterColumns = version.additionalPrinterColumns
        .filter(isObject)
        .map(({ jsonPath, ...column }) => ({ ...column, JSONPath: jsonPath }));
    }
    return out;
  });
  spec.preserveUnknownFields = false;
  if (isObject(spec.conversion) && isObject(spec.conversion.webhook)) {
    const { webhook, ...conversion } = spec.conversion;
    spec.conversion = {
      ...conversion,
      webhookClientConfig: webhook.clientConfig,
      conversionReviewVersions: webhook.conversionReviewVersions,
    };
  }
  return { ...crd, apiVersion: 'apiextensions.k8s.io/v1beta1', spec };
}
