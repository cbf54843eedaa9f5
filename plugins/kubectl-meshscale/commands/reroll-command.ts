/**
 * `reroll`: restart the application workloads that carry the mesh's sidecar, as the last step of
 * every NGINX Service Mesh upgrade and removal says ("re-roll your workloads"), optionally after
 * waiting for an object to be deleted (the OpenShift procedure's csi-driver-sentinel Job).
 */
import { readFileSync } from 'node:fs';
import type { ArgumentsCamelCase, Argv } from 'yargs';
import { defineCommand, type CommandContext, type CommandOptions, type Example, type GlobalFlags } from '../../../shared/cli/command.js';
import { withDryRun, withDuration, withInteger, withOutput, withProfile, withQuiet, type DryRun } from '../../../shared/cli/flags.js';
import { PartialFailureError, UsageError } from '../../../shared/errors/errors.js';
import { addKubeFlags, validateNamespaceFlags, type KubeFlagValues } from '../../../shared/kube/config-flags.js';
import type { GroupVersionResource } from '../../../shared/kube/ports.js';
import { printObject } from '../../../shared/output/printers.js';
import { printTable } from '../../../shared/output/table.js';
import { resolveProfile, type DataPlane, type ProductProfile } from '../../../shared/profiles/index.js';
import { findRerollTargets, type RerollPlan } from '../reroll/find.js';
import type { RerollPorts } from '../reroll/ports.js';
import { restartWorkloads, type RestartResult } from '../reroll/restart.js';
import { waitForObjectGone } from '../scale/wait.js';

/** RerollArgs are the parsed flags of `reroll`. */
export interface RerollArgs extends KubeFlagValues {
  readonly profile?: string;
  readonly profileFile?: string;
  readonly dryRun?: DryRun;
  /** timeout is milliseconds, per rollout and per --wait-for-deletion. */
  readonly timeout?: number;
  readonly concurrency?: number;
  readonly waitForDeletion?: string[];
  readonly output?: 'table' | 'json' | 'yaml';
}

/** Connect gives the command its context namespace and ports; tests hand in fakes. */
export type RerollConnect = (flags: KubeFlagValues, dryRun: DryRun) => Promise<{ namespace: string; ports: RerollPorts }>;

/** DeletionTarget is one --wait-for-deletion object, resolved. */
interface DeletionTarget {
  readonly ref: string;
  readonly resource: GroupVersionResource;
  readonly name: string;
}

// The kinds --wait-for-deletion accepts, by the names kubectl accepts for them.
const deletionKinds: Array<[names: string[], resource: GroupVersionResource]> = [
  [['job', 'jobs', 'job.batch', 'jobs.batch'], { group: 'batch', version: 'v1', resource: 'jobs' }],
  [['pod', 'pods', 'po'], { group: '', version: 'v1', resource: 'pods' }],
  [['daemonset', 'daemonsets', 'ds', 'daemonset.apps', 'daemonsets.apps'], { group: 'apps', version: 'v1', resource: 'daemonsets' }],
  [
    ['deployment', 'deployments', 'deploy', 'deployment.apps', 'deployments.apps'],
    { group: 'apps', version: 'v1', resource: 'deployments' },
  ],
  [
    ['statefulset', 'statefulsets', 'sts', 'statefulset.apps', 'statefulsets.apps'],
    { group: 'apps', version: 'v1', resource: 'statefulsets' },
  ],
];

