/**
 * Help rendered at build time (issue 12, start-up): Node parsing and running yargs and a plugin's
 * command modules costs more than the ≤ 1.5× (npm route) and ≤ 1.3× (binaries) of `node -e 0`
 * the start-up goal allows, however lean the bundle; a bare bundled yargs program alone is about
 * 1.6×. Help is deterministic (English, width 100, no flag reads the environment except the
 * --debug default of a helm plugin), so the build runs the finished program once per help
 * invocation and puts the texts in front of it: a lookup that prints the text and stops before
 * any of the program is parsed, and hands every other invocation to the program.
 *
 * Only these argument lists are served, each exactly as the program printed it:
 * `--help`, `-h`, `V --help`, `V -h` for every verb V the program's `__complete ''` names
 * (`version` included), and no arguments when the program answers them with its `--help` text
 * (a plugin without a default command). Aliases, flags in other places, extra words: the program.
 */
import { execFile } from 'node:child_process';
import { availableParallelism, tmpdir } from 'node:os';
import { forEachLimited } from '../../shared/async/limited.js';
import { helmDebugFromEnv } from '../../shared/cli/helm-debug.js';

/** Rendered is what one run of the program wrote and how it ended. */
export interface Rendered {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** RunProgram runs the full program (no fast path) with args and exactly env as its environment. */
export type RunProgram = (args: readonly string[], env: Readonly<Record<string, string>>) => Promise<Rendered>;

/**
 * HelpTexts are one plugin's rendered help. keys maps helpKey(args) to an index into texts;
 * with byHelmDebug, a key starts with "1" or "0" for whether HELM_DEBUG asks for --debug.
 */
export interface HelpTexts {
  readonly texts: readonly string[];
  readonly keys: Readonly<Record<string, number>>;
  readonly byHelmDebug: boolean;
}

/** helpKey is how the fast path names an argument list: JSON, so no two lists collide (`[]` and `['']`). */
export function helpKey(args: readonly string[]): string {
  return JSON.stringify(args);
}

/** The environments help is rendered in: none at all, and helm's --debug. */
const plainEnv: Readonly<Record<string, string>> = {};
const helmDebugEnv: Readonly<Record<string, string>> = { HELM_DEBUG: '1' };

/** nodeProgram runs `node file …` with a clean environment, from a folder outside the clone. */
export function nodeProgram(file: string): RunProgram {
  return (args, env) =>
    new Promise((resolve, reject) => {
      execFile(
        process.execPath,
        [file, ...args],
        { env: { ...env }, cwd: tmpdir(), encoding: 'utf8', maxBuffer: 16 << 20, timeout: 60_000 },
        (err, stdout, stderr) => {
          const code = err ? (err as { code?: unknown }).code : 0;
          if (typeof code !== 'number') reject(new Error(`${file} ${args.join(' ')}: ${err?.message ?? 'no exit code'}`));
          else resolve({ stdout, stderr, exitCode: code });
        },
      );
    });
}

/** helpArgLists are the argument lists that may take the fast path, for the verbs given. */
export function helpArgLists(verbs: readonly string[]): string[][] {
  return [
    [],
    ['--help'],
    ['-h'],
    ...verbs.flatMap((verb) => [
      [verb, '--help'],
      [verb, '-h'],
    ]),
  ];
}

/**
 * renderHelpTexts runs the program for every help argument list, without and with HELM_DEBUG.
 * Throws when a `--help` form fails or writes to stderr: a fast path must not hide that.
 */
export async function renderHelpTexts(name: string, run: RunProgram): Promise<HelpTexts> {
  const complete = await run(['__complete', ''], plainEnv);
  if (complete.exitCode !== 0) throw new Error(`${name} __complete '': exit ${complete.exitCode}: ${complete.stderr.split('\n')[0]}`);
  const verbs = complete.stdout
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith(':'))
    .map((line) => line.split('\t')[0] ?? '')
    .filter((word) => /^[a-z][a-z0-9-]*$/.test(word));
  if (!verbs.includes('version')) throw new Error(`${name} __complete '' names no version verb: ${complete.stdout.split('\n')[0]}`);
  const lists = helpArgLists(verbs);
  const variants = [plainEnv, helmDebugEnv];
  const runs = variants.flatMap((env) => lists.map((args) => ({ args, env })));
  const rendered: Rendered[] = new Array<Rendered>(runs.length);
  await forEachLimited(runs, Math.max(2, availableParallelism()), async ({ args, env }, i) => {
    rendered[i] = await run(args, env);
  });
  const tables = variants.map((_, v) => {
    const table = new Map<string, string>();
    const outputs = rendered.slice(v * lists.length, (v + 1) * lists.length);
    const help = outputs[1] as Rendered;
    lists.forEach((args, i) => {
      const r = outputs[i] as Rendered;
      const ok = r.exitCode === 0 && r.stderr === '' && r.stdout !== '';
      // No arguments is help only where the program says so (no default command); else it runs the command.
      if (args.length === 0) {
        if (ok && r.stdout === help.stdout) table.set(helpKey(args), r.stdout);
        return;
      }
      if (!ok) throw new Error(`${name} ${args.join(' ')}: exit ${r.exitCode}, stderr ${JSON.stringify(r.stderr.split('\n')[0])}`);
      table.set(helpKey(args), r.stdout);
    });
    return table;
  });
  const [plain, debug] = tables as [Map<string, string>, Map<string, string>];
  const byHelmDebug = [...plain].some(([key, text]) => debug.get(key) !== text) || plain.size !== debug.size;
  const texts: string[] = [];
  const keys: Record<string, number> = {};
  const add = (key: string, text: string): void => {
    let index = texts.indexOf(text);
    if (index < 0) index = texts.push(text) - 1;
    keys[key] = index;
  };
  if (!byHelmDebug) for (const [key, text] of plain) add(key, text);
  else
    for (const [prefix, table] of [['0', plain] as const, ['1', debug] as const]) for (const [key, text] of table) add(prefix + key, text);
  return { texts, keys, byHelmDebug };
}

