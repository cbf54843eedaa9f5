/**
 * The step runner of `npm run demo`: each vendor step is printed as `# n. <vendor step>`, then
 * `$ <exact command>` as a user types it, its output as it comes, and its time. Commands run in the
 * rehearsal's environment (a temporary HOME, KUBECONFIG, helm homes, PATH led by the plugins), so
 * `kubectl meshbackup` is found by kubectl's plugin discovery and `helm crdsync` by helm. A step
 * that fails stops the rehearsal with its exit code and the way back from where it stopped.
 */
import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import { execa } from 'execa';

/** One step's record, for the summary and the bench. */
export interface StepRecord {
  readonly number: number;
  readonly title: string;
  readonly commands: readonly string[];
  readonly exitCode: number;
  readonly ms: number;
  /** simulated is true for a vendor-CLI step the rehearsal stands in for. */
  readonly simulated: boolean;
  /** Everything the step's commands printed (stdout and stderr, interleaved). */
  readonly output: string;
}

/** StepFailed ends a rehearsal: the failing step's exit code and how to roll back. */
export class StepFailed extends Error {
  constructor(
    readonly step: StepRecord,
    readonly rollback: readonly string[],
  ) {
    super(`step ${step.number} (${step.title}) exited ${step.exitCode}`);
  }
}

/** How a command runs. */
export interface CommandOptions {
  /** Exit codes that do not fail the step (e.g. 1 from `meshbackup diff`: differences shown). */
  readonly okExitCodes?: readonly number[];
  /** The working directory (default: the rehearsal's work folder). */
  readonly cwd?: string;
  /** A line printed under the step's title: why the command differs from the runbook's usual one. */
  readonly note?: string;
}

// Quote an argument the way a user would type it into a POSIX shell.
function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** commandLine prints argv as a shell command line. */
export function commandLine(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}

/** A command's output is shown up to this many first lines and the last shownTailLines; all of it goes to the rehearsal's log. */
const shownHeadLines = 40;
const shownTailLines = 12;

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Rehearsal runs and prints the steps of one procedure. */
export class Rehearsal {
  readonly steps: StepRecord[] = [];
  private rollbackAdvice: string[] = ['nothing has changed yet: fix the cause and run the rehearsal again'];

  constructor(
    private readonly out: Writable,
    readonly env: Readonly<Record<string, string>>,
    readonly workDir: string,
  ) {}

  /** print writes lines to the rehearsal's output. */
  print(...lines: string[]): void {
    for (const line of lines) this.out.write(`${line}\n`);
  }

  /** rollback says how to go back from the point now reached; the last one set is printed if a later step fails. */
  rollback(...advice: string[]): void {
    this.rollbackAdvice = advice;
  }

  /** setup runs a command that prepares the rehearsal (not a vendor step): printed with `##`, failing throws. */
  async setup(what: string, argv: readonly string[], options: CommandOptions = {}): Promise<string> {
    this.print(`## ${what}`, `$ ${commandLine(argv)}`);
    const { exitCode, output } = await this.exec(argv, options);
    if (exitCode !== 0) throw new Error(`setup failed (${what}): ${commandLine(argv)} exited ${exitCode}`);
    return output;
  }

  /** step runs one vendor step as one or more commands, in order; the first failing one stops the rehearsal. */
  async step(title: string, commands: ReadonlyArray<readonly string[]>, options: CommandOptions = {}): Promise<StepRecord> {
    return this.record(
      title,
      false,
      async (print, collect) => {
        if (options.note) print(`  (${options.note})`);
        for (const argv of commands) {
          print(`$ ${commandLine(argv)}`);
          const { exitCode, output } = await this.exec(argv, options);
          collect(output);
          if (exitCode === 0) continue;
          if (!(options.okExitCodes ?? []).includes(exitCode)) return exitCode;
          print(`  (exit ${exitCode}: expected here, the rehearsal goes on)`);
        }
        return 0;
      },
      commands.map(commandLine),
    );
  }

