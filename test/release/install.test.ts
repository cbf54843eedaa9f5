/**
 * The release as users install it (issue 12): `npm run release`'s build for linux-amd64 (the one
 * platform this machine runs; the other four are built and checked by `npm run release` itself),
 * then every route of the README's install section:
 *
 * - krew: each generated manifest passes krew's rules, then is installed the way krew does it
 *   (download over loopback HTTP, sha256, extract, `files`, link `bin`) and run through kubectl's
 *   plugin discovery;
 * - the standalone binaries run every command against the sandbox with no node on PATH and no
 *   node_modules anywhere above them;
 * - helm: directory install from the clone and the release tarball, on Helm 3 and Helm 4 (signed
 *   with a key this test generates, verification on);
 * - bad input: a missing binary, a manifest breaking a krew rule and a checksum mismatch each
 *   fail the build with one line naming it.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { createHash } from 'node:crypto';
import {
  appendFileSync,
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import * as tar from 'tar';
import { krewPlatforms, validateKrewManifest } from '../../scripts/release/krew.js';
import { aChart } from '../fixtures/chart-builder.js';
import { assertSameAsProgram, helpCases, runFile, runProgram } from '../support/help-cases.js';
import { repoRoot } from '../support/paths.js';
import { ensureHelm4, helm3Path, kubectlPath } from '../support/tools.js';
import { startTestSandbox } from '../support/target.js';
import { brokenPipeTrace, runWithClosedStdout } from '../support/closed-stdout.js';
import type { SandboxHandle } from '../../sandbox/index.js';

const releaseMain = path.join(repoRoot, 'dist', 'scripts', 'release', 'main.js');
const keyUid = 'crdsync release test <crdsync-release-test@example.invalid>';

interface Run {
  exitCode: number;
  stdout: string;
  stderr: string;
}

async function run(
  file: string,
  args: string[],
  env: Record<string, string>,
  options: { extendEnv?: boolean; cwd?: string; timeout?: number } = {},
): Promise<Run> {
  const r = await execa(file, args, {
    env,
    extendEnv: options.extendEnv ?? true,
    reject: false,
    cwd: options.cwd ?? tmpdir(),
    timeout: options.timeout ?? 120_000,
  });
  return {
    exitCode: r.exitCode ?? -1,
    stdout: String(r.stdout ?? ''),
    stderr: r.exitCode === undefined ? `${r.shortMessage ?? ''}\n${String(r.stderr ?? '')}` : String(r.stderr ?? ''),
  };
}

function ok(r: Run, what: string): Run {
  if (r.exitCode !== 0)
    throw new Error(`${what} exited ${r.exitCode}\n--- stderr ---\n${r.stderr}\n--- stdout ---\n${r.stdout.slice(0, 3000)}`);
  return r;
}

/** serveDirectory serves dir's files under /dl/ on a loopback port, as a release download page would. */
function serveDirectory(dir: () => string): Promise<{ server: Server; url: string; requests: string[] }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const name = decodeURIComponent((req.url ?? '').replace(/^\/dl\//, ''));
    const file = path.join(dir(), name);
    if (name.includes('/') || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    // Helm 3 (3.6) takes a URL for an archive only when a HEAD request answers a gzip media type.
    const type = /\.(tgz|tar\.gz)$/.test(name) ? 'application/gzip' : 'application/octet-stream';
    res.writeHead(200, { 'content-length': statSync(file).size, 'content-type': type });
    res.end(readFileSync(file));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as { port: number };
      resolve({ server, url: `http://127.0.0.1:${address.port}/dl`, requests });
    }),
  );
}

/**
 * krewInstall does what `kubectl krew install --manifest` does for one platform: download the
 * uri, check its sha256, extract it, copy `files` (from: globs at the archive root), require a
 * license file, and link `bin` into binDir as kubectl-<name> (dashes in the name become
 * underscores). Returns the linked path.
 */
