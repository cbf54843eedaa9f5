/** Flags for ScaleOptions as a user types durations ("5s"), turned into what the flag parser hands over. */
import { parseDuration } from '../../../shared/cli/flags.js';
import type { ScaleArgs } from '../../../plugins/kubectl-meshscale/commands/scale-command.js';

/** VerbArgs are ScaleArgs with durations as a user types them ("5s"). */
export type VerbArgs = Partial<Omit<ScaleArgs, 'timeout' | 'settleTimeout' | 'quietPeriod'>> & {
  timeout?: string;
  settleTimeout?: string;
  quietPeriod?: string;
};

/** parsed turns the durations into milliseconds, as withDuration does. */
export function parsed(args: VerbArgs): ScaleArgs {
  const ms = (text: string | undefined) => (text === undefined ? undefined : parseDuration(text));
  return { ...args, timeout: ms(args.timeout), settleTimeout: ms(args.settleTimeout), quietPeriod: ms(args.quietPeriod) };
}
