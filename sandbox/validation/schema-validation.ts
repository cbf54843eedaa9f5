/**
 * Custom resource handling against a CRD version's structural openAPIV3Schema, in the order a
 * real server does it: prune unknown fields (apiextensions-apiserver pkg/apiserver/schema/pruning),
 * apply `default`s and drop nulls of non-nullable fields (schema/defaulting), then validate with
 * kube-openapi's rules. Causes carry the real texts: kube-openapi's errors/schema.go messages
 * ("spec.replicas in body must be of type integer: \"string\"") converted to field errors as
 * apiextensions' kubeOpenAPIResultToFieldErrors does (Required, NotSupported, TooLong, TooMany,
 * TypeInvalid, else Invalid).
 */
import type { StatusCause } from '../api/status.js';
import type { JSONSchemaProps, KubeObject, ResourceType } from '../api/types.js';
import { deepClone, deepEqual, isJsonObject, type JsonObject } from '../patch/json-value.js';
import { duplicate, invalidJson, notSupported, requiredValue, tooLong, tooMany, typeInvalid } from './field-errors.js';

/** The fields of ObjectMeta: everything else under metadata is dropped by decoding, as on a real server. */
export const objectMetaFields = new Set([
  'name',
  'generateName',
  'namespace',
  'selfLink',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'labels',
  'annotations',
  'ownerReferences',
  'finalizers',
  'managedFields',
]);

/** The result of validating a custom resource. */
export interface CustomResourceValidation {
  /** The object after pruning and defaulting. */
  object: KubeObject;
  causes: StatusCause[];
  /** Paths of the unknown fields pruning removed (`spec.foo`, `spec.items[0].bar`), for warnings or fieldValidation=Strict. */
  pruned: string[];
  /** How many null fields of non-nullable properties without a default defaulting removed. */
  nullsDropped: number;
}

/** What applyDefaults changed. */
interface DefaultingChanges {
  /** Defaults filled in (for absent or null fields). */
  defaulted: number;
  nullsDropped: number;
}

function join(path: string, key: string): string {
  return path ? `${path}.${key}` : key;
}

function schemaOf(value: unknown): JSONSchemaProps | undefined {
  return isJsonObject(value) ? value : undefined;
}

function propertySchema(schema: JSONSchemaProps | undefined, key: string): JSONSchemaProps | undefined {
  const properties = schema?.properties;
  if (isJsonObject(properties) && isJsonObject(properties[key])) return properties[key];
  return schemaOf(schema?.additionalProperties);
}

function isEmbedded(schema: JSONSchemaProps | undefined): boolean {
  return schema?.['x-kubernetes-embedded-resource'] === true;
}

function pruneMetadata(meta: unknown, path: string, pruned: string[]): void {
  if (!isJsonObject(meta)) return;
  for (const key of Object.keys(meta)) {
    if (!objectMetaFields.has(key)) {
      delete meta[key];
      pruned.push(join(path, key));
    }
  }
}

/** prune removes the fields `schema` does not specify, except below x-kubernetes-preserve-unknown-fields (in place; exported for tests). */
export function prune(value: unknown, schema: JSONSchemaProps | undefined, path: string, pruned: string[], embedded: boolean): void {
  if (Array.isArray(value)) {
    const items = schemaOf(schema?.items);
    value.forEach((item, i) => prune(item, items, `${path}[${i}]`, pruned, isEmbedded(items)));
    return;
  }
  if (!isJsonObject(value) || !schema) return;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const properties = isJsonObject(schema.properties) ? schema.properties : {};
  for (const key of Object.keys(value)) {
    const childPath = join(path, key);
    // Embedded objects (and the root) always keep their type fields and an ObjectMeta-shaped metadata.
    if (embedded && (key === 'apiVersion' || key === 'kind')) continue;
    if (embedded && key === 'metadata') {
      pruneMetadata(value.metadata, childPath, pruned);
      continue;
    }
    const child = isJsonObject(properties[key]) ? properties[key] : schemaOf(schema.additionalProperties);
    if (child) prune(value[key], child, childPath, pruned, isEmbedded(child));
    else if (!(preserve || schema.additionalProperties === true)) {
      delete value[key];
      pruned.push(childPath);
    }
  }
}