/**
 * fastPathSource is the lookup, as JavaScript statements: `text` is the help for this process's
 * arguments, or undefined. A key never starts with `__proto__` or another Object.prototype name
 * (each is a JSON array, "0[…" or "1[…"), so a plain object literal is safe to index.
 */
export function fastPathSource(help: HelpTexts): string {
  const args = 'JSON.stringify(process.argv.slice(2))';
  const key = help.byHelmDebug ? `((${helmDebugFromEnv.toString()})(process.env) ? '1' : '0') + ${args}` : args;
  return [
    `const __meshHelpTexts = ${JSON.stringify(help.texts)};`,
    `const __meshHelpKeys = ${JSON.stringify(help.keys)};`,
    `const __meshHelp = __meshHelpTexts[__meshHelpKeys[${key}]];`,
  ].join('\n');
}

/**
 * helpWriteSource prints the help found. A reader that went away (`--help | head`) closes the
 * pipe: the EPIPE is ignored, as the program's streams do (shared/io/streams.ts ignoreClosedPipe),
 * instead of ending in an unhandled error's stack trace.
 */
const helpWriteSource = "process.stdout.on('error', (err) => { if (err.code !== 'EPIPE') throw err; }).write(__meshHelp);";

/**
 * launcherSource is dist/bin/<plugin>.mjs: the help lookup, else the program's entry (a path
 * relative to the launcher), with Node's compile cache on where Node has one. On a hit the process ends by itself once stdout has drained, so a
 * non-blocking pipe (helm 4's) gets the whole text.
 */
export function launcherSource(name: string, help: HelpTexts, entry: string): string {
  return [
    '#!/usr/bin/env node',
    `// ${name}: its help, rendered at build time (scripts/release/help-texts.ts), is printed without loading the program.`,
    fastPathSource(help),
    `if (__meshHelp !== undefined) ${helpWriteSource}`,
    'else {',
    // Node 22.1+ keeps the program's compiled code in its compile cache (os.tmpdir()/node-compile-cache,
    // or $NODE_COMPILE_CACHE; NODE_DISABLE_COMPILE_CACHE=1 turns it off), so later runs skip most of
    // the compiling: the call Node's documentation asks tools to make. Older Node has no such call.
    "  process.getBuiltinModule?.('node:module')?.enableCompileCache?.();",
    `  await import(${JSON.stringify(entry)});`,
    '}',
    '',
  ].join('\n');
}

/** seaProgramAsset and seaCodeCacheAsset name the SEA assets a binary's main script loads. */
export const seaProgramAsset = 'program.js';
export const seaCodeCacheAsset = 'program.cache';

/**
 * seaMainSource is a binary's main script: the help lookup, then a loader for the program, which
 * the binary carries as an asset (wrapCommonJs's form) with, on the build's own platform, a V8
 * code cache made at build time (makeProgramCodeCache). A help invocation therefore never touches
 * the 2 MB program: Node reads and checks only this small script (the program inside the main
 * script cost 1.2–1.4× `node -e 0` for `--help` although the lookup returned before it ran).
 * MESH_UPGRADE_SEA_DEBUG=1 makes the loader say on stderr whether the code cache was accepted
 * (the release tests check it: a rejected cache would silently cost every command its start-up).
 */
export function seaMainSource(help: HelpTexts, plugin: string): string {
  return [
    '{',
    fastPathSource(help),
    'if (__meshHelp !== undefined) {',
    `  ${helpWriteSource}`,
    '  return;',
    '}',
    '}',
    "const __meshSea = require('node:sea');",
    "const __meshVm = require('node:vm');",
    'let __meshCache;',
    'try {',
    `  __meshCache = new Uint8Array(__meshSea.getRawAsset(${JSON.stringify(seaCodeCacheAsset)}));`,
    '} catch {}',
    `const __meshScript = new __meshVm.Script(__meshSea.getAsset(${JSON.stringify(seaProgramAsset)}, 'utf8'), {`,
    `  filename: ${JSON.stringify(`${plugin}.js`)},`,
    '  cachedData: __meshCache,',
    '  importModuleDynamically: __meshVm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,',
    '});',
    "if (process.env.MESH_UPGRADE_SEA_DEBUG === '1')",
    "  process.stderr.write(`code cache: ${__meshCache === undefined ? 'none' : __meshScript.cachedDataRejected ? 'rejected' : 'accepted'}\\n`);",
    '__meshScript.runInThisContext()(exports, require, module, __filename, __dirname);',
    '',
  ].join('\n');
}

/** wrapCommonJs turns a CommonJS file into the function expression Node would wrap it in (a hashbang line dropped). */
export function wrapCommonJs(source: string): string {
  const body = source.startsWith('#!') ? source.slice(source.indexOf('\n') + 1) : source;
  return `(function (exports, require, module, __filename, __dirname) {${body}\n})`;
}
