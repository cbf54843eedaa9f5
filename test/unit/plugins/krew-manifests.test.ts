/**
 * Checks the krew manifests against krew's validation rules (research/crdsync.md §6) after
 * substituting the release placeholders, as the release step will.
 */
import assert from 'node:assert/strict';
import yaml from 'js-yaml';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../..');

function rendered(name: string): Record<string, unknown> & { metadata: { name: string }; spec: Record<string, unknown> } {
  const text = readFileSync(path.join(root, 'krew', `${name}.yaml`), 'utf8')
    .replaceAll('@VERSION@', 'v0.1.0')
    .replaceAll('@REPO_URL@', 'https://github.com/example/mesh-upgrade-plugins')
    .replace(/@SHA256_[A-Z0-9_]+@/g, 'a'.repeat(64));
  return yaml.load(text) as ReturnType<typeof rendered>;
}

for (const name of ['meshbackup', 'meshscale', 'meshpreflight']) {
  describe(`krew/${name}.yaml`, () => {
    const manifest = rendered(name);
    const platforms = manifest.spec.platforms as Array<{
      selector: { matchLabels: Record<string, string> };
      sha256: string;
      bin: string;
      uri: string;
    }>;

    it('is named like its file and uses the krew apiVersion and kind', () => {
      assert.equal(manifest.metadata.name, name);
      assert.equal(manifest.apiVersion, 'krew.googlecontainertools.github.com/v1alpha2');
      assert.equal(manifest.kind, 'Plugin');
    });

    it('has a v-prefixed semver version and a one-line short description', () => {
      assert.match(String(manifest.spec.version), /^v\d+\.\d+\.\d+$/);
      assert.doesNotMatch(String(manifest.spec.shortDescription), /\n/);
    });

    it('has non-overlapping os/arch selectors with a sha256, uri and bin each', () => {
      const selectors = platforms.map((p) => `${p.selector.matchLabels.os}/${p.selector.matchLabels.arch}`);
      assert.equal(new Set(selectors).size, selectors.length);
      for (const platform of platforms) {
        assert.deepEqual(Object.keys(platform.selector.matchLabels).sort(), ['arch', 'os']);
        assert.match(platform.sha256, /^[0-9a-f]{64}$/);
        assert.match(platform.uri, /\.tar\.gz$/);
        assert.ok(platform.bin.startsWith(`kubectl-${name}`));
      }
    });
  });
}
