/**
 * `inspect`: what an archive holds (kinds, versions, counts per namespace, source, product, tool).
 * Opening the archive checks its integrity too.
 */
import type { ArgumentsCamelCase } from 'yargs';
import { defineCommand, type CommandContext, type CommandOptions } from '../../../shared/cli/command.js';
import { withOutput } from '../../../shared/cli/flags.js';
import { printObject } from '../../../shared/output/printers.js';
import { printTable } from '../../../shared/output/table.js';
import { archiveLimits, validateArchiveFlag, withArchive, withArchiveSize } from './with-archive.js';

/** InspectArgs are the parsed flags. */
export interface InspectArgs {
  /** maxArchiveSize in bytes (--max-archive-size). */
  readonly maxArchiveSize?: number;
  readonly filename: string;
  readonly output: 'table' | 'json' | 'yaml';
}

/** InspectOptions follows Options → complete → validate → run. */
export class InspectOptions implements CommandOptions<ArgumentsCamelCase<InspectArgs>> {
  private args!: InspectArgs;

  constructor(private readonly ctx: CommandContext) {}

  complete(argv: ArgumentsCamelCase<InspectArgs>): void {
    this.args = argv;
  }

  validate(): void {
    validateArchiveFlag(this.args.filename);
  }

  async run(): Promise<void> {
    await withArchive(
      this.args.filename,
      this.ctx.onExit,
      async (archive) => {
        const { manifest } = archive;
        const { out } = this.ctx.io;
        if (this.args.output === 'json' || this.args.output === 'yaml') {
          printObject(out, manifest, this.args.output);
          return;
        }
        out.write(`Format:   ${manifest.formatVersion}\n`);
        out.write(`Created:  ${manifest.createdAt} by ${manifest.tool.name} ${manifest.tool.version}\n`);
        out.write(
          `Source:   context ${manifest.source.context}, server ${manifest.source.server}${manifest.source.serverVersion ? ` (${manifest.source.serverVersion})` : ''}\n`,
        );
        out.write(
          `Product:  ${manifest.product.profile ?? '-'}${manifest.product.version ? ` ${manifest.product.version}` : ''} (groups ${manifest.product.groups.join(', ')})\n`,
        );
        out.write(`CRDs:     ${manifest.crds.length}\n\n`);
        const rows = manifest.kinds.flatMap((kind) => {
          const namespaces = Object.entries(kind.countsByNamespace).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
          if (namespaces.length === 0) return [[kind.kind, `${kind.group}/${kind.version}`, '-', 0]];
          return namespaces.map(([namespace, count]) => [kind.kind, `${kind.group}/${kind.version}`, namespace || '<cluster>', count]);
        });
        printTable(out, ['KIND', 'APIVERSION', 'NAMESPACE', 'COUNT'], rows);
      },
      archiveLimits(this.args.maxArchiveSize),
    );
  }
}

/** inspectCommand is the `inspect` verb. */
export const inspectCommand = defineCommand({
  name: 'inspect',
  describe: 'Show what a backup archive holds',
  examples: [
    ['$0 inspect -f nsm.tar.gz', 'Kinds, versions and counts per namespace, where and when it was saved'],
    ['$0 inspect -f nsm.tar.gz -o json', 'The manifest as JSON, for a script'],
  ],
  flags: (base) =>
    withOutput(
      withArchiveSize(base).option('filename', { alias: 'f', type: 'string', demandOption: true, describe: 'Archive to read.' }),
      ['table', 'json', 'yaml'] as const,
      'table',
    ),
  options: (ctx) => new InspectOptions(ctx),
});
