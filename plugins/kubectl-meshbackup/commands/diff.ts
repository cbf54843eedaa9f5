/**
 * `diff`: per object, what differs between an archive and the cluster. Exit 0 no differences, 1
 * differences (like diff(1)), higher on error.
 */
import type { ArgumentsCamelCase } from 'yargs';
import { defineCommand, type CommandContext, type CommandOptions } from '../../../shared/cli/command.js';
import { NegativeResultError } from '../../../shared/errors/errors.js';
import type { KubeSession } from '../../../shared/kube/client.js';
import { addKubeFlags, type KubeFlagValues } from '../../../shared/kube/config-flags.js';
import { diffArchive } from '../backup/diff.js';
import { archiveLimits, validateArchiveFlag, withArchive, withArchiveSize } from './with-archive.js';

/** DiffArgs are the parsed flags. */
export interface DiffArgs extends KubeFlagValues {
  /** maxArchiveSize in bytes (--max-archive-size). */
  readonly maxArchiveSize?: number;
  readonly filename: string;
}

/** DiffOptions follows Options → complete → validate → run. */
export class DiffOptions implements CommandOptions<ArgumentsCamelCase<DiffArgs>> {
  private args!: DiffArgs;
  private session!: KubeSession;

  constructor(private readonly ctx: CommandContext) {}

  async complete(argv: ArgumentsCamelCase<DiffArgs>): Promise<void> {
    this.args = argv;
    this.session = await this.ctx.kube.connect(argv);
  }

  validate(): void {
    validateArchiveFlag(this.args.filename);
  }

  async run(): Promise<void> {
    await withArchive(
      this.args.filename,
      this.ctx.onExit,
      async (archive) => {
        const differences = await diffArchive(
          this.session.clients,
          archive,
          this.args.filename,
          this.args.namespace !== undefined ? { namespace: this.args.namespace } : {},
        );
        const { out } = this.ctx.io;
        for (const difference of differences) {
          out.write(`${difference.state}: ${difference.item}\n`);
          if (difference.patch) out.write(difference.patch);
        }
        if (differences.length > 0) throw new NegativeResultError();
      },
      archiveLimits(this.args.maxArchiveSize),
    );
  }
}

/** diffCommand is the `diff` verb. */
export const diffCommand = defineCommand({
  name: 'diff',
  describe: 'Show what differs between an archive and the cluster (exit 1 when something does)',
  examples: [
    ['$0 diff -f nsm.tar.gz', 'NGINX Service Mesh step 7: exit 0 when the cluster matches the backup'],
    ['$0 diff -f gloo-before.tar.gz', 'After a Gloo Edge upgrade: what the upgrade changed in your resources'],
  ],
  flags: (base) =>
    addKubeFlags(withArchiveSize(base)).option('filename', {
      alias: 'f',
      type: 'string',
      demandOption: true,
      describe: 'Archive to compare.',
    }),
  options: (ctx) => new DiffOptions(ctx),
});
