/**
 * Bundles every plugin (each `plugins/<name>/main.ts`, found by listing the folder, so a new
 * plugin or module needs no edit here) with esbuild, in the two shapes the suite ships. Both put
 * the plugin's help in front of the program (help-texts.ts): rendered at build time by running
 * the program just built, and printed without loading any of it (a bundled yargs program alone
 * starts in ~1.6× the time of `node -e 0`; the goal is 1.5×, 1.3× for the binaries).
 *
 * - **npm route** (`dist/bin/<plugin>.mjs`, what package.json's `bin` runs, is the help launcher;
 *   it imports the program, `dist/bin/chunks/<plugin>.mjs`): ESM with code splitting. A dynamic
 *   `import()` (client-node, undici, tar, diff, execa, the REST clients) becomes its own chunk
 *   file that is read only when the import runs: in one single file V8 would still parse all of
 *   it (research/packaging.md §3). Packages used synchronously but not by every command
 *   (js-yaml, semver, cli-table3) are CommonJS side files under chunks/lazy/, required on first
 *   use (start-up.ts).
 * - **standalone binary** (`<out>/<plugin>.cjs`, the main script of a Node single-executable
 *   application): one CommonJS file, because the SEA main script of Node 22 must be CommonJS and
 *   its `require` loads built-in modules only. Its lazy parts stay lazily *evaluated*; the SEA's
 *   code cache removes most of their parse cost. The help lookup goes in front of the script: Node runs
 *   a CommonJS main script as a function body, so its `return` stops before any module initialises.
 *   (Moving the program into a function called on a miss saved little for `--help` and cost the
 *   other commands their code cache: `version --client` went from 2.1× to 3.5× `node -e 0`.)
 *
 * Both stamp the version (`__MESH_TOOL_VERSION__`, read by shared/cli/tool-version.ts) so no
 * bundle reads package.json, and both fail when an entry's static import graph reaches a module
 * that must load lazily.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync, chmodSync, rmSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import ts from 'typescript';
import { launcherSource, nodeProgram, renderHelpTexts, seaMainSource, wrapCommonJs } from './help-texts.js';
import { SideFiles, sideFileBanner, startUpPlugins } from './start-up.js';

/** Node's LTS line the binaries embed; bundles target it (the npm route's floor is package.json's engines). */
export const bundleTarget = 'node20.19';

/**
 * Modules that must never be in the static import graph of a plugin's entry: each costs tens to
 * hundreds of milliseconds and is needed only by a command that connects, archives or diffs.
 */