/**
 * prunedCopy is `deepClone(value)` then `prune(copy, …)` in one walk: what pruning would remove is
 * not copied. It takes prune's decisions in the same order, so the copy has the same keys in the
 * same order and `pruned` the same paths; objects that are not plain JSON are copied and pruned
 * as before, and a `__proto__` key is assigned as deepClone assigns it (where prune never sees it).
 */
function prunedCopy(value: unknown, schema: JSONSchemaProps | undefined, path: string, pruned: string[], embedded: boolean): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const items = schemaOf(schema?.items);
    const itemsEmbedded = isEmbedded(items);
    const copy = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      copy[i] = typeof item === 'object' && item !== null ? prunedCopy(item, items, `${path}[${i}]`, pruned, itemsEmbedded) : item;
    }
    return copy;
  }
  const prototype = Object.getPrototypeOf(value) as unknown;
  if (!schema || (prototype !== Object.prototype && prototype !== null)) {
    const copy = deepClone(value);
    prune(copy, schema, path, pruned, embedded);
    return copy;
  }
  const source = value as JsonObject;
  const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
  const properties = isJsonObject(schema.properties) ? schema.properties : {};
  const copy: JsonObject = {};
  for (const key of Object.keys(source)) {
    if (key === '__proto__') {
      copy[key] = deepClone(source[key]);
      continue;
    }
    const childPath = join(path, key);
    if (embedded && (key === 'apiVersion' || key === 'kind')) {
      copy[key] = deepClone(source[key]);
      continue;
    }
    if (embedded && key === 'metadata') {
      copy.metadata = deepClone(source.metadata);
      pruneMetadata(copy.metadata, childPath, pruned);
      continue;
    }
    const child = isJsonObject(properties[key]) ? properties[key] : schemaOf(schema.additionalProperties);
    if (child) copy[key] = prunedCopy(source[key], child, childPath, pruned, isEmbedded(child));
    else if (preserve || schema.additionalProperties === true) copy[key] = deepClone(source[key]);
    else pruned.push(childPath);
  }
  return copy;
}

/** applyDefaults fills `default`s of absent properties and drops nulls of non-nullable fields without one (structural defaulting). */
function applyDefaults(value: unknown, schema: JSONSchemaProps | undefined, root: boolean, changes: DefaultingChanges): void {
  if (Array.isArray(value)) {
    const items = schemaOf(schema?.items);
    for (const item of value) applyDefaults(item, items, false, changes);
    return;
  }
  if (!isJsonObject(value) || !schema) return;
  const properties = isJsonObject(schema.properties) ? schema.properties : {};
  for (const [key, raw] of Object.entries(properties)) {
    const property = schemaOf(raw);
    if (!property || (root && key === 'metadata')) continue;
    if (value[key] === undefined && property.default !== undefined) {
      value[key] = deepClone(property.default);
      changes.defaulted++;
    } else if (value[key] === null && property.nullable !== true) {
      if (property.default !== undefined) {
        value[key] = deepClone(property.default);
        changes.defaulted++;
      } else {
        delete value[key];
        changes.nullsDropped++;
      }
    }
  }
  for (const [key, child] of Object.entries(value)) {
    if (root && (key === 'metadata' || key === 'apiVersion' || key === 'kind')) continue;
    applyDefaults(child, propertySchema(schema, key), isEmbedded(propertySchema(schema, key)), changes);
  }
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (typeof value === 'object') return 'object';
  return typeof value;
}

