/**
 * ObjectMeta validation (apimachinery/pkg/api/validation/objectmeta.go ValidateObjectMeta): name
 * or generateName, namespace scope, label and annotation syntax, and the 256 KiB annotation
 * budget that makes client-side `kubectl apply` of a large CRD fail.
 */
import type { StatusCause } from '../api/status.js';
import type { KubeObject, ResourceType } from '../api/types.js';
import { isJsonObject } from '../patch/json-value.js';
import { forbidden, invalidJson, invalidValue, requiredValue, tooLong } from './field-errors.js';
import { badValue } from './go-syntax.js';
import { isDNS1123Label, isQualifiedName, isValidLabelValue, nameValidatorFor } from './names.js';

/** TotalAnnotationSizeLimitB: the sum of annotation key and value lengths, in bytes. */
export const totalAnnotationSizeLimitBytes = 256 * 1024;

/**
 * The cause a real server gives for annotations over the limit: field.TooLong(metadata.annotations, "",
 * TotalAnnotationSizeLimitB) whose detail reads "must have at most 262144 bytes" on the servers
 * kubectl 1.27–1.33 talk to (apimachinery util/validation/field/errors.go; later releases reworded
 * TooLong to "may not be more than … bytes").
 */
export function annotationsTooLong(): StatusCause {
  return tooLong('metadata.annotations', `must have at most ${totalAnnotationSizeLimitBytes} bytes`);
}

/**
 * Label and annotation keys and label values already found valid. A restore writes the same few
 * labels on thousands of objects; a hit skips the split and regular expressions. Only valid
 * strings are remembered (an invalid one is checked again and gets its messages), and the sets
 * are emptied when they reach `rememberedLimit`.
 */
const validKeys = new Set<string>();
const validLabelValues = new Set<string>();
const rememberedLimit = 4096;
const noMessages: readonly string[] = [];

function checkedOnce(known: Set<string>, value: string, check: (value: string) => string[]): readonly string[] {
  if (known.has(value)) return noMessages;
  const messages = check(value);
  if (messages.length === 0) {
    if (known.size >= rememberedLimit) known.clear();
    known.add(value);
  }
  return messages;
}

function jsonTypeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}

/** validateObjectMeta checks name (DNS-1123 per kind rules), generateName, namespace scope, labels, annotations (256 KiB total) and the types of those fields. */
export function validateObjectMeta(type: ResourceType, object: KubeObject, isCreate: boolean): StatusCause[] {
  const causes: StatusCause[] = [];
  const meta: unknown = object.metadata;
  if (!isJsonObject(meta)) return [requiredValue('metadata')];
  const nameOk = nameValidatorFor(type.kind, type.builtin);
  const { name, generateName } = meta;

  if (name !== undefined && typeof name !== 'string') {
    // YAML 1.1 turns `name: y` into true; a real server cannot decode that into ObjectMeta.Name.
    causes.push(
      invalidJson(
        'metadata.name',
        name,
        `json: cannot unmarshal ${jsonTypeName(name)} into Go struct field ObjectMeta.metadata.name of type string`,
      ),
    );
  } else if (generateName !== undefined && typeof generateName !== 'string') {
    causes.push(
      invalidJson(
        'metadata.generateName',
        generateName,
        `json: cannot unmarshal ${jsonTypeName(generateName)} into Go struct field ObjectMeta.metadata.generateName of type string`,
      ),
    );
  } else if (!name) {
    if (!(isCreate && generateName)) causes.push(requiredValue('metadata.name', 'name or generateName is required'));
    else
      for (const msg of nameOk(generateName as string, true))
        causes.push(invalidValue('metadata.generateName', badValue(generateName), msg));
  } else {
    for (const msg of nameOk(name, false)) causes.push(invalidValue('metadata.name', badValue(name), msg));
  }

  const namespace: unknown = meta.namespace;
  if (type.namespaced) {
    if (namespace === undefined || namespace === '') causes.push(requiredValue('metadata.namespace'));
    else if (typeof namespace !== 'string') causes.push(invalidJson('metadata.namespace', namespace, 'must be a string'));
    else for (const msg of isDNS1123Label(namespace)) causes.push(invalidValue('metadata.namespace', badValue(namespace), msg));
  } else if (typeof namespace === 'string' && namespace !== '') {
    causes.push(forbidden('metadata.namespace', 'not allowed on this type'));
  }

  validateStringMap(meta.labels, 'metadata.labels', true, causes);
  validateStringMap(meta.annotations, 'metadata.annotations', false, causes);
  if (isJsonObject(meta.annotations)) {
    let size = 0;
    for (const [key, value] of Object.entries(meta.annotations))
      size += Buffer.byteLength(key) + (typeof value === 'string' ? Buffer.byteLength(value) : 0);
    if (size > totalAnnotationSizeLimitBytes) causes.push(annotationsTooLong());
  }

  if (meta.finalizers !== undefined) {
    if (!Array.isArray(meta.finalizers)) causes.push(invalidJson('metadata.finalizers', meta.finalizers, 'must be a list of strings'));
    else
      meta.finalizers.forEach((f, i) => {
        if (typeof f !== 'string') causes.push(invalidJson(`metadata.finalizers[${i}]`, f, 'must be a string'));
        else for (const msg of isQualifiedName(f)) causes.push(invalidValue(`metadata.finalizers[${i}]`, badValue(f), msg));
      });
  }
  if (meta.ownerReferences !== undefined) {
    if (!Array.isArray(meta.ownerReferences)) causes.push(invalidJson('metadata.ownerReferences', meta.ownerReferences, 'must be a list'));
    else
      meta.ownerReferences.forEach((ref, i) => {
        const r = isJsonObject(ref) ? ref : {};
        for (const key of ['apiVersion', 'kind', 'name', 'uid']) {
          if (!r[key]) causes.push(invalidValue(`metadata.ownerReferences[${i}].${key}`, '""', `${key} must not be empty`));
        }
      });
  }
  return causes;
}

/** validateStringMap checks a labels/annotations map: string values, qualified-name keys, label-value syntax for labels; appends to `causes`. */
function validateStringMap(map: unknown, field: string, isLabels: boolean, causes: StatusCause[]): void {
  if (map === undefined || map === null) return;
  if (!isJsonObject(map)) {
    causes.push(
      invalidJson(
        field,
        map,
        `json: cannot unmarshal ${jsonTypeName(map)} into Go struct field ObjectMeta.${field} of type map[string]string`,
      ),
    );
    return;
  }
  for (const key of Object.keys(map)) {
    const value = map[key];
    // Annotation keys are checked lower-cased (ValidateAnnotations); label keys as written.
    for (const msg of checkedOnce(validKeys, isLabels ? key : key.toLowerCase(), isQualifiedName))
      causes.push(invalidValue(field, badValue(key), msg));
    if (typeof value !== 'string') {
      causes.push(
        invalidJson(field, value, `json: cannot unmarshal ${jsonTypeName(value)} into Go struct field ObjectMeta.${field} of type string`),
      );
    } else if (isLabels) {
      for (const msg of checkedOnce(validLabelValues, value, isValidLabelValue)) causes.push(invalidValue(field, badValue(value), msg));
    }
  }
}
