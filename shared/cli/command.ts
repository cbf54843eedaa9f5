/**
 * The typed command adapter: every verb of every plugin is an Options object with kubectl's
 * Complete → Validate → Run, declared once with {@link defineCommand}. The adapter builds the yargs
 * module (flags, help with Examples, no `--version`), hands the parsed flags to `complete` with
 * the plugin's {@link CommandContext} (kubectl's Factory), then calls `validate` and `run`.
 * Flag types flow from the yargs builder into `complete`: no casts in commands.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from 'yargs';
import type { IOStreams } from '../io/streams.js';
import type { KubeConnector } from '../kube/client.js';
import type { Logger } from '../log/logger.js';
import type { ProgressTask, ProgressTaskOptions } from '../output/progress.js';

/** GlobalFlags are the flags every command of every plugin accepts. */
export interface GlobalFlags {
  /** v is kubectl's log verbosity (-v 4 debug, -v 6 requests, -v 8 bodies). */
  readonly v: number;
  /** debug adds stack traces to errors (like -v 6); helm plugins also set it from HELM_DEBUG. */
  readonly debug: boolean;
}

/** CommandContext is what a command may use besides its flags: streams, signal, kube, progress. */
export interface CommandContext {
  /** io: data to io.out, progress and warnings to io.err. */
  readonly io: IOStreams;
  /** logger writes to stderr at the -v level, redacted. */
  readonly logger: Logger;
  /** scriptName is how users invoke the plugin, e.g. "kubectl meshbackup". */
  readonly scriptName: string;
  /** toolName is the executable's name, e.g. "kubectl-meshbackup" (User-Agent, field manager). */
  readonly toolName: string;
  /** toolVersion is the suite's version. */
  readonly toolVersion: string;
  /** signal aborts on the first Ctrl-C or SIGTERM: stop at a safe point and throw InterruptedError. */
  readonly signal: AbortSignal;
  /**
   * onExit registers a synchronous cleanup (remove an extracted archive) run when a second
   * Ctrl-C ends the process at once; call the returned function once the work is done.
   */
  onExit(cleanup: () => void): () => void;
  /** kube resolves the kubeconfig and connects (lazily loading the HTTP client). */
  readonly kube: KubeConnector;
  /** env is the process environment (injected so tests can set it). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** progress starts a task on the shared stderr reporter (silent with -q). */
  progress(label: string, options?: ProgressTaskOptions): ProgressTask;
}

/** CommandOptions is one verb's Options: kubectl's Complete, Validate and Run. */
export interface CommandOptions<A> {
  /** complete resolves flags into what run needs (profile, namespace, session); no mutation. */
  complete(args: A, ctx: CommandContext): void | Promise<void>;
  /** validate is pure: combinations, ranges, enums; it throws UsageError. */
  validate(): void;
  /** run does the work: data to io.out, progress to io.err. */
  run(): Promise<void>;
}

/** Example is one line of a command's Examples section: the command and what it does. */
export type Example = readonly [command: string, description: string];

/** CommandSpec declares a verb. */
export interface CommandSpec<A> {
  /** name is the yargs command string: 'restore', 'check', '$0 [chart]' for a default command. */
  readonly name: string;
  readonly aliases?: readonly string[];
  /** describe is the one-line summary shown in the plugin's command list. */
  readonly describe: string;
  /** examples come from the runbooks; every command has at least one. */
  readonly examples: readonly Example[];
  /** flags declares the command's flags on top of the global ones. */
  readonly flags: (argv: Argv<GlobalFlags>) => Argv<A>;
  /** options makes a fresh Options object for one invocation. */
  readonly options: (ctx: CommandContext) => CommandOptions<ArgumentsCamelCase<A>>;
}

/** PluginCommand is a declared verb, its flag types erased so one plugin can list them all. */
export interface PluginCommand {
  /** spec is the declaration: runPlugin builds the yargs module, help and completion from it. */
  readonly spec: CommandSpec<unknown>;
}

/** CommandFactory lists a plugin's commands, in help order. */
export type CommandFactory = (ctx: CommandContext) => readonly PluginCommand[];

/** commandWord is the verb a command string names ('restore' for 'restore [file]', '' for '$0'). */
export function commandWord(name: string): string {
  const first = name.split(' ')[0] ?? '';
  return first === '$0' ? '' : first;
}

/** defineCommand declares a verb; the flags' types flow into its Options without casts. */
export function defineCommand<A>(spec: CommandSpec<A>): PluginCommand {
  // The generic is erased only here, where the adapter pairs spec.flags with spec.options.
  return { spec: spec as unknown as CommandSpec<unknown> };
}

/**
 * commandModule builds the yargs module of a verb: its flags plus an Examples section, and a
 * handler that runs Complete → Validate → Run with the plugin's context.
 */
export function commandModule(command: PluginCommand, ctx: CommandContext): CommandModule<GlobalFlags, unknown> {
  const { spec } = command;
  return {
    command: spec.name,
    aliases: spec.aliases ? [...spec.aliases] : undefined,
    describe: spec.describe,
    builder: (argv: Argv<GlobalFlags>) => {
      let result = spec.flags(argv);
      for (const [example, description] of spec.examples) result = result.example(example, description);
      return result;
    },
    handler: async (argv: ArgumentsCamelCase<unknown>) => {
      const options = spec.options(ctx);
      await options.complete(argv, ctx);
      options.validate();
      await options.run();
    },
  };
}
