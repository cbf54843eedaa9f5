/**
 * The npm route of the README: `npm pack`, install the tarball into an empty prefix with
 * production dependencies only, and run every plugin from the prefix's bin folder (kubectl
 * plugins through kubectl's discovery). The bin entries are the bundles in dist/bin.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { pluginNames, repoRoot } from '../support/paths.js';

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

  it('packs the bundles and no test or bench code', async () => {
    const listed = await execa('tar', ['tzf', tarball]);
    const files = String(listed.stdout).split('\n');
    for (const name of pluginNames) assert.ok(files.includes(`package/dist/bin/${name}.mjs`), name);
    assert.ok(!files.some((f) => f.startsWith('package/dist/test/') || f.startsWith('package/dist/bench/')), 'no test or bench code');
    process.stderr.write(`      npm tarball ${(statSync(tarball).size / 1e6).toFixed(2)} MB, ${files.length} files\n`);
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
});