function num(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

/** validateValue checks one value against its schema node, appending causes. */
function validateValue(value: unknown, schema: JSONSchemaProps, path: string, causes: StatusCause[]): void {
  const intOrString = schema['x-kubernetes-int-or-string'] === true;
  const declared = intOrString ? ['integer', 'string'] : typeof schema.type === 'string' && schema.type ? [schema.type] : [];
  const actual = jsonType(value);
  if (value === null) {
    if (schema.nullable === true || declared.length === 0) return;
    causes.push(typeInvalid(path, 'null', `${path} in body must be of type ${declared.join(',')}: "null"`));
    return;
  }
  if (declared.length > 0 && !declared.includes(actual) && !(actual === 'integer' && declared.includes('number'))) {
    causes.push(typeInvalid(path, actual, `${path} in body must be of type ${declared.join(',')}: "${actual}"`));
    return;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((allowed) => deepEqual(allowed, value))) {
    causes.push(
      notSupported(
        path,
        value,
        schema.enum.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))),
      ),
    );
  }
  if (typeof value === 'string') {
    const maxLength = num(schema.maxLength);
    const minLength = num(schema.minLength);
    // Lengths count code points; only counted when the schema limits them.
    const length = maxLength !== undefined || minLength !== undefined ? [...value].length : 0;
    if (maxLength !== undefined && length > maxLength) causes.push(tooLong(path, `may not be longer than ${maxLength}`));
    if (minLength !== undefined && length < minLength)
      causes.push(invalidJson(path, value, `${path} in body should be at least ${minLength} chars long`));
    if (typeof schema.pattern === 'string') {
      let re: RegExp | undefined;
      try {
        re = new RegExp(schema.pattern, 'u');
      } catch {
        re = undefined;
      }
      if (re && !re.test(value)) causes.push(invalidJson(path, value, `${path} in body should match '${schema.pattern}'`));
    }
  }
  if (typeof value === 'number') {
    const maximum = num(schema.maximum);
    const minimum = num(schema.minimum);
    if (maximum !== undefined && (schema.exclusiveMaximum === true ? value >= maximum : value > maximum)) {
      causes.push(
        invalidJson(path, value, `${path} in body should be less than ${schema.exclusiveMaximum === true ? '' : 'or equal to '}${maximum}`),
      );
    }
    if (minimum !== undefined && (schema.exclusiveMinimum === true ? value <= minimum : value < minimum)) {
      causes.push(
        invalidJson(
          path,
          value,
          `${path} in body should be greater than ${schema.exclusiveMinimum === true ? '' : 'or equal to '}${minimum}`,
        ),
      );
    }
    const multipleOf = num(schema.multipleOf);
    if (multipleOf && Math.abs(value / multipleOf - Math.round(value / multipleOf)) > 1e-9)
      causes.push(invalidJson(path, value, `${path} in body should be a multiple of ${multipleOf}`));
  }
  if (Array.isArray(value)) validateArray(value, schema, path, causes);
  if (isJsonObject(value)) validateObject(value, schema, path, causes);
  validateCombinators(value, schema, path, causes);
}

function validateArray(value: unknown[], schema: JSONSchemaProps, path: string, causes: StatusCause[]): void {
  const maxItems = num(schema.maxItems);
  const minItems = num(schema.minItems);
  if (maxItems !== undefined && value.length > maxItems) causes.push(tooMany(path, value.length, maxItems));
  if (minItems !== undefined && value.length < minItems)
    causes.push(invalidJson(path, value.length, `${path} in body should have at least ${minItems} items`));
  const listType = schema['x-kubernetes-list-type'];
  if (listType === 'set') {
    value.forEach((item, i) => {
      if (value.findIndex((other) => deepEqual(other, item)) < i) causes.push(duplicate(`${path}[${i}]`, item));
    });
  } else if (listType === 'map' && Array.isArray(schema['x-kubernetes-list-map-keys'])) {
    const keys = schema['x-kubernetes-list-map-keys'] as string[];
    const keyOf = (item: unknown): JsonObject => Object.fromEntries(keys.map((k) => [k, isJsonObject(item) ? item[k] : undefined]));
    value.forEach((item, i) => {
      if (value.findIndex((other) => deepEqual(keyOf(other), keyOf(item))) < i) causes.push(duplicate(`${path}[${i}]`, keyOf(item)));
    });
  }
  const items = schemaOf(schema.items);
  if (items) value.forEach((item, i) => validateValue(item, items, `${path}[${i}]`, causes));
}

function validateObject(value: JsonObject, schema: JSONSchemaProps, path: string, causes: StatusCause[]): void {
  if (Array.isArray(schema.required)) {
    for (const name of schema.required)
      if (typeof name === 'string' && value[name] === undefined) causes.push(requiredValue(join(path, name)));
  }
  const maxProperties = num(schema.maxProperties);
  const minProperties = num(schema.minProperties);
  const count = Object.keys(value).length;
  if (maxProperties !== undefined && count > maxProperties) causes.push(tooMany(path, count, maxProperties));
  if (minProperties !== undefined && count < minProperties)
    causes.push(invalidJson(path, count, `${path} in body should have at least ${minProperties} properties`));
  if (isEmbedded(schema)) {
    for (const field of ['apiVersion', 'kind']) if (!value[field]) causes.push(requiredValue(join(path, field), 'must not be empty'));
  }
  for (const [key, child] of Object.entries(value)) {
    if (isEmbedded(schema) && (key === 'apiVersion' || key === 'kind' || key === 'metadata')) continue;
    const childSchema = propertySchema(schema, key);
    if (childSchema) validateValue(child, childSchema, join(path, key), causes);
  }
}

