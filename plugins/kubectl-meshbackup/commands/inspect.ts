/**
 * `inspect`: what an archive holds (kinds, versions, counts per namespace, source, product, tool).
 * Opening the archive checks its integrity too.
 */
import type { Argv } from 'yargs';
import type { CliCommand, GlobalFlags } from '../../../shared/cli/run-cli.js';
import type { IOStreams } from '../../../shared/io/streams.js';
import { addOutputFlag, printObject } from '../../../shared/output/printers.js';
import { printTable } from '../../../shared/output/table.js';
import type { Interrupt } from './interrupt.js';
import { withArchive } from './with-archive.js';

/** InspectArgs are the parsed flags. */
export interface InspectArgs extends GlobalFlags {
  readonly filename: string;
  readonly output: 'table' | 'json' | 'yaml';
}

/** InspectOptions follows Options → complete → validate → run. */
export class InspectOptions {
  private args!: InspectArgs;

  constructor(private readonly deps: { readonly io: IOStreams; readonly interrupt?: Interrupt }) {}

  complete(argv: InspectArgs): void {
    this.args = argv;
  }

  validate(): void {}

  async run(): Promise<void> {
    await withArchive(this.args.filename, this.deps.interrupt, async (archive) => {
      const { manifest } = archive;
      const { out } = this.deps.io;
      if (this.args.output === 'json' || this.args.output === 'yaml') {
        printObject(out, manifest, this.args.output);
        return;
      }
      out.write(`Format:   ${manifest.formatVersion}\n`);
      out.write(`Created:  ${manifest.createdAt} by ${manifest.tool.name} ${manifest.tool.version}\n`);
      out.write(`Source:   context ${manifest.source.context}, server ${manifest.source.server}${manifest.source.serverVersion ? ` (${manifest.source.serverVersion})` : ''}\n`);
      out.write(`Product:  ${manifest.product.profile ?? '-'}${manifest.product.version ? ` ${manifest.product.version}` : ''} (groups ${manifest.product.groups.join(', ')})\n`);
      out.write(`CRDs:     ${manifest.crds.length}\n\n`);
      const rows = manifest.kinds.flatMap((kind) => {
        const namespaces = Object.entries(kind.countsByNamespace).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
        if (namespaces.length === 0) return [[kind.kind, `${kind.group}/${kind.version}`, '-', 0]];
        return namespaces.map(([namespace, count]) => [kind.kind, `${kind.group}/${kind.version}`, namespace || '<cluster>', count]);
      });
      printTable(out, ['KIND', 'APIVERSION', 'NAMESPACE', 'COUNT'], rows);
    });
  }
}

/** createInspectCommand returns the `inspect` command module. */
export function createInspectCommand(deps: { readonly io: IOStreams; readonly interrupt?: Interrupt }): CliCommand {
  return {
    command: 'inspect',
    describe: 'Show what a backup archive holds',
    builder: (argv: Argv<GlobalFlags>) =>
      addOutputFlag(argv.option('filename', { alias: 'f', type: 'string', demandOption: true, describe: 'Archive to read.' }), {
        formats: ['table', 'json', 'yaml'] as const,
        default: 'table',
      }),
    handler: async (argv) => {
      const options = new InspectOptions(deps);
      options.complete(argv as unknown as InspectArgs);
      options.validate();
      await options.run();
    },
  };
}
