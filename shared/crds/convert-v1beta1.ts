/**
 * apiextensions.k8s.io/v1beta1 → v1 conversion of a CustomResourceDefinition, the way the API server
 * itself converts (k8s.io/apiextensions-apiserver pkg/apis/apiextensions/v1beta1 defaults.go, then
 * conversion.go through the internal version into v1). Kubernetes 1.22 stopped serving v1beta1
 * CRDs, and every Gloo Mesh CRD up to 1.0.0 is published as v1beta1 (research/crdsync.md, "the v1beta1
 * wall"), so a sync on a current cluster must send what the server would have stored.
 *
 * What the server does, and this module repeats:
 *  - defaults: `scope` Namespaced; `versions` from the single `version` (served, storage);
 *    `conversion.strategy` None; `preserveUnknownFields` true when unset;
 *  - top-level `validation`, `subresources` and `additionalPrinterColumns` are copied into every
 *    version that has none of its own; a printer column's `JSONPath` becomes `jsonPath`;
 *  - `conversion.webhookClientConfig` and `conversionReviewVersions` move under `conversion.webhook`;
 *  - v1 refuses `preserveUnknownFields: true`: the v1 way to keep unknown fields is
 *    `x-kubernetes-preserve-unknown-fields: true` at the schema root, which is what this module writes
 *    (and says so in its notes); a version without any schema gets exactly that as its schema.
 */
import type { KubeObject } from '../kube/ports.js';

/** apiextensionsV1 and apiextensionsV1beta1 are the two apiVersions a CRD file may carry. */
export const apiextensionsV1 = 'apiextensions.k8s.io/v1';
export const apiextensionsV1beta1 = 'apiextensions.k8s.io/v1beta1';

type Json = Record<string, unknown>;

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function clone<T>(value: T): T {
  return structuredClone(value);
}

/** V1Conversion is a converted CRD and what changed in meaning, for the plan. */
export interface V1Conversion {
  readonly crd: KubeObject;
  /** notes are sentences about conversions that are not purely mechanical. */
  readonly notes: readonly string[];
}

/** isV1beta1Crd says whether a document is an apiextensions.k8s.io/v1beta1 CustomResourceDefinition. */
export function isV1beta1Crd(object: KubeObject): boolean {
  return object.apiVersion === apiextensionsV1beta1 && object.kind === 'CustomResourceDefinition';
}

function convertColumns(columns: unknown[]): Json[] {
  return columns.filter(isObject).map((column) => {
    const { JSONPath, ...rest } = column;
    const out: Json = { ...rest };
    if (out.jsonPath === undefined && JSONPath !== undefined) out.jsonPath = JSONPath;
    return out;
  });
}

/** convertCrdToV1 converts a v1beta1 CRD as the API server would; a v1 CRD is returned unchanged. */
export function convertCrdToV1(input: KubeObject): V1Conversion {
  if (!isV1beta1Crd(input)) return { crd: input, notes: [] };
  const notes: string[] = [];
  const source = isObject(input.spec) ? clone(input.spec) : {};
  const {
    version,
    versions: sourceVersions,
    validation,
    subresources,
    additionalPrinterColumns,
    preserveUnknownFields,
    conversion: sourceConversion,
    ...rest
  } = source;
  const spec: Json = { ...rest };
  spec.scope ??= 'Namespaced';

  // defaults.go: an empty `versions` is the single `version`, served and storage.
  let versions: Json[] = Array.isArray(sourceVersions) ? sourceVersions.filter(isObject) : [];
  if (versions.length === 0 && typeof version === 'string' && version !== '') versions = [{ name: version, served: true, storage: true }];

  // v1beta1 defaults preserveUnknownFields to true; v1 forbids true and keeps unknown fields per schema.
  const preserveUnknown = preserveUnknownFields !== false;
  if (preserveUnknown) {
    notes.push(
      'spec.preserveUnknownFields was true (the v1beta1 default): v1 forbids it, so every version schema keeps unknown fields with x-kubernetes-preserve-unknown-fields: true',
    );
  }

  spec.versions = versions.map((entry) => {
    const out: Json = { ...entry };
    if (out.schema === undefined && isObject(validation)) out.schema = clone(validation);
    if (out.subresources === undefined && isObject(subresources)) out.subresources = clone(subresources);
    if (out.additionalPrinterColumns === undefined && Array.isArray(additionalPrinterColumns))
      out.additionalPrinterColumns = clone(additionalPrinterColumns);
    if (Array.isArray(out.additionalPrinterColumns)) out.additionalPrinterColumns = convertColumns(out.additionalPrinterColumns);
    const schema = isObject(out.schema) && isObject(out.schema.openAPIV3Schema) ? out.schema.openAPIV3Schema : undefined;
    if (!schema) {
      out.schema = { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } };
      notes.push(
        `version ${String(entry.name)} had no schema: v1 requires one, so it accepts any fields (x-kubernetes-preserve-unknown-fields)`,
      );
    } else if (preserveUnknown) {
      schema['x-kubernetes-preserve-unknown-fields'] = true;
      schema.type ??= 'object';
    }
    return out;
  });

  if (isObject(sourceConversion)) {
    const { webhookClientConfig, conversionReviewVersions, ...conversionRest } = sourceConversion;
    const conversion: Json = { ...conversionRest };
    conversion.strategy ??= 'None';
    if (conversion.strategy === 'Webhook') {
      conversion.webhook = {
        ...(isObject(webhookClientConfig) ? { clientConfig: webhookClientConfig } : {}),
        // defaults.go: a webhook without review versions speaks v1beta1.
        conversionReviewVersions: Array.isArray(conversionReviewVersions) ? conversionReviewVersions : ['v1beta1'],
      };
    }
    spec.conversion = conversion;
  }

  const crd: KubeObject = { ...clone(input), apiVersion: apiextensionsV1, spec };
  return { crd, notes };
}
