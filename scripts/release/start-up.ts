/**
 * esbuild plugins that take work off the path every invocation runs (`--help` first of all)
 * without changing what any function returns. Measured with `node --cpu-prof` on a plugin's
 * `--help` (issue 12, start-up targets):
 *
 * - **string-width** (v7, imported by yargs, cliui and wrap-ansi to lay out help): every call
 *   walks the string through `Intl.Segmenter`, whose first use loads ICU's break iterator; the
 *   help text of one plugin cost about 50 ms of CPU there. Help lines are printable ASCII and a
 *   few punctuation marks, whose width is their length, so the bundles answer that case at once
 *   and load the real module (lazily, through esbuild's `__esm` wrapper) for any other string.
 * - **wrap-ansi** (cliui's line wrapper): after wrapping a line it copies it character by
 *   character to re-open colour codes at line ends; a line without escape codes comes out as it
 *   went in, so the bundles return it at once (about half of a long help's rendering).
 * - **assert** (imported by yargs' ESM shim for two sanity checks run on every `.option()`):
 *   loading `node:assert` compiles assertion_error, util comparisons and colours (about 10 ms).
 *   The bundles compare with `Object.is` (what strictEqual does) and throw an Error with code
 *   ERR_ASSERTION when a check fails. One fails in every run outside a folder with a
 *   package.json above it (yargs looks for one, asserts it found it, and catches the failure).
 * - **built-in modules**: a static import of zlib or crypto loads and initialises it at start
 *   (3-8 ms each) though only some commands use it; and in an ESM bundle an `import … from
 *   'node:fs'` makes Node build a module facade of the built-in, reading every export, and
 *   reading `fs.ReadStream` loads all of Node's stream classes (about 7 ms). The bundles take
 *   each built-in through `require` on its first use instead: the same objects, later.
 */
import { readFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import type * as esbuild from 'esbuild';

/**
 * narrowText matches strings string-width v7 measures by their length: printable ASCII and a few
 * punctuation marks help texts use (× – — ‘ ’ “ ” … → ≤ ≥), each a grapheme of its own, never
 * emoji, combining or ignorable, and narrow (or East Asian Ambiguous, narrow by default).
 * test/unit/release/start-up.test.ts checks each against the real module.
 */
export const narrowText = /^[\x20-\x7e\u00d7\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u2192\u2264\u2265]*$/;

/**
 * SideFiles is where lazily evaluated packages go in the npm route's bundles: each its own
 * CommonJS file under dist/bin/chunks/lazy/, read by `require` on first use, so `--help` neither
 * parses nor evaluates them (esbuild cannot split a synchronously loaded module out of an ESM
 * bundle). The binaries have one file, so there they stay inside the bundle (evaluated lazily,
 * their parse covered by the code cache). The packages are self-contained (no state shared with
 * the rest of the bundle), so a copy of their own changes nothing.
 */
export class SideFiles {
  private readonly files = new Map<string, string>();

  /** requireExpression registers the module file realPath and returns the expression that loads it. */
  requireExpression(realPath: string): string {
    let name = this.files.get(realPath);
    if (name === undefined) {
      // The innermost package folder names the file: …/node_modules/cliui/node_modules/string-width/index.js → string-width-0.cjs.
      const packageName = /.*node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)/.exec(realPath)?.[1] ?? path.basename(realPath);
      const base = packageName.replace(/[^\w.-]/g, '_');
      name = `${base}-${this.files.size}.cjs`;
      this.files.set(realPath, name);
    }
    return `__meshRequireLazy(${JSON.stringify(name)})`;
  }

  /** entries maps each side file's name to the module it bundles. */
  entries(): ReadonlyMap<string, string> {
    return new Map([...this.files].map(([file, name]) => [name, file]));
  }
}

/**
 * sideFileBanner defines `__meshRequireLazy` in an npm-route output file (after the banner's
 * `require`): entries sit in dist/bin, chunks in dist/bin/chunks, side files in chunks/lazy.
 */
export const sideFileBanner =
  "const __meshRequireLazy = (name) => require((/\\/chunks\\/[^/]*$/.test(import.meta.url) ? './lazy/' : './chunks/lazy/') + name);";

/** loadExpression is how a facade loads its real module: from a side file, or bundled. */
function loadExpression(realPath: string, side: SideFiles | undefined): string {
  return side ? side.requireExpression(realPath) : `require(${JSON.stringify(realPath)})`;
}

