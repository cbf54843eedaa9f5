// Makes the built plugin entry points executable: kubectl's plugin discovery only
// considers executable files named kubectl-*, and `npm link` keeps the mode it finds.
import { chmodSync, existsSync } from 'node:fs';
import { readFileSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
for (const file of Object.values(pkg.bin)) {
  const path = new URL(`../${file}`, import.meta.url);
  if (existsSync(path)) chmodSync(path, 0o755);
}
