#!/usr/bin/env node
// The entry helm runs (plugin.yaml: `node ${HELM_PLUGIN_DIR}/crdsync.mjs`). It lives inside the
// plugin folder because `helm plugin install <dir>` installs a symlink to that folder, and a path
// that climbs out of ${HELM_PLUGIN_DIR} resolves from the link's place, not the checkout
// (research/packaging.md, "second look"). Node resolves the main module's real path, so the
// relative URLs below start from the real folder either way:
// - a release tarball carries the bundle in ./lib/ (scripts/release/helm.ts);
// - a clone has it in ../../dist/bin/ once `npm ci` (or `npm run build`) has run.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const candidates = [new URL('./lib/helm-crdsync.mjs', import.meta.url), new URL('../../dist/bin/helm-crdsync.mjs', import.meta.url)];
const entry = candidates.find((url) => existsSync(url));
if (!entry) {
  process.stderr.write(
    `Error: helm crdsync is not built: run "npm ci" in ${fileURLToPath(new URL('../..', import.meta.url))}, or install a release tarball\n`,
  );
  process.exit(1);
}
await import(entry.href);
