/**
 * The suite's version, read from package.json at call time (not at import: no work at module
 * load). Every plugin and the shared library ship in one package, so they share the number.
 */
import { readFileSync } from 'node:fs';

/** readToolVersion returns package.json's version; compiled files live in dist/shared/cli/, three levels below it. */
export function readToolVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

/** withV prefixes "v" like kubectl's gitVersion ("v1.33.1"), without doubling an existing one. */
export function withV(version: string): string {
  return version.startsWith('v') ? version : `v${version}`;
}