export const lazyOnlyModules: ReadonlyArray<{ label: string; pattern: RegExp }> = [
  { label: '@kubernetes/client-node', pattern: /node_modules\/@kubernetes\/client-node\// },
  { label: 'undici', pattern: /node_modules\/undici\// },
  { label: 'tar', pattern: /node_modules\/tar\// },
  { label: 'diff', pattern: /node_modules\/diff\// },
  { label: 'execa', pattern: /node_modules\/execa\// },
  { label: 'shared/kube/rest-clients', pattern: /^shared\/kube\/rest-clients\.ts$/ },
];

/**
 * Optional `require()`s inside dependencies (inside try/catch: debug's supports-color,
 * node-fetch's encoding, ws' native accelerators). Inside a SEA every non-built-in require
 * prints a warning, so the SEA bundle resolves them to a stub that throws MODULE_NOT_FOUND, as
 * a missing optional package would.
 */
const optionalRequires = ['supports-color', 'encoding', 'bufferutil', 'utf-8-validate'];

/** PluginEntry is one plugin's name (its executable's name) and its main.ts. */
export interface PluginEntry {
  readonly name: string;
  readonly main: string;
}

/** pluginEntries lists plugins/<name>/main.ts under root, sorted by name. */
export function pluginEntries(root: string): PluginEntry[] {
  const dir = path.join(root, 'plugins');
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, 'main.ts')))
    .map((d) => ({ name: d.name, main: path.join(dir, d.name, 'main.ts') }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** readPackageVersion is package.json's version: the one number every bundle is stamped with. */
export function readPackageVersion(root: string): string {
  return (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

const commonOptions = (root: string, version: string): esbuild.BuildOptions => ({
  absWorkingDir: root,
  bundle: true,
  platform: 'node',
  target: bundleTarget,
  minify: true,
  // Error classes name themselves from new.target.name: keep names, or --debug shows "u: …" for KubeconfigError.
  keepNames: true,
  legalComments: 'none',
  metafile: true,
  logLevel: 'silent',
  define: { __MESH_TOOL_VERSION__: JSON.stringify(version) },
  plugins: startUpPlugins(),
});

/**
 * bundleForNpm writes dist/bin/<plugin>.mjs (+ dist/bin/chunks/) for every plugin (or the
 * plugins named in only) and makes the entries executable. Returns the output files.
 */
export async function bundleForNpm(root: string, outDir = path.join(root, 'dist', 'bin'), only?: readonly string[]): Promise<string[]> {
  const entries = pluginEntries(root).filter((e) => !only || only.includes(e.name));
  rmSync(outDir, { recursive: true, force: true });
  const side = new SideFiles();
  const result = await esbuild.build({
    ...commonOptions(root, readPackageVersion(root)),
    plugins: startUpPlugins(side),
    // The program's entry goes beside its chunks; dist/bin/<plugin>.mjs is the help launcher that imports it.
    entryPoints: Object.fromEntries(entries.map((e) => [programEntry(e.name), e.main])),
    format: 'esm',
    splitting: true,
    outdir: outDir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    // Bundled CommonJS dependencies call require() for built-ins; ESM has none, so give each
    // output file one (esbuild's "Dynamic require of 'x' is not supported" otherwise).
    banner: {
      js: `import { createRequire as __meshCreateRequire } from 'node:module'; const require = __meshCreateRequire(import.meta.url); ${sideFileBanner}`,
    },
  });
  const metafile = result.metafile as esbuild.Metafile;
  checkStaticGraph(metafile, entries, outDir, root);
  const files = Object.keys(metafile.outputs).map((f) => path.join(root, f));
  for (const [name, module] of side.entries()) {
    const outfile = path.join(outDir, 'chunks', 'lazy', name);
    await esbuild.build({ ...commonOptions(root, ''), plugins: [], entryPoints: [module], format: 'cjs', outfile });
    files.push(outfile);
  }
  const launchers = await Promise.all(
    entries.map(async (entry) => {
      const help = await renderHelpTexts(entry.name, nodeProgram(path.join(outDir, `${programEntry(entry.name)}.mjs`)));
      const launcher = path.join(outDir, `${entry.name}.mjs`);
      writeFileSync(launcher, launcherSource(entry.name, help, `./${programEntry(entry.name)}.mjs`));
      chmodSync(launcher, 0o755);
      return launcher;
    }),
  );
  return [...files, ...launchers, ...writeCompletionShims(entries, outDir)];
}

/** programEntry is where the npm route puts a plugin's program, relative to dist/bin (without .mjs). */
export function programEntry(plugin: string): string {
  return `chunks/${plugin}`;
}

/**
 * writeCompletionShims writes dist/bin/kubectl_complete-<plugin>.mjs for each kubectl plugin:
 * kubectl (1.26+) runs that executable, found on PATH, for Tab after `kubectl <plugin>`, and
 * the plugin answers its own `__complete` (shared/cli/completion.ts). helm's equivalent is the
 * plugin folder's plugin.complete.
 */
export function writeCompletionShims(entries: readonly PluginEntry[], outDir: string): string[] {
  const written: string[] = [];
  for (const entry of entries.filter((e) => e.name.startsWith('kubectl-'))) {
    const file = path.join(outDir, `kubectl_complete-${entry.name.slice('kubectl-'.length)}.mjs`);
    writeFileSync(
      file,
      [
        '#!/usr/bin/env node',
        `// kubectl_complete-${entry.name.slice('kubectl-'.length)}: kubectl asks it for completions; the plugin answers __complete.`,
        "process.argv.splice(2, 0, '__complete');",
        `await import('./${entry.name}.mjs');`,
        '',
      ].join('\n'),
    );
    chmodSync(file, 0o755);
    written.push(file);
  }
  return written;
}

/** SeaSources are one binary's files: its main script and its program (an asset the main script loads). */
export interface SeaSources {
  readonly main: string;
  readonly program: string;
}

/**
 * bundleForSea writes, for every plugin, <outDir>/<plugin>.cjs (the CommonJS bundle, which the
 * build runs to render help), <plugin>.program.js (the same wrapped as Node wraps a module: the
 * binary's program asset) and <plugin>.main.cjs (the binary's main script: help lookup and
 * loader). Returns plugin name → files.
 */
export async function bundleForSea(root: string, outDir: string): Promise<Map<string, SeaSources>> {
  const entries = pluginEntries(root);
  mkdirSync(outDir, { recursive: true });
  const stub = path.join(outDir, 'missing-optional-module.cjs');
  writeFileSync(stub, "const e = new Error('optional module not bundled'); e.code = 'MODULE_NOT_FOUND'; throw e;\n");
  const out = new Map<string, SeaSources>();
  for (const entry of entries) {
    const outfile = path.join(outDir, `${entry.name}.cjs`);
    const result = await esbuild.build({
      ...commonOptions(root, readPackageVersion(root)),
      entryPoints: [entry.main],
      format: 'cjs',
      outfile,
      alias: Object.fromEntries(optionalRequires.map((m) => [m, stub])),
      // yargs 18 (ESM only) calls createRequire(import.meta.url); CommonJS output has no
      // import.meta, so give it the file's URL (research/packaging.md §3, bundling problem 1).
      define: {
        ...commonOptions(root, '').define,
        __MESH_TOOL_VERSION__: JSON.stringify(readPackageVersion(root)),
        'import.meta.url': '__meshImportMetaUrl',
      },
      banner: { js: 'var __meshImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
      plugins: [...startUpPlugins(), topLevelAwaitToAsyncMain(entry.main)],
    });
    checkStaticGraph(result.metafile as esbuild.Metafile, [entry], outDir, root, outfile);
    // The program built renders its help, which the main script then serves without loading it.
    const help = await renderHelpTexts(entry.name, nodeProgram(outfile));
    const program = path.join(outDir, `${entry.name}.program.js`);
    writeFileSync(program, wrapCommonJs(readFileSync(outfile, 'utf8')));
    const main = path.join(outDir, `${entry.name}.main.cjs`);
    writeFileSync(main, seaMainSource(help, entry.name));
    out.set(entry.name, { main, program });
  }
  rmSync(stub);
  return out;
}

/**
 * topLevelAwaitToAsyncMain lets an entry that ends in a top-level `await runPlugin(…)` be built
 * as CommonJS (esbuild: "Top-level await is currently not supported with the cjs output
 * format"): when the entry has a top-level await, its statements other than imports run inside
 * an async function called at once. Only the entry is rewritten: nothing imports it, so its
 * top-level bindings becoming locals changes nothing; a rejection stays unhandled and ends the
 * process with code 1, as a rejected top-level await does.
 */
function topLevelAwaitToAsyncMain(entryFile: string): esbuild.Plugin {
  return {
    name: 'top-level-await-to-async-main',
    setup(build) {
      build.onLoad({ filter: /[\\/]main\.ts$/ }, (args) => {
        if (path.resolve(args.path) !== path.resolve(entryFile)) return undefined;
        const source = readFileSync(args.path, 'utf8');
        return { contents: wrapTopLevelAwait(source, args.path), loader: 'ts' };
      });
    },
  };
}

/** wrapTopLevelAwait returns source unchanged without a top-level await, else with its non-import statements in an async main. */
export function wrapTopLevelAwait(source: string, fileName = 'main.ts'): string {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const hasTopLevelAwait = (node: ts.Node): boolean => {
    if (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier)) return true;
    if (ts.isFunctionLike(node) || ts.isClassLike(node)) return false;
    return ts.forEachChild(node, hasTopLevelAwait) ?? false;
  };
  if (!file.statements.some(hasTopLevelAwait)) return source;
  const imports: string[] = [];
  const body: string[] = [];
  for (const statement of file.statements) {
    const text = source.slice(statement.getFullStart(), statement.getEnd());
    if (ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement)) imports.push(text);
    else if (ts.isExportDeclaration(statement) || ts.isExportAssignment(statement))
      throw new Error(`${fileName}: an entry with a top-level await must not export`);
    else body.push(text);
  }
  return `${imports.join('')}\nvoid (async () => {${body.join('')}\n})();\n`;
}

/**
 * checkStaticGraph fails when an entry's statically imported closure (what runs for `--help`)
 * contains a module of lazyOnlyModules. For a single-file bundle, the inputs reached without
 * crossing a dynamic import are found from the entry's source imports.
 */
function checkStaticGraph(metafile: esbuild.Metafile, entries: PluginEntry[], outDir: string, root: string, singleFile?: string): void {
  const inputs = metafile.inputs;
  for (const entry of entries) {
    const start = path.relative(root, entry.main).split(path.sep).join('/');
    const seen = new Set<string>([start]);
    const queue = [start];
    while (queue.length > 0) {
      const current = queue.pop() as string;
      for (const imported of inputs[current]?.imports ?? []) {
        if (imported.kind === 'dynamic-import' || imported.external || seen.has(imported.path)) continue;
        seen.add(imported.path);
        queue.push(imported.path);
      }
    }
    for (const input of seen) {
      const hit = lazyOnlyModules.find((m) => m.pattern.test(input));
      if (hit) {
        const where = singleFile
          ? path.relative(root, singleFile)
          : path.relative(root, path.join(outDir, `${programEntry(entry.name)}.mjs`));
        throw new Error(
          `bundle ${where}: ${hit.label} is statically imported by ${entry.name} (${input}); load it with await import() inside the command that needs it`,
        );
      }
    }
  }
}