/** parseDeletionRef reads KIND/NAME (a DNS-1123 name) or throws a usage error. */
export function parseDeletionRef(ref: string): DeletionTarget {
  const match = /^([a-z.]+)\/([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?)$/.exec(ref);
  const resource = match ? deletionKinds.find(([names]) => names.includes(match[1]!))?.[1] : undefined;
  if (!match || !resource) {
    throw new UsageError(`--wait-for-deletion "${ref}": expected KIND/NAME with KIND one of job, pod, daemonset, deployment, statefulset`);
  }
  return { ref, resource, name: match[2]! };
}

/** RerollOptions drives `reroll`. */
export class RerollOptions implements CommandOptions<ArgumentsCamelCase<RerollArgs>> {
  private profile: ProductProfile | undefined;
  private args!: RerollArgs;
  private session!: { namespace: string; ports: RerollPorts };
  private deletions: DeletionTarget[] = [];

  constructor(
    private readonly ctx: CommandContext,
    private readonly connect: RerollConnect = async (flags, dryRun) => {
      const session = await ctx.kube.connect(flags, { dryRun });
      return { namespace: session.namespace, ports: { workloads: session.clients.workloads, objects: session.clients.customObjects } };
    },
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** complete resolves the profile and the session; -n or the context's namespace, not the profile's: the workloads are the user's. */
  async complete(args: ArgumentsCamelCase<RerollArgs> | RerollArgs): Promise<void> {
    this.args = args;
    this.profile = resolveProfile(args, (file) => readFileSync(file, 'utf8'));
    this.session = await this.connect(args, args.dryRun ?? 'none');
  }

  validate(): void {
    validateNamespaceFlags(this.args);
    if (!this.profile) throw new UsageError('--profile (or --profile-file) is required: it names the sidecar to look for');
    if (!this.profile.dataPlane)
      throw new UsageError(`profile "${this.profile.name}" has no dataPlane (sidecar container): there is nothing to re-roll`);
    this.deletions = (this.args.waitForDeletion ?? []).map(parseDeletionRef);
  }

  async run(): Promise<void> {
    const profile = this.profile!;
    const dataPlane = profile.dataPlane!;
    const mode = this.args.dryRun ?? 'none';
    const { ports } = this.session;
    const scope = this.args.allNamespaces ? undefined : (this.args.namespace ?? this.session.namespace);
    const timeoutMs = this.args.timeout ?? 300_000;
    const notes: string[] = [];

    for (const deletion of this.deletions) {
      const what = `${deletion.ref} (namespace ${profile.namespace})`;
      if (mode !== 'none') {
        // A plan never blocks: it says whether the wait would be needed now.
        const page = await ports.objects.list(deletion.resource, {
          namespace: profile.namespace,
          fieldSelector: `metadata.name=${deletion.name}`,
        });
        notes.push(`would wait until ${what} is deleted: ${page.items.length > 0 ? 'it exists now' : 'already gone'}`);
        continue;
      }
      const waiting = this.ctx.progress(`waiting for ${what} to be deleted`);
      try {
        await waitForObjectGone(ports.objects, deletion.resource, profile.namespace, deletion.name, {
          timeoutMs,
          signal: this.ctx.signal,
          what: deletion.ref,
        });
        waiting.done(`${deletion.ref} is gone`);
      } catch (error) {
        waiting.done();
        throw error;
      }
    }

    const plan = await findRerollTargets(ports, scope, dataPlane);
    const progress = this.ctx.progress(`reroll ${scope ?? 'all namespaces'}`, { total: plan.workloads.length, unit: 'workloads' });
    let results: RestartResult[];
    try {
      if (mode === 'client') {
        results = [];
      } else {
        results = await restartWorkloads(
          {
            ports,
            concurrency: this.args.concurrency ?? 4,
            timeoutMs,
            dryRun: mode === 'server',
            now: this.now,
            signal: this.ctx.signal,
            report: (line) => progress.log(line),
            onDone: () => progress.tick(),
          },
          plan.workloads,
        );
      }
    } finally {
      progress.done();
    }
    this.print(plan, results, mode, scope, dataPlane, notes);
    const failed = results.filter((r) => r.result === 'failed');
    if (failed.length > 0) {
      throw new PartialFailureError(
        `${failed.length} of ${plan.workloads.length} workloads did not roll out (re-run to retry; a second restart only rolls them again)`,
        failed.map((r) => ({ item: `${r.kind.toLowerCase()}/${r.name} -n ${r.namespace}`, reason: r.error ?? 'failed' })),
      );
    }
  }

  private print(
    plan: RerollPlan,
    results: RestartResult[],
    mode: DryRun,
    scope: string | undefined,
    dataPlane: DataPlane,
    notes: string[],
  ): void {
    const { out, err } = this.ctx.io;
    const rows = plan.workloads.map((w, i) => {
      const r = results[i];
      const result =
        mode === 'client'
          ? 'would restart'
          : mode === 'server' && r?.result === 'patched'
            ? 'would restart (server dry run)'
            : (r?.result ?? 'not started');
      return { kind: w.kind, namespace: w.namespace, name: w.name, reason: w.reason, result, ...(r?.error ? { error: r.error } : {}) };
    });
    const output = this.args.output ?? 'table';
    if (output === 'json' || output === 'yaml') {
      printObject(
        out,
        { dryRun: mode, sidecarContainer: dataPlane.sidecarContainer, notes, workloads: rows, notRestartable: plan.unrestartable },
        output,
      );
      return;
    }
    if (mode !== 'none')
      out.write(`${mode === 'server' ? 'server dry run (dryRun=All)' : 'client dry run (read requests only)'}: nothing was changed\n`);
    for (const note of notes) out.write(`${note}\n`);
    if (rows.length === 0) {
      err.write(
        `No workloads with the ${dataPlane.sidecarContainer} sidecar found ${scope === undefined ? 'in any namespace' : `in ${scope} namespace`}.\n`,
      );
    } else {
      printTable(
        out,
        ['NAMESPACE', 'KIND', 'NAME', 'RESULT', 'REASON'],
        rows.map((r) => [r.namespace, r.kind, r.name, r.error ? `failed: ${r.error}` : r.result, r.reason]),
      );
    }
    if (plan.unrestartable.length > 0) {
      out.write(
        `\nNot restarted: pods with the ${dataPlane.sidecarContainer} sidecar that no Deployment, StatefulSet or DaemonSet owns; delete them to replace them:\n`,
      );
      printTable(
        out,
        ['NAMESPACE', 'POD', 'OWNER', 'COMMAND'],
        plan.unrestartable.map((p) => [p.namespace, p.name, p.owner ?? '<none>', p.command]),
      );
    }
  }
}

function flags(argv: Argv<GlobalFlags>) {
  return withOutput(
    withDryRun(
      withInteger(
        withDuration(withQuiet(withProfile(addKubeFlags(argv, { allNamespaces: true }))), 'timeout', {
          default: '5m',
          min: '1s',
          max: '24h',
          describe: 'How long to wait for each rollout, and for each --wait-for-deletion object',
        }),
        'concurrency',
        { default: 4, min: 1, max: 32, describe: 'How many workloads to restart at once' },
      ),
    ),
    ['table', 'json', 'yaml'] as const,
    'table',
  ).option('wait-for-deletion', {
    type: 'string',
    array: true,
    describe: "Before restarting, wait until this KIND/NAME in the profile's namespace is deleted (repeatable)",
  });
}

const examples: Example[] = [
  [
    '$0 reroll --profile nginx-service-mesh -n my-app',
    'Restart every workload in my-app whose pods carry the nginx-mesh-sidecar, 4 at a time',
  ],
  ['$0 reroll --profile nginx-service-mesh -A --dry-run', 'List what would be restarted in every namespace, reading only'],
  [
    '$0 reroll --profile nginx-service-mesh -A --wait-for-deletion job/csi-driver-sentinel',
    'OpenShift upgrade to 1.7.0, step 3: wait until the csi-driver-sentinel Job in nginx-mesh is deleted, then re-roll',
  ],
  ['$0 reroll --profile nginx-service-mesh -n my-app --concurrency 1 -o json', 'One at a time; the result for a script'],
];

/** rerollCommand is the `reroll` verb. */
export const rerollCommand = defineCommand({
  name: 'reroll',
  describe: "Restart the workloads whose pods carry the mesh's sidecar, a few at a time, waiting for each rollout",
  examples,
  flags,
  options: (ctx: CommandContext) => new RerollOptions(ctx),
});
