/**
 * `diff`: per object, what differs between an archive and the cluster. Exit 0 no differences, 1
 * differences (like diff(1)), higher on error.
 */
import type { Argv } from 'yargs';
import type { CliCommand, GlobalFlags } from '../../../shared/cli/run-cli.js';
import { NegativeResultError } from '../../../shared/errors/errors.js';
import type { IOStreams } from '../../../shared/io/streams.js';
import type { KubeConnector } from '../../../shared/kube/client.js';
import { addKubeFlags, type KubeFlagValues } from '../../../shared/kube/config-flags.js';
import { diffArchive } from '../backup/diff.js';
import type { Interrupt } from './interrupt.js';
import { withArchive } from './with-archive.js';

/** DiffArgs are the parsed flags. */
export interface DiffArgs extends GlobalFlags, KubeFlagValues {
  readonly filename: string;
}

/** DiffOptions follows Options → complete → validate → run. */
export class DiffOptions {
  private args!: DiffArgs;

  constructor(private readonly deps: { readonly io: IOStreams; readonly kube: KubeConnector; readonly interrupt?: Interrupt }) {}

  complete(argv: DiffArgs): void {
    this.args = argv;
  }

  validate(): void {}

  async run(): Promise<void> {
    await withArchive(this.args.filename, this.deps.interrupt, async (archive) => {
      const session = await this.deps.kube.connect(this.args);
      const differences = await diffArchive(session.clients, archive, this.args.filename);
      const { out } = this.deps.io;
      for (const difference of differences) {
        out.write(`${difference.state}: ${difference.item}\n`);
        if (difference.patch) out.write(difference.patch);
      }
      if (differences.length > 0) throw new NegativeResultError();
    });
  }
}

/** createDiffCommand returns the `diff` command module. */
export function createDiffCommand(deps: { readonly io: IOStreams; readonly kube: KubeConnector; readonly interrupt?: Interrupt }): CliCommand {
  return {
    command: 'diff',
    describe: 'Show what differs between an archive and the cluster (exit 1 when something does)',
    builder: (argv: Argv<GlobalFlags>) => addKubeFlags(argv).option('filename', { alias: 'f', type: 'string', demandOption: true, describe: 'Archive to compare.' }),
    handler: async (argv) => {
      const options = new DiffOptions(deps);
      options.complete(argv as unknown as DiffArgs);
      options.validate();
      await options.run();
    },
  };
}
