/**
 * kubectl's connection flags (cli-runtime genericclioptions.ConfigFlags) for yargs builders, with
 * kubectl's spellings so users can paste flags between `kubectl get` and our plugins.
 */
import type { Argv } from 'yargs';
import { UsageError } from '../errors/errors.js';
import { checkDuration } from '../cli/flags.js';

/** KubeFlagValues are the parsed connection flags (yargs camel-cases the dashed names). */
export interface KubeFlagValues {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly namespace?: string;
  readonly allNamespaces?: boolean;
  readonly requestTimeout?: string;
}

/** AddKubeFlagsOptions selects the optional members of the flag set. */
export interface AddKubeFlagsOptions {
  /** allNamespaces adds -A/--all-namespaces for commands that can act across namespaces. */
  readonly allNamespaces?: boolean;
}

/** addKubeFlags declares --kubeconfig, --context, -n/--namespace, [-A/--all-namespaces] and --request-timeout. */
export function addKubeFlags<T>(argv: Argv<T>, options: AddKubeFlagsOptions = {}): Argv<T & KubeFlagValues> {
  let result = argv
    .option('kubeconfig', { type: 'string', describe: 'Path to the kubeconfig file to use for CLI requests.' })
    .option('context', { type: 'string', describe: 'The name of the kubeconfig context to use.' })
    .option('namespace', { alias: 'n', type: 'string', describe: 'If present, the namespace scope for this CLI request.' })
    .option('request-timeout', {
      type: 'string',
      describe: `The length of time to wait before giving up on a single server request. Non-zero values should contain a corresponding time unit (e.g. 1s, 2m, 3h). A value of zero means don't timeout requests. (0 to ${maxRequestTimeout})`,
      default: '0',
      // Checked while the flags are parsed, like every other flag: a bad value is the one error
      // reported, before any work starts. The value stays text; the connection reads it again.
      coerce: (value: unknown) => {
        parseRequestTimeout(String(value));
        return String(value);
      },
    });
  if (options.allNamespaces) {
    result = result.option('all-namespaces', {
      alias: 'A',
      type: 'boolean',
      describe: 'If present, act across all namespaces. Namespace in current context is ignored even if specified with --namespace.',
    });
  }
  return result as unknown as Argv<T & KubeFlagValues>;
}

/**
 * validateNamespaceFlags rejects -n together with -A for commands where both would be ambiguous
 * (kubectl itself lets -A win; a restore or scale that silently widens its scope is unsafe).
 */
export function validateNamespaceFlags(flags: KubeFlagValues): void {
  if (flags.allNamespaces && flags.namespace) {
    throw new UsageError('--namespace and --all-namespaces cannot be used together');
  }
}

/** requestTimeoutRange bounds --request-timeout: no single request needs longer, and past about 596h Node's timers overflow. */
const requestTimeoutRange = { min: '0', max: '24h', bareSeconds: true } as const;
export const maxRequestTimeout = requestTimeoutRange.max;

/**
 * parseRequestTimeout converts kubectl's --request-timeout ("0", "30", "30s", "1m30s", "2h") to
 * milliseconds, within its range, through the shared duration check; 0 means no timeout and
 * returns undefined. A bare number is seconds, as in kubectl.
 */
export function parseRequestTimeout(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const ms = checkDuration('request-timeout', text.trim(), requestTimeoutRange);
  return ms === 0 ? undefined : Math.round(ms);
}
