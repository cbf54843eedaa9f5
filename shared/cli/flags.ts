/**
 * The flags every plugin reads the same way: --dry-run (kubectl's three strategies, a bare flag
 * meaning client), durations in Go's form with a range, bounded integers, -o, -q and the product
 * profile (a built-in name or --profile-file). Each helper declares the flag on a yargs builder
 * and checks its value while parsing, so a bad value is one usage line (exit 2) before anything
 * runs; the parsed value reaches `complete` already typed.
 */
import type { Argv } from 'yargs';
import { UsageError } from '../errors/errors.js';

/** DryRun is kubectl's dry-run strategy: none writes, client only reads, server sends dryRun=All. */
export type DryRun = 'none' | 'client' | 'server';

/**
 * optionalValueFlags are flags that, like kubectl's pflag NoOptDefVal, take a value only after
 * "=": a bare `--dry-run` means client and never swallows the next argument.
 */
export const optionalValueFlags: Readonly<Record<string, string>> = { '--dry-run': 'client' };

/** parseDryRun reads a --dry-run value as kubectl's GetDryRunStrategy does. */
export function parseDryRun(value: unknown): DryRun {
  const text = value === undefined ? 'none' : String(value);
  switch (text) {
    case '':
    case 'client':
    case 'true':
      return 'client';
    case 'server':
      return 'server';
    case 'none':
    case 'false':
      return 'none';
    default:
      throw new UsageError(`Invalid dry-run value (${text}). Must be "none", "server", or "client".`);
  }
}

/** withDryRun declares --dry-run[=none|client|server]; a bare --dry-run is client, as in kubectl. */
export function withDryRun<T>(argv: Argv<T>): Argv<T & { 'dry-run': DryRun }> {
  return argv.option('dry-run', {
    type: 'string',
    default: 'none',
    coerce: parseDryRun,
    describe:
      'Must be "none", "server", or "client". client: only read and print what would change. server: send every write with dryRun=All. A bare --dry-run means client.',
  }) as unknown as Argv<T & { 'dry-run': DryRun }>;
}

const unitMs: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * parseDuration reads Go's time.ParseDuration form ("90s", "5m", "1h30m", "1.5h", "500ms") into
 * milliseconds. A bare number is seconds only where `bareSeconds` (flags that took seconds before).
 * Returns undefined for text that is not a duration.
 */
export function parseDuration(text: string, options: { bareSeconds?: boolean } = {}): number | undefined {
  const value = text.trim();
  if (options.bareSeconds && /^\d+(\.\d+)?$/.test(value)) return Number(value) * 1000;
  if (value === '0') return 0;
  if (!/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/.test(value)) return undefined;
  let ms = 0;
  for (const match of value.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) ms += Number(match[1]) * (unitMs[match[2] ?? 's'] ?? 0);
  return ms;
}

/** formatDuration prints milliseconds the way Go's Duration.String does, shortened: 1h30m0s → 1h30m. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  let seconds = Math.round(ms / 1000);
  const hours = Math.floor(seconds / 3600);
  seconds -= hours * 3600;
  const minutes = Math.floor(seconds / 60);
  seconds -= minutes * 60;
  return `${hours ? `${hours}h` : ''}${minutes ? `${minutes}m` : ''}${seconds || (!hours && !minutes) ? `${seconds}s` : ''}`;
}

/** DurationFlag declares a duration flag with its range. */
export interface DurationFlag {
  /** default in Go form, e.g. "5m". */
  readonly default: string;
  /** min and max in Go form; values outside are usage errors. */
  readonly min: string;
  readonly max: string;
  readonly describe: string;
  /** bareSeconds accepts a bare number as seconds (flags that took seconds before). */
  readonly bareSeconds?: boolean;
}

/** checkDuration parses a duration flag's value and checks its range (milliseconds). */
export function checkDuration(name: string, value: unknown, flag: Pick<DurationFlag, 'min' | 'max' | 'bareSeconds'>): number {
  const text = String(value);
  const ms = parseDuration(text, flag);
  const min = parseDuration(flag.min) ?? 0;
  const max = parseDuration(flag.max) ?? Number.POSITIVE_INFINITY;
  const form = flag.bareSeconds ? 'a number of seconds or a duration like 90s, 5m, 1h' : 'a duration like 90s, 5m, 1h30m';
  if (ms === undefined || !Number.isFinite(ms)) throw new UsageError(`invalid argument "${text}" for "--${name}" flag: must be ${form}`);
  if (ms < min || ms > max)
    throw new UsageError(`invalid argument "${text}" for "--${name}" flag: must be between ${flag.min} and ${flag.max}`);
  return ms;
}

/** withDuration declares a duration flag; the parsed value is milliseconds. */
export function withDuration<T, K extends string>(argv: Argv<T>, name: K, flag: DurationFlag): Argv<T & { [key in K]: number }> {
  return argv.option(name, {
    type: 'string',
    default: flag.default,
    describe: `${flag.describe} (${flag.min} to ${flag.max})`,
    coerce: (value: unknown) => checkDuration(name, value, flag),
  }) as unknown as Argv<T & { [key in K]: number }>;
}

