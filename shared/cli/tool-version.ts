/**
 * The suite's version. Every plugin and the shared library ship in one package, so they share
 * the number.
 *
 * Bundles and standalone binaries get it stamped at build time (scripts/release/bundle.ts
 * defines `__MESH_TOOL_VERSION__`): a bundle or a single-executable application has no
 * package.json three levels up, and `import.meta` does not survive a CommonJS bundle. The tsc
 * build (dist/) has no such define and reads package.json at call time (not at import: no work
 * at module load).
 */
import { readFileSync } from 'node:fs';

// Replaced by a string literal by esbuild's `define`; undeclared (typeof → "undefined") under tsc.
declare const __MESH_TOOL_VERSION__: string | undefined;

/** readToolVersion returns the version stamped into a bundle, else package.json's (compiled files live in dist/shared/cli/, three levels below it). */
export function readToolVersion(): string {
  if (typeof __MESH_TOOL_VERSION__ === 'string') return __MESH_TOOL_VERSION__;
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version?: string };
  return pkg.version ?? '0.0.0';
}

/** withV prefixes "v" like kubectl's gitVersion ("v1.33.1"), without doubling an existing one. */
export function withV(version: string): string {
  return version.startsWith('v') ? version : `v${version}`;
}
