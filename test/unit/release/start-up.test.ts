/**
 * The start-up plugins of the bundles (scripts/release/start-up.ts) change when modules load,
 * never what they return: the fast string width agrees with string-width v7 where it answers,
 * and a bundle built with the plugins computes what the unbundled packages compute.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';
import Table from 'cli-table3';
import yaml from 'js-yaml';
import semver from 'semver';
import { narrowText, startUpPlugins } from '../../../scripts/release/start-up.js';
import { repoRoot } from '../../support/paths.js';

type StringWidth = (text: string) => number;

/** stringWidthOf loads the string-width that package's folder resolves (cliui and wrap-ansi carry v7). */
async function stringWidthOf(packageDir: string): Promise<StringWidth> {
  const file = createRequire(path.join(repoRoot, 'node_modules', packageDir, 'package.json')).resolve('string-width');
  return ((await import(pathToFileURL(file).href)) as { default: StringWidth }).default;
}

const wrapCases: Array<[string, number, { hard?: boolean; trim?: boolean; wordWrap?: boolean }]> = [
  ["Sync a chart's CRDs into the cluster (Helm never upgrades them).   trailing  ", 20, { hard: true }],
  ['averyveryverylongwordthatmustbreak and more', 10, { hard: true }],
  ['  keep  spaces  ', 8, { trim: false }],
  ['\x1b[31mred text that wraps across lines\x1b[39m and plain', 12, { hard: true }],
  ['\x1b]8;;https://example.com\x07a link\x1b]8;;\x07 that wraps', 6, {}],
  ['line one\nline two is longer than the width', 10, { wordWrap: false }],
];

const notNarrow = ['日本', 'e\u0301', 'soft\u00adhyphen', '😀', '\x1b[31mred\x1b[0m', 'tab\there', '\u200b', '™'];

describe('bundle start-up plugins', () => {
  for (const owner of ['cliui', 'wrap-ansi']) {
    it(`measures every string the fast path accepts as string-width v7 does (${owner}'s copy)`, async () => {
      const stringWidth = await stringWidthOf(owner);
      const accepted = [...Array.from({ length: 0x7f - 0x20 }, (_, i) => String.fromCharCode(0x20 + i)), ...'×–—‘’“”…→≤≥'];
      for (const text of accepted) {
        assert.match(text, narrowText);
        assert.equal(stringWidth(text), text.length, `width of ${JSON.stringify(text)}`);
      }
      assert.equal(stringWidth(accepted.join('')), accepted.join('').length);
    });
  }

  it('leaves wide, combining, ignorable, emoji and escaped text to the real string-width', () => {
    for (const text of notNarrow) assert.doesNotMatch(text, narrowText, JSON.stringify(text));
  });

  describe('a bundle built with them', () => {
    let work: string;
    let output: Record<string, unknown>;
    before(async function () {
      this.timeout(60_000);
      work = mkdtempSync(path.join(tmpdir(), 'start-up-plugins-'));
      const outfile = path.join(work, 'probe.mjs');
      await esbuild.build({
        stdin: {
          // Resolved from cliui's folder so that 'string-width' is the v7 the plugin wraps.
          resolveDir: path.join(repoRoot, 'node_modules', 'cliui'),
          sourcefile: 'probe.mjs',
          contents: [
            "import stringWidth from 'string-width';",
            "import wrapAnsi from 'wrap-ansi';",
            "import yaml from 'js-yaml';",
            "import semver from 'semver';",
            "import Table from 'cli-table3';",
            "import { gunzipSync } from 'node:zlib';",
            "import { readFileSync } from 'node:fs';",
            "import EventEmitter from 'node:events';",
            "import { Transform } from 'node:stream';",
            'class Emitter extends EventEmitter {}',
            'class Upper extends Transform { _transform(chunk, _enc, done) { done(null, String(chunk).toUpperCase()); } }',
            'const upper = new Upper(); upper.end("abc");',
            'const table = new Table({ head: ["KIND", "NAME"], style: { head: [], border: [] } });',
            'table.push(["Deployment", "web"]);',
            'console.log(JSON.stringify({',
            `  widths: ${JSON.stringify(['plain', 'a…b', ...notNarrow])}.map((t) => stringWidth(t)),`,
            "  yaml: yaml.load('a: [1, two]'), dumped: yaml.dump({ b: 'x: y' }), yamlError: (() => { try { yaml.load('a: ['); } catch (e) { return e instanceof yaml.YAMLException; } })(),",
            "  semver: [semver.valid('v1.2.3'), semver.satisfies('1.5.0', '>=1.2 <2'), new semver.SemVer('2.0.0-rc.1').prerelease],",
            '  table: table.toString(), isArray: Array.isArray(table),',
            '  gunzip: gunzipSync(Buffer.from(process.argv[2], "base64")).toString(),',
            '  readFileSync: typeof readFileSync,',
            `  wrapped: ${JSON.stringify(wrapCases)}.map(([text, columns, options]) => wrapAnsi(text, columns, options)),`,
            '  emitter: new Emitter() instanceof EventEmitter, upper: String(upper.read()),',
            '}));',
          ].join('\n'),
        },
        bundle: true,
        platform: 'node',
        format: 'esm',
        outfile,
        logLevel: 'silent',
        banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
        plugins: startUpPlugins(),
      });
      const gz = gzipSync('gzipped').toString('base64');
      output = JSON.parse(execFileSync(process.execPath, [outfile, gz], { encoding: 'utf8' })) as Record<string, unknown>;
    });
    after(() => rmSync(work, { recursive: true, force: true }));

    it('measures text as string-width does, on either path', async () => {
      const stringWidth = await stringWidthOf('cliui');
      assert.deepEqual(
        output.widths,
        ['plain', 'a…b', ...notNarrow].map((t) => stringWidth(t)),
      );
    });

    it('wraps text as wrap-ansi does, with and without escape codes', async () => {
      const file = createRequire(path.join(repoRoot, 'node_modules', 'cliui', 'package.json')).resolve('wrap-ansi');
      type WrapAnsi = (text: string, columns: number, options: object) => string;
      const wrapAnsi = ((await import(pathToFileURL(file).href)) as { default: WrapAnsi }).default;
      assert.deepEqual(
        output.wrapped,
        wrapCases.map(([text, columns, options]) => wrapAnsi(text, columns, options)),
      );
    });

    it('reads, writes and rejects YAML as js-yaml does', () => {
      assert.deepEqual(output.yaml, yaml.load('a: [1, two]'));
      assert.equal(output.dumped, yaml.dump({ b: 'x: y' }));
      assert.equal(output.yamlError, true);
    });

    it('compares versions as semver does', () => {
      assert.deepEqual(output.semver, [semver.valid('v1.2.3'), semver.satisfies('1.5.0', '>=1.2 <2'), ['rc', 1]]);
    });

    it('draws a cli-table3 table as the package does', () => {
      const table = new Table({ head: ['KIND', 'NAME'], style: { head: [], border: [] } });
      table.push(['Deployment', 'web']);
      assert.equal(output.table, table.toString());
      assert.equal(output.isArray, true);
    });

    it('reaches built-ins through their first use, and built-in classes can be extended', () => {
      assert.equal(output.gunzip, 'gzipped');
      assert.equal(output.readFileSync, 'function');
      assert.equal(output.emitter, true);
      assert.equal(output.upper, 'ABC');
    });
  });
});
