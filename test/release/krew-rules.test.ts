/**
 * The release's pure rules: krew manifest validation (krew's validate.go rules), rendering the
 * templates in krew/, and the build transform that lets a top-level-await entry become the
 * CommonJS main script of a single-executable application.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { krewPlatforms, renderKrewManifest, validateKrewManifest } from '../../scripts/release/krew.js';
import { wrapTopLevelAwait } from '../../scripts/release/bundle.js';
import { releaseTargets, targetId } from '../../scripts/release/node-runtimes.js';
import { archiveName, executableName } from '../../scripts/release/main.js';
import { stampPluginVersion, provenanceMessage } from '../../scripts/release/helm.js';
import { repoRoot } from '../support/paths.js';

const digest = (seed: string) => seed.repeat(64).slice(0, 64);
const allDigests = new Map(releaseTargets.map((t, i) => [targetId(t), digest('0123456789abcdef'[i] ?? 'a')]));
const values = {
  version: '1.2.3',
  homepage: 'https://example.test/mesh',
  downloadUrl: 'https://example.test/dl/v1.2.3/',
  sha256: allDigests,
};

/** aManifest builds a valid one-platform manifest that a case then breaks. */
function aManifest(overrides: { name?: string; version?: string; short?: string; platforms?: string } = {}): string {
  const name = overrides.name ?? 'meshbackup';
  return `apiVersion: krew.googlecontainertools.github.com/v1alpha2
kind: Plugin
metadata:
  name: ${name}
spec:
  version: ${overrides.version ?? 'v0.1.0'}
  shortDescription: ${overrides.short ?? 'Back up mesh custom resources'}
  description: |
    Backs things up.
  platforms:
${
  overrides.platforms ??
  `    - selector:
        matchLabels: {os: linux, arch: amd64}
      uri: https://example.test/a.tar.gz
      sha256: ${digest('a')}
      bin: kubectl-${name}`
}
`;
}

