/**
 * CustomResourceDefinitions (apiextensions.k8s.io/v1): defaulted names and conversion, the CRD
 * validation (validation/crd.ts), and status.storedVersions kept as the CRD registry does on
 * every write.
 */
import type { KubeObject } from '../api/types.js';
import { validateCrd } from '../validation/crd.js';
import { obj, setDefault } from '../validation/defaults.js';
import type { ResourceStrategy } from './strategy.js';

function storageVersionOf(crd: KubeObject): string | undefined {
  const versions = (crd.spec as { versions?: Array<{ name?: string; storage?: boolean }> } | undefined)?.versions;
  return Array.isArray(versions) ? versions.find((v) => v?.storage === true)?.name : undefined;
}

/** withStoredVersion adds the storage version to status.storedVersions. */
function withStoredVersion(crd: KubeObject, old: KubeObject | undefined): KubeObject {
  const storage = storageVersionOf(crd);
  const status = (crd.status ?? {}) as { storedVersions?: string[] };
  const oldStored = ((old?.status ?? {}) as { storedVersions?: string[] }).storedVersions ?? [];
  const stored = Array.isArray(status.storedVersions) ? [...status.storedVersions] : [...oldStored];
  if (storage && !stored.includes(storage)) stored.push(storage);
  return { ...crd, status: { ...status, storedVersions: stored } };
}

/** crdStrategy defaults, validates and canonicalizes CRDs. */
export const crdStrategy: ResourceStrategy = {
  default(object) {
    const s = obj(object, 'spec');
    const names = obj(s, 'names');
    if (typeof names.kind === 'string') {
      setDefault(names, 'singular', names.kind.toLowerCase());
      setDefault(names, 'listKind', `${names.kind}List`);
    }
    setDefault(s, 'conversion', { strategy: 'None' });
  },
  validate: validateCrd,
  canonicalize: withStoredVersion,
};
