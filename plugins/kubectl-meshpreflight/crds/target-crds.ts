/**
 * The target version's CRDs for `--crds-from`: what each serves, to find custom resources stored
 * in versions the target drops. The reading is helm crdsync's (shared/charts, shared/crds): a
 * local chart (.tgz or directory: its crds/ and its subcharts'), or a CRD file or folder of them
 * (a chart's crds/ on its own), parsed behind the same alias-bomb guard, duplicate check and
 * v1beta1 → v1 conversion. Remote sources (repository, helm pull, GitHub) are fetched in
 * crd-source.ts through crdsync's shared sources and read here with {@link targetCrdsOf}.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { readLocalChart, type ChartFile } from '../../../shared/charts/chart-files.js';
import { crdVersions } from '../../../shared/crds/compatibility.js';
import { readCrds, type CrdFile } from '../../../shared/crds/read-crds.js';
import { InputFileError } from '../../../shared/errors/errors.js';

/** TargetCrd is one target CRD, reduced to what the checks compare. */
export interface TargetCrd {
  /** name is `<plural>.<group>`. */
  readonly name: string;
  readonly servedVersions: readonly string[];
}

/** Limits on a plain folder of CRD files (charts have crdsync's own limits). */
const maxFileBytes = 8 * 1024 * 1024;
const maxFiles = 500;

async function isChart(path: string, isDirectory: boolean): Promise<boolean> {
  if (!isDirectory) return /\.tgz$/i.test(path);
  return stat(join(path, 'Chart.yaml')).then(
    (info) => info.isFile(),
    () => false,
  );
}

/** crdFilesUnder reads a CRD file, or every YAML/JSON file under a folder (links are not followed). */
async function crdFilesUnder(path: string, isDirectory: boolean): Promise<ChartFile[]> {
  const paths: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > 8) return;
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) await walk(full, depth + 1);
      else if (entry.isFile() && /\.(ya?ml|json)$/i.test(entry.name)) paths.push(full);
      if (paths.length > maxFiles) throw new InputFileError(path, `more than ${maxFiles} YAML files`);
    }
  };
  if (isDirectory) await walk(path, 0);
  else paths.push(path);
  const files: ChartFile[] = [];
  for (const file of paths.sort()) {
    if ((await stat(file)).size > maxFileBytes) throw new InputFileError(file, `larger than ${maxFileBytes} bytes`);
    files.push({ path: file, text: await readFile(file, 'utf8') });
  }
  return files;
}

/**
 * readTargetCrds reads every CRD of `path` (a chart .tgz or directory, a CRD file or folder);
 * none found, or anything unreadable, is bad input (exit 3). Skipped non-CRD documents go to `warn`.
 */
export async function readTargetCrds(path: string, warn: (message: string) => void): Promise<TargetCrd[]> {
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(path)).isDirectory();
  } catch (err) {
    throw new InputFileError(
      path,
      (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or directory' : (err as Error).message,
      { cause: err },
    );
  }
  const files = (await isChart(path, isDirectory)) ? (await readLocalChart(path)).crdFiles : await crdFilesUnder(path, isDirectory);
  return targetCrdsOf(path, files, warn);
}

/** targetCrdsOf reads the CRDs of files from `reference` (a path or a remote source); none is bad input (exit 3). */
export function targetCrdsOf(reference: string, files: readonly CrdFile[], warn: (message: string) => void): TargetCrd[] {
  // Converted to v1 so every CRD lists spec.versions[] with served flags, whatever it was written as.
  const crds = readCrds(reference, files, { serverServesV1beta1: false, warn });
  if (crds.length === 0) throw new InputFileError(reference, 'no CustomResourceDefinition found');
  return crds.map(({ crd }) => ({
    name: crd.metadata?.name ?? '',
    servedVersions: crdVersions(crd)
      .filter((version) => version.served)
      .map((version) => version.name),
  }));
}
