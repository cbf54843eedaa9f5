/**
 * `-o json|yaml` printers (the flag that selects them is shared/cli/flags.ts withOutput). JSON is indented by four spaces and YAML
 * keeps key order and long lines, as `kubectl get -o json|yaml` does, so output diffs cleanly
 * against kubectl's.
 */
import yaml from 'js-yaml';
import type { Writable } from 'node:stream';

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
