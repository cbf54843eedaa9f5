/**
 * Paths the tests share. Compiled tests live in dist/test/…, so the repository root is
 * found from this file's location rather than from the working directory.
 */
import { fileURLToPath } from 'node:url';
import { dirname, join, resolve } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));

/** repoRoot is the clone's root (the folder holding package.json). */
export const repoRoot = resolve(here, '..', '..', '..');

/** cacheDir holds downloaded test tools (ignored by git). */
export const cacheDir = join(repoRoot, '.cache');

/** pluginEntry is the built entry point of a plugin, e.g. pluginEntry('kubectl-meshbackup'). */
export function pluginEntry(name: string): string {
  return join(repoRoot, 'dist', 'plugins', name, 'main.js');
}

/** pluginNames are the executables package.json's `bin` declares. */
export const pluginNames = ['kubectl-meshbackup', 'kubectl-meshscale', 'kubectl-meshpreflight', 'helm-crdsync'] as const;
