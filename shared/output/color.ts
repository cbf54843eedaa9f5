/**
 * Colour decisions in one place: only when stdout is a terminal and NO_COLOR is unset or empty
 * (https://no-color.org: "when present and not an empty string … prevents the addition of colour").
 */
import type { IOStreams } from '../io/streams.js';

/** Painter wraps text in ANSI colours, or returns it unchanged when colour is off. */
export interface Painter {
  readonly enabled: boolean;
  bold(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  dim(text: string): string;
}

/** colorEnabled reports whether output to stdout may be coloured. */
export function colorEnabled(io: Pick<IOStreams, 'outIsTTY' | 'env'>): boolean {
  const noColor = io.env?.NO_COLOR;
  return io.outIsTTY && (noColor === undefined || noColor === '');
}

function sgr(enabled: boolean, open: number, close: number): (text: string) => string {
  return enabled ? (text) => `\u001b[${open}m${text}\u001b[${close}m` : (text) => text;
}

/** painter returns a Painter that colours only when `enabled`. */
export function painter(enabled: boolean): Painter {
  return {
    enabled,
    bold: sgr(enabled, 1, 22),
    red: sgr(enabled, 31, 39),
    green: sgr(enabled, 32, 39),
    yellow: sgr(enabled, 33, 39),
    dim: sgr(enabled, 2, 22),
  };
}
