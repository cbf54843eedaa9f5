/**
 * The skeleton every plugin runs on. A plugin's main.ts calls {@link runPlugin} with its name,
 * description and command list; everything else is here, the same for all four plugins:
 * argv and environment, streams, Ctrl-C and SIGTERM (interrupt.ts), kubectl's global flags,
 * strict parsing with kubectl's wording of usage errors, help with Examples, the `version` verb,
 * shell completion (`__complete`, for kubectl's `kubectl_complete-<plugin>` and helm's
 * `plugin.complete`), the one error formatter and the exit code.
 *
 * {@link runPluginWith} is the same without `process`, for tests.
 */
import os from 'node:os';
import yargs, { type Argv } from 'yargs';
import { CliError, UsageError } from '../errors/errors.js';
import { ExitCode } from '../errors/exit-codes.js';
import { formatError } from '../errors/format-error.js';
import { processStreams, type IOStreams } from '../io/streams.js';
import { createKubeConnector, type KubeConnector } from '../kube/client.js';
import { readTextFileIfExists } from '../kube/kubeconfig.js';
import type { RetryPolicy } from '../kube/retry.js';
import { redact } from '../log/redact.js';
import type { Logger } from '../log/logger.js';
import { createProgressReporter, type ProgressReporter } from '../output/progress.js';
import { commandModule, commandWord, type CommandContext, type CommandFactory, type GlobalFlags, type PluginCommand } from './command.js';
import { completeWords } from './completion.js';
import { optionalValueFlags } from './flags.js';
import { helmDebugFromEnv } from './helm-debug.js';
import { Interrupt, exitCodeFor, interruptedLine, type SignalName } from './interrupt.js';
import { readToolVersion } from './tool-version.js';
import { createVersionCommand } from './version-command.js';

/** PluginDefinition is all a plugin's main.ts says about itself. */
export interface PluginDefinition {
  /** toolName is the executable name: User-Agent, field manager, `version` output. */
  readonly toolName: string;
  /** scriptName as users type it: "kubectl meshbackup", "helm crdsync". */
  readonly scriptName: string;
  /** description is the one-line summary at the top of --help. */
  readonly description: string;
  /**
   * host is how the plugin is run. A helm plugin gets --debug, --kube-context, -n and
   * --kubeconfig from helm as HELM_DEBUG, HELM_KUBECONTEXT, HELM_NAMESPACE and KUBECONFIG.
   */
  readonly host: 'kubectl' | 'helm';
  /** commands lists the verbs in help order; `version` is added. */
  readonly commands: CommandFactory;
  /** retryPolicy overrides the default for every request (meshscale rides out longer outages). */
  readonly retryPolicy?: RetryPolicy;
}

/** PluginRuntime is what runPlugin reads from the process; tests pass their own. */
export interface PluginRuntime {
  readonly args: readonly string[];
  readonly io: IOStreams;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly interrupt: Interrupt;
  /** kube overrides the connector built from env (tests). */
  readonly kube?: KubeConnector;
  readonly homeDir?: string;
}

function dynamicLogger(io: IOStreams, level: () => number): Logger {
  const write = (line: string): void => {
    io.err.write(`${redact(line)}\n`);
  };
  return {
    get level() {
      return level();
    },
    enabled: (wanted) => level() >= wanted,
    info: (message) => write(message),
    warn: (message) => write(`Warning: ${message}`),
    v(wanted, message, detail) {
      if (level() < wanted) return;
      write(detail === undefined ? message : `${message} ${JSON.stringify(redact(detail))}`);
    },
  };
}

/** invokedCommand finds which verb the arguments name, for the "See '<command> --help'" hint. */
export function invokedCommand(args: readonly string[], commands: readonly PluginCommand[]): string | undefined {
  const positional = args.find((arg) => !arg.startsWith('-'));
  for (const command of commands) {
    const names = [commandWord(command.spec.name), ...(command.spec.aliases ?? [])];
    if (positional !== undefined && names.includes(positional)) return names[0];
  }
  return undefined;
}

/**
 * normalizeArgs rewrites the arguments the way pflag reads them where yargs would not:
 * a bare `--dry-run` means client and takes no value unless written `--dry-run=VALUE`
 * (NoOptDefVal), and `--timeout -5s` passes "-5s" as the value instead of as flags.
 */
