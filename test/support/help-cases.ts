/**
 * The help the bundles and binaries print from texts rendered at build time
 * (scripts/release/help-texts.ts) must be what the program prints now. The program without any
 * fast path is the tsc build (dist/plugins/<plugin>/main.js): these helpers list the help
 * invocations independently of the build script and compare a fast-path executable with it.
 */
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { execa } from 'execa';
import { pluginEntry } from './paths.js';

/** Outcome is what one run printed and how it ended. */
export interface Outcome {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** RunExecutable runs the executable under test with args and exactly env. */
export type RunExecutable = (args: readonly string[], env: Readonly<Record<string, string>>) => Promise<Outcome>;

/** HelpCase is one invocation: its arguments and environment. */
export interface HelpCase {
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
}

/** The environments every help invocation is compared in: none, helm's --debug, a German locale. */
export const helpEnvironments: ReadonlyArray<Readonly<Record<string, string>>> = [
  {},
  { HELM_DEBUG: '1' },
  { LANG: 'de_DE.UTF-8', LC_ALL: 'de_DE.UTF-8' },
];

/** Other HELM_DEBUG values `--help` is compared in: the fast path must read the variable as the program does. */
const helmDebugSpellings: ReadonlyArray<Readonly<Record<string, string>>> = [
  { HELM_DEBUG: 'true' },
  { HELM_DEBUG: 'yes' },
  { HELM_DEBUG: '' },
];

/** runProgram runs the tsc build of plugin: the program with no help fast path. */
export const runProgram =
  (plugin: string): RunExecutable =>
  (args, env) =>
    runFile(process.execPath, [pluginEntry(plugin), ...args], env);

/** runFile runs file with exactly env, from a folder outside the clone. */
export async function runFile(file: string, args: readonly string[], env: Readonly<Record<string, string>>): Promise<Outcome> {
  const r = await execa(file, [...args], { env: { ...env }, extendEnv: false, reject: false, cwd: tmpdir(), timeout: 60_000 });
  return { stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode ?? -1 };
}

/** verbsOf lists the plugin's verbs as the program's completion names them (`version` included). */
export async function verbsOf(plugin: string): Promise<string[]> {
  const r = await runProgram(plugin)(['__complete', ''], {});
  assert.equal(r.exitCode, 0, r.stderr);
  const verbs = r.stdout
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith(':'))
    .map((line) => line.split('\t')[0] ?? '');
  assert.ok(verbs.includes('version'), `${plugin} __complete '': ${r.stdout}`);
  return verbs;
}

/** helpCases are every help invocation the fast path may serve, in every help environment (and `--help` in a few more). */
export async function helpCases(plugin: string): Promise<HelpCase[]> {
  const verbs = await verbsOf(plugin);
  const lists: string[][] = [
    [],
    ['--help'],
    ['-h'],
    ...verbs.flatMap((v) => [
      [v, '--help'],
      [v, '-h'],
    ]),
  ];
  return [
    ...helpEnvironments.flatMap((env) => lists.map((args) => ({ args, env }))),
    ...helmDebugSpellings.map((env) => ({ args: ['--help'], env })),
  ];
}

/** inPairs runs tasks two at a time (the machine has two cores). */
export async function inPairs<T>(tasks: ReadonlyArray<() => Promise<T>>): Promise<T[]> {
  const results: T[] = [];
  for (let i = 0; i < tasks.length; i += 2) results.push(...(await Promise.all(tasks.slice(i, i + 2).map((task) => task()))));
  return results;
}

/**
 * assertSameAsProgram runs each case through the executable and through the program and fails
 * on the first difference in stdout, stderr or exit code, naming the case. A case with arguments
 * is help, so it must also exit 0 with nothing on stderr.
 */
export async function assertSameAsProgram(plugin: string, executable: RunExecutable, cases: readonly HelpCase[]): Promise<void> {
  const program = runProgram(plugin);
  const outcomes = await inPairs(cases.map((c) => async () => [await executable(c.args, c.env), await program(c.args, c.env)] as const));
  cases.forEach((c, i) => {
    const [got, want] = outcomes[i] as readonly [Outcome, Outcome];
    const label = `${plugin} ${JSON.stringify(c.args)} env ${JSON.stringify(c.env)}`;
    if (c.args.length === 0 && want.exitCode !== 0) {
      // No arguments runs a default command (helm crdsync): the error's line, not the stack trace's file names.
      const firstLine = (o: Outcome) => ({ ...o, stderr: o.stderr.split('\n')[0] });
      assert.deepEqual(firstLine(got), firstLine(want), label);
      return;
    }
    assert.deepEqual(got, want, label);
    if (c.args.length > 0) assert.deepEqual([want.exitCode, want.stderr], [0, ''], label);
  });
}