describe('krew manifest rules', () => {
  it('accepts a manifest that follows every rule', () => {
    assert.deepEqual(validateKrewManifest('meshbackup.yaml', aManifest()), []);
  });

  const cases: Array<[string, string, string, RegExp]> = [
    ['refuses a file name that differs from metadata.name', 'other.yaml', aManifest(), /file name other\.yaml differs/],
    ['refuses a name outside ^[\\w-]+$', 'mesh.backup.yaml', aManifest({ name: 'mesh.backup' }), /does not match/],
    ['refuses a Windows reserved name', 'con.yaml', aManifest({ name: 'con' }), /reserved name on Windows/],
    ['refuses a version without its leading v', 'meshbackup.yaml', aManifest({ version: '0.1.0' }), /leading "v"/],
    ['refuses an empty shortDescription', 'meshbackup.yaml', aManifest({ short: '""' }), /shortDescription is empty/],
    ['refuses a shortDescription over 70 characters', 'meshbackup.yaml', aManifest({ short: 'x'.repeat(71) }), /over krew's 70/],
    ['refuses a manifest without platforms', 'meshbackup.yaml', aManifest({ platforms: '    []' }), /platforms is empty/],
    [
      'refuses a sha256 that is not 64 lowercase hex digits',
      'meshbackup.yaml',
      aManifest({
        platforms: `    - selector: {matchLabels: {os: linux, arch: amd64}}\n      uri: https://example.test/a.tar.gz\n      sha256: ${digest('A')}\n      bin: kubectl-meshbackup`,
      }),
      /sha256/,
    ],
    [
      'refuses a platform without bin',
      'meshbackup.yaml',
      aManifest({
        platforms: `    - selector: {matchLabels: {os: linux, arch: amd64}}\n      uri: https://example.test/a.tar.gz\n      sha256: ${digest('a')}`,
      }),
      /bin is empty/,
    ],
    [
      'refuses a platform without uri',
      'meshbackup.yaml',
      aManifest({
        platforms: `    - selector: {matchLabels: {os: linux, arch: amd64}}\n      sha256: ${digest('a')}\n      bin: kubectl-meshbackup`,
      }),
      /uri is empty/,
    ],
    [
      'refuses a files entry without to',
      'meshbackup.yaml',
      aManifest({
        platforms: `    - selector: {matchLabels: {os: linux, arch: amd64}}\n      uri: https://example.test/a.tar.gz\n      sha256: ${digest('a')}\n      bin: kubectl-meshbackup\n      files: [{from: LICENSE}]`,
      }),
      /files\[0\]\.to is empty/,
    ],
    [
      'refuses a selector label other than os and arch',
      'meshbackup.yaml',
      aManifest({
        platforms: `    - selector: {matchLabels: {os: linux, distro: debian}}\n      uri: https://example.test/a.tar.gz\n      sha256: ${digest('a')}\n      bin: kubectl-meshbackup`,
      }),
      /only os and arch/,
    ],
    [
      'refuses an empty selector',
      'meshbackup.yaml',
      aManifest({
        platforms: `    - selector: {}\n      uri: https://example.test/a.tar.gz\n      sha256: ${digest('a')}\n      bin: kubectl-meshbackup`,
      }),
      /selector is empty/,
    ],
    [
      'refuses a selector that matches no platform krew supports',
      'meshbackup.yaml',
      aManifest({
        platforms: `    - selector: {matchLabels: {os: plan9, arch: amd64}}\n      uri: https://example.test/a.tar.gz\n      sha256: ${digest('a')}\n      bin: kubectl-meshbackup`,
      }),
      /matches no os\/arch/,
    ],
    [
      'refuses a Windows bin without .exe',
      'meshbackup.yaml',
      aManifest({
        platforms: `    - selector: {matchLabels: {os: windows, arch: amd64}}\n      uri: https://example.test/a.zip\n      sha256: ${digest('a')}\n      bin: kubectl-meshbackup`,
      }),
      /does not end in \.exe/,
    ],
    [
      'refuses two platforms that match one os/arch',
      'meshbackup.yaml',
      aManifest({
        platforms: `    - selector: {matchLabels: {os: linux}}\n      uri: https://example.test/a.tar.gz\n      sha256: ${digest('a')}\n      bin: kubectl-meshbackup\n    - selector: {matchExpressions: [{key: arch, operator: In, values: [amd64]}]}\n      uri: https://example.test/b.tar.gz\n      sha256: ${digest('b')}\n      bin: kubectl-meshbackup`,
      }),
      /linux\/amd64 is matched by more than one platform/,
    ],
  ];
  for (const [title, file, text, problem] of cases) {
    it(title, () => {
      const problems = validateKrewManifest(file, text);
      assert.ok(
        problems.some((p) => problem.test(p)),
        `expected ${problem} among ${JSON.stringify(problems)}`,
      );
    });
  }
});

describe('krew manifest templates', () => {
  const templates = readdirSync(path.join(repoRoot, 'krew')).filter((f) => f.endsWith('.yaml'));

  it('has a template for every kubectl plugin', () => {
    const plugins = readdirSync(path.join(repoRoot, 'plugins'))
      .filter((p) => p.startsWith('kubectl-'))
      .map((p) => p.replace(/^kubectl-/, ''));
    assert.deepEqual(templates.map((t) => t.replace(/\.yaml$/, '')).sort(), plugins.sort());
  });

  for (const template of templates) {
    it(`renders ${template} into a manifest krew accepts, one platform per release target`, () => {
      const text = renderKrewManifest(template, readFileSync(path.join(repoRoot, 'krew', template), 'utf8'), values);
      assert.deepEqual(validateKrewManifest(template, text), []);
      const platforms = krewPlatforms(text);
      assert.deepEqual(platforms.map((p) => `${p.os}_${p.arch}`).sort(), releaseTargets.map(targetId).sort());
      const plugin = `kubectl-${template.replace(/\.yaml$/, '')}`;
      for (const p of platforms) {
        const target = { os: p.os as 'linux', arch: p.arch as 'amd64' };
        assert.equal(p.uri, `https://example.test/dl/v1.2.3/${archiveName(plugin, '1.2.3', target)}`);
        assert.equal(p.sha256, allDigests.get(`${p.os}_${p.arch}`));
        assert.equal(p.bin, executableName(plugin, target));
        assert.ok(
          p.files?.some((f) => f.from === 'LICENSE'),
          'the archive carries a LICENSE',
        );
        assert.ok(
          p.files?.some((f) => f.from === p.bin),
          'bin is extracted',
        );
      }
    });
  }

  it('names the placeholder a release could not fill', () => {
    const partial = { ...values, sha256: new Map([['linux_amd64', digest('a')]]) };
    assert.throws(
      () => renderKrewManifest('meshscale.yaml', readFileSync(path.join(repoRoot, 'krew', 'meshscale.yaml'), 'utf8'), partial),
      /meshscale\.yaml: no value for placeholder @SHA256_LINUX_ARM64@/,
    );
  });
});

describe('helm plugin packaging', () => {
  it('stamps the release version into plugin.yaml and nothing else', () => {
    const source = readFileSync(path.join(repoRoot, 'plugins', 'helm-crdsync', 'plugin.yaml'), 'utf8');
    const stamped = stampPluginVersion(source, '9.8.7');
    assert.match(stamped, /^version: 9\.8\.7$/m);
    assert.equal(stamped.replace(/^version: .*$/m, ''), source.replace(/^version: .*$/m, ''));
  });

  it('keeps the committed plugin.yaml version equal to package.json', () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    assert.match(
      readFileSync(path.join(repoRoot, 'plugins', 'helm-crdsync', 'plugin.yaml'), 'utf8'),
      new RegExp(`^version: ${pkg.version.replace(/\./g, '\\.')}$`, 'm'),
    );
  });

  it('runs an entry inside the plugin folder: a symlinked install must not climb out of it', () => {
    const source = readFileSync(path.join(repoRoot, 'plugins', 'helm-crdsync', 'plugin.yaml'), 'utf8');
    for (const command of source.match(/command: .*/g) ?? []) assert.doesNotMatch(command, /\.\./);
  });

  it('signs the metadata and the tarball digest, in helm provenance form', () => {
    const message = provenanceMessage('# comment\nname: crdsync\nversion: 1.0.0\n', path.join(repoRoot, 'LICENSE'));
    assert.match(message, /^name: crdsync\nversion: 1\.0\.0\n\n\.\.\.\nfiles:\n {2}LICENSE: sha256:[0-9a-f]{64}\n$/);
  });
});

describe('top-level await in a binary entry', () => {
  it('leaves an entry without top-level await unchanged', () => {
    const source = "import { a } from './a.js';\nvoid a();\n";
    assert.equal(wrapTopLevelAwait(source), source);
  });

  it('moves statements after the imports into an async main, so CommonJS output accepts it', () => {
    const out = wrapTopLevelAwait("#!/usr/bin/env node\nimport { runPlugin } from './run.js';\nconst x = 1;\nawait runPlugin({ x });\n");
    assert.match(out, /^#!\/usr\/bin\/env node\nimport \{ runPlugin \} from '\.\/run\.js';\n/);
    assert.match(out, /void \(async \(\) => \{\nconst x = 1;\nawait runPlugin\(\{ x \}\);\n\}\)\(\);/);
  });

  it('ignores await inside functions', () => {
    const source = 'async function f() { await g(); }\nvoid f();\n';
    assert.equal(wrapTopLevelAwait(source), source);
  });
});