async function krewInstall(manifest: string, os: string, arch: string, storeDir: string, binDir: string): Promise<string> {
  const name = /^ {2}name: (\S+)$/m.exec(manifest)?.[1] ?? '';
  const platform = krewPlatforms(manifest).find((p) => p.os === os && p.arch === arch);
  if (!platform) throw new Error(`${name}: no platform for ${os}/${arch}`);
  const response = await fetch(platform.uri);
  if (!response.ok) throw new Error(`${name}: GET ${platform.uri}: ${response.status}`);
  const body = Buffer.from(await response.arrayBuffer());
  const digest = createHash('sha256').update(body).digest('hex');
  if (digest !== platform.sha256) throw new Error(`${name}: sha256 ${digest} does not match the manifest's ${platform.sha256}`);
  const download = mkdtempSync(path.join(storeDir, 'download-'));
  writeFileSync(path.join(download, 'archive.tar.gz'), body);
  const extracted = path.join(download, 'extracted');
  mkdirSync(extracted);
  await tar.x({ file: path.join(download, 'archive.tar.gz'), cwd: extracted });
  const installDir = path.join(storeDir, name, 'v-installed');
  mkdirSync(installDir, { recursive: true });
  for (const op of platform.files ?? [{ from: '*', to: '.' }]) {
    const pattern = new RegExp(
      `^${op.from
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*')}$`,
    );
    const matches = readdirSync(extracted).filter((f) => pattern.test(f));
    if (matches.length === 0) throw new Error(`${name}: files.from ${op.from} matches nothing in the archive`);
    for (const m of matches) cpSync(path.join(extracted, m), path.join(installDir, op.to, m), { recursive: true });
  }
  if (!readdirSync(installDir).some((f) => /^(LICEN[CS]E|COPYING)/i.test(f)))
    throw new Error(`${name}: no license file in the installed files`);
  const bin = path.join(installDir, platform.bin);
  if (!existsSync(bin) || (statSync(bin).mode & 0o111) === 0) throw new Error(`${name}: bin ${platform.bin} is missing or not executable`);
  const link = path.join(binDir, `kubectl-${name.replace(/-/g, '_')}`);
  symlinkSync(bin, link);
  rmSync(download, { recursive: true, force: true });
  return link;
}

