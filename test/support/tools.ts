/**
 * The real client binaries the tests judge the sandbox (and the plugins) with.
 *
 * kubectl comes from PATH (on these machines a dispatcher that runs kubectl 1.27–1.33 by the
 * server's reported version); helm 3 and helm 4 as `npm run demo` finds them (demo/tools.ts).
 */
import { existsSync, readdirSync, realpathSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join, delimiter, dirname } from 'node:path';

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

export { ensureHelm4, helm3Path, helm4Package } from '../../demo/tools.js';
