/**
 * `restore`: restore an archive (CRDs first, then missing namespaces, then kinds in the profile's
 * order), reporting a summary per kind and every failed object with the server's reason. Exit 0
 * only when nothing failed. --dry-run=client reads only and prints the same summary as a plan;
 * --dry-run=server sends every write with dryRun=All.
 */
import type { ArgumentsCamelCase } from 'yargs';
import { defineCommand, type CommandContext, type CommandOptions } from '../../../shared/cli/command.js';
import { withDryRun, withDuration, withInteger, withQuiet, type DryRun } from '../../../shared/cli/flags.js';
import { PartialFailureError, UsageError } from '../../../shared/errors/errors.js';
import { addKubeFlags, type KubeFlagValues } from '../../../shared/kube/config-flags.js';
import { printObject } from '../../../shared/output/printers.js';
import { printTable } from '../../../shared/output/table.js';
import { builtinProfiles } from '../../../shared/profiles/index.js';
import { objectCount, type Manifest } from '../backup/manifest.js';
import { restoreArchive } from '../backup/restore.js';
import { archiveLimits, validateArchiveFlag, withArchive, withArchiveSize } from './with-archive.js';

/** RestoreArgs are the parsed flags. */
export interface RestoreArgs extends KubeFlagValues {
  /** maxArchiveSize in bytes (--max-archive-size). */
  readonly maxArchiveSize?: number;
  readonly filename: string;
  readonly dryRun: DryRun;
  readonly existing: 'skip' | 'update' | 'fail';
  readonly namespaceMap?: string[];
  readonly kinds?: string[];
  readonly includeStatus: boolean;
  readonly concurrency: number;
  /** retryTimeout in milliseconds. */
  readonly retryTimeout: number;
  /** crdTimeout in milliseconds. */
  readonly crdTimeout: number;
  readonly output: 'table' | 'json' | 'yaml';
}

/** restoreOrderOf is the archive's own order, else the built-in profile's of that name. */
export function restoreOrderOf(manifest: Manifest): { restoreOrder: readonly string[]; notRestored: readonly string[] } {
  const profile = builtinProfiles.find((candidate) => candidate.name === manifest.product.profile);
  return {
    restoreOrder: manifest.product.restoreOrder ?? profile?.restoreOrder ?? [],
    notRestored:
      manifest.product.notRestored ?? (profile?.kinds ?? []).filter((kind) => !kind.restore).map((kind) => `${kind.plural}.${kind.group}`),
  };
}

/** namespaceName is a namespace's form (an RFC 1123 label), checked before the first write rather than by the server. */
const namespaceName = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** RestoreOptions follows Options → complete → validate → run. */
export class RestoreOptions implements CommandOptions<ArgumentsCamelCase<RestoreArgs>> {
  private args!: RestoreArgs;
  private readonly namespaceMap: Record<string, string> = {};

  constructor(
    private readonly ctx: CommandContext,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
  ) {}

  complete(argv: ArgumentsCamelCase<RestoreArgs>): void {
    this.args = argv;
    // The kubeconfig is read now, so a bad one fails before the archive is unpacked; the session
    // is made in run, once the archive says how many requests it will take.
    this.ctx.kube.resolve(argv);
  }

  validate(): void {
    validateArchiveFlag(this.args.filename);
    for (const pair of this.args.namespaceMap ?? []) {
      const [from, to, ...rest] = pair.split('=');
      if (!from || !to || rest.length > 0) throw new UsageError(`--namespace-map wants FROM=TO, got "${pair}"`);
      for (const name of [from, to])
        if (!namespaceName.test(name))
          throw new UsageError(
            `--namespace-map ${pair}: "${name}" is not a namespace name (lowercase letters, digits and '-', at most 63, starting and ending alphanumeric)`,
          );
      if (from in this.namespaceMap) throw new UsageError(`--namespace-map names ${from} twice`);
      this.namespaceMap[from] = to;
    }
    if ((this.args.kinds ?? []).some((kind) => kind.trim() === ''))
      throw new UsageError('--kinds takes Kind or plural.group names, not an empty one');
  }

