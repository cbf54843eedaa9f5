/**
 * withArchive: every command that reads an archive unpacks it into a temporary directory; this is
 * the one place that makes sure the directory goes away — when the command ends, and on an
 * immediate exit (a second Ctrl-C), even while the archive is still being extracted.
 */
import { rmSync } from 'node:fs';
import type { CommandContext } from '../../../shared/cli/command.js';
import { openArchive, type OpenedArchive } from '../backup/archive.js';

/** withArchive opens (unpacks and checks) `file`, runs `use` on it, and always removes the unpacked copy. */
export async function withArchive<T>(file: string, onExit: CommandContext['onExit'], use: (archive: OpenedArchive) => Promise<T>): Promise<T> {
  let extracted: string | undefined;
  const forget = onExit(() => extracted && rmSync(extracted, { recursive: true, force: true }));
  let archive: OpenedArchive | undefined;
  try {
    archive = await openArchive(file, { onExtracting: (dir) => (extracted = dir) });
    return await use(archive);
  } finally {
    forget();
    await archive?.close();
  }
}