describe('release: installing the suite like any kubectl or helm plugin (linux-amd64)', function () {
  this.timeout(240_000);
  let work: string;
  let outDir: string;
  let gnupgHome: string;
  let http: Awaited<ReturnType<typeof serveDirectory>>;
  /** A PATH folder holding only kubectl: the binaries must run with no node on PATH. */
  let kubectlOnly: string;

  before(async function () {
    this.timeout(20 * 60_000);
    work = mkdtempSync(path.join(tmpdir(), 'mesh-release-'));
    outDir = path.join(work, 'out');
    http = await serveDirectory(() => outDir);
    kubectlOnly = path.join(work, 'kubectl-only');
    mkdirSync(kubectlOnly);
    symlinkSync(realpathSync(kubectlPath()), path.join(kubectlOnly, 'kubectl'));
    gnupgHome = path.join(work, 'gnupg');
    mkdirSync(gnupgHome, { mode: 0o700 });
    ok(
      await run('gpg', ['--batch', '--homedir', gnupgHome, '--passphrase', '', '--quick-gen-key', keyUid, 'rsa2048', 'sign', 'never'], {}),
      'gpg --quick-gen-key',
    );
    writeFileSync(
      path.join(gnupgHome, 'pubring.gpg'),
      (await execa('gpg', ['--homedir', gnupgHome, '--export'], { encoding: 'buffer' })).stdout,
    );
    const build = await run(
      process.execPath,
      [
        releaseMain,
        '--targets',
        'linux_amd64',
        '--out',
        outDir,
        '--download-url',
        http.url,
        '--homepage',
        'https://example.test/mesh-upgrade-plugins',
        '--gnupg-home',
        gnupgHome,
        '--sign-key',
        'crdsync-release-test@example.invalid',
      ],
      {},
      { timeout: 20 * 60_000, cwd: repoRoot },
    );
    ok(build, 'node dist/scripts/release/main.js --targets linux_amd64');
  });

  after(async () => {
    http?.server.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('builds a krew archive per kubectl plugin holding the binary, its completion shim and the LICENSE', async () => {
    for (const plugin of ['kubectl-meshbackup', 'kubectl-meshscale', 'kubectl-meshpreflight']) {
      const members: string[] = [];
      await tar.t({
        file: path.join(outDir, `${plugin}_v0.1.0_linux_amd64.tar.gz`),
        onReadEntry: (e) => {
          members.push(e.path);
        },
      });
      assert.deepEqual(members.sort(), ['LICENSE', plugin, `kubectl_complete-${plugin.replace(/^kubectl-/, '')}`].sort(), plugin);
    }
  });

  it('generates krew manifests that pass every krew rule and pin each archive by sha256', () => {
    const manifests = readdirSync(path.join(outDir, 'krew'));
    assert.deepEqual(manifests.sort(), readdirSync(path.join(repoRoot, 'krew')).sort());
    for (const file of manifests) {
      const text = readFileSync(path.join(outDir, 'krew', file), 'utf8');
      assert.deepEqual(validateKrewManifest(file, text), [], file);
      for (const p of krewPlatforms(text)) {
        const archive = path.join(outDir, path.basename(new URL(p.uri).pathname));
        assert.equal(p.sha256, createHash('sha256').update(readFileSync(archive)).digest('hex'), p.uri);
      }
    }
  });

  it('installs every manifest as krew does and runs it through kubectl plugin discovery with no node on PATH', async () => {
    const store = path.join(work, 'krew-store');
    const krewBin = path.join(work, 'krew-bin');
    mkdirSync(store);
    mkdirSync(krewBin);
    for (const file of readdirSync(path.join(outDir, 'krew'))) {
      await krewInstall(readFileSync(path.join(outDir, 'krew', file), 'utf8'), 'linux', 'amd64', store, krewBin);
    }
    assert.ok(
      http.requests.some((r) => r.endsWith('kubectl-meshbackup_v0.1.0_linux_amd64.tar.gz')),
      'downloaded over loopback HTTP',
    );
    const home = mkdtempSync(path.join(work, 'home-'));
    const env = { PATH: `${krewBin}:${kubectlOnly}`, HOME: home, KUBECACHEDIR: path.join(home, 'cache') };
    const list = ok(await run('kubectl', ['plugin', 'list'], env, { extendEnv: false }), 'kubectl plugin list');
    for (const name of ['meshbackup', 'meshscale', 'meshpreflight']) assert.match(list.stdout, new RegExp(`${krewBin}/kubectl-${name}\\b`));
    const help = ok(await run('kubectl', ['meshbackup', '--help'], env, { extendEnv: false }), 'kubectl meshbackup --help');
    assert.match(help.stdout, /Usage: kubectl meshbackup <command>/);
    assert.match(help.stdout, /kubectl meshbackup save/);
    const shim = path.join(store, 'meshbackup', 'v-installed', 'kubectl_complete-meshbackup');
    assert.ok((statSync(shim).mode & 0o111) !== 0, 'the completion shim is installed executable');
  });

  describe('the standalone linux-amd64 binaries against the sandbox', () => {
    let sandbox: SandboxHandle;
    let env: Record<string, string>;
    let home: string;

    before(async () => {
      sandbox = await startTestSandbox({});
      home = mkdtempSync(path.join(work, 'binaries-'));
      const bin = path.join(home, 'bin');
      mkdirSync(bin);
      // Copied out of the clone: nothing above them has a node_modules folder.
      for (const file of readdirSync(path.join(outDir, 'bin', 'linux_amd64')))
        copyFileSync(path.join(outDir, 'bin', 'linux_amd64', file), path.join(bin, file));
      for (const file of readdirSync(bin)) chmodSync(path.join(bin, file), 0o755);
      env = {
        PATH: `${bin}:${kubectlOnly}`,
        HOME: home,
        KUBECACHEDIR: path.join(home, '.kube', 'cache'),
        KUBECONFIG: sandbox.kubeconfigPath,
        NO_COLOR: '1',
      };
      const fixtures = path.join(home, 'fixtures.yaml');
      writeFileSync(fixtures, releaseFixtures);
      ok(await run('kubectl', ['apply', '-f', fixtures], env, { extendEnv: false }), 'kubectl apply CRD');
      ok(
        await run('kubectl', ['wait', '--for=condition=Established', 'crd/widgets.release.example.test', '--timeout=30s'], env, {
          extendEnv: false,
        }),
        'wait for the CRD',
      );
      writeFileSync(path.join(home, 'objects.yaml'), releaseObjects);
      ok(await run('kubectl', ['apply', '-f', path.join(home, 'objects.yaml')], env, { extendEnv: false }), 'kubectl apply objects');
      ok(
        await run('kubectl', ['-n', 'release-demo', 'rollout', 'status', 'deploy/web', '--timeout=60s'], env, { extendEnv: false }),
        'rollout status',
      );
      // What helm crdsync and kubectl meshpreflight read: a chart carrying the CRD, a version list.
      writeFileSync(
        path.join(home, 'release-demo-0.1.0.tgz'),
        aChart().named('release-demo', '0.1.0').withCrdFile('crds.yaml', releaseFixtures).build(),
      );
      writeFileSync(path.join(home, 'versions.txt'), '1.16.27\n1.17.0\n');
    });
    after(async () => {
      await sandbox?.close();
    });

    /** Each command the binaries have, run for real; verbs without a scenario here fail the last test. */
    const scenarios: Record<string, Array<{ verb: string; args: string[]; expect?: RegExp; exitCode?: number }>> = {
      'kubectl-meshbackup': [
        { verb: 'save', args: ['save', '--group', 'release.example.test', '-A', '-f', 'backup.tar.gz'], expect: /objects of \d+ kinds/ },
        { verb: 'inspect', args: ['inspect', '-f', 'backup.tar.gz', '-o', 'json'], expect: /widgets/ },
        { verb: 'verify', args: ['verify', '-f', 'backup.tar.gz', '--against-cluster'], expect: /OK/ },
        { verb: 'diff', args: ['diff', '-f', 'backup.tar.gz'] },
        { verb: 'restore', args: ['restore', '-f', 'backup.tar.gz', '--dry-run=server'] },
        { verb: 'version', args: ['version'], expect: /v0\.1\.0/ },
      ],
      'kubectl-meshscale': [
        { verb: 'status', args: ['status', '--workload', 'deploy/web', '-n', 'release-demo', '-o', 'json'], expect: /web/ },
        { verb: 'down', args: ['down', '--workload', 'deploy/web', '-n', 'release-demo', '--timeout', '60s'] },
        { verb: 'up', args: ['up', '--workload', 'deploy/web', '-n', 'release-demo', '--quiet-period', '300ms', '--timeout', '60s'] },
        // No workload here carries the sidecar: an empty plan, read only.
        { verb: 'reroll', args: ['reroll', '--profile', 'nginx-service-mesh', '-n', 'release-demo', '--dry-run', '-o', 'json'] },
        { verb: 'version', args: ['version'], expect: /v0\.1\.0/ },
      ],
      'kubectl-meshpreflight': [
        // Gloo Edge is not installed on this sandbox: the checks run and fail, exit 1, in JSON.
        {
          verb: '(default)',
          args: ['--profile', 'gloo-edge', '--to', '1.17.0', '--versions-from', 'versions.txt', '-o', 'json'],
          expect: /meshpreflight\.mesh-upgrade\.io/,
          exitCode: 1,
        },
        { verb: 'check', args: ['check', '--profile', 'gloo-edge', '-o', 'json'], expect: /meshpreflight\.mesh-upgrade\.io/, exitCode: 1 },
        { verb: 'version', args: ['version'], expect: /v0\.1\.0/ },
      ],
      'helm-crdsync': [
        { verb: '[chart]', args: ['release-demo-0.1.0.tgz', '--dry-run', '-o', 'json'], expect: /widgets\.release\.example\.test/ },
        { verb: 'version', args: ['version'], expect: /v0\.1\.0/ },
      ],
    };

    for (const [plugin, steps] of Object.entries(scenarios)) {
      it(`runs ${plugin} ${steps.map((s) => s.verb).join(', ')} with no node on PATH`, async () => {
        for (const step of steps) {
          // kubectl plugins go through kubectl's discovery; helm-crdsync is also a plain executable.
          const r = plugin.startsWith('kubectl-')
            ? await run('kubectl', [plugin.replace(/^kubectl-/, ''), ...step.args], env, { extendEnv: false, cwd: home })
            : await run(path.join(home, 'bin', plugin), step.args, env, { extendEnv: false, cwd: home });
          assert.equal(r.exitCode, step.exitCode ?? 0, `${plugin} ${step.args.join(' ')}\n${r.stderr}`);
          if (step.expect) assert.match(r.stdout, step.expect, `${plugin} ${step.args.join(' ')}`);
          assert.doesNotMatch(r.stderr, /Warning: Currently the require\(\)/, 'no module is required from disk inside the binary');
        }
      });
    }

    // The binaries print help rendered when they were built (scripts/release/help-texts.ts): it
    // must be the program's, for every help invocation and environment, and nothing else may take that path.
    for (const plugin of ['kubectl-meshbackup', 'kubectl-meshscale', 'kubectl-meshpreflight', 'helm-crdsync']) {
      it(`${plugin}: prints every help text as the program does, and hands other calls to it`, async () => {
        const binary = (args: readonly string[], caseEnv: Readonly<Record<string, string>>) =>
          runFile(path.join(home, 'bin', plugin), args, caseEnv);
        await assertSameAsProgram(plugin, binary, await helpCases(plugin));
        for (const args of [
          ['--help', '--nope'],
          ['version', '--help', 'extra'],
          ['__complete', ''],
        ])
          assert.deepEqual(await binary(args, {}), await runProgram(plugin)(args, {}), JSON.stringify(args));
      });
    }

    // The program is an asset the main script compiles with a code cache made by the build; V8
    // drops a cache it does not trust without a word, which would cost every command its start-up.
    it('loads each program with the code cache made at build time (V8 accepts it)', async () => {
      for (const plugin of Object.keys(scenarios)) {
        const r = await runFile(path.join(home, 'bin', plugin), ['version', '--client'], { MESH_UPGRADE_SEA_DEBUG: '1' });
        assert.equal(r.exitCode, 0, r.stderr);
        assert.equal(r.stderr, 'code cache: accepted', plugin); // execa drops the last newline
        assert.match(r.stdout, /^Client Version: v0\.1\.0\n/, plugin);
      }
    });

    // `| head`: a reader gone before the binary writes, for its help (the main script's banner) and the program.
    it('ends quietly when its stdout reader has gone, with no EPIPE stack trace', async () => {
      for (const plugin of Object.keys(scenarios))
        for (const args of [['--help'], ['version', '--client']]) {
          const r = await runWithClosedStdout(path.join(home, 'bin', plugin), args, { env, cwd: home, extendEnv: false });
          assert.equal(brokenPipeTrace(r.stderr), undefined, `${plugin} ${args.join(' ')}: ${r.stderr}`);
          assert.equal(r.code, 0, `${plugin} ${args.join(' ')}: ${r.stderr}`);
        }
    });

    it('has a scenario above for every command each binary lists in --help', async () => {
      for (const plugin of Object.keys(scenarios)) {
        const help = ok(await run(path.join(home, 'bin', plugin), ['--help'], env, { extendEnv: false }), `${plugin} --help`);
        // Only the Commands: section lists verbs (a default command's help also has Examples).
        const commands = /^Commands:\n([\s\S]*?)\n\n/m.exec(help.stdout)?.[1] ?? '';
        const verbs = [...commands.matchAll(/^ {2}(?:kubectl|helm) \S+ (\S+)/gm)].map((m) => m[1] ?? '');
        assert.ok(verbs.length > 0, `${plugin} --help lists commands`);
        for (const verb of verbs)
          assert.ok(
            scenarios[plugin]?.some((s) => s.verb === verb),
            `${plugin} ${verb} has no binary scenario in test/release/install.test.ts`,
          );
      }
    });
  });

  describe('helm plugin install', () => {
    const helmEnv = (helmHome: string): Record<string, string> => ({
      HELM_DATA_HOME: path.join(helmHome, 'data'),
      HELM_CONFIG_HOME: path.join(helmHome, 'config'),
      HELM_CACHE_HOME: path.join(helmHome, 'cache'),
      HELM_PLUGINS: path.join(helmHome, 'data', 'plugins'),
      HOME: helmHome,
    });
    const helms = async (): Promise<Array<[string, string]>> => [
      ['Helm 3', helm3Path()],
      ['Helm 4', await ensureHelm4()],
    ];

    it('installs the plugin directory of the clone on Helm 3 and Helm 4 and runs it through the symlink', async () => {
      for (const [label, helm] of await helms()) {
        const env = helmEnv(mkdtempSync(path.join(work, 'helm-dir-')));
        ok(await run(helm, ['plugin', 'install', path.join(repoRoot, 'plugins', 'helm-crdsync')], env), `${label} plugin install <dir>`);
        const help = ok(await run(helm, ['crdsync', '--help'], env), `${label} crdsync --help`);
        assert.match(help.stdout, /Usage: helm crdsync/, label);
      }
    });

    it('installs the release tarball from a URL on Helm 3', async () => {
      const env = helmEnv(mkdtempSync(path.join(work, 'helm3-tgz-')));
      ok(await run(helm3Path(), ['plugin', 'install', `${http.url}/crdsync-0.1.0.tgz`], env), 'helm 3 plugin install <url>');
      assert.match(ok(await run(helm3Path(), ['crdsync', '--help'], env), 'helm 3 crdsync --help').stdout, /Usage: helm crdsync/);
      assert.match(ok(await run(helm3Path(), ['plugin', 'list'], env), 'helm 3 plugin list').stdout, /crdsync\s+0\.1\.0/);
    });

    it('installs the signed release tarball on Helm 4 with verification on', async () => {
      const helm4 = await ensureHelm4();
      const env = helmEnv(mkdtempSync(path.join(work, 'helm4-tgz-')));
      const installed = ok(
        await run(
          helm4,
          ['plugin', 'install', path.join(outDir, 'crdsync-0.1.0.tgz'), '--keyring', path.join(gnupgHome, 'pubring.gpg')],
          env,
        ),
        'helm 4 plugin install <tgz>',
      );
      assert.match(`${installed.stdout}${installed.stderr}`, /Plugin Hash Verified: sha256:[0-9a-f]{64}/);
      assert.match(
        ok(await run(helm4, ['plugin', 'list'], env), 'helm 4 plugin list').stdout,
        /crdsync\s+0\.1\.0\s+cli\/v1\s+legacy\s+signed/,
      );
      assert.match(ok(await run(helm4, ['crdsync', '--help'], env), 'helm 4 crdsync --help').stdout, /Usage: helm crdsync/);
    });

    it('refuses, on Helm 4, a tarball changed after signing', async () => {
      const helm4 = await ensureHelm4();
      const env = helmEnv(mkdtempSync(path.join(work, 'helm4-tampered-')));
      const dir = mkdtempSync(path.join(work, 'tampered-'));
      copyFileSync(path.join(outDir, 'crdsync-0.1.0.tgz'), path.join(dir, 'crdsync-0.1.0.tgz'));
      copyFileSync(path.join(outDir, 'crdsync-0.1.0.tgz.prov'), path.join(dir, 'crdsync-0.1.0.tgz.prov'));
      appendFileSync(path.join(dir, 'crdsync-0.1.0.tgz'), Buffer.alloc(512));
      const r = await run(
        helm4,
        ['plugin', 'install', path.join(dir, 'crdsync-0.1.0.tgz'), '--keyring', path.join(gnupgHome, 'pubring.gpg')],
        env,
      );
      assert.notEqual(r.exitCode, 0);
      assert.match(r.stderr, /sha256|hash|verif/i);
    });
  });

  describe('a release build that must fail', () => {
    const releaseWith = (args: string[]) =>
      run(
        process.execPath,
        [releaseMain, '--targets', 'linux_amd64', '--out', outDir, '--download-url', http.url, ...args],
        {},
        { cwd: repoRoot },
      );
    const oneLine = (r: Run, pattern: RegExp) => {
      assert.equal(r.exitCode, 1, r.stderr);
      const lines = r.stderr.split('\n').filter((l) => l.startsWith('release: '));
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0] ?? '', pattern);
      assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
    };

    it('names the manifest and the krew rule it breaks', async () => {
      const templates = path.join(work, 'bad-templates');
      cpSync(path.join(repoRoot, 'krew'), templates, { recursive: true });
      const file = path.join(templates, 'meshscale.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/^ {2}shortDescription: .*$/m, '  shortDescription: ""'));
      oneLine(
        await releaseWith(['--reuse-binaries', '--krew-templates', templates]),
        /^release: krew manifest template .*meshscale\.yaml: spec\.shortDescription is empty$/,
      );
    });

    it('names the archive whose checksum does not match', async () => {
      appendFileSync(path.join(outDir, 'kubectl-meshscale_v0.1.0_linux_amd64.tar.gz'), Buffer.from('x'));
      oneLine(
        await run(process.execPath, [releaseMain, 'verify', '--out', outDir], {}, { cwd: repoRoot }),
        /^release: checksum mismatch: kubectl-meshscale_v0\.1\.0_linux_amd64\.tar\.gz has sha256 [0-9a-f]{64}, krew\/meshscale\.yaml says [0-9a-f]{64}$/,
      );
    });

    it('names the platform binary that is missing', async () => {
      rmSync(path.join(outDir, 'bin', 'linux_amd64', 'kubectl-meshpreflight'));
      oneLine(
        await releaseWith(['--reuse-binaries']),
        /^release: missing binary .*linux_amd64\/kubectl-meshpreflight \(kubectl-meshpreflight for linux\/amd64\)$/,
      );
    });
  });
});

/** The project's own fixtures for the binaries: a CRD with objects for meshbackup, a Deployment for meshscale. */
const releaseFixtures = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.release.example.test
spec:
  group: release.example.test
  scope: Namespaced
  names: {plural: widgets, singular: widget, kind: Widget, listKind: WidgetList}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              properties:
                size: {type: integer}
---
apiVersion: v1
kind: Namespace
metadata:
  name: release-demo
`;

const releaseObjects = `apiVersion: release.example.test/v1
kind: Widget
metadata:
  name: small
  namespace: release-demo
spec:
  size: 1
---
apiVersion: release.example.test/v1
kind: Widget
metadata:
  name: large
  namespace: release-demo
spec:
  size: 9
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: release-demo
spec:
  replicas: 2
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
`;