/** IntegerFlag declares a bounded whole-number flag. */
export interface IntegerFlag {
  readonly default?: number;
  readonly min: number;
  readonly max: number;
  readonly describe: string;
}

/** checkInteger checks a whole number within [min, max]. */
export function checkInteger(name: string, value: unknown, flag: Pick<IntegerFlag, 'min' | 'max'>): number {
  const text = String(value).trim();
  const number = /^-?\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < flag.min || number > flag.max) {
    throw new UsageError(`invalid argument "${text}" for "--${name}" flag: must be a whole number from ${flag.min} to ${flag.max}`);
  }
  return number;
}

/** withInteger declares a bounded integer flag (optional when it has no default). */
export function withInteger<T, K extends string, D extends number | undefined = undefined>(
  argv: Argv<T>,
  name: K,
  flag: IntegerFlag & { default?: D },
): Argv<T & { [key in K]: D extends number ? number : number | undefined }> {
  return argv.option(name, {
    // A string, so "1e9" or "abc" reach the check as typed instead of as yargs' number guess.
    type: 'string',
    default: flag.default === undefined ? undefined : String(flag.default),
    describe: `${flag.describe} (${flag.min} to ${flag.max})`,
    coerce: (value: unknown) => (value === undefined ? undefined : checkInteger(name, value, flag)),
  }) as unknown as Argv<T & { [key in K]: D extends number ? number : number | undefined }>;
}

const sizeUnits: Readonly<Record<string, number>> = { '': 1, k: 1e3, M: 1e6, G: 1e9, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3 };

/** parseSize reads a Kubernetes-style quantity of bytes ("128Mi", "1Gi", "500M", "1048576"); undefined when it is not one. */
export function parseSize(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(k|M|G|Ki|Mi|Gi)?$/.exec(text.trim());
  if (!match) return undefined;
  return Math.round(Number(match[1]) * (sizeUnits[match[2] ?? ''] ?? 1));
}

/** SizeFlag declares a byte-size flag with its range. */
export interface SizeFlag {
  readonly default: string;
  readonly min: string;
  readonly max: string;
  readonly describe: string;
}

/** withSize declares a byte-size flag ("128Mi"); the parsed value is bytes. */
export function withSize<T, K extends string>(argv: Argv<T>, name: K, flag: SizeFlag): Argv<T & { [key in K]: number }> {
  return argv.option(name, {
    type: 'string',
    default: flag.default,
    describe: `${flag.describe} (${flag.min} to ${flag.max})`,
    coerce: (value: unknown) => {
      const bytes = parseSize(String(value));
      if (bytes === undefined)
        throw new UsageError(`invalid argument "${String(value)}" for "--${name}" flag: must be a size like 128Mi or 1Gi`);
      if (bytes < (parseSize(flag.min) ?? 0) || bytes > (parseSize(flag.max) ?? Number.POSITIVE_INFINITY)) {
        throw new UsageError(`invalid argument "${String(value)}" for "--${name}" flag: must be between ${flag.min} and ${flag.max}`);
      }
      return bytes;
    },
  }) as unknown as Argv<T & { [key in K]: number }>;
}

/** OutputFormat is what -o may select: a table (wide adds columns), json, yaml, or names only. */
export type OutputFormat = 'table' | 'wide' | 'json' | 'yaml' | 'name';

/** withOutput declares kubectl's -o/--output restricted to `formats`; without a fallback -o is optional (human output). */
export function withOutput<T, F extends string>(argv: Argv<T>, formats: readonly F[], fallback: F): Argv<T & { output: F }>;
export function withOutput<T, F extends string>(argv: Argv<T>, formats: readonly F[]): Argv<T & { output: F | undefined }>;
export function withOutput<T, F extends string>(argv: Argv<T>, formats: readonly F[], fallback?: F): Argv<T & { output: F | undefined }> {
  return argv.option('output', {
    alias: 'o',
    type: 'string',
    choices: formats,
    default: fallback,
    describe: `Output format. One of: (${formats.join(', ')}).`,
  }) as unknown as Argv<T & { output: F | undefined }>;
}

/** withQuiet declares -q/--quiet: no progress on stderr. */
export function withQuiet<T>(argv: Argv<T>): Argv<T & { quiet: boolean }> {
  return argv.option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'No progress output on stderr.' });
}

/** withProfile declares --profile NAME and --profile-file FILE (any operator's control plane, as YAML). */
export function withProfile<T>(argv: Argv<T>): Argv<T & { profile: string | undefined; 'profile-file': string | undefined }> {
  return argv
    .option('profile', {
      type: 'string',
      describe: 'Product profile: gloo-mesh, gloo-edge, nginx-service-mesh, or one from --profile-file.',
    })
    .option('profile-file', {
      type: 'string',
      describe: 'A YAML file describing another product (see the README); its name can then be given to --profile.',
    });
}
