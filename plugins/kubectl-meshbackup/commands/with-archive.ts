/**
 * withArchive: every command that reads an archive unpacks it into a temporary directory; this is
 * the one place that makes sure the directory goes away — when the command ends, and on an
 * immediate exit (a second Ctrl-C), even while the archive is still being extracted.
 */
import { rmSync } from 'node:fs';
import type { CommandContext } from '../../../shared/cli/command.js';
import type { Argv } from 'yargs';
import { withSize } from '../../../shared/cli/flags.js';
import { UsageError } from '../../../shared/errors/errors.js';
import { openArchive, type ArchiveLimits, type OpenedArchive } from '../backup/archive.js';

/**
 * withArchiveSize declares --max-archive-size, which raises the caps on how far an archive may
 * expand (decompressed, and per member): a hostile archive is refused before it fills the disk.
 */
export function withArchiveSize<T>(argv: Argv<T>) {
  return withSize(argv, 'max-archive-size', {
    default: '128Mi',
    min: '1Mi',
    max: '16Gi',
    describe: 'Refuse an archive that expands past this size, or holds a member past it',
  });
}

/** archiveLimits turns --max-archive-size into the reader's limits. */
export function archiveLimits(maxArchiveSize: number | undefined): Partial<ArchiveLimits> {
  return maxArchiveSize === undefined ? {} : { maxExpandedBytes: maxArchiveSize, maxMemberBytes: maxArchiveSize };
}

/** withArchive opens (unpacks and checks) `file`, runs `use` on it, and always removes the unpacked copy. */
export async function withArchive<T>(
  file: string,
  onExit: CommandContext['onExit'],
  use: (archive: OpenedArchive) => Promise<T>,
  limits: Partial<ArchiveLimits> = {},
): Promise<T> {
  let extracted: string | undefined;
  const forget = onExit(() => extracted && rmSync(extracted, { recursive: true, force: true }));
  let archive: OpenedArchive | undefined;
  try {
    archive = await openArchive(file, { onExtracting: (dir) => (extracted = dir), limits });
    return await use(archive);
  } finally {
    forget();
    await archive?.close();
  }
}

/** validateArchiveFlag refuses an empty -f (yargs lets `-f ""` through as present). */
export function validateArchiveFlag(filename: string): void {
  if (filename.trim() === '') throw new UsageError('-f/--filename must name an archive');
}