export function normalizeArgs(args: readonly string[]): string[] {
  const result: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--') {
      result.push(...args.slice(i));
      break;
    }
    const bare = optionalValueFlags[arg];
    if (bare !== undefined) {
      result.push(`${arg}=${bare}`);
      continue;
    }
    const next = args[i + 1];
    if (/^--[a-z][a-z0-9-]*$/.test(arg) && next !== undefined && /^-\d/.test(next)) {
      result.push(`${arg}=${next}`);
      i++;
      continue;
    }
    result.push(arg);
  }
  return result;
}

// yargs reports "Unknown argument: nope" without dashes; kubectl says "unknown flag: --nope" or
// 'unknown command "x" for "kubectl"'. Translate using the raw arguments.
function kubectlUsageMessage(message: string, args: readonly string[], scriptName: string): string {
  const choice = /Invalid values:\s*Argument: (\S+), Given: (".*?"|\S+), Choices: (.*)$/s.exec(message);
  if (choice?.[1] && choice[2] && choice[3]) {
    const flag = choice[1].length === 1 ? `-${choice[1]}` : `--${choice[1]}`;
    return `invalid argument ${choice[2]} for "${flag}" flag: must be one of ${choice[3].replace(/"/g, '')}`;
  }
  const missing = /^Missing required arguments?: (.+)$/.exec(message);
  if (missing?.[1])
    return `required flag(s) ${missing[1]
      .split(', ')
      .map((name) => `"${name}"`)
      .join(', ')} not set`;
  const match = /^Unknown arguments?: (.+)$/.exec(message);
  if (!match?.[1]) return message;
  const first = match[1].split(', ')[0] ?? '';
  // yargs reports "--no-foo" as the negation of "foo".
  const flag = args.find((arg) => {
    const name = arg.replace(/^-+/, '').split('=')[0];
    return arg.startsWith('-') && (name === first || name === `no-${first}`);
  });
  if (flag) return `unknown flag: ${flag.split('=')[0]}`;
  return `unknown command "${first}" for "${scriptName}"`;
}

function parseVerbosity(value: unknown): number {
  const text = String(value);
  const level = /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(level) || level < 0 || level > 10) {
    throw new UsageError(`invalid argument "${text}" for "-v, --v" flag: must be a whole number from 0 to 10`);
  }
  return level;
}

/** globalFlags declares -v and --debug on a parser. */
export function globalFlags<T>(parser: Argv<T>, debugDefault: boolean): Argv<GlobalFlags> {
  return parser
    .option('v', {
      // A string, so "-v x" reaches parseVerbosity as "x" rather than as NaN.
      type: 'string',
      default: '0',
      describe: 'Log level: 4 debug, 6 HTTP requests, 8 request bodies (secrets are always redacted).',
      coerce: parseVerbosity,
    })
    .option('debug', { type: 'boolean', default: debugDefault, describe: 'Print stack traces on errors.' }) as unknown as Argv<GlobalFlags>;
}

/** pluginCommands is the plugin's list plus the `version` verb every plugin has. */
export function pluginCommands(definition: PluginDefinition, ctx: CommandContext): PluginCommand[] {
  return [...definition.commands(ctx), createVersionCommand()];
}

