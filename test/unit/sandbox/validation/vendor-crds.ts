/**
 * Access to the real vendor CRDs in ../shared/fixtures for the validation unit tests. They are
 * read at run time, never copied into the repository; tests that need them skip with one line
 * when they are absent.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import type { JSONSchemaProps, KubeObject } from '../../../../sandbox/api/types.js';
import { requireVendorFixtures, vendorFixturesDir } from '../../../support/vendor.js';

/** vendorCrdsDir is the fixtures' crds folder, or null when absent. */
export const vendorCrdsDir: string | null = vendorFixturesDir ? join(vendorFixturesDir, 'crds') : null;

/** loadVendorCrd reads one CRD from a fixture file (relative to the crds folder), skipping the test when fixtures are absent. */
export function loadVendorCrd(context: Mocha.Context, file: string, name: string): KubeObject {
  const crdsDir = join(requireVendorFixtures(context), 'crds');
  const docs = loadAll(readFileSync(join(crdsDir, file), 'utf8')) as KubeObject[];
  const crd = docs.find((doc) => doc?.kind === 'CustomResourceDefinition' && doc.metadata?.name === name);
  if (!crd) throw new Error(`${name} not found in ${file}`);
  return crd;
}

/** storageSchemaOf returns the openAPIV3Schema of a CRD's storage version. */
export function storageSchemaOf(crd: KubeObject): JSONSchemaProps {
  const versions = (crd.spec as { versions: Array<{ storage: boolean; schema: { openAPIV3Schema: JSONSchemaProps } }> }).versions;
  const storage = versions.find((v) => v.storage) ?? versions[0];
  if (!storage) throw new Error(`${crd.metadata.name} has no versions`);
  return storage.schema.openAPIV3Schema;
}
