// Makes the built plugin entry points executable: kubectl's plugin discovery only
// considers executable files named kubectl-*, and `npm link` keeps the mode it finds.
import { chmodSync, existsSync } from 'node:fs';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
for (const file of Object.values(pkg.bin)) {
  const path = new URL(`../${file}`, import.meta.url);
  if (existsSync(path)) chmodSync(path, 0o755);
}

// Removes outputs whose source is gone: tsc never deletes them, and a stale module (a renamed
// file) would still be found by tests that walk dist/ and by anything importing it.
import { readdirSync, rmSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const removeStale = (dir) => {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) {
      removeStale(full);
      continue;
    }
    const match = /^(.*)\.js(\.map)?$/.exec(entry);
    if (!match) continue;
    const source = path.join(root, path.relative(path.join(root, 'dist'), dir), `${match[1]}.ts`);
    if (!existsSync(source)) rmSync(full);
  }
};
for (const top of ['plugins', 'shared', 'sandbox', 'test', 'bench']) removeStale(path.join(root, 'dist', top));
