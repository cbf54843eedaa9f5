/**
 * Paths the tests share. Compiled tests live in dist/test/…, so the repository root is
 * found from this file's location rather than from the working directory.
 */
import { readFileSync } from 'node:fs';
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

/** binEntries are the executables package.json's `bin` declares (plugins and completion hooks), with their built files. */
export const binEntries: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries((JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin).map(
    ([name, file]) => [name, join(repoRoot, file)],
  ),
);

/** pluginNames are the plugin executables package.json's `bin` declares. */
export const pluginNames = ['kubectl-meshbackup', 'kubectl-meshscale', 'kubectl-meshpreflight', 'helm-crdsync'] as const;