  /**
   * simulated shows a vendor CLI command the suite does not replace, then does what it does with
   * plain kubectl/helm commands (printed and run as usual).
   */
  async simulated(title: string, vendorCommand: string, why: string, commands: ReadonlyArray<readonly string[]>): Promise<StepRecord> {
    return this.record(
      title,
      true,
      async (print, collect) => {
        print(`$ ${vendorCommand}`, `  (simulated: ${why}; the rehearsal runs its kubectl/helm equivalent)`);
        for (const argv of commands) {
          print(`$ ${commandLine(argv)}`);
          const { exitCode, output } = await this.exec(argv, {});
          collect(output);
          if (exitCode !== 0) return exitCode;
        }
        return 0;
      },
      [vendorCommand, ...commands.map(commandLine)],
    );
  }

  private async record(
    title: string,
    simulated: boolean,
    body: (print: (...lines: string[]) => void, collect: (output: string) => void) => Promise<number>,
    commands: string[],
  ): Promise<StepRecord> {
    const number = this.steps.length + 1;
    this.print('', `# ${number}. ${title}`);
    const t0 = performance.now();
    const outputs: string[] = [];
    const exitCode = await body(
      (...lines) => this.print(...lines),
      (output) => outputs.push(output),
    );
    const ms = performance.now() - t0;
    const step: StepRecord = { number, title, commands, exitCode, ms, simulated, output: outputs.join('\n') };
    this.steps.push(step);
    this.print(`  (${seconds(ms)}${exitCode !== 0 ? `, exit ${exitCode}` : ''})`);
    if (exitCode !== 0) throw new StepFailed(step, this.rollbackAdvice);
    return step;
  }

  private async exec(argv: readonly string[], options: CommandOptions): Promise<{ exitCode: number; output: string }> {
    const [file, ...args] = argv;
    const child = execa(file ?? '', args, {
      env: this.env,
      extendEnv: false,
      cwd: options.cwd ?? this.workDir,
      reject: false,
      stdin: 'ignore',
      all: true,
      // The output is read as it comes (shown, counted, logged), not buffered a second time.
      buffer: false,
    });
    // Output is shown as it comes, up to shownHeadLines a command (a crdsync plan of the Gloo CRDs
    // runs to thousands of lines), then only its last shownTailLines (where the verdict is); all of
    // it goes to the rehearsal's log.
    let shown = 0;
    let hidden = 0;
    let partial = '';
    const tail: string[] = [];
    const take = (line: string): void => {
      if (shown < shownHeadLines) {
        this.out.write(`${line}\n`);
        shown++;
        return;
      }
      tail.push(line);
      if (tail.length > shownTailLines) {
        tail.shift();
        hidden++;
      }
    };
    const chunks: Buffer[] = [];
    child.all?.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const lines = (partial + chunk.toString('utf8')).split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) take(line);
    });
    const result = await child;
    if (partial) take(partial);
    if (hidden > 0) this.print(`  … ${hidden} line(s) not shown (npm run demo -- --keep keeps them in ${this.logFile()}) …`);
    for (const line of tail) this.out.write(`${line}\n`);
    const output = Buffer.concat(chunks).toString('utf8');
    appendFileSync(this.logFile(), `$ ${commandLine(argv)}\n${output}\n`);
    // A command that could not start has no exit code: say why, as a shell would (127).
    if (result.exitCode === undefined) {
      this.print(`${file ?? ''}: ${result.shortMessage ?? 'could not start'}`);
      return { exitCode: 127, output: '' };
    }
    return { exitCode: result.exitCode, output };
  }

  /** logFile is where every command's full output goes. */
  logFile(): string {
    return join(this.workDir, 'rehearsal.log');
  }

  /** summary prints each step's time, and the total. */
  summary(): void {
    const total = this.steps.reduce((sum, s) => sum + s.ms, 0);
    this.print('', '# Step times');
    for (const s of this.steps)
      this.print(
        `  ${String(s.number).padStart(2)}. ${seconds(s.ms).padStart(7)}  ${s.title}${s.simulated ? ' (simulated vendor CLI)' : ''}`,
      );
    this.print(`      ${seconds(total).padStart(7)}  in all`);
  }
}
