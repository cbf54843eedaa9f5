/**
 * `-o json|yaml` printers and the flag that selects them. JSON is indented by four spaces and YAML
 * keeps key order and long lines, as `kubectl get -o json|yaml` does, so output diffs cleanly
 * against kubectl's.
 */
import yaml from 'js-yaml';
import type { Writable } from 'node:stream';
import type { Argv } from 'yargs';

/** OutputFormat is a machine-readable format a command can print. */
export type OutputFormat = 'json' | 'yaml';

/** toJson renders a value the way `kubectl -o json` does (four-space indent, trailing newline). */
export function toJson(value: unknown): string {
  return `${JSON.stringify(value, null, 4)}\n`;
}

/** toYaml renders a value without anchors, in insertion order, without folding long strings. */
export function toYaml(value: unknown): string {
  return yaml.dump(value, { noRefs: true, sortKeys: false, lineWidth: -1 });
}

/** printObject writes `value` to `out` in `format`. */
export function printObject(out: Writable, value: unknown, format: OutputFormat): void {
  out.write(format === 'json' ? toJson(value) : toYaml(value));
}

/** AddOutputFlagOptions chooses which formats `-o` accepts besides the command's default human output. */
export interface AddOutputFlagOptions<F extends string> {
  /** Accepted values, e.g. ['json', 'yaml'] or ['table', 'json', 'yaml', 'name']. */
  readonly formats: readonly F[];
  /** Default when -o is absent; omit to leave it undefined (human output). */
  readonly default?: F;
}

/**
 * addOutputFlag declares kubectl's `-o/--output` on a yargs builder, restricted to `formats`.
 * An unknown value is a usage error raised by yargs (exit 2).
 */
export function addOutputFlag<T, F extends string>(
  argv: Argv<T>,
  options: AddOutputFlagOptions<F>,
): Argv<T & { output: F | undefined }> {
  return argv.option('output', {
    alias: 'o',
    type: 'string',
    choices: options.formats,
    default: options.default,
    describe: `Output format. One of: (${options.formats.join(', ')}).`,
  }) as unknown as Argv<T & { output: F | undefined }>;
}
