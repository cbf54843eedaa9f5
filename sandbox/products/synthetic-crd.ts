/**
 * The project's own CustomResourceDefinitions, generated from product facts (group, kind, plural,
 * scope, versions, short names) when the real vendor files are not available. Their schema is
 * deliberately small — an object whose spec and status keep unknown fields — so every vendor
 * example is accepted as it would be by the real (much larger) schema.
 */
import type { KubeObject } from '../api/types.js';

/** The facts one CRD is generated from. */
export interface CrdFact {
  group: string;
  kind: string;
  plural: string;
  /** Defaults to the lower-case kind (the apiserver's default too). */
  singular?: string;
  scope?: 'Namespaced' | 'Cluster';
  /** Served versions; the one marked storage (else the last) is the storage version. */
  versions: Array<{ name: string; storage?: boolean }>;
  shortNames?: string[];
  categories?: string[];
  /** True when the CRD declares the status subresource. */
  status?: boolean;
  labels?: Record<string, string>;
}

const openSchema = {
  openAPIV3Schema: {
    type: 'object',
    properties: {
      spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
    },
  },
};

/** syntheticCrd builds an apiextensions.k8s.io/v1 CRD from its facts. */
export function syntheticCrd(fact: CrdFact): KubeObject {
  const storage = fact.versions.find((v) => v.storage)?.name ?? fact.versions[fact.versions.length - 1]?.name;
  const names: Record<string, unknown> = {
    kind: fact.kind,
    listKind: `${fact.kind}List`,
    plural: fact.plural,
    singular: fact.singular ?? fact.kind.toLowerCase(),
  };
  if (fact.shortNames?.length) names.shortNames = [...fact.shortNames];
  if (fact.categories?.length) names.categories = [...fact.categories];
  const metadata: KubeObject['metadata'] = { name: `${fact.plural}.${fact.group}` };
  if (fact.labels) metadata.labels = { ...fact.labels };
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata,
    spec: {
      group: fact.group,
      names,
      scope: fact.scope ?? 'Namespaced',
      versions: fact.versions.map((v) => ({
        name: v.name,
        served: true,
        storage: v.name === storage,
        schema: structuredClone(openSchema),
        ...(fact.status ? { subresources: { status: {} } } : {}),
      })),
    },
  };
}
