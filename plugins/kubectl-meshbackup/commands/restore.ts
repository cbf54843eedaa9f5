/**
 * `restore`: restore an archive (CRDs first, then missing namespaces, then kinds in the profile's order), reporting a summary
 * per kind and every failed object with the server's reason. Exit 0 only when nothing failed.
 */
import type { Argv } from 'yargs';
import type { CliCommand, GlobalFlags } from '../../../shared/cli/run-cli.js';
import { PartialFailureError, UsageError } from '../../../shared/errors/errors.js';
import type { IOStreams } from '../../../shared/io/streams.js';
import type { KubeConnector } from '../../../shared/kube/client.js';
import { addKubeFlags, type KubeFlagValues } from '../../../shared/kube/config-flags.js';
import { printTable } from '../../../shared/output/table.js';
import { builtinProfiles } from '../../../shared/profiles/index.js';
import { restoreArchive } from '../backup/restore.js';
import type { Interrupt } from './interrupt.js';
import { withArchive } from './with-archive.js';
import { objectCount } from '../backup/manifest.js';

/** RestoreArgs are the parsed flags. */
export interface RestoreArgs extends GlobalFlags, KubeFlagValues {
  readonly filename: string;
  readonly dryRun: 'none' | 'server';
  readonly existing: 'skip' | 'update' | 'fail';
  readonly namespaceMap?: string[];
  readonly kinds?: string[];
  readonly includeStatus: boolean;
  readonly concurrency: number;
  readonly retryTimeout: number;
}

/** RestoreDeps are the collaborators of `restore`. */
export interface RestoreDeps {
  readonly io: IOStreams;
  readonly kube: KubeConnector;
  readonly sleep?: (ms: number) => Promise<void>;
  /** interrupt removes the extracted archive when Ctrl-C ends the process at once. */
  readonly interrupt?: Interrupt;
}

/** RestoreOptions follows Options → complete → validate → run. */
export class RestoreOptions {
  private args!: RestoreArgs;
  private namespaceMap: Record<string, string> = {};

  constructor(private readonly deps: RestoreDeps) {}

  complete(argv: RestoreArgs): void {
    this.args = argv;
    for (const pair of argv.namespaceMap ?? []) {
      const [from, to, ...rest] = pair.split('=');
      if (!from || !to || rest.length > 0) throw new UsageError(`--namespace-map wants FROM=TO, got "${pair}"`);
      this.namespaceMap[from] = to;
    }
  }

  validate(): void {
    if (!Number.isInteger(this.args.concurrency) || this.args.concurrency < 1) throw new UsageError('--concurrency must be a positive integer');
  }

  async run(): Promise<void> {
    await withArchive(this.args.filename, this.deps.interrupt, async (archive) => {
      // One create per object: a big archive is a bulk run for the HTTP client.
      const objects = objectCount(archive.manifest);
      const session = await this.deps.kube.connect(this.args, { requests: objects });
      const profile = builtinProfiles.find((candidate) => candidate.name === archive.manifest.product.profile);
      const sleep = this.deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
      const result = await restoreArchive(session.clients, archive, {
        archiveFile: this.args.filename,
        archiveId: archive.manifest.createdAt.replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^-+|-+$/g, '').slice(0, 63),
        dryRun: this.args.dryRun === 'server',
        existing: this.args.existing,
        namespaceMap: this.namespaceMap,
        kinds: this.args.kinds ?? [],
        includeStatus: this.args.includeStatus,
        concurrency: this.args.concurrency,
        restoreOrder: profile?.restoreOrder ?? [],
        notRestored: (profile?.kinds ?? []).filter((kind) => !kind.restore).map((kind) => `${kind.plural}.${kind.group}`),
        retryTimeoutMs: this.args.retryTimeout * 1000,
        crdTimeoutMs: 60_000,
        sleep,
        onProgress: (message) => this.deps.io.err.write(`${message}\n`),
      });
      const { out } = this.deps.io;
      const created = this.args.dryRun === 'server' ? 'that would be created (dry run)' : 'created';
      if (result.crdsCreated.length > 0) out.write(`CRDs ${created}: ${result.crdsCreated.join(', ')}\n`);
      if (result.namespacesCreated.length > 0) out.write(`Namespaces ${created}: ${result.namespacesCreated.join(', ')}\n`);
      printTable(
        out,
        ['KIND', 'CREATED', 'UPDATED', 'UNCHANGED', 'SKIPPED', 'FAILED'],
        result.summaries.map((s) => [s.kind, s.created, s.updated, s.unchanged, s.skipped, s.failed]),
      );
      // Workers finish in any order: list the failures sorted so two runs print the same.
      const failures = [...result.failures].sort((a, b) => (a.item < b.item ? -1 : a.item > b.item ? 1 : 0));
      for (const failure of failures) out.write(`FAILED ${failure.item}: ${failure.reason}\n`);
      if (this.args.dryRun === 'server') out.write('Dry run (dryRun=All): nothing was written.\n');
      if (result.failures.length > 0) {
        throw new PartialFailureError(`${result.failures.length} object(s) not restored${this.args.dryRun === 'server' ? ' (dry run)' : ''}`, []);
      }
    });
  }
}

/** createRestoreCommand returns the `restore` command module. */
export function createRestoreCommand(deps: RestoreDeps): CliCommand {
  return {
    command: 'restore',
    describe: 'Restore an archive: missing CRDs first, then kinds in dependency order',
    builder: (argv: Argv<GlobalFlags>) =>
      addKubeFlags(argv)
        .option('filename', { alias: 'f', type: 'string', demandOption: true, describe: 'Archive to restore.' })
        .option('dry-run', { type: 'string', choices: ['none', 'server'], default: 'none', describe: 'server: send everything with dryRun=All and report rejections; write nothing.' })
        .option('existing', { type: 'string', choices: ['skip', 'update', 'fail'], default: 'skip', describe: 'What to do with objects that already exist.' })
        .option('namespace-map', { type: 'string', array: true, describe: 'FROM=TO: restore namespace FROM into TO (repeatable).' })
        .option('kinds', { type: 'string', array: true, describe: 'Restore only these kinds (Kind or plural.group).' })
        .option('include-status', { type: 'boolean', default: false, describe: 'Restore .status too.' })
        .option('concurrency', { type: 'number', default: 8, describe: 'Objects written in parallel.' })
        .option('retry-timeout', { type: 'number', default: 120, describe: 'Seconds to keep retrying an object a webhook rejects with 5xx.' }),
    handler: async (argv) => {
      const options = new RestoreOptions(deps);
      options.complete(argv as unknown as RestoreArgs);
      options.validate();
      await options.run();
    },
  };
}