/** runPluginWith runs one invocation and returns the exit code; it never touches `process`. */
export async function runPluginWith(definition: PluginDefinition, runtime: PluginRuntime): Promise<number> {
  const { io, env, interrupt } = runtime;
  const helm = definition.host === 'helm';
  let verbosity = 0;
  let debug = helm && helmDebugFromEnv(env);
  let quiet = false;
  const logger = dynamicLogger(io, () => verbosity);
  const toolVersion = readToolVersion();
  let progress: ProgressReporter | undefined;
  const kube =
    runtime.kube ??
    createKubeConnector({
      environment: { env, homeDir: runtime.homeDir ?? os.homedir(), readFile: readTextFileIfExists },
      logger,
      retryPolicy: definition.retryPolicy,
      toolName: definition.toolName,
      toolVersion,
      // Helm strips --kube-context and -n from a plugin's arguments and passes them in the
      // environment; empty means "not given".
      flagDefaults: helm ? { context: env.HELM_KUBECONTEXT || undefined, namespace: env.HELM_NAMESPACE || undefined } : undefined,
    });
  const ctx: CommandContext = {
    io,
    logger,
    scriptName: definition.scriptName,
    toolName: definition.toolName,
    toolVersion,
    get signal() {
      return interrupt.signal;
    },
    onExit: (cleanup) => interrupt.onExit(cleanup),
    kube,
    env,
    progress: (label, options) => (progress ??= createProgressReporter(io, { quiet })).task(label, options),
  };
  const commands = pluginCommands(definition, ctx);

  if (runtime.args[0] === '__complete') {
    io.out.write(completeWords(runtime.args.slice(1), commands, { env, homeDir: runtime.homeDir ?? os.homedir(), debugDefault: debug }));
    return ExitCode.Success;
  }

  // `kubectl meshbackup` alone prints help, like a cobra root command without Run.
  const hasDefault = commands.some((command) => commandWord(command.spec.name) === '');
  const args = runtime.args.length === 0 && !hasDefault ? ['--help'] : normalizeArgs(runtime.args);
  // Errors thrown by the handlers are the command's; anything else yargs threw is a usage error.
  const handlerErrors = new WeakSet<object>();
  let parser = globalFlags(yargs(args), debug)
    .scriptName(definition.scriptName)
    .usage(`${definition.description}\n\nUsage: $0 <command> [flags]`)
    .middleware((argv) => {
      verbosity = Number(argv.v);
      debug = argv.debug;
      quiet = (argv as { quiet?: boolean }).quiet === true;
    }, true)
    .strict()
    .demandCommand(1, 'a command is required')
    .fail(false)
    .showHelpOnFail(false)
    .help('help')
    .alias('h', 'help')
    // kubectl has no --version flag: the version verb says it.
    .version(false)
    // A fixed width keeps help identical on every terminal and in tests.
    .wrap(100)
    // Every message is English: yargs' own in LANG's language would break kubectlUsageMessage and differ per build.
    .locale('en') as Argv<GlobalFlags>;
  for (const command of commands) {
    const module = commandModule(command, ctx);
    const handler = module.handler;
    parser = parser.command({
      ...module,
      handler: async (argv) => {
        try {
          await handler(argv);
        } catch (err) {
          if (err instanceof Object) handlerErrors.add(err);
          throw err;
        }
      },
    });
  }

  try {
    let output = '';
    // A parse callback makes yargs hand back help text instead of printing and exiting.
    await parser.parseAsync(args, {}, (_err, _argv, text) => {
      output += text;
    });
    if (output !== '') io.out.write(output.endsWith('\n') ? output : `${output}\n`);
    return ExitCode.Success;
  } catch (err) {
    const verb = invokedCommand(args, commands);
    const helpCommand = verb ? `${definition.scriptName} ${verb}` : definition.scriptName;
    const fromYargs = !(err instanceof CliError) && !(err instanceof Object && handlerErrors.has(err));
    const error = fromYargs && err instanceof Error ? new UsageError(kubectlUsageMessage(err.message, args, definition.scriptName)) : err;
    const formatted = formatError(error, { verbosity, debug, helpCommand });
    for (const line of formatted.lines) io.err.write(`${line}\n`);
    return formatted.exitCode;
  }
}

/**
 * runPlugin is the whole of a plugin's main.ts: it reads the process, runs one invocation and
 * exits with its code. The first Ctrl-C (or SIGTERM) asks the command to stop at a safe point;
 * a second one, or one while a command cannot stop by itself, exits at once after the
 * registered cleanups.
 */
export async function runPlugin(definition: PluginDefinition): Promise<never> {
  const interrupt = new Interrupt();
  const io = processStreams(process);
  const onSignal = (signal: SignalName): void => {
    if (interrupt.receive(signal) === 'abort') return;
    interrupt.runCleanups();
    process.stderr.write(interruptedLine(signal));
    process.exit(exitCodeFor(signal));
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  const code = await runPluginWith(definition, { args: process.argv.slice(2), io, env: process.env, interrupt });
  // helm 4 (Go) hands plugins a non-blocking stdout pipe: Node then queues big writes, and exiting
  // at once dropped the end of a 300 KB `-o json` plan. A write's callback runs once all before it are out.
  const flushed = (stream: NodeJS.WriteStream): Promise<void> => new Promise((resolve) => stream.write('', () => resolve()));
  await Promise.all([flushed(process.stdout), flushed(process.stderr)]);
  process.exit(code);
}
