/**
 * The helm plugin's release tarball, `crdsync-<version>.tgz` (the name Helm 4 requires), and its
 * optional provenance file. The tarball holds (see packHelmPlugin for why twice) the committed
 * plugin.yaml (version stamped), the crdsync.mjs launcher, plugin.complete, LICENSE and the
 * plugin's own ESM bundle in lib/; it needs `node` on PATH, as the directory install does.
 *
 * Helm 4 installs a tarball only with a matching `.prov` unless `--verify=false`. A provenance
 * file is a clear-signed OpenPGP message: the plugin's metadata, a `...` line, and the
 * tarball's sha256 under `files:` (the chart provenance format of
 * https://helm.sh/docs/topics/provenance/, which Helm 4 reuses for plugins).
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, chmodSync, cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tar from 'tar';
import { bundleForNpm } from './bundle.js';
import { sha256Of } from './archives.js';

/** The helm plugin's name (plugin.yaml `name`) and its source folder. */
export const helmPluginName = 'crdsync';
const sourceDir = (root: string) => path.join(root, 'plugins', 'helm-crdsync');

/** stampPluginVersion sets plugin.yaml's top-level `version:` line to version. */
export function stampPluginVersion(pluginYaml: string, version: string): string {
  if (!/^version: .*$/m.test(pluginYaml)) throw new Error('plugins/helm-crdsync/plugin.yaml has no top-level version line');
  return pluginYaml.replace(/^version: .*$/m, `version: ${version}`);
}

/**
 * stageHelmPlugin writes the plugin folder as it goes into the tarball under
 * workDir/crdsync and returns that path.
 */
export async function stageHelmPlugin(root: string, workDir: string, version: string): Promise<string> {
  const dir = path.join(workDir, helmPluginName);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, 'plugin.yaml'),
    stampPluginVersion(readFileSync(path.join(sourceDir(root), 'plugin.yaml'), 'utf8'), version),
  );
  for (const [file, mode] of [
    ['crdsync.mjs', 0o755],
    ['plugin.complete', 0o755],
  ] as const) {
    copyFileSync(path.join(sourceDir(root), file), path.join(dir, file));
    chmodSync(path.join(dir, file), mode);
  }
  copyFileSync(path.join(root, 'LICENSE'), path.join(dir, 'LICENSE'));
  await bundleForNpm(root, path.join(dir, 'lib'), ['helm-crdsync']);
  return dir;
}

/**
 * packHelmPlugin tars stagedDir into outDir/crdsync-<version>.tgz and returns the path. The
 * plugin is in the tarball twice, because the two helms look in different places: Helm 4
 * installs the folder named after the plugin (`crdsync/plugin.yaml`), Helm 3 (3.6) requires
 * plugin.yaml at the archive root ("plugin metadata (plugin.yaml) missing" otherwise) and then
 * installs the whole root, the crdsync/ copy included (~0.5 MB, unused). Members are listed by
 * name: a "./" entry makes Helm 3's extractor fail with "file exists".
 */
export async function packHelmPlugin(stagedDir: string, outDir: string, version: string): Promise<string> {
  const file = path.join(outDir, `${helmPluginName}-${version}.tgz`);
  const root = path.join(path.dirname(stagedDir), 'tarball-root');
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  cpSync(stagedDir, root, { recursive: true });
  cpSync(stagedDir, path.join(root, helmPluginName), { recursive: true });
  await tar.c({ gzip: true, file, cwd: root, portable: true, mtime: new Date(0) }, readdirSync(root).sort());
  rmSync(root, { recursive: true, force: true });
  return file;
}

/** provenanceMessage is the text a .prov signs: plugin metadata, "...", and the tarball's digest. */
export function provenanceMessage(pluginYaml: string, tarball: string): string {
  const metadata = pluginYaml
    .split('\n')
    .filter((line) => !line.startsWith('#'))
    .join('\n')
    .trim();
  return `${metadata}\n\n...\nfiles:\n  ${path.basename(tarball)}: sha256:${sha256Of(tarball)}\n`;
}

/** Where the signing key is: a gpg home holding the secret key, and the key's user id or fingerprint. */
export interface SigningKey {
  readonly gnupgHome: string;
  readonly keyId: string;
}

/** signHelmPlugin writes `<tarball>.prov`, clear-signed with gpg, and returns its path. */
export function signHelmPlugin(tarball: string, pluginYaml: string, key: SigningKey): string {
  const prov = `${tarball}.prov`;
  const message = `${prov}.unsigned`;
  writeFileSync(message, provenanceMessage(pluginYaml, tarball));
  try {
    execFileSync(
      'gpg',
      [
        '--batch',
        '--yes',
        '--homedir',
        key.gnupgHome,
        '--local-user',
        key.keyId,
        '--digest-algo',
        'SHA256',
        '--clearsign',
        '--output',
        prov,
        message,
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
  } finally {
    rmSync(message, { force: true });
  }
  return prov;
}
