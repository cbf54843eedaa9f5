/**
 * How a CustomResourceDefinition becomes served resources. Mirrors apiextensions-apiserver: every
 * `served` version is published, the Name column is implicit, and Age is the only column when a
 * version declares no additionalPrinterColumns (serveDefaultColumnsIfEmpty).
 */
import type { JSONSchemaProps, KubeObject, PrinterColumn, ResourceType, ScaleSubresource } from '../api/types.js';
import { standardVerbs } from './builtins.js';

type Json = Record<string, unknown>;

function obj(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}
function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}

/** The column a CRD version gets when it declares none (apiextensions' serveDefaultColumnsIfEmpty). */
export const crdDefaultAgeColumn: PrinterColumn = {
  name: 'Age',
  type: 'date',
  jsonPath: '.metadata.creationTimestamp',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
};

const columnTypes = new Set<PrinterColumn['type']>(['string', 'integer', 'number', 'boolean', 'date']);

function printerColumns(declared: unknown): PrinterColumn[] {
  const columns = (Array.isArray(declared) ? declared : []).map(obj).map((c) => {
    const type = str(c.type) as PrinterColumn['type'];
    const column: PrinterColumn = {
      name: str(c.name),
      type: columnTypes.has(type) ? type : 'string',
      jsonPath: str(c.jsonPath) || str(c.JSONPath),
    };
    if (str(c.description)) column.description = str(c.description);
    if (str(c.format)) column.format = str(c.format);
    if (typeof c.priority === 'number' && c.priority !== 0) column.priority = c.priority;
    return column;
  });
  return columns.length ? columns : [{ ...crdDefaultAgeColumn }];
}

function scaleSubresource(subresources: Json): ScaleSubresource | undefined {
  if (!('scale' in subresources) || subresources.scale === null) return undefined;
  const scale = obj(subresources.scale);
  const result: ScaleSubresource = { specReplicasPath: str(scale.specReplicasPath), statusReplicasPath: str(scale.statusReplicasPath) };
  if (str(scale.labelSelectorPath)) result.labelSelectorPath = str(scale.labelSelectorPath);
  return result;
}

/** resourceTypesFromCrd turns a CustomResourceDefinition into one ResourceType per served version. */
export function resourceTypesFromCrd(crd: KubeObject): ResourceType[] {
  const spec = obj(crd.spec);
  const names = obj(spec.names);
  const group = str(spec.group);
  const kind = str(names.kind);
  const plural = str(names.plural);
  if (!group || !kind || !plural) return [];
  return (Array.isArray(spec.versions) ? spec.versions : [])
    .map(obj)
    .filter((v) => v.served === true && str(v.name))
    .map((v) => {
      // apiextensions.k8s.io/v1beta1 allowed these at the top level; a v1 CRD carries them per version.
      const subresources = obj(v.subresources ?? spec.subresources);
      const scale = scaleSubresource(subresources);
      const type: ResourceType = {
        group,
        version: str(v.name),
        resource: plural,
        singular: str(names.singular) || kind.toLowerCase(),
        kind,
        listKind: str(names.listKind) || `${kind}List`,
        namespaced: str(spec.scope) !== 'Cluster',
        verbs: [...standardVerbs],
        shortNames: strings(names.shortNames),
        categories: strings(names.categories),
        subresources: scale ? { status: 'status' in subresources, scale } : { status: 'status' in subresources },
        printerColumns: printerColumns(v.additionalPrinterColumns ?? spec.additionalPrinterColumns),
        builtin: false,
        storage: v.storage === true,
        crdName: crd.metadata.name ?? `${plural}.${group}`,
      };
      const schema = obj(v.schema ?? spec.validation).openAPIV3Schema;
      if (schema && typeof schema === 'object') type.schema = schema as JSONSchemaProps;
      return type;
    });
}

/** isCrdEstablished tells whether the CRD's Established condition is True: only then may discovery publish it. */
export function isCrdEstablished(crd: KubeObject): boolean {
  const conditions = obj(crd.status).conditions;
  return Array.isArray(conditions) && conditions.map(obj).some((c) => c.type === 'Established' && c.status === 'True');
}
