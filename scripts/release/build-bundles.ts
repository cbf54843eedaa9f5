/**
 * `npm run build`'s last step: the npm route's bundles (dist/bin/<plugin>.mjs), which
 * package.json's `bin` runs and the helm plugin's launcher loads from a clone.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleForNpm } from './bundle.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
bundleForNpm(root).catch((err: unknown) => {
  process.stderr.write(`build: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}\n`);
  process.exitCode = 1;
});
