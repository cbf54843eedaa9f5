/**
 * The npm route's bundles (dist/bin/<plugin>.mjs, what package.json's bin runs, is the help
 * launcher; the program is dist/bin/chunks/<plugin>.mjs): `--help` loads the launcher alone; the
 * program, for help the launcher does not serve, loads only its static chunks, never a chunk that
 * a dynamic import() reaches (client-node, undici, tar, diff, execa, the REST clients); and the
 * version is the stamped one.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { pluginNames, repoRoot } from '../support/paths.js';
import { writeModuleLogHook } from '../support/module-log.js';

const binDir = path.join(repoRoot, 'dist', 'bin');
/** programOf is the program the launcher dist/bin/<plugin>.mjs imports when it does not print help itself. */
const programOf = (plugin: string): string => path.join(binDir, 'chunks', `${plugin}.mjs`);

/** importsOf lists the chunk files a bundle file imports statically and dynamically. */
function importsOf(file: string): { static: string[]; dynamic: string[] } {
  const text = readFileSync(file, 'utf8');
  const resolve = (spec: string) => path.resolve(path.dirname(file), spec);
  return {
    static: [...text.matchAll(/(?:\bfrom|\bimport)\s*"(\.{1,2}\/[^"]+\.mjs)"/g)].map((m) => resolve(m[1] ?? '')),
    dynamic: [...text.matchAll(/\bimport\(\s*"(\.{1,2}\/[^"]+\.mjs)"\s*\)/g)].map((m) => resolve(m[1] ?? '')),
  };
}

describe('npm route bundles', () => {
  let work: string;
  before(() => {
    work = mkdtempSync(path.join(tmpdir(), 'bundle-load-'));
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('puts the lazily loaded libraries in chunks of their own', () => {
    const chunks = readdirSync(path.join(binDir, 'chunks'));
    for (const lazy of ['client-node-credentials-', 'undici-', 'rest-clients-'])
      assert.ok(
        chunks.some((c) => c.startsWith(lazy)),
        `${lazy}*.mjs among ${chunks.join(', ')}`,
      );
  });

  it('keeps js-yaml, semver and cli-table3 in side files that no entry imports statically', () => {
    const lazy = readdirSync(path.join(binDir, 'chunks', 'lazy'));
    for (const name of ['js-yaml-', 'semver-', 'cli-table3-'])
      assert.ok(
        lazy.some((f) => f.startsWith(name)),
        `${name}*.cjs among ${lazy.join(', ')}`,
      );
    for (const plugin of pluginNames) {
      const closure = new Set<string>([path.join(binDir, `${plugin}.mjs`), programOf(plugin)]);
      for (const file of closure) for (const f of importsOf(file).static) closure.add(f);
      for (const file of closure) {
        const text = readFileSync(file, 'utf8');
        // Class names survive minification (keepNames): each package's own.
        for (const [pkg, marker] of [
          ['js-yaml', 'YAMLException'],
          ['semver', 'SemVer'],
          ['cli-table3', 'ColSpanCell'],
        ])
          assert.ok(!text.includes(`"${marker}"`), `${plugin}: ${path.relative(binDir, file)} holds ${pkg}`);
      }
    }
  });

  for (const plugin of pluginNames) {
    it(`${plugin} --help loads the launcher alone`, async () => {
      const launcher = path.join(binDir, `${plugin}.mjs`);
      assert.ok(importsOf(launcher).dynamic.includes(programOf(plugin)), 'the launcher imports the program');
      const hook = writeModuleLogHook(work, `${plugin}-launcher.log`);
      const r = await execa(process.execPath, ['--import', hook.register, launcher, '--help'], { reject: false });
      assert.equal(r.exitCode, 0, String(r.stderr));
      assert.match(String(r.stdout), /Usage: /);
      const loaded = readFileSync(hook.log, 'utf8')
        .split('\n')
        .filter((u) => u.startsWith('file:'))
        .map((u) => fileURLToPath(u))
        .filter((f) => !f.startsWith(work));
      assert.deepEqual(loaded, [launcher]);
    });

    it(`${plugin}'s program prints --help loading no chunk that only a dynamic import reaches`, async () => {
      const entry = programOf(plugin);
      const staticClosure = new Set<string>([entry]);
      const dynamicOnly = new Set<string>();
      const queue = [entry];
      while (queue.length > 0) {
        const { static: imported, dynamic } = importsOf(queue.pop() as string);
        for (const f of imported)
          if (!staticClosure.has(f)) {
            staticClosure.add(f);
            queue.push(f);
          }
        for (const f of dynamic) dynamicOnly.add(f);
      }
      for (const f of staticClosure) dynamicOnly.delete(f);
      assert.ok(dynamicOnly.size > 0, 'the bundle has lazily loaded chunks to keep out of --help');

      const hook = writeModuleLogHook(work, `${plugin}.log`);
      const r = await execa(process.execPath, ['--import', hook.register, entry, '--help'], { reject: false });
      assert.equal(r.exitCode, 0, String(r.stderr));
      assert.match(String(r.stdout), /Usage: /);
      const loaded = readFileSync(hook.log, 'utf8')
        .split('\n')
        .filter((u) => u.startsWith('file:'))
        .map((u) => fileURLToPath(u));
      const fromBundle = loaded.filter((f) => f.startsWith(binDir));
      assert.ok(fromBundle.includes(entry));
      for (const f of fromBundle)
        assert.ok(!dynamicOnly.has(f), `--help loaded ${path.relative(binDir, f)}, which only a dynamic import() should load`);
      assert.deepEqual(
        loaded.filter((f) => !f.startsWith(binDir) && !f.startsWith(work)),
        [],
        'nothing outside the bundle (no node_modules)',
      );
    });
  }

  it('keeps error class names, so --debug names the error (not a minified "u")', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'bundle-names-'));
    const kubeconfig = path.join(dir, 'kubeconfig');
    writeFileSync(kubeconfig, 'apiVersion: v1\nusers: [\n');
    const r = await execa(
      process.execPath,
      [path.join(binDir, 'kubectl-meshscale.mjs'), 'status', '--profile', 'gloo-mesh', '--kubeconfig', kubeconfig, '--debug'],
      { reject: false },
    );
    assert.equal(r.exitCode, 4, String(r.stderr));
    assert.match(String(r.stderr).split('\n')[1] ?? '', /^KubeconfigError: invalid kubeconfig /);
  });

  it('prints the version stamped at build time', async () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    // kubectl has no --version flag: the version verb says it.
    const r = await execa(process.execPath, [path.join(binDir, 'kubectl-meshscale.mjs'), 'version', '--client'], { reject: false });
    assert.match(String(r.stdout), new RegExp(`^Client Version: v${pkg.version.replace(/\./g, '\\.')}$`, 'm'));
  });
});