/**
 * asciiStringWidth makes `import stringWidth from 'string-width'` (v7, ESM) resolve to a
 * wrapper: printable ASCII is measured by its length, anything else by the real module the
 * importer would have loaded. cli-table3's CommonJS `require('string-width')` (v4) is left alone.
 */
export function asciiStringWidth(side?: SideFiles): esbuild.Plugin {
  const namespace = 'ascii-string-width';
  return {
    name: 'ascii-string-width',
    setup(build) {
      build.onResolve({ filter: /^string-width$/ }, async (args) => {
        if (args.kind !== 'import-statement' || args.pluginData === namespace) return undefined;
        const real = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: namespace });
        if (real.errors.length > 0 || !real.path) return undefined;
        return { path: real.path, namespace };
      });
      build.onLoad({ filter: /.*/, namespace }, (args) => ({
        resolveDir: path.dirname(args.path),
        loader: 'js',
        contents: [
          `let real;`,
          `export default function stringWidth(string, options) {`,
          `  if (typeof string === 'string' && ${narrowText.toString()}.test(string)) return string.length;`,
          `  if (real === undefined) {`,
          `    const loaded = ${loadExpression(args.path, side)};`,
          `    real = typeof loaded === 'function' ? loaded : loaded.default;`,
          `  }`,
          `  return real(string, options);`,
          `}`,
        ].join('\n'),
      }));
    },
  };
}

/** The line of wrap-ansi 9's exec() after which a line without escape codes is final. */
const wrapAnsiAnchor = "const preString = rows.join('\\n');";

/**
 * plainTextWrapAnsi returns early from wrap-ansi's exec() when the wrapped line holds no escape
 * code: its last loop then only copies the line character by character (looking each up in a
 * map of colour codes), which took most of cliui's time for a long help. The build fails if
 * wrap-ansi changes the line the return goes after.
 */
export function plainTextWrapAnsi(): esbuild.Plugin {
  return {
    name: 'plain-text-wrap-ansi',
    setup(build) {
      build.onLoad({ filter: /[\\/]node_modules[\\/]wrap-ansi[\\/]index\.js$/ }, (args) => {
        const source = readFileSync(args.path, 'utf8');
        if (source.split(wrapAnsiAnchor).length !== 2)
          throw new Error(
            `${args.path}: wrap-ansi changed (no single "${wrapAnsiAnchor}"); update plainTextWrapAnsi in scripts/release/start-up.ts`,
          );
        return {
          loader: 'js',
          contents: source.replace(
            wrapAnsiAnchor,
            `${wrapAnsiAnchor}\n\tif (!preString.includes('\\u001B') && !preString.includes('\\u009B')) return preString;`,
          ),
        };
      });
    },
  };
}

/**
 * lazyAssertForYargs makes yargs' `import { notStrictEqual, strictEqual } from 'assert'` resolve
 * to the same checks without loading `node:assert`.
 */
export function lazyAssertForYargs(): esbuild.Plugin {
  const namespace = 'lazy-assert';
  return {
    name: 'lazy-assert-for-yargs',
    setup(build) {
      build.onResolve({ filter: /^(node:)?assert$/ }, (args) => {
        if (!/[\\/]node_modules[\\/]yargs[\\/]/.test(args.importer)) return undefined;
        return { path: 'assert', namespace };
      });
      build.onLoad({ filter: /.*/, namespace }, () => ({
        loader: 'js',
        contents: [
          // node:assert's AssertionError would cost its load; yargs never shows these errors
          // (the one that fails in practice, no package.json above the working directory, it catches).
          `function fail(actual, expected, message, operator) {`,
          `  const error = new Error(message ?? \`Expected values to be \${operator === 'strictEqual' ? 'strictly equal' : 'strictly unequal'}: \${String(actual)}\`);`,
          `  Object.assign(error, { code: 'ERR_ASSERTION', actual, expected, operator });`,
          `  throw error;`,
          `}`,
          `export function strictEqual(actual, expected, message) {`,
          `  if (!Object.is(actual, expected)) fail(actual, expected, message, 'strictEqual');`,
          `}`,
          `export function notStrictEqual(actual, expected, message) {`,
          `  if (Object.is(actual, expected)) fail(actual, expected, message, 'notStrictEqual');`,
          `}`,
        ].join('\n'),
      }));
    },
  };
}

