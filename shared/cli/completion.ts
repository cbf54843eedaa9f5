/**
 * Shell completion for every plugin, in cobra's `__complete` protocol, which is what kubectl
 * (through a `kubectl_complete-<plugin>` executable on PATH, since kubectl 1.26) and helm
 * (through the plugin's `plugin.complete`) ask a plugin for: given the words typed so far, the
 * last one being completed (possibly ""), print one candidate per line ("value\tdescription")
 * and a last line ":<directive>". Candidates come from the declared commands (verbs, flags, flag
 * choices), the built-in profiles, and the kubeconfig (contexts and their namespaces): nothing is
 * asked of a cluster, so completion is instant and works offline.
 */
import yargs from 'yargs';
import { resolveKubeconfig, readTextFileIfExists } from '../kube/kubeconfig.js';
import { builtinProfiles } from '../profiles/index.js';
import { commandWord, type PluginCommand } from './command.js';

/** Directive is cobra's ShellCompDirective. */
export const Directive = {
  /** Default: the shell may complete file names when no candidate fits. */
  Default: 0,
  Error: 1,
  NoSpace: 2,
  /** NoFileComp: only our candidates. */
  NoFileComp: 4,
} as const;

/** CompletionEnvironment is where kubeconfig candidates come from. */
export interface CompletionEnvironment {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly homeDir: string;
  readonly debugDefault: boolean;
}

interface FlagInfo {
  readonly names: string[];
  readonly takesValue: boolean;
  readonly choices?: readonly string[];
  readonly describe: string;
}

const globalFlagInfo: FlagInfo[] = [
  { names: ['--v', '-v'], takesValue: true, describe: 'Log level' },
  { names: ['--debug'], takesValue: false, describe: 'Print stack traces on errors' },
  { names: ['--help', '-h'], takesValue: false, describe: 'Show help' },
];

interface ParserView {
  getOptions(): { key: Record<string, boolean>; alias: Record<string, string[]>; boolean: string[]; choices: Record<string, string[]> };
  getInternalMethods(): { getUsageInstance(): { getDescriptions(): Record<string, string | undefined> } };
}

/** commandFlags reads a command's declared flags from a scratch parser. */
function commandFlags(command: PluginCommand): FlagInfo[] {
  // getOptions and the usage instance are yargs' own (untyped) view of what a builder declared.
  // version(false): a command may declare its own --version (helm crdsync: the chart version).
  const parser = command.spec.flags(
    yargs([]).version(false) as unknown as Parameters<typeof command.spec.flags>[0],
  ) as unknown as ParserView;
  const options = parser.getOptions();
  const descriptions = parser.getInternalMethods().getUsageInstance().getDescriptions();
  const flags: FlagInfo[] = [];
  for (const key of Object.keys(options.key)) {
    if (key === 'help' || key === 'version') continue;
    const aliases = (options.alias[key] ?? []).map((alias) => (alias.length === 1 ? `-${alias}` : `--${alias}`));
    flags.push({
      names: [`--${key}`, ...aliases],
      takesValue: !options.boolean.includes(key),
      choices: options.choices[key],
      describe: (descriptions[key] ?? '').split(/(?<=\.) /)[0] ?? '',
    });
  }
  return [...flags, ...globalFlagInfo];
}

function kubeconfigCandidates(environment: CompletionEnvironment): { contexts: string[]; namespaces: string[] } {
  try {
    const resolved = resolveKubeconfig({}, { env: environment.env, homeDir: environment.homeDir, readFile: readTextFileIfExists });
    const contexts = resolved.config.contexts.map((entry) => entry.name);
    const namespaces = resolved.config.contexts.flatMap((entry) => (entry.context.namespace ? [entry.context.namespace] : []));
    return { contexts, namespaces };
  } catch {
    // No kubeconfig, or one that does not parse: nothing to offer, and never an error while typing.
    return { contexts: [], namespaces: [] };
  }
}

function valueCandidates(flag: FlagInfo, environment: CompletionEnvironment): { values: string[]; directive: number } {
  if (flag.choices) return { values: [...flag.choices], directive: Directive.NoFileComp };
  const name = flag.names[0];
  switch (name) {
    case '--profile':
      return { values: builtinProfiles.map((profile) => `${profile.name}\t${profile.displayName}`), directive: Directive.NoFileComp };
    case '--context':
      return { values: kubeconfigCandidates(environment).contexts, directive: Directive.NoFileComp };
    case '--namespace': {
      const namespaces = new Set([
        ...kubeconfigCandidates(environment).namespaces,
        'default',
        ...builtinProfiles.map((profile) => profile.namespace),
      ]);
      return { values: [...namespaces].sort(), directive: Directive.NoFileComp };
    }
    case '--filename':
    case '--kubeconfig':
    case '--profile-file':
    case '--crds-from':
      // Let the shell complete file names.
      return { values: [], directive: Directive.Default };
    default:
      return { values: [], directive: Directive.NoFileComp };
  }
}

/** completeWords answers one `__complete` request: candidates, then ":<directive>". */
export function completeWords(words: readonly string[], commands: readonly PluginCommand[], environment: CompletionEnvironment): string {
  const typed = words.length === 0 ? [''] : [...words];
  const partial = typed[typed.length - 1] ?? '';
  const before = typed.slice(0, -1);
  const verbs = commands.filter((command) => commandWord(command.spec.name) !== '');
  const defaultCommand = commands.find((command) => commandWord(command.spec.name) === '');
  const verb = verbs.find((command) => before.includes(commandWord(command.spec.name)));
  const active = verb ?? defaultCommand;
  const flags = active ? commandFlags(active) : globalFlagInfo;
  const lines: string[] = [];
  let directive: number = Directive.NoFileComp;

  const previous = before[before.length - 1];
  const valueOf = previous?.startsWith('-') && !previous.includes('=') ? flags.find((flag) => flag.names.includes(previous)) : undefined;
  const inlineFlag =
    partial.startsWith('--') && partial.includes('=') ? flags.find((flag) => flag.names.includes(partial.split('=')[0] ?? '')) : undefined;

  if (valueOf?.takesValue) {
    const { values, directive: valueDirective } = valueCandidates(valueOf, environment);
    lines.push(...values.filter((value) => value.startsWith(partial)));
    directive = valueDirective;
  } else if (inlineFlag?.takesValue) {
    const prefix = `${partial.split('=')[0]}=`;
    const { values, directive: valueDirective } = valueCandidates(inlineFlag, environment);
    lines.push(...values.map((value) => `${prefix}${value}`).filter((value) => value.startsWith(partial)));
    directive = valueDirective;
  } else if (partial.startsWith('-')) {
    for (const flag of flags) {
      for (const name of flag.names) if (name.startsWith(partial)) lines.push(flag.describe ? `${name}\t${flag.describe}` : name);
    }
  } else if (!verb && before.filter((word) => !word.startsWith('-')).length === 0) {
    for (const command of verbs) {
      const word = commandWord(command.spec.name);
      if (word.startsWith(partial)) lines.push(`${word}\t${command.spec.describe}`);
    }
    // A default command (helm crdsync CHART) also takes a positional: let the shell offer files.
    if (defaultCommand) directive = Directive.Default;
  } else if (active && /\[|</.test(active.spec.name)) {
    directive = Directive.Default;
  }
  return `${[...lines, `:${directive}`].join('\n')}\n`;
}
