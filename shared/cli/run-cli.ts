/**
 * The composition-root helper every plugin's main.ts calls: it builds the yargs parser the same
 * way for all plugins (kubectl-style global flags, strict parsing, explicit command list, help to
 * stdout), runs the chosen command, and turns whatever it throws into one line on stderr and an
 * exit code. It never touches `process`: main.ts passes argv and streams in and exits with the
 * returned code.
 */
import yargs, { type Argv, type CommandModule } from 'yargs';
import { CliError, UsageError } from '../errors/errors.js';
import { formatError } from '../errors/format-error.js';
import type { IOStreams } from '../io/streams.js';
import { redact } from '../log/redact.js';
import type { Logger } from '../log/logger.js';

/** GlobalFlags are the flags every command of every plugin accepts. */
export interface GlobalFlags {
  /** v is kubectl's log verbosity (-v 4 debug, -v 6 requests, -v 8 bodies). */
  readonly v: number;
  /** debug adds stack traces to errors (like -v 6); helm-crdsync also sets it from HELM_DEBUG. */
  readonly debug: boolean;
}

/** CliCommand is a yargs command module accepting the global flags. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each command declares its own argv type.
export type CliCommand = CommandModule<GlobalFlags, any>;

/** CliRuntime is what run-cli hands to the plugin's command factory. */
export interface CliRuntime {
  readonly io: IOStreams;
  /** logger writes to stderr; its level follows -v once arguments are parsed. */
  readonly logger: Logger;
  /** scriptName is how users invoke the plugin, e.g. "kubectl meshbackup". */
  readonly scriptName: string;
  /** toolVersion is the plugin's version (package.json). */
  readonly toolVersion: string;
}

/** RunCliOptions describe one plugin invocation. */
export interface RunCliOptions {
  /** scriptName as users type it: "kubectl meshbackup", "helm crdsync". */
  readonly scriptName: string;
  /** toolVersion printed by --version and `version`. */
  readonly toolVersion: string;
  /** args are the user's arguments (hideBin(process.argv)). */
  readonly args: readonly string[];
  readonly io: IOStreams;
  /** commands builds the explicit command list (no commandDir: bundlers cannot follow it). */
  readonly commands: (runtime: CliRuntime) => readonly CliCommand[];
  /** debugDefault turns --debug on by default (helm plugins: HELM_DEBUG=true). */
  readonly debugDefault?: boolean;
  /** description is the one-line summary shown at the top of --help. */
  readonly description?: string;
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

function commandNames(command: CliCommand): string[] {
  const first = (Array.isArray(command.command) ? command.command[0] : command.command) ?? '';
  const aliases = Array.isArray(command.aliases) ? command.aliases : command.aliases ? [command.aliases] : [];
  return [String(first).split(' ')[0] ?? '', ...aliases];
}

/** invokedCommand finds which command the arguments name, for the "See '<command> -h'" hint. */
export function invokedCommand(args: readonly string[], commands: readonly CliCommand[]): string | undefined {
  const positional = args.find((arg) => !arg.startsWith('-'));
  return commands.map(commandNames).find((names) => positional !== undefined && names.includes(positional))?.[0];
}

// yargs reports "Unknown argument: nope" without dashes; kubectl says "unknown flag: --nope" or
// 'unknown command "x" for "kubectl"'. Translate using the raw arguments.
function kubectlUsageMessage(message: string, args: readonly string[], scriptName: string): string {
  const choice = /Invalid values:\s*Argument: (\S+), Given: (".*?"|\S+), Choices: (.*)$/s.exec(message);
  if (choice?.[1] && choice[2] && choice[3]) {
    const flag = choice[1].length === 1 ? `-${choice[1]}` : `--${choice[1]}`;
    return `invalid argument ${choice[2]} for "${flag}" flag: must be one of ${choice[3].replace(/"/g, '')}`;
  }
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
  const level = Number(value);
  if (!Number.isInteger(level) || level < 0) {
    throw new UsageError(`invalid argument "${String(value)}" for "-v, --v" flag: must be a non-negative integer`);
  }
  return level;
}

/**
 * runCli parses `args`, runs the command, and returns the exit code: 0 on success (and for
 * --help/--version), the error's exitCode otherwise. Help goes to stdout; errors to stderr.
 */
export async function runCli(options: RunCliOptions): Promise<number> {
  const { io, scriptName } = options;
  let verbosity = 0;
  let debug = options.debugDefault ?? false;
  const runtime: CliRuntime = {
    io,
    logger: dynamicLogger(io, () => verbosity),
    scriptName,
    toolVersion: options.toolVersion,
  };
  const commands = options.commands(runtime);
  // Errors thrown by command handlers are the command's; anything else yargs threw is a usage error.
  const handlerErrors = new WeakSet<object>();
  const wrapped = commands.map(
    (command): CliCommand => ({
      ...command,
      handler: async (argv) => {
        try {
          await command.handler(argv);
        } catch (err) {
          if (err instanceof Object) handlerErrors.add(err);
          throw err;
        }
      },
    }),
  );
  // `kubectl meshbackup` alone prints help, like a cobra root command without Run.
  const args = options.args.length === 0 ? ['--help'] : [...options.args];
  let parser: Argv<GlobalFlags> = yargs(args)
    .scriptName(scriptName)
    .usage(options.description ? `${options.description}\n\nUsage: $0 <command> [flags]` : '$0 <command> [flags]')
    .option('v', {
      // A string, so "-v x" reaches parseVerbosity as "x" rather than as NaN.
      type: 'string',
      default: '0',
      describe: 'Log level: 4 debug, 6 HTTP requests, 8 request bodies (secrets are always redacted).',
      coerce: parseVerbosity,
    })
    .option('debug', { type: 'boolean', default: options.debugDefault ?? false, describe: 'Print stack traces on errors.' })
    .middleware((argv) => {
      verbosity = Number(argv.v);
      debug = argv.debug;
    }, true)
    .strict()
    .demandCommand(1, 'a command is required')
    .fail(false)
    .showHelpOnFail(false)
    .help('help')
    .alias('h', 'help')
    .version(options.toolVersion)
    // A fixed width keeps help identical on every terminal and in tests.
    .wrap(100) as unknown as Argv<GlobalFlags>;
  for (const command of wrapped) parser = parser.command(command);

  try {
    let output = '';
    // A parse callback makes yargs hand back help/version text instead of printing and exiting.
    await parser.parseAsync(args, {}, (_err, _argv, text) => {
      output += text;
    });
    if (output !== '') io.out.write(output.endsWith('\n') ? output : `${output}\n`);
    return 0;
  } catch (err) {
    const command = invokedCommand(args, commands);
    const helpCommand = command ? `${scriptName} ${command}` : scriptName;
    const fromYargs = !(err instanceof CliError) && !(err instanceof Object && handlerErrors.has(err));
    const error = fromYargs && err instanceof Error ? new UsageError(kubectlUsageMessage(err.message, args, scriptName)) : err;
    const formatted = formatError(error, { verbosity, debug, helpCommand });
    for (const line of formatted.lines) io.err.write(`${line}\n`);
    return formatted.exitCode;
  }
}
