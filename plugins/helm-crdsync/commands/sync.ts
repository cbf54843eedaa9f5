/**
 * The default command, `helm crdsync [CHART]`: its flags and examples; the work is SyncCommandOptions.
 */
import type { Argv } from 'yargs';
import { defineCommand, type CommandContext, type Example, type GlobalFlags } from '../../../shared/cli/command.js';
import { withDryRun, withDuration, withInteger, withOutput, withProfile, withQuiet } from '../../../shared/cli/flags.js';
import { addKubeFlags } from '../../../shared/kube/config-flags.js';
import { SyncCommandOptions, type SyncCollaborators } from './sync-options.js';

/** syncExamples follow the Gloo Mesh and Gloo Edge runbooks' CRD step. */
export const syncExamples: readonly Example[] = [
  ['$0 --version 0.11.3', "Sync the installed Gloo Mesh release's CRDs to chart 0.11.3 (v1beta1 converted for Kubernetes 1.22+)"],
  ['$0 gloo/gloo --version 1.17.0 --dry-run', 'Show what the Gloo Edge 1.17.0 CRDs change, writing nothing'],
  [
    '$0 gloo --repo https://storage.googleapis.com/solo-public-helm --version 1.17.0',
    'Read the chart from a repository, checking its digest',
  ],
  ['$0 oci://registry.example.com/charts/gloo --version 1.17.0', 'Pull the chart from an OCI registry through helm (its logins apply)'],
  ['$0 ./gloo-1.17.0.tgz --diff', 'Sync the CRDs of a local chart archive or directory, with a diff per CRD'],
  ['$0 --github solo-io/gloo-mesh --version 0.11.3', "Read the CRDs from the GitHub tag v0.11.3 at the profile's CRD path"],
];

function syncFlags(argv: Argv<GlobalFlags>) {
  const base = addKubeFlags(argv)
    .positional('chart', { type: 'string', describe: 'REPO/NAME, oci://…, a chart NAME with --repo, or a local .tgz or directory' })
    .option('version', { type: 'string', describe: "Chart version whose CRDs to sync (with no CHART, of the installed release's chart)." })
    .option('release', { type: 'string', describe: 'Release to read the installed version from.' })
    .option('repo', {
      type: 'string',
      describe:
        "Chart repository URL (index.yaml is read and the chart checked against its digest); with no CHART it replaces the profile's repository.",
    })
    .option('github', { type: 'string', describe: 'Read the CRDs from this GitHub OWNER/REPO instead of a chart.' })
    .option('ref', { type: 'string', describe: "With --github: the tag or commit (default: the profile's tag prefix + --version)." })
    .option('path', { type: 'string', describe: "With --github: the CRD folder (default: the profile's path for the version)." })
    .option('github-api-url', {
      type: 'string',
      describe: 'With --github: the API root, e.g. https://github.example.com/api/v3 for GitHub Enterprise.',
    })
    .option('insecure-http', { type: 'boolean', default: false, describe: 'Accept plain http:// repositories and API URLs.' })
    .option('plain-http', {
      type: 'boolean',
      default: false,
      describe: 'With an oci:// CHART: passed to helm pull (helm 3.13+), to reach a registry over plain http.',
    })
    .option('allow-downgrade', { type: 'boolean', default: false, describe: 'Sync CRDs of a chart version lower than the installed one.' })
    .option('allow-breaking', {
      type: 'boolean',
      default: false,
      describe: 'Apply breaking changes to served versions (the plan lists them).',
    })
    .option('force-conflicts', {
      type: 'boolean',
      default: false,
      describe: 'Take over fields another tool (not helm or kubectl) manages.',
    })
    .option('diff', { type: 'boolean', default: false, describe: 'Print a unified diff of each changed CRD.' })
    .option('detailed-exitcode', {
      type: 'boolean',
      default: false,
      describe: 'Exit 1 when the plan has changes (0 when there is nothing to do).',
    })
    .option('wait', { type: 'boolean', default: true, describe: 'Wait for Established and NamesAccepted (--no-wait to skip).' })
    .option('backup-dir', {
      type: 'string',
      describe: 'Where the live CRDs are saved before they change (default $HELM_DATA_HOME/crdsync/backups).',
    });
  return withQuiet(
    withProfile(
      withOutput(
        withDryRun(
          withInteger(
            withDuration(base, 'timeout', {
              default: '5m',
              min: '1s',
              max: '24h',
              describe: 'How long to wait for the CRDs to be Established',
            }),
            'concurrency',
            {
              default: 8,
              min: 1,
              max: 64,
              describe: 'Requests in parallel',
            },
          ),
        ),
        ['table', 'json', 'yaml'] as const,
        'table',
      ),
    ),
  );
}

/** syncCommand declares `helm crdsync [CHART]`; tests pass collaborators (HTTP, helm, clock). */
export function syncCommand(collaborators: SyncCollaborators = {}) {
  return defineCommand({
    name: '$0 [chart]',
    describe: "Sync a chart version's CRDs into the cluster: plan, refuse unsafe changes, save, apply, wait",
    examples: syncExamples,
    flags: syncFlags,
    options: (ctx: CommandContext) => new SyncCommandOptions(ctx, collaborators),
  });
}
