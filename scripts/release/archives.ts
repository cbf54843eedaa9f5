/**
 * Release archives and their checksums. Archives are reproducible (fixed mtime, no owner
 * names): the same build gives the same sha256, which krew manifests and checksums.txt pin.
 */
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tar from 'tar';

/** sha256Of is a file's lowercase hex sha256. */
export function sha256Of(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** A file to put at an archive's root: its name there, where it comes from (or its text), its mode. */
export interface ArchiveMember {
  readonly name: string;
  readonly source?: string;
  readonly text?: string;
  readonly mode: number;
}

/** makeTarGz writes members at the root of a gzip'd tar at outFile, staging them in workDir. */
export async function makeTarGz(members: readonly ArchiveMember[], workDir: string, outFile: string): Promise<void> {
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  for (const m of members) {
    const target = path.join(workDir, m.name);
    if (m.source !== undefined) copyFileSync(m.source, target);
    else writeFileSync(target, m.text ?? '');
    chmodSync(target, m.mode);
  }
  await tar.c(
    { gzip: true, file: outFile, cwd: workDir, portable: true, mtime: new Date(0) },
    members.map((m) => m.name),
  );
  rmSync(workDir, { recursive: true, force: true });
}

/** writeChecksums writes `<sha256>  <name>` lines (sha256sum's format) for files into outFile. */
export function writeChecksums(files: ReadonlyMap<string, string>, outFile: string): void {
  const lines = [...files].sort(([a], [b]) => a.localeCompare(b)).map(([file, digest]) => `${digest}  ${path.basename(file)}`);
  writeFileSync(outFile, `${lines.join('\n')}\n`);
}
