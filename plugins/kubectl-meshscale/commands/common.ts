/**
 * Flag helpers shared by the meshscale commands.
 */
import { UsageError } from '../../../shared/errors/errors.js';

/** parseDuration parses 500ms, 30s, 5m or 1h into milliseconds. */
export function parseDuration(flag: string, text: string): number {
  const match = /^(\d+)(ms|s|m|h)$/.exec(text.trim());
  if (!match) throw new UsageError(`invalid --${flag} "${text}": use a duration such as 30s or 5m`);
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[match[2] as 'ms' | 's' | 'm' | 'h'];
  return Number(match[1]) * factor;
}
