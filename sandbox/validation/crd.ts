/**
 * CustomResourceDefinition validation and storedVersions bookkeeping, after
 * apiextensions-apiserver pkg/apis/apiextensions/validation/validation.go and the CRD strategy:
 * the name must be `<plural>.<group>`, exactly one version is the storage version, and an update
 * may not drop a version still listed in status.storedVersions, which is what stops a CRD
 * upgrade that removes an old API version before its objects were migrated.
 */
import type { StatusCause } from '../api/status.js';
import type { KubeObject } from '../api/types.js';
import { deepClone, isJsonObject, type JsonObject } from '../patch/json-value.js';
import { invalidJson, invalidValue, notSupported, requiredValue } from './field-errors.js';
import { badValue, goCrdVersions } from './go-syntax.js';
import { isDNS1035Label } from './names.js';

function asObject(value: unknown): JsonObject {
  return isJsonObject(value) ? value : {};
}

function versionsOf(crd: KubeObject | undefined): JsonObject[] {
  const spec = asObject(crd?.spec);
  if (Array.isArray(spec.versions) && spec.versions.length > 0) return spec.versions.map(asObject);
  // apiextensions.k8s.io/v1beta1 could name a single `spec.version`; conversion turns it into the one served storage version.
  return typeof spec.version === 'string' && spec.version ? [{ name: spec.version, served: true, storage: true }] : [];
}

function storedVersionsOf(crd: KubeObject | undefined): string[] {
  const stored = asObject(crd?.status).storedVersions;
  return Array.isArray(stored) ? stored.filter((v): v is string => typeof v === 'string') : [];
}

/** storageVersionOf is the name of the version marked storage: true, if any. */
export function storageVersionOf(crd: KubeObject): string | undefined {
  const storage = versionsOf(crd).find((v) => v.storage === true);
  return typeof storage?.name === 'string' ? storage.name : undefined;
}

/**
 * maintainStoredVersions does what the CRD strategy's PrepareForCreate/PrepareForUpdate do:
 * status.storedVersions keeps every version objects may have been written at, and gains the
 * current storage version. Returns a new object.
 */
export function maintainStoredVersions(crd: KubeObject, old: KubeObject | undefined): KubeObject {
  const result = deepClone(crd);
  const stored = old ? storedVersionsOf(old) : [];
  const storage = storageVersionOf(result);
  if (storage && !stored.includes(storage)) stored.push(storage);
  result.status = { ...asObject(result.status), storedVersions: stored };
  return result;
}

function validateNames(names: JsonObject): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const field of ['plural', 'singular']) {
    const value = names[field];
    if (!value) causes.push(requiredValue(`spec.names.${field}`));
    else if (typeof value !== 'string') causes.push(invalidJson(`spec.names.${field}`, value, 'must be a string'));
    else {
      const errs = isDNS1035Label(value);
      if (errs.length) causes.push(invalidValue(`spec.names.${field}`, badValue(value), errs.join(',')));
    }
  }
  for (const field of ['kind', 'listKind']) {
    const value = names[field];
    if (!value) causes.push(requiredValue(`spec.names.${field}`));
    else if (typeof value !== 'string') causes.push(invalidJson(`spec.names.${field}`, value, 'must be a string'));
    else {
      const errs = isDNS1035Label(value.toLowerCase());
      if (errs.length)
        causes.push(
          invalidValue(`spec.names.${field}`, badValue(value), `may have mixed case, but should otherwise match: ${errs.join(',')}`),
        );
    }
  }
  if (names.kind && names.kind === names.listKind)
    causes.push(invalidValue('spec.names.listKind', badValue(names.listKind), 'kind and listKind may not be the same'));
  if (Array.isArray(names.shortNames)) {
    names.shortNames.forEach((short, i) => {
      const errs = typeof short === 'string' ? isDNS1035Label(short) : ['must be a string'];
      if (errs.length) causes.push(invalidValue(`spec.names.shortNames[${i}]`, badValue(short), errs.join(',')));
    });
  }
  return causes;
}

/** validateCrd checks a CustomResourceDefinition (names, scope, versions, exactly one storage version, storedVersions against `old`). */
export function validateCrd(crd: KubeObject, old: KubeObject | undefined): StatusCause[] {
  const causes: StatusCause[] = [];
  const spec = asObject(crd.spec);
  const names = asObject(spec.names);
  const group = spec.group;
  const name = crd.metadata?.name;
  if (name !== `${String(names.plural ?? '')}.${String(group ?? '')}`)
    causes.push(invalidValue('metadata.name', badValue(name ?? ''), 'must be spec.names.plural+"."+spec.group'));

  if (!group) causes.push(requiredValue('spec.group'));
  else if (typeof group !== 'string' || !group.includes('.'))
    causes.push(invalidValue('spec.group', badValue(group), 'should be a domain with at least one dot'));

  if (spec.scope === undefined || spec.scope === '') causes.push(requiredValue('spec.scope'));
  else if (spec.scope !== 'Namespaced' && spec.scope !== 'Cluster')
    causes.push(notSupported('spec.scope', spec.scope, ['Cluster', 'Namespaced']));

  const versions = versionsOf(crd);
  const seen = new Set<string>();
  let unique = true;
  let storageCount = 0;
  versions.forEach((version, i) => {
    const at = `spec.versions[${i}]`;
    if (typeof version.name !== 'string' || version.name === '') causes.push(requiredValue(`${at}.name`));
    else {
      if (seen.has(version.name)) unique = false;
      seen.add(version.name);
      const errs = isDNS1035Label(version.name);
      if (errs.length) causes.push(invalidValue(`${at}.name`, badValue(version.name), errs.join(',')));
    }
    for (const flag of ['served', 'storage']) {
      if (version[flag] !== undefined && typeof version[flag] !== 'boolean')
        causes.push(
          invalidJson(
            `${at}.${flag}`,
            version[flag],
            `json: cannot unmarshal ${typeof version[flag]} into Go struct field CustomResourceDefinitionVersion.spec.versions.${flag} of type bool`,
          ),
        );
    }
    if (version.storage === true) storageCount++;
    // apiextensions/v1 requires a schema for every version (v1beta1 allowed none, or one in spec.validation).
    if (crd.apiVersion === 'apiextensions.k8s.io/v1' && !isJsonObject(asObject(version.schema).openAPIV3Schema)) {
      causes.push(requiredValue(`${at}.schema.openAPIV3Schema`, 'schemas are required'));
    }
  });
  if (!unique) causes.push(invalidValue('spec.versions', goCrdVersions(versions), 'must contain unique version names'));
  if (storageCount !== 1)
    causes.push(invalidValue('spec.versions', goCrdVersions(versions), 'must have exactly one version marked as storage version'));

  causes.push(...validateNames(names));

  if (old) {
    // ValidateCustomResourceDefinitionStoredVersions: status (kept from the live object on a spec
    // update) still lists versions objects are stored at; each must remain in spec.versions.
    const stored = storedVersionsOf(old);
    stored.forEach((version, i) => {
      if (!seen.has(version)) causes.push(invalidValue(`status.storedVersions[${i}]`, badValue(version), 'must appear in spec.versions'));
    });
  }
  return causes;
}
