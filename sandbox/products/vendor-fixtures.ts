/**
 * Where the real vendor CRDs and examples live. They are read at run time and never committed:
 * MESH_VENDOR_FIXTURES names the folder, else ../shared/fixtures beside the clone is used when it
 * exists, else installs fall back to the project's own synthetic CRDs and examples.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** findVendorFixtures returns the vendor fixtures folder, or null when there is none. */
export function findVendorFixtures(env: Record<string, string | undefined>, repoRoot: string): string | null {
  const named = env.MESH_VENDOR_FIXTURES;
  if (named) return resolve(named);
  const beside = join(repoRoot, '..', 'shared', 'fixtures');
  return existsSync(beside) && statSync(beside).isDirectory() ? resolve(beside) : null;
}
