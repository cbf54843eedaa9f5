/**
 * The npm route of the README: `npm pack`, install the tarball into an empty prefix with
 * production dependencies only, and run every plugin from the prefix's bin folder (kubectl
 * plugins through kubectl's discovery), then connecting commands against a sandbox. The bin
 * entries are the bundles in dist/bin. The sandbox is a private workspace package
 * (sandbox/package.json): neither its code nor its dependencies are in the suite's package.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { startSandbox, type SandboxHandle } from '../../sandbox/index.js';
import { pluginNames, repoRoot } from '../support/paths.js';

/** duBytes is the apparent size of every file under dir. */
function duBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += duBytes(full);
    else if (entry.isFile()) total += statSync(full).size;
  }
  return total;
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;

describe('npm route: the packed suite installed into an empty prefix', function () {
  this.timeout(300_000);
  let work: string;
  let prefix: string;
  let tarball: string;

  before(async function () {
    this.timeout(600_000);
    work = mkdtempSync(path.join(tmpdir(), 'npm-route-'));
    // --ignore-scripts: `prepare` would rebuild; npm test has just built dist/.
    const packed = await execa('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', work], { cwd: repoRoot });
    tarball = path.join(work, String(packed.stdout).trim().split('\n').pop() ?? '');
    prefix = path.join(work, 'prefix');
    await execa(
      'npm',
      ['install', '--prefix', prefix, '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', tarball],
      { cwd: work },
    );
  });
  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('packs the bundles and no sandbox, test or bench code', async () => {
    const listed = await execa('tar', ['tzf', tarball]);
    const files = String(listed.stdout).split('\n').filter(Boolean);
    for (const name of pluginNames) assert.ok(files.includes(`package/dist/bin/${name}.mjs`), name);
    for (const dir of ['dist/sandbox/', 'sandbox/', 'dist/test/', 'test/', 'dist/bench/', 'bench/', 'dist/scripts/', 'scripts/'])
      assert.deepEqual(
        files.filter((f) => f.startsWith(`package/${dir}`)),
        [],
        `nothing under ${dir}`,
      );
    const packed = await execa('tar', ['xzOf', tarball, 'package/package.json']);
    // The bundles carry every library they use (client-node, undici, tar… in lazily loaded chunks):
    // the package declares no runtime dependency, so installing it fetches nothing else.
    const manifest = JSON.parse(String(packed.stdout)) as { dependencies?: Record<string, string> };
    assert.deepEqual(Object.keys(manifest.dependencies ?? {}), [], 'no runtime dependencies');
    assert.deepEqual(
      files.filter((f) => !f.startsWith('package/dist/bin/') && !/^package\/(package\.json|README\.md|LICENSE)$/.test(f)),
      [],
      'only the bundles, package.json, README and LICENSE',
    );
    process.stderr.write(`      npm tarball ${mb(statSync(tarball).size)}, ${files.length} files\n`);
  });

  it('installs the suite alone: no dependency to fetch, none of the sandbox', () => {
    const modules = path.join(prefix, 'node_modules');
    for (const absent of ['@peculiar/x509', 'protobufjs', 'mesh-upgrade-sandbox', 'mocha', 'esbuild', 'typescript'])
      assert.ok(!existsSync(path.join(modules, absent)), `${absent} is not installed`);
    const installed = duBytes(modules);
    process.stderr.write(`      installed ${mb(installed)}\n`);
    // Bundled, the suite is a few MB; with its libraries installed beside it, it was 73 MB.
    assert.ok(installed < 15e6, `installed ${mb(installed)}`);
  });

  it('runs every plugin from the prefix, kubectl plugins through kubectl plugin discovery', async () => {
    const bin = path.join(prefix, 'node_modules', '.bin');
    assert.deepEqual(
      readdirSync(bin)
        .filter((f) => (pluginNames as readonly string[]).includes(f))
        .sort(),
      [...pluginNames].sort(),
    );
    const home = mkdtempSync(path.join(work, 'home-'));
    const env = { PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, HOME: home, KUBECACHEDIR: path.join(home, 'cache') };
    const list = await execa('kubectl', ['plugin', 'list'], { env, reject: false });
    for (const name of ['meshbackup', 'meshscale', 'meshpreflight'])
      assert.match(String(list.stdout), new RegExp(`${bin}/kubectl-${name}\\b`));
    for (const name of pluginNames) {
      const r = name.startsWith('kubectl-')
        ? await execa('kubectl', [name.replace(/^kubectl-/, ''), '--help'], { env, reject: false })
        : await execa(name, ['--help'], { env, reject: false });
      assert.equal(r.exitCode, 0, `${name} --help: ${String(r.stderr)}`);
      assert.match(String(r.stdout), /Usage: (kubectl|helm) /, name);
    }
  });

  describe('connecting to a sandbox', () => {
    let sandbox: SandboxHandle;
    let env: Record<string, string>;
    before(async () => {
      sandbox = await startSandbox({ installs: ['gloo-edge@1.16.27'] });
      const bin = path.join(prefix, 'node_modules', '.bin');
      const home = mkdtempSync(path.join(work, 'home-'));
      env = {
        PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
        HOME: home,
        KUBECACHEDIR: path.join(home, 'cache'),
        KUBECONFIG: sandbox.kubeconfigPath,
      };
      const manifest = path.join(home, 'web.yaml');
      writeFileSync(
        manifest,
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: default}\nspec:\n  replicas: 2\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: nginx}]}\n',
      );
      // The sandbox runs in this process: every child is spawned asynchronously.
      await execa('kubectl', ['apply', '-f', manifest], { env });
    });
    after(async () => {
      if (sandbox) await sandbox.close();
    });

    it('kubectl meshscale status reads the workload through the installed package', async () => {
      const r = await execa('kubectl', ['meshscale', 'status', '--workload', 'deploy/web', '-n', 'default', '-o', 'json'], {
        env,
        reject: false,
      });
      assert.equal(r.exitCode, 0, String(r.stderr));
      const status = JSON.parse(String(r.stdout)) as { namespace: string; workloads: Array<{ name: string; desired: number }> };
      assert.equal(status.namespace, 'default');
      assert.deepEqual(
        status.workloads.map((w) => [w.name, w.desired]),
        [['web', 2]],
      );
    });

    it('kubectl meshbackup save, verify and diff: the tar, YAML and diff code load from the bundles alone', async () => {
      const archive = path.join(work, 'gloo.tar.gz');
      const saved = await execa('kubectl', ['meshbackup', 'save', '--profile', 'gloo-edge', '-A', '-f', archive], { env, reject: false });
      assert.equal(saved.exitCode, 0, String(saved.stderr));
      const verified = await execa('kubectl', ['meshbackup', 'verify', '-f', archive], { env, reject: false });
      assert.equal(verified.exitCode, 0, String(verified.stdout) + String(verified.stderr));
      const diffed = await execa('kubectl', ['meshbackup', 'diff', '-f', archive], { env, reject: false });
      assert.equal(diffed.exitCode, 0, String(diffed.stdout) + String(diffed.stderr));
    });

    it('kubectl meshbackup version asks the server', async () => {
      const r = await execa('kubectl', ['meshbackup', 'version'], { env, reject: false });
      assert.equal(r.exitCode, 0, String(r.stderr));
      assert.match(String(r.stdout), /^Server Version: v1\.33\.1$/m);
    });
  });
});
