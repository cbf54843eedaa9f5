/**
 * Progress reporting on stderr, drawn only when stderr is a terminal. Piped or redirected runs
 * (CI logs, `2>file`) get nothing, so logs are not littered with carriage returns.
 */
import type { Writable } from 'node:stream';
import type { IOStreams } from '../io/streams.js';

/** ProgressReporter tracks one long step, e.g. "backing up virtualservices 120/400". */
export interface ProgressReporter {
  /** start begins a step; `total` enables a "n/total" counter. */
  start(label: string, total?: number): void;
  /** tick advances the counter by `count` (default 1). */
  tick(count?: number): void;
  /** done ends the step and clears the line. */
  done(): void;
}

/** silentProgress ignores everything (non-TTY stderr, tests, -o json pipelines). */
export const silentProgress: ProgressReporter = {
  start: () => undefined,
  tick: () => undefined,
  done: () => undefined,
};

/** TtyProgress redraws a single stderr line with "\r" and erases it when done. */
export class TtyProgress implements ProgressReporter {
  private label = '';
  private total: number | undefined;
  private count = 0;

  constructor(private readonly err: Writable) {}

  start(label: string, total?: number): void {
    this.label = label;
    this.total = total;
    this.count = 0;
    this.draw();
  }

  tick(count = 1): void {
    this.count += count;
    this.draw();
  }

  done(): void {
    // "\r" + erase-line (ESC [2K) leaves the cursor at the start of a clean line.
    this.err.write('\r\u001b[2K');
  }

  private draw(): void {
    const counter = this.total === undefined ? `${this.count}` : `${this.count}/${this.total}`;
    this.err.write(`\r\u001b[2K${this.label} ${counter}`);
  }
}

/** progressFor picks the TTY reporter when stderr is a terminal and the silent one otherwise. */
export function progressFor(io: Pick<IOStreams, 'err' | 'errIsTTY'>): ProgressReporter {
  return io.errIsTTY ? new TtyProgress(io.err) : silentProgress;
}
