/**
 * Small constructors for OpenAPI v3 schemas, so the hand-written built-in schemas read like the
 * documentation `kubectl explain` prints from them.
 */
import type { JSONSchemaProps } from '../api/types.js';

/** The components.schemas name of meta/v1 ObjectMeta, which every kind's metadata refers to. */
export const objectMetaRef = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
/** The components.schemas name of meta/v1 LabelSelector. */
export const labelSelectorRef = 'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector';

/** A string field. */
export function string(description: string, extra: JSONSchemaProps = {}): JSONSchemaProps {
  return { type: 'string', description, ...extra };
}
/** An int32 field. */
export function integer(description: string, extra: JSONSchemaProps = {}): JSONSchemaProps {
  return { type: 'integer', format: 'int32', description, ...extra };
}
/** A boolean field. */
export function boolean(description: string): JSONSchemaProps {
  return { type: 'boolean', description };
}
/** A field that is an int or a string such as "25%". */
export function intOrString(description: string): JSONSchemaProps {
  return { 'x-kubernetes-int-or-string': true, description };
}
/** A map of strings (labels, data, selectors). */
export function stringMap(description: string): JSONSchemaProps {
  return { type: 'object', additionalProperties: { type: 'string', default: '' }, description };
}
/** An object with named properties. */
export function object(description: string, properties: Record<string, JSONSchemaProps>, extra: JSONSchemaProps = {}): JSONSchemaProps {
  return { type: 'object', description, properties, ...extra };
}
/** A list. */
export function array(description: string, items: JSONSchemaProps, extra: JSONSchemaProps = {}): JSONSchemaProps {
  return { type: 'array', description, items, ...extra };
}
/** A reference to another schema, in the `allOf` form the real server uses so a description can sit beside it. */
export function ref(name: string, description: string): JSONSchemaProps {
  return { allOf: [{ $ref: `#/components/schemas/${name}` }], description, default: {} };
}
/** An object whose fields the sandbox does not describe; explain shows it as an opaque object. */
export function opaque(description: string): JSONSchemaProps {
  return { type: 'object', description, 'x-kubernetes-preserve-unknown-fields': true };
}

/** The apiVersion, kind and metadata fields every kind starts with. */
export function typeAndObjectMeta(): Record<string, JSONSchemaProps> {
  return {
    apiVersion: string(
      'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
    ),
    kind: string(
      'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
    ),
    metadata: ref(
      objectMetaRef,
      "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
    ),
  };
}