/** validateCombinators handles allOf/anyOf/oneOf/not, which structural schemas allow for value validations (int-or-string's anyOf). */
function validateCombinators(value: unknown, schema: JSONSchemaProps, path: string, causes: StatusCause[]): void {
  const run = (s: unknown): StatusCause[] => {
    const out: StatusCause[] = [];
    if (isJsonObject(s)) validateValue(value, s, path, out);
    return out;
  };
  if (Array.isArray(schema.allOf)) for (const s of schema.allOf) causes.push(...run(s));
  if (Array.isArray(schema.anyOf) && schema.anyOf.length > 0) {
    const results = schema.anyOf.map(run);
    if (results.every((r) => r.length > 0)) {
      // kube-openapi reports a composite error (no field) plus the failures of the first alternative.
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: "": "${path}" must validate at least one schema (anyOf)`,
        field: '<nil>',
      });
      causes.push(...(results[0] ?? []));
    }
  }
  if (Array.isArray(schema.oneOf) && schema.oneOf.length > 0) {
    const passing = schema.oneOf.map(run).filter((r) => r.length === 0).length;
    if (passing !== 1)
      causes.push({
        reason: 'FieldValueInvalid',
        message: `Invalid value: "": "${path}" must validate one and only one schema (oneOf)`,
        field: '<nil>',
      });
  }
  if (isJsonObject(schema.not) && run(schema.not).length === 0) {
    causes.push({
      reason: 'FieldValueInvalid',
      message: `Invalid value: "": "${path}" must not validate the schema (not)`,
      field: '<nil>',
    });
  }
}

/** pruneUnknownFields returns a copy of a custom resource without the fields its schema does not specify, and their paths. */
export function pruneUnknownFields(schema: JSONSchemaProps, object: KubeObject): { object: KubeObject; pruned: string[] } {
  const pruned: string[] = [];
  const copy = prunedCopy(object, schema, '', pruned, true) as KubeObject;
  return { object: copy, pruned };
}

/** validateAgainstSchema validates an already pruned and defaulted custom resource (apiVersion, kind and metadata are not schema-validated here). */
export function validateAgainstSchema(schema: JSONSchemaProps, object: KubeObject): StatusCause[] {
  const causes: StatusCause[] = [];
  if (Array.isArray(schema.required)) {
    for (const name of schema.required) {
      if (typeof name === 'string' && !['apiVersion', 'kind', 'metadata'].includes(name) && object[name] === undefined)
        causes.push(requiredValue(name));
    }
  }
  for (const [key, value] of Object.entries(object)) {
    if (key === 'apiVersion' || key === 'kind' || key === 'metadata') continue;
    const child = propertySchema(schema, key);
    if (child) validateValue(value, child, key, causes);
  }
  return causes;
}

/** validateCustomResource prunes, defaults and validates a custom resource against its version's openAPIV3Schema. */
export function validateCustomResource(type: ResourceType, object: KubeObject): CustomResourceValidation {
  const schema = type.schema;
  if (!schema) return { object: deepClone(object), causes: [], pruned: [], nullsDropped: 0 };
  const { object: pruned, pruned: paths } = pruneUnknownFields(schema, object);
  const changes: DefaultingChanges = { defaulted: 0, nullsDropped: 0 };
  applyDefaults(pruned, schema, true, changes);
  // Defaults are pruned too (a default may carry fields the schema does not know). Pruning an
  // already pruned object changes nothing, so without a default filled in there is nothing to do.
  if (changes.defaulted > 0) prune(pruned, schema, '', [], true);
  return { object: pruned, causes: validateAgainstSchema(schema, pruned), pruned: paths, nullsDropped: changes.nullsDropped };
}
