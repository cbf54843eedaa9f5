/**
 * CPU time of the child processes a benchmark runs, next to the wall clock: on a shared machine
 * the wall clock of a 100 ms start-up swings with the load of other processes, while the CPU a
 * process needs to start does not. Linux keeps the total user + system time of all waited-for
 * children in /proc/self/stat (cutime, cstime), so the difference across a series of runs divided
 * by their number is the mean CPU time per run, exact to one clock tick over the whole series.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/** childCpuMs is the CPU time (user + system) of this process's reaped children so far, or undefined off Linux. */
export function childCpuMs(): number | undefined {
  if (process.platform !== 'linux') return undefined;
  // Fields after the command name, which is in parentheses and may hold spaces: cutime and cstime are fields 16 and 17.
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  return ((Number(fields[13]) + Number(fields[14])) * 1000) / ticksPerSecond;
}

/** Sample is one command's start-up: the median wall clock and the mean CPU time per run (undefined off Linux). */
export interface Sample {
  readonly wallMs: number;
  readonly cpuMs?: number;
}

/** median is the middle value (the upper one of an even count). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** formatRow prints a label, the wall clock and CPU figures and their ratios to a baseline sample. */
export function formatRow(label: string, sample: Sample, base: Sample, width = 44): string {
  const wall = `${sample.wallMs.toFixed(0).padStart(5)} ms ${(sample.wallMs / base.wallMs).toFixed(2).padStart(5)}x`;
  const cpu =
    sample.cpuMs !== undefined && base.cpuMs !== undefined
      ? `   cpu ${sample.cpuMs.toFixed(0).padStart(4)} ms ${(sample.cpuMs / base.cpuMs).toFixed(2).padStart(5)}x`
      : '';
  return `  ${label.padEnd(width)} ${wall}${cpu}`;
}
