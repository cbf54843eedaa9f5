/**
 * `version`: the one command every plugin has. Like `kubectl version` it prints the client
 * version and, unless --client is given, asks the API server's /version (through the lazily
 * loaded client) and prints "Server Version: v1.33.1". An unreachable server still gets the client
 * version printed first, then the one-line error (exit 4).
 */
import type { ArgumentsCamelCase } from 'yargs';
import type { KubeFlagValues } from '../kube/config-flags.js';
import { addKubeFlags } from '../kube/config-flags.js';
import type { ServerVersion } from '../kube/ports.js';
import { printObject } from '../output/printers.js';
import { defineCommand, type CommandContext, type PluginCommand } from './command.js';
import { withOutput } from './flags.js';
import { withV } from './tool-version.js';

/** VersionArgs are the parsed flags of `version`. */
export interface VersionArgs extends KubeFlagValues {
  readonly client: boolean;
  readonly output: 'json' | 'yaml' | undefined;
}

/** VersionInfo is what `version -o json|yaml` prints. */
export interface VersionInfo {
  clientVersion: { plugin: string; gitVersion: string; libraryVersion: string };
  serverVersion?: ServerVersion;
}

/** VersionOptions follows kubectl's Options → complete → validate → run shape. */
export class VersionOptions {
  private clientOnly = false;
  private output: VersionArgs['output'];
  private flags: KubeFlagValues = {};

  constructor(private readonly ctx: CommandContext) {}

  /** complete copies the flags; nothing is resolved until run, so `--client` never reads a kubeconfig. */
  complete(argv: ArgumentsCamelCase<VersionArgs>): void {
    this.clientOnly = argv.client;
    this.output = argv.output;
    this.flags = argv;
  }

  /** validate has nothing to check beyond what yargs enforces (the -o choices). */
  validate(): void {}

  /** run prints the versions; a server failure is rethrown after the client version is out. */
  async run(): Promise<void> {
    const info: VersionInfo = {
      clientVersion: {
        plugin: this.ctx.toolName,
        gitVersion: withV(this.ctx.toolVersion),
        // Every plugin and the shared library ship in one package, so they share the number.
        libraryVersion: withV(this.ctx.toolVersion),
      },
    };
    let failure: unknown;
    if (!this.clientOnly) {
      try {
        const session = await this.ctx.kube.connect(this.flags);
        info.serverVersion = await session.clients.discovery.serverVersion();
      } catch (err) {
        failure = err;
      }
    }
    const { out } = this.ctx.io;
    if (this.output) {
      printObject(out, info, this.output);
    } else {
      out.write(`Client Version: ${info.clientVersion.gitVersion}\n`);
      out.write(`Library Version: ${info.clientVersion.libraryVersion}\n`);
      if (info.serverVersion) out.write(`Server Version: ${info.serverVersion.gitVersion}\n`);
    }
    if (failure !== undefined) throw failure;
  }
}

/** createVersionCommand returns the `version` verb every plugin has (runPlugin adds it). */
export function createVersionCommand(): PluginCommand {
  return defineCommand({
    name: 'version',
    describe: 'Print the client and server version information',
    examples: [
      ['$0 version', 'Print the plugin version and the API server version'],
      ['$0 version --client -o json', 'Print the plugin version only, as JSON'],
    ],
    flags: (argv) =>
      withOutput(
        addKubeFlags(argv).option('client', {
          type: 'boolean',
          default: false,
          describe: 'If true, shows client version only (no server required).',
        }),
        ['json', 'yaml'] as const,
      ),
    options: (ctx) => new VersionOptions(ctx),
  });
}
