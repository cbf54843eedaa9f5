/**
 * The one progress reporter of the suite, on stderr. Anything that can take more than a second
 * (save, restore, waits, the discovery settle) reports through it:
 * - on a terminal, one live line with counts, rate and time left, drawn by cli-progress (loaded
 *   only when the first task starts: `--help` and short commands never pay for it);
 * - otherwise (CI logs, `2>file`) a plain line every few seconds, so a 50,000-object restore is
 *   never silent for long;
 * - nothing at all with -q.
 * Lines a command logs while a bar is drawn are written above it.
 */
import type { Writable } from 'node:stream';
import type { IOStreams } from '../io/streams.js';

/** ProgressTaskOptions describe one task: a known total enables rate and time left. */
export interface ProgressTaskOptions {
  readonly total?: number;
  /** unit names what is counted, e.g. "objects". */
  readonly unit?: string;
}

/** ProgressTask is one long step. */
export interface ProgressTask {
  /** tick advances the count by `count` (default 1). */
  tick(count?: number): void;
  /** log writes a line to stderr (above the live line on a terminal). */
  log(line: string): void;
  /** done ends the task; `summary`, when given, is printed as a last line. */
  done(summary?: string): void;
}

/** ProgressReporter starts tasks. */
export interface ProgressReporter {
  task(label: string, options?: ProgressTaskOptions): ProgressTask;
}

/** ProgressOptions configure the reporter. */
export interface ProgressOptions {
  /** quiet drops everything but what a command logs as a warning elsewhere (-q). */
  readonly quiet?: boolean;
  /** intervalMs between plain lines when stderr is not a terminal. */
  readonly intervalMs?: number;
  readonly now?: () => number;
}

/** silentTask ignores everything (-q). */
export const silentTask: ProgressTask = { tick: () => undefined, log: () => undefined, done: () => undefined };

// Made on first use: building an Intl.NumberFormat loads ICU's number data (about 10 ms), and
// every plugin imports this module for `--help` too.
let numberFormat: Intl.NumberFormat | undefined;
const number = {
  format: (value: number): string => (numberFormat ??= new Intl.NumberFormat('en-US')).format(value),
};

/** describeProgress renders "label: 1,200/60,000 objects (2,400/s, about 24s left)". */
export function describeProgress(label: string, count: number, options: ProgressTaskOptions, elapsedMs: number): string {
  const unit = options.unit ? ` ${options.unit}` : '';
  const counter =
    options.total === undefined ? `${number.format(count)}${unit}` : `${number.format(count)}/${number.format(options.total)}${unit}`;
  const rate = elapsedMs > 0 ? (count * 1000) / elapsedMs : 0;
  const parts: string[] = [];
  if (rate > 0) parts.push(`${number.format(Math.round(rate))}/s`);
  if (rate > 0 && options.total !== undefined && options.total > count)
    parts.push(`about ${Math.ceil((options.total - count) / rate)}s left`);
  return `${label}: ${counter}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
}

type BarModule = typeof import('cli-progress');
type Bar = InstanceType<BarModule['SingleBar']>;

class LineTask implements ProgressTask {
  private count = 0;
  private readonly started: number;
  private lastLine: number;

  constructor(
    private readonly err: Writable,
    private readonly label: string,
    private readonly options: ProgressTaskOptions,
    private readonly intervalMs: number,
    private readonly now: () => number,
  ) {
    this.started = now();
    this.lastLine = this.started;
  }

  tick(count = 1): void {
    this.count += count;
    const time = this.now();
    if (time - this.lastLine < this.intervalMs) return;
    this.lastLine = time;
    this.err.write(`${describeProgress(this.label, this.count, this.options, time - this.started)}\n`);
  }

  log(line: string): void {
    this.err.write(`${line}\n`);
  }

  done(summary?: string): void {
    if (summary) this.err.write(`${summary}\n`);
  }
}

class BarTask implements ProgressTask {
  private count = 0;
  private bar: Bar | undefined;
  private finished = false;

  constructor(
    private readonly err: Writable,
    private readonly label: string,
    private readonly options: ProgressTaskOptions,
    barModule: Promise<BarModule>,
  ) {
    barModule.then(
      (module) => {
        if (this.finished) return;
        const unit = options.unit ? ` ${options.unit}` : '';
        const format =
          options.total === undefined
            ? `${label} {value}${unit}`
            : `${label} [{bar}] {value}/{total}${unit} | {speed}/s | {eta_formatted} left`;
        // cli-progress is CommonJS: bundled (dist/bin, the binaries) its exports are only the default one.
        const bars = (module as unknown as { default?: BarModule }).default ?? module;
        this.bar = new bars.SingleBar({
          format,
          stream: err,
          hideCursor: false,
          clearOnComplete: true,
          etaBuffer: 50,
          fps: 5,
          noTTYOutput: true,
          notTTYSchedule: 200,
        });
        this.bar.start(options.total ?? 0, this.count, { speed: '0' });
      },
      () => undefined, // Without the bar the task still counts; done() still prints its summary.
    );
  }

  private readonly started = Date.now();

  tick(count = 1): void {
    this.count += count;
    const elapsed = (Date.now() - this.started) / 1000;
    this.bar?.update(this.count, { speed: elapsed > 0 ? number.format(Math.round(this.count / elapsed)) : '0' });
  }

  log(line: string): void {
    // Erase the live line, write ours, and let the bar redraw below it.
    this.err.write(this.bar ? `\r\u001b[2K${line}\n` : `${line}\n`);
    this.bar?.render();
  }

  done(summary?: string): void {
    this.finished = true;
    this.bar?.stop();
    this.bar = undefined;
    if (summary) this.err.write(`${summary}\n`);
  }
}

/** createProgressReporter picks the live line on a terminal, plain lines otherwise, nothing with quiet. */
export function createProgressReporter(io: Pick<IOStreams, 'err' | 'errIsTTY'>, options: ProgressOptions = {}): ProgressReporter {
  let barModule: Promise<BarModule> | undefined;
  return {
    task(label, taskOptions = {}) {
      if (options.quiet) return silentTask;
      if (io.errIsTTY) {
        barModule ??= import('cli-progress');
        return new BarTask(io.err, label, taskOptions, barModule);
      }
      return new LineTask(io.err, label, taskOptions, options.intervalMs ?? 5000, options.now ?? Date.now);
    },
  };
}
