/**
 * The target version's CRDs for `--crds-from`: what each serves, to find custom resources stored
 * in versions the target drops. This is a small local reader (a CRD file or a directory of them,
 * e.g. a chart's crds/ folder) standing in until helm crdsync's shared CRD sources (charts,
 * OCI, GitHub tags) land on main; only {@link readTargetCrds} would change then.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { InputFileError } from '../../../shared/errors/errors.js';

/** TargetCrd is one target CRD, reduced to what the checks compare. */
export interface TargetCrd {
  /** name is `<plural>.<group>`. */
  readonly name: string;
  readonly servedVersions: readonly string[];
}

/** Limits on what is read: a hostile directory must not exhaust memory. */
const maxFileBytes = 8 * 1024 * 1024;
const maxFiles = 500;

/** crdsFromDocuments extracts the CRDs of parsed YAML documents; other kinds are ignored. */
export function crdsFromDocuments(documents: readonly unknown[]): TargetCrd[] {
  const result: TargetCrd[] = [];
  for (const document of documents) {
    const object = document as {
      kind?: string;
      metadata?: { name?: string };
      spec?: { version?: string; versions?: Array<{ name?: string; served?: boolean }> };
    } | null;
    if (object?.kind !== 'CustomResourceDefinition' || !object.metadata?.name) continue;
    // v1 lists versions with served flags; v1beta1 may name a single spec.version instead.
    const versions = object.spec?.versions?.length
      ? object.spec.versions.filter((v) => v.served !== false && v.name).map((v) => v.name as string)
      : object.spec?.version
        ? [object.spec.version]
        : [];
    result.push({ name: object.metadata.name, servedVersions: versions });
  }
  return result;
}

async function yamlFiles(path: string): Promise<string[]> {
  const info = await stat(path);
  if (info.isFile()) return [path];
  const files: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > 8) return;
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      // Symbolic links are not followed: a link must not lead the reader out of the directory.
      if (entry.isDirectory()) await walk(full, depth + 1);
      else if (entry.isFile() && /\.(ya?ml|json)$/i.test(entry.name)) files.push(full);
      if (files.length > maxFiles) throw new InputFileError(path, `more than ${maxFiles} YAML files`);
    }
  };
  await walk(path, 0);
  return files.sort();
}

/** readTargetCrds reads every CRD under `path` (a file or a directory); none found is bad input (exit 3). */
export async function readTargetCrds(path: string): Promise<TargetCrd[]> {
  let files: string[];
  try {
    files = await yamlFiles(path);
  } catch (err) {
    if (err instanceof InputFileError) throw err;
    throw new InputFileError(path, (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message, { cause: err });
  }
  const crds: TargetCrd[] = [];
  for (const file of files) {
    const info = await stat(file);
    if (info.size > maxFileBytes) throw new InputFileError(file, `larger than ${maxFileBytes} bytes`);
    let documents: unknown[];
    try {
      documents = yaml.loadAll(await readFile(file, 'utf8'), undefined, { schema: yaml.JSON_SCHEMA, json: true });
    } catch (err) {
      throw new InputFileError(file, `not YAML: ${(err as Error).message.split('\n')[0] ?? ''}`, { cause: err });
    }
    crds.push(...crdsFromDocuments(documents));
  }
  if (crds.length === 0) throw new InputFileError(path, 'no CustomResourceDefinition found');
  return crds;
}