  async run(): Promise<void> {
    const { dryRun } = this.args;
    await withArchive(
      this.args.filename,
      this.ctx.onExit,
      async (archive) => {
        // One create per object: a big archive is a bulk run for the HTTP client.
        const objects = objectCount(archive.manifest);
        const session = await this.ctx.kube.connect(this.args, { requests: objects, dryRun });
        const progress = this.ctx.progress(dryRun === 'none' ? 'restore' : `restore (dry run: ${dryRun})`, {
          total: objects,
          unit: 'objects',
        });
        const result = await restoreArchive(session.clients, archive, {
          archiveFile: this.args.filename,
          archiveId: archive.manifest.createdAt
            .replace(/[^A-Za-z0-9_.-]/g, '-')
            .replace(/^-+|-+$/g, '')
            .slice(0, 63),
          // client and server dry runs follow the same path; the session's ports make sure neither writes.
          dryRun: dryRun !== 'none',
          existing: this.args.existing,
          namespaceMap: this.namespaceMap,
          ...(this.args.namespace !== undefined ? { namespace: this.args.namespace } : {}),
          kinds: this.args.kinds ?? [],
          includeStatus: this.args.includeStatus,
          concurrency: this.args.concurrency,
          ...restoreOrderOf(archive.manifest),
          retryTimeoutMs: this.args.retryTimeout,
          crdTimeoutMs: this.args.crdTimeout,
          sleep: this.sleep,
          onProgress: (message) => progress.log(message),
          onObject: () => progress.tick(),
          signal: this.ctx.signal,
        }).finally(() => progress.done());
        const { out } = this.ctx.io;
        // Workers finish in any order: list the failures sorted so two runs print the same.
        const failures = [...result.failures].sort((a, b) => (a.item < b.item ? -1 : a.item > b.item ? 1 : 0));
        if (this.args.output !== 'table') {
          const { crdsCreated, namespacesCreated, summaries } = result;
          printObject(out, { dryRun, crdsCreated, namespacesCreated, kinds: summaries, failures }, this.args.output);
        } else {
          const created = dryRun === 'none' ? 'created' : `that would be created (dry run: ${dryRun})`;
          if (result.crdsCreated.length > 0) out.write(`CRDs ${created}: ${result.crdsCreated.join(', ')}\n`);
          if (result.namespacesCreated.length > 0) out.write(`Namespaces ${created}: ${result.namespacesCreated.join(', ')}\n`);
          printTable(
            out,
            ['KIND', 'CREATED', 'UPDATED', 'UNCHANGED', 'SKIPPED', 'FAILED'],
            result.summaries.map((s) => [s.kind, s.created, s.updated, s.unchanged, s.skipped, s.failed]),
          );
          for (const failure of failures) out.write(`FAILED ${failure.item}: ${failure.reason}\n`);
          if (dryRun === 'server') out.write('Dry run (dryRun=All): nothing was written.\n');
          if (dryRun === 'client') out.write('Dry run (client): only read requests were sent; nothing was written.\n');
        }
        if (result.failures.length > 0) {
          throw new PartialFailureError(`${result.failures.length} object(s) not restored${dryRun === 'none' ? '' : ' (dry run)'}`, []);
        }
      },
      archiveLimits(this.args.maxArchiveSize),
    );
  }
}

/** restoreCommand is the `restore` verb. */
export const restoreCommand = defineCommand({
  name: 'restore',
  describe: 'Restore an archive: missing CRDs first, then kinds in dependency order',
  examples: [
    ['$0 restore -f nsm.tar.gz --dry-run', 'Print what a restore would create, reading only (a bare --dry-run is client)'],
    ['$0 restore -f nsm.tar.gz --dry-run=server', 'See what the new control plane would reject: every write sent with dryRun=All'],
    ['$0 restore -f nsm.tar.gz', 'NGINX Service Mesh step 6: restore after the redeploy; re-run it after an interruption'],
    ['$0 restore -f gloo-before.tar.gz --existing=update --kinds VirtualService', 'Put one kind back as it was before a failed upgrade'],
    ['$0 restore -f nsm.tar.gz --namespace-map prod=staging', 'Restore one namespace into another'],
  ],
  flags: (base) =>
    withQuiet(
      withDuration(
        withDuration(
          withInteger(withDryRun(addKubeFlags(withArchiveSize(base))), 'concurrency', {
            default: 8,
            min: 1,
            max: 64,
            describe: 'Objects written in parallel',
          }),
          'retry-timeout',
          {
            default: '2m',
            min: '0s',
            max: '1h',
            bareSeconds: true,
            describe: 'How long to keep retrying an object a webhook rejects with 5xx',
          },
        ),
        'crd-timeout',
        { default: '1m', min: '1s', max: '1h', describe: 'How long to wait for a created CRD to become Established' },
      ),
    )
      .option('filename', { alias: 'f', type: 'string', demandOption: true, describe: 'Archive to restore.' })
      .option('existing', {
        type: 'string',
        choices: ['skip', 'update', 'fail'] as const,
        default: 'skip' as const,
        describe: 'What to do with objects that already exist.',
      })
      .option('namespace-map', { type: 'string', array: true, describe: 'FROM=TO: restore namespace FROM into TO (repeatable).' })
      .option('kinds', { type: 'string', array: true, describe: 'Restore only these kinds (Kind or plural.group).' })
      .option('include-status', { type: 'boolean', default: false, describe: 'Restore .status too.' })
      .option('output', {
        alias: 'o',
        type: 'string',
        choices: ['table', 'json', 'yaml'] as const,
        default: 'table' as const,
        describe: 'Output format of the summary. One of: (table, json, yaml).',
      }),
  options: (ctx) => new RestoreOptions(ctx),
});