/**
 * lazyBuiltins makes every static import of a Node built-in a CommonJS module of getters, one
 * per export the built-in has, that `require` it on first use (esbuild's interop reads named
 * imports as properties at each use). A command then pays for zlib, crypto or http only when it
 * uses them, and an ESM bundle builds no module facade. Dynamic `import()`s are left alone.
 */
export function lazyBuiltins(): esbuild.Plugin {
  const namespace = 'lazy-builtin';
  const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
  const require = createRequire(import.meta.url);
  return {
    name: 'lazy-builtins',
    setup(build) {
      build.onResolve({ filter: /^[a-z:_/]+$/ }, (args) => {
        if (args.kind !== 'import-statement' || !builtins.has(args.path)) return undefined;
        return { path: args.path.startsWith('node:') ? args.path : `node:${args.path}`, namespace };
      });
      build.onLoad({ filter: /.*/, namespace }, (args) => {
        const real = require(args.path) as object;
        // A built-in that is itself a class (events, stream, assert, module) is taken at once: a
        // default import of it may be extended, and a class cannot be stood in for.
        if (typeof real === 'function') return { loader: 'js', contents: `module.exports = require(${JSON.stringify(args.path)});` };
        const names = Object.keys(real).filter((name) => name !== 'default' && name !== '__esModule');
        return {
          loader: 'js',
          contents: [
            `let loaded;`,
            `const load = () => (loaded ??= require(${JSON.stringify(args.path)}));`,
            `module.exports = Object.defineProperties({}, {`,
            ...names.map((name) => `  ${JSON.stringify(name)}: { enumerable: true, get: () => load()[${JSON.stringify(name)}] },`),
            `});`,
          ].join('\n'),
        };
      });
    },
  };
}

/**
 * lazyPackages does for the named CommonJS packages what lazyBuiltins does for built-ins: an
 * `import yaml from 'js-yaml'` gets an object of getters (or, for a package that exports a
 * class, a function that constructs it) which evaluates the package on first use. js-yaml
 * builds its schemas, semver compiles some forty regular expressions and cli-table3 loads
 * @colors/colors at start otherwise, for every command and for `--help`.
 */
export function lazyPackages(packages: readonly string[], side?: SideFiles): esbuild.Plugin {
  const namespace = 'lazy-package';
  const wanted = new Set(packages);
  const require = createRequire(import.meta.url);
  return {
    name: 'lazy-packages',
    setup(build) {
      build.onResolve({ filter: /^[@a-z0-9][\w./@-]*$/ }, async (args) => {
        if (args.kind !== 'import-statement' || !wanted.has(args.path) || args.pluginData === namespace) return undefined;
        const real = await build.resolve(args.path, { kind: 'require-call', resolveDir: args.resolveDir, pluginData: namespace });
        if (real.errors.length > 0 || !real.path) return undefined;
        return { path: real.path, namespace };
      });
      build.onLoad({ filter: /.*/, namespace }, (args) => {
        const real = require(args.path) as Record<string, unknown>;
        const names = Object.keys(real).filter((name) => name !== 'default' && name !== '__esModule');
        const load = `const load = () => (loaded ??= ${loadExpression(args.path, side)});`;
        const target =
          typeof real === 'function'
            ? // Constructed as the real class (new.target would give the instance this function's empty prototype).
              `function (...args) { return new.target ? Reflect.construct(load(), args) : load()(...args); }`
            : `{}`;
        return {
          resolveDir: path.dirname(args.path),
          loader: 'js',
          contents: [
            `let loaded;`,
            load,
            `module.exports = Object.defineProperties(${target}, {`,
            ...names.map((name) => `  ${JSON.stringify(name)}: { enumerable: true, get: () => load()[${JSON.stringify(name)}] },`),
            `});`,
          ].join('\n'),
        };
      });
    },
  };
}

/**
 * startUpPlugins are the plugins every bundle (npm route and binary) is built with; with side,
 * the lazily evaluated packages go to side files (npm route) instead of into the bundle.
 */
export function startUpPlugins(side?: SideFiles): esbuild.Plugin[] {
  return [
    asciiStringWidth(side),
    plainTextWrapAnsi(),
    lazyAssertForYargs(),
    lazyBuiltins(),
    lazyPackages(['js-yaml', 'semver', 'cli-table3'], side),
  ];
}
