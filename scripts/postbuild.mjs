// Makes the tsc-built plugin entry points executable: kubectl's plugin discovery only
// considers executable files named kubectl-*, and the tests link dist/plugins/*/main.js as such.
// (package.json's bin entries are the bundles in dist/bin/, made executable by the bundler.)
import { chmodSync, existsSync } from 'node:fs';

for (const plugin of existsSync(new URL('../dist/plugins/', import.meta.url))
  ? readdirSync(new URL('../dist/plugins/', import.meta.url))
  : []) {
  const main = new URL(`../dist/plugins/${plugin}/main.js`, import.meta.url);
  if (existsSync(main)) chmodSync(main, 0o755);
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
for (const top of ['demo', 'plugins', 'shared', 'sandbox', 'test', 'bench', 'scripts']) removeStale(path.join(root, 'dist', top));
