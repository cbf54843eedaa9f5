/**
 * What the crdsync end-to-end tests stand up on loopback: a classic chart repository (the demo's,
 * demo/charts/repository.ts, serving chart archives built by the test), a GitHub REST API emulator (contents API,
 * raw media type, rate limit), and a temporary helm home with `helm crdsync` installed through
 * `helm plugin install`, for helm 3 and helm 4.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import type { IndexedChart } from '../../../demo/charts/archive.js';
import { serveOnLoopback, type LoopbackServer } from '../../../demo/charts/repository.js';
import { aChart } from '../../fixtures/chart-builder.js';
import { repoRoot } from '../../support/paths.js';

/** GitHubTree maps "owner/repo@ref" to { "path/of/file.yaml": content }. */
export type GitHubTree = Record<string, Record<string, string>>;

/**
 * startGitHubEmulator answers GET /repos/{owner}/{repo}/contents/{path}?ref= like the REST API: a
 * folder lists its entries, a file with the raw media type is its bytes, anything unknown is 404.
 * With `rateLimitedWithoutToken`, requests without a token get the 403 rate-limit answer.
 */
export async function startGitHubEmulator(tree: GitHubTree, options: { rateLimitedWithoutToken?: boolean } = {}): Promise<LoopbackServer> {
  return serveOnLoopback((req, res) => {
    const url = new URL(req.url ?? '', 'http://x');
    if (options.rateLimitedWithoutToken && !req.headers.authorization) {
      res
        .writeHead(403, { 'content-type': 'application/json', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1900000000' })
        .end('{"message":"API rate limit exceeded for 127.0.0.1."}');
      return;
    }
    const match = /^\/repos\/([^/]+)\/([^/]+)\/contents\/(.*)$/.exec(url.pathname);
    const files = match ? tree[`${match[1]}/${match[2]}@${url.searchParams.get('ref') ?? ''}`] : undefined;
    if (!match || !files) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}');
      return;
    }
    const path = decodeURIComponent(match[3] ?? '').replace(/\/$/, '');
    if (files[path] !== undefined) {
      if (req.headers.accept === 'application/vnd.github.raw+json')
        res.writeHead(200, { 'content-type': 'application/vnd.github.raw+json' }).end(files[path]);
      else res.writeHead(415).end('{"message":"use the raw media type"}');
      return;
    }
    const children = Object.keys(files).filter((file) => file.startsWith(`${path}/`) && !file.slice(path.length + 1).includes('/'));
    if (children.length === 0) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"Not Found"}');
      return;
    }
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(
        JSON.stringify(
          children.map((file) => ({ type: 'file', name: file.split('/').pop(), path: file, size: (files[file] ?? '').length })),
        ),
      );
  });
}

/** vendorCrdFiles reads the CRD files of a fixtures folder (crds/<product>/<tag>). */
export function vendorCrdFiles(fixtures: string, product: string, tag: string): Record<string, string> {
  const dir = join(fixtures, 'crds', product, tag);
  const files: Record<string, string> = {};
  for (const file of readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort())
    files[file] = readFileSync(join(dir, file), 'utf8');
  return files;
}

/** vendorChart packages a chart whose crds/ holds the vendor CRD files of a fixtures tag. */
export function vendorChart(name: string, version: string, files: Record<string, string>): IndexedChart {
  const builder = aChart().named(name, version);
  for (const [file, text] of Object.entries(files)) builder.withCrdFile(file, text);
  return { name, version, file: `charts/${name}-${version}.tgz`, data: builder.build() };
}

/** HelmHome is a temporary helm home with the plugin installed. */
export interface HelmHome {
  readonly dir: string;
  readonly env: Record<string, string>;
  dispose(): void;
}

/**
 * installCrdsyncPlugin installs the plugin as the README says, `helm plugin install
 * plugins/helm-crdsync`, into a fresh helm home: helm links the folder, and its plugin.yaml runs
 * crdsync.mjs, which loads the bundle `npm run build` wrote to dist/bin (what users run).
 */
export async function installCrdsyncPlugin(helmBin: string): Promise<HelmHome> {
  const dir = mkdtempSync(join(tmpdir(), 'crdsync-helm-home-'));
  const source = join(repoRoot, 'plugins', 'helm-crdsync');
  const env: Record<string, string> = {
    // helm 3's installer writes to HELM_DATA_HOME/plugins whatever HELM_PLUGINS says: keep them one place.
    HELM_PLUGINS: join(dir, 'data', 'plugins'),
    HELM_DATA_HOME: join(dir, 'data'),
    HELM_CONFIG_HOME: join(dir, 'config'),
    HELM_CACHE_HOME: join(dir, 'cache'),
    HELM_BIN: helmBin,
  };
  const version = await execa(helmBin, ['version', '--template', '{{.Version}}'], { env, reject: false });
  const args = ['plugin', 'install', source];
  // Helm 4 verifies plugins by default; a local directory has no signature to verify.
  if (String(version.stdout).startsWith('v4')) args.push('--verify=false');
  const installed = await execa(helmBin, args, { env, reject: false });
  if (installed.exitCode !== 0) throw new Error(`helm plugin install failed: ${String(installed.stderr)}`);
  return { dir, env, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
