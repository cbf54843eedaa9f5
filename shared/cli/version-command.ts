/**
 * `version`: the one command every plugin has. Like `kubectl version` it prints the client
 * version and, unless --client is given, asks the API server's /version (through the lazily
 * loaded client) and prints "Server Version: v1.33.1". An unreachable server still gets the client
 * version printed first, then the one-line error (exit 4).
 */
import type { Argv } from 'yargs';
import type { IOStreams } from '../io/streams.js';
import { addKubeFlags, type KubeFlagValues } from '../kube/config-flags.js';
import type { KubeConnector } from '../kube/client.js';
import type { ServerVersion } from '../kube/ports.js';
import { addOutputFlag, printObject, type OutputFormat } from '../output/printers.js';
import type { CliCommand, GlobalFlags } from './run-cli.js';
import { withV } from './tool-version.js';

/** VersionDeps are the collaborators `version` needs. */
export interface VersionDeps {
  readonly io: IOStreams;
  readonly kube: KubeConnector;
  /** toolName is the executable name, e.g. "kubectl-meshbackup". */
  readonly toolName: string;
  readonly toolVersion: string;
  /** libraryVersion is the shared library's version (the same package today). */
  readonly libraryVersion: string;
}

/** VersionArgs are the parsed flags of `version`. */
export interface VersionArgs extends GlobalFlags, KubeFlagValues {
  readonly client: boolean;
  readonly output: OutputFormat | undefined;
}

/** VersionInfo is what `version -o json|yaml` prints. */
export interface VersionInfo {
  clientVersion: { plugin: string; gitVersion: string; libraryVersion: string };
  serverVersion?: ServerVersion;
}

/** VersionOptions follows kubectl's Options → complete → validate → run shape. */
export class VersionOptions {
  private clientOnly = false;
  private output: OutputFormat | undefined;
  private flags: KubeFlagValues = {};

  constructor(private readonly deps: VersionDeps) {}

  /** complete copies the flags; nothing is resolved until run, so `--client` never reads a kubeconfig. */
  complete(argv: VersionArgs): void {
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
        plugin: this.deps.toolName,
        gitVersion: withV(this.deps.toolVersion),
        libraryVersion: withV(this.deps.libraryVersion),
      },
    };
    let failure: unknown;
    if (!this.clientOnly) {
      try {
        const session = await this.deps.kube.connect(this.flags);
        info.serverVersion = await session.clients.discovery.serverVersion();
      } catch (err) {
        failure = err;
      }
    }
    const { out } = this.deps.io;
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

/** createVersionCommand returns the `version` command module. */
export function createVersionCommand(deps: VersionDeps): CliCommand {
  return {
    command: 'version',
    describe: 'Print the client and server version information',
    builder: (argv: Argv<GlobalFlags>) =>
      addOutputFlag(
        addKubeFlags(argv).option('client', {
          type: 'boolean',
          default: false,
          describe: 'If true, shows client version only (no server required).',
        }),
        { formats: ['json', 'yaml'] as const },
      ),
    handler: async (argv) => {
      const options = new VersionOptions(deps);
      options.complete(argv as unknown as VersionArgs);
      options.validate();
      await options.run();
    },
  };
}
