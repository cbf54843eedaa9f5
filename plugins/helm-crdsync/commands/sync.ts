/**
 * The default command, `helm crdsync [CHART]`: flags and examples; the work is SyncCommandOptions.
 */
import type { Argv } from 'yargs';
import type { CliCommand, GlobalFlags } from '../../../shared/cli/run-cli.js';
import { UsageError } from '../../../shared/errors/errors.js';
import { addKubeFlags } from '../../../shared/kube/config-flags.js';
import { profileFor } from '../../../shared/profiles/index.js';
import { SyncCommandOptions, type SyncArgs, type SyncCollaborators, type SyncContext } from './sync-options.js';

/** examples follow the Gloo Mesh and Gloo Edge runbooks' CRD step. */
export const syncExamples: ReadonlyArray<readonly [string, string]> = [
  ['helm crdsync --version 0.11.3 -n gloo-mesh', "Sync the installed Gloo Mesh release's CRDs to chart 0.11.3 (v1beta1 converted for 1.22+)"],
  ['helm crdsync gloo/gloo --version 1.17.0 --dry-run', 'Show what the Gloo Edge 1.17.0 CRDs change, writing nothing'],
  ['helm crdsync gloo --repo https://storage.googleapis.com/solo-public-helm --version 1.17.0', 'Read the chart from a repository, checking its digest'],
  ['helm crdsync ./gloo-1.17.0.tgz', 'Sync the CRDs of a local chart archive or directory'],
  ['helm crdsync --github solo-io/gloo-mesh --version 0.11.3', "Read the CRDs from the GitHub tag v0.11.3 at the profile's CRD path"],
];

const durationPattern = /^(?:(\d+)h)?(?:(\d+)m(?!s))?(?:(\d+)s)?(?:(\d+)ms)?$/;

/** parseTimeout reads a Go duration (90s, 5m, 1h30m, 500ms) within 1s–24h. */
export function parseTimeout(text: string): number {
  const match = durationPattern.exec(text.trim());
  if (!match || text.trim() === '') throw new UsageError(`invalid --timeout "${text}": use a duration such as 90s, 5m or 1h30m`);
  const [, h, m, s, ms] = match;
  const total = Number(h ?? 0) * 3_600_000 + Number(m ?? 0) * 60_000 + Number(s ?? 0) * 1000 + Number(ms ?? 0);
  if (total < 1000 || total > 86_400_000) throw new UsageError(`invalid --timeout "${text}": must be between 1s and 24h`);
  return total;
}

/** createSyncCommand builds the default command. */
export function createSyncCommand(ctx: SyncContext, collaborators: SyncCollaborators = {}): CliCommand {
  return {
    command: '$0 [chart]',
    describe: "Sync a chart version's CRDs into the cluster: plan, refuse unsafe changes, save, apply, wait",
    builder: (argv: Argv<GlobalFlags>) => {
      // --version is the chart version here, as in helm (helm's own version is `helm crdsync version`).
      let result = addKubeFlags(argv.version(false))
        .positional('chart', { type: 'string', describe: 'REPO/NAME, oci://…, a chart NAME with --repo, or a local .tgz or directory' })
        .option('version', { type: 'string', describe: 'Chart version whose CRDs to sync (the installed release is found when no CHART is given).' })
        .option('release', { type: 'string', describe: 'Release to read the installed version from.' })
        .option('repo', { type: 'string', describe: 'Chart repository URL (index.yaml is read and the chart checked against its digest).' })
        .option('github', { type: 'string', describe: 'Read CRDs from this GitHub OWNER/REPO instead of a chart.' })
        .option('ref', { type: 'string', describe: 'With --github: the tag or commit (default: the profile\'s tag prefix + --version).' })
        .option('path', { type: 'string', describe: 'With --github: the CRD folder (default: the profile\'s path for the version).' })
        .option('github-api-url', { type: 'string', describe: 'With --github: the API root, e.g. https://github.example.com/api/v3 for GitHub Enterprise.' })
        .option('insecure-http', { type: 'boolean', default: false, describe: 'Accept plain http:// repositories and API URLs.' })
        .option('allow-downgrade', { type: 'boolean', default: false, describe: 'Sync CRDs of a chart version lower than the installed one.' })
        .option('allow-breaking', { type: 'boolean', default: false, describe: 'Apply breaking changes to served versions (listed in the plan).' })
        .option('force-conflicts', { type: 'boolean', default: false, describe: 'Take over fields another tool (not helm or kubectl) manages.' })
        .option('diff', { type: 'boolean', default: false, describe: 'Print a unified diff per changed CRD.' })
        .option('detailed-exitcode', { type: 'boolean', default: false, describe: 'Exit 1 when the plan has changes (0 when there is nothing to do).' })
        .option('wait', { type: 'boolean', default: true, describe: 'Wait for Established and NamesAccepted (--no-wait to skip).' })
        .option('timeout', { type: 'string', default: '5m', describe: 'How long to wait for the CRDs (1s–24h).' })
        .option('concurrency', { type: 'number', default: 8, describe: 'Parallel requests (1–64).' })
        .option('dry-run', { type: 'string', describe: 'client (plan only, the default of a bare --dry-run), server (dryRun=All) or none.' })
        .option('output', { alias: 'o', type: 'string', default: 'table', describe: 'table, json or yaml.' })
        .option('profile', { type: 'string', describe: 'Product profile (gloo-mesh, gloo-edge, nginx-service-mesh).' })
        .option('backup-dir', { type: 'string', describe: 'Where the live CRDs are saved before they change (default $HELM_DATA_HOME/crdsync/backups).' });
      for (const [command, description] of syncExamples) result = result.example(command, description);
      return result;
    },
    handler: async (argv: Record<string, unknown>) => {
      const dryRunText = argv.dryRun === undefined ? 'none' : argv.dryRun === '' || argv.dryRun === 'true' ? 'client' : argv.dryRun === 'false' ? 'none' : String(argv.dryRun);
      if (!['none', 'client', 'server'].includes(dryRunText)) throw new UsageError(`invalid --dry-run "${dryRunText}": expected none, client or server`);
      const concurrency = Number(argv.concurrency);
      if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) throw new UsageError(`invalid --concurrency "${String(argv.concurrency)}": must be an integer from 1 to 64`);
      const args = { ...argv, timeout: parseTimeout(String(argv.timeout)), concurrency, dryRun: dryRunText } as unknown as SyncArgs;
      const options = new SyncCommandOptions(ctx, collaborators);
      options.complete(args, typeof argv.profile === 'string' ? profileFor(argv.profile) : undefined);
      options.validate();
      await options.run();
    },
  };
}
