/**
 * `down`, `up` and `status`: Options → complete → validate → run over the scale domain.
 */
import { readFileSync } from 'node:fs';
import type { ArgumentsCamelCase, Argv } from 'yargs';
import { defineCommand, type CommandContext, type CommandOptions, type Example, type GlobalFlags } from '../../../shared/cli/command.js';
import { withDryRun, withDuration, withInteger, withOutput, withProfile, withQuiet, type DryRun } from '../../../shared/cli/flags.js';
import { UsageError } from '../../../shared/errors/errors.js';
import type { IOStreams } from '../../../shared/io/streams.js';
import { addKubeFlags, type KubeFlagValues } from '../../../shared/kube/config-flags.js';
import { printObject } from '../../../shared/output/printers.js';
import { printTable } from '../../../shared/output/table.js';
import { resolveProfile, type ProductProfile } from '../../../shared/profiles/index.js';
import { planTargets, type Direction, type Target } from '../scale/plan.js';
import type { ScalePorts } from '../scale/ports.js';
import { discoveryKinds, purgeDiscovery, scaleDown, scaleUp, workloadStatus, type DryRunPlan, type StatusRow } from '../scale/scaler.js';

/** ScaleArgs are the parsed flags of every verb (each verb declares its own subset). */
export interface ScaleArgs extends KubeFlagValues {
  readonly profile?: string;
  readonly profileFile?: string;
  readonly workload?: string[];
  readonly only?: string[];
  readonly purgeDiscovery?: boolean;
  /** timeout, settleTimeout and quietPeriod are milliseconds. */
  readonly timeout?: number;
  readonly dryRun?: DryRun;
  readonly replicas?: number;
  readonly settleTimeout?: number;
  readonly quietPeriod?: number;
  readonly output?: 'table' | 'wide' | 'json' | 'yaml' | 'name';
}

/** Connect gives the command its namespace and ports; tests hand in fakes. */
export type Connect = (flags: KubeFlagValues, dryRun: DryRun) => Promise<{ namespace: string; ports: ScalePorts }>;

/** ScaleOptions drives one verb. */
export class ScaleOptions implements CommandOptions<ArgumentsCamelCase<ScaleArgs>> {
  private profile: ProductProfile | undefined;
  private args!: ScaleArgs;
  private session!: { namespace: string; ports: ScalePorts };

  constructor(
    private readonly ctx: CommandContext,
    private readonly verb: Direction | 'status',
    private readonly connect: Connect = async (flags, dryRun) => {
      const session = await ctx.kube.connect(flags, { dryRun });
      return {
        namespace: session.namespace,
        ports: { scale: session.clients.scale, workloads: session.clients.workloads, objects: session.clients.customObjects },
      };
    },
  ) {}

  /** complete resolves the profile, then the session in the profile's namespace unless -n says otherwise (no request is sent yet). */
  async complete(args: ArgumentsCamelCase<ScaleArgs> | ScaleArgs): Promise<void> {
    this.args = args;
    this.profile = resolveProfile(args, (file) => readFileSync(file, 'utf8'));
    const flags: KubeFlagValues = { ...args, namespace: args.namespace ?? this.profile?.namespace };
    this.session = await this.connect(flags, args.dryRun ?? 'none');
  }

  validate(): void {
    if (!this.profile && !(this.args.workload && this.args.workload.length > 0)) {
      throw new UsageError('either --profile (or --profile-file) or --workload is required');
    }
    if (this.profile && this.args.workload && this.args.workload.length > 0) {
      throw new UsageError('--profile and --workload cannot be combined');
    }
    if (this.args.purgeDiscovery && (!this.profile || this.profile.discoveryGroups.length === 0)) {
      throw new UsageError('--purge-discovery needs a --profile that names discovery groups');
    }
    planTargets(this.verb === 'status' ? 'down' : this.verb, {
      profile: this.profile,
      workloadRefs: this.args.workload,
      only: this.args.only,
    });
  }

  async run(): Promise<void> {
    const dryRunMode = this.args.dryRun ?? 'none';
    const { namespace, ports } = this.session;
    const dryRun = dryRunMode !== 'none';
    const progress = this.ctx.progress(`${this.verb} ${namespace}`);
    const plan: DryRunPlan = { changes: [], consequences: [] };
    const ctx = {
      ports,
      namespace,
      timeoutMs: this.args.timeout ?? 300_000,
      dryRun: dryRunMode,
      signal: this.ctx.signal,
      report: (line: string) => progress.log(line),
      plan,
    };
    const source = { profile: this.profile, workloadRefs: this.args.workload, only: this.args.only };
    const { out } = this.ctx.io;
    try {
      if (this.verb === 'status') {
        const rows = await workloadStatus(ports, namespace, planTargets('down', source));
        // As `kubectl get` says "No resources found in NS namespace.": the rows alone would read as a
        // product scaled to nothing when it is in another namespace.
        if (rows.length > 0 && rows.every((row) => row.desired === null))
          this.ctx.io.err.write(
            `Warning: none of these workloads is in namespace ${namespace}${this.profile && this.profile.namespace !== namespace ? ` (the profile's namespace is ${this.profile.namespace})` : ''}: is the product installed there?\n`,
          );
        const output = this.args.output ?? 'table';
        if (output === 'json' || output === 'yaml') printObject(out, { namespace, workloads: rows }, output);
        else if (output === 'name') for (const r of rows) out.write(`${r.kind.toLowerCase()}.apps/${r.name}\n`);
        else {
          const wide = output === 'wide';
          printTable(
            out,
            ['KIND', 'NAME', 'DESIRED', 'READY', 'AVAILABLE', 'ORIGINAL', 'HPA', ...(wide ? ['NAMESPACE'] : [])],
            rows.map((r) => [
              r.kind,
              r.name,
              r.desired ?? '<missing>',
              r.ready,
              r.available,
              r.recordedOriginal ?? '<none>',
              r.hpa ?? '-',
              ...(wide ? [namespace] : []),
            ]),
          );
        }
        return;
      }
      const targets = planTargets(this.verb, source);
      // -o json|yaml|name: the result as data (kubectl scale -o does the same), and no sentences on stdout.
      const output = this.args.output === 'table' || this.args.output === 'wide' ? undefined : this.args.output;
      let purged: Map<string, number> | undefined;
      // acted: the targets scaled (an optional workload the installed version lacks is skipped).
      let acted: Target[];
      if (this.verb === 'down') {
        acted = await scaleDown(ctx, targets);
        if (this.args.purgeDiscovery && this.profile) {
          purged = await purgeDiscovery(ctx, discoveryKinds(this.profile.kinds, this.profile.discoveryGroups));
          const summary = [...purged].map(([kind, n]) => `${kind}=${n}`).join(' ');
          if (dryRun) plan.changes.push(`then delete the ${this.profile.discoveryGroups.join(', ')} resources: ${summary}`);
          else if (!output) out.write(`purged discovery resources: ${summary}\n`);
        }
      } else {
        acted = await scaleUp(ctx, targets, {
          replicas: this.args.replicas,
          settleKinds: this.profile ? discoveryKinds(this.profile.kinds, this.profile.discoveryGroups) : [],
          settleTimeoutMs: this.args.settleTimeout ?? 300_000,
          quietPeriodMs: this.args.quietPeriod ?? 5_000,
        });
      }
      if (output === 'name') {
        for (const t of acted) out.write(`${t.kind.toLowerCase()}.apps/${t.name}\n`);
        return;
      }
      if (output) {
        // What the workloads read now (after a dry run: unchanged), and what a dry run would do.
        const workloads = await workloadStatus(ports, namespace, targets);
        const result: ScaleResult = {
          verb: this.verb,
          namespace,
          dryRun: dryRunMode,
          workloads,
          ...(dryRun ? { changes: plan.changes, consequences: plan.consequences } : {}),
          ...(purged ? { [dryRun ? 'wouldPurge' : 'purged']: Object.fromEntries(purged) } : {}),
        };
        printObject(out, result, output);
        return;
      }
      if (dryRun) return printPlan(out, this.verb, namespace, plan, dryRunMode);
      out.write(`scaled ${this.verb} ${acted.map((t) => t.name).join(', ')} in ${namespace}\n`);
    } finally {
      progress.done();
    }
  }
}

/** ScaleResult is what `down` and `up` print with -o json|yaml. */
export interface ScaleResult {
  readonly verb: Direction;
  readonly namespace: string;
  readonly dryRun: DryRun;
  /** workloads as they read after the command (the status verb's rows). */
  readonly workloads: readonly StatusRow[];
  /** changes and consequences: with a dry run, what would be written and its HPA/PDB consequences. */
  readonly changes?: readonly string[];
  readonly consequences?: readonly string[];
  /** purged (wouldPurge with a dry run): discovery resources deleted per kind, with --purge-discovery. */
  readonly purged?: Readonly<Record<string, number>>;
  readonly wouldPurge?: Readonly<Record<string, number>>;
}

/** printPlan writes a dry run's would-be changes, then the HPA/PDB consequences apart. */
function printPlan(out: IOStreams['out'], verb: string, namespace: string, plan: DryRunPlan, mode: DryRun): void {
  const how = mode === 'server' ? 'server dry run (dryRun=All)' : 'client dry run (read requests only)';
  out.write(`${how}: nothing was changed; "${verb}" in ${namespace} would:\n`);
  for (const change of plan.changes) out.write(`  ${change}\n`);
  out.write('HPA/PDB consequences:\n');
  if (plan.consequences.length === 0) out.write('  none\n');
  for (const consequence of plan.consequences) out.write(`  ${consequence}\n`);
}

function commonFlags(argv: Argv<GlobalFlags>) {
  return withQuiet(withProfile(addKubeFlags(argv)))
    .option('workload', { type: 'string', array: true, describe: 'A workload to act on without a profile: deploy/NAME or sts/NAME.' })
    .option('only', { type: 'string', array: true, describe: 'Only these profile workloads (by name).' });
}

/** down and up print sentences by default; -o gives the result as data, as kubectl scale -o does. */
const resultFormats = ['json', 'yaml', 'name'] as const;

const timeoutFlag = { default: '5m', min: '1s', max: '24h', describe: 'How long to wait per workload' };

const examples: Record<Direction | 'status', Example[]> = {
  down: [
    ['$0 down --profile gloo-mesh --dry-run', 'Print what would be scaled and deleted, reading only (a bare --dry-run is client)'],
    [
      '$0 down --profile gloo-mesh --purge-discovery',
      'Gloo Mesh steps 1-2: networking then discovery to 0, then delete the discovery resources',
    ],
    ['$0 down --workload deploy/my-operator -n my-ns', 'Any Deployment or StatefulSet, without a profile'],
    ['$0 down --profile gloo-mesh --dry-run -o yaml', 'The would-be changes and the workloads as data, for a script'],
  ],
  up: [
    ['$0 up --profile gloo-mesh', 'Gloo Mesh step 6: discovery first, wait until its resources settle, then networking'],
    ['$0 up --profile gloo-mesh --dry-run=server', 'Send the scale writes with dryRun=All and print what would change'],
    ['$0 up --workload deploy/my-operator -n my-ns --replicas 2', 'A workload at 0 with no recorded count'],
    ['$0 up --profile gloo-mesh -o json', 'The workloads as they read after the scale-up, as JSON'],
  ],
  status: [
    ['$0 status --profile gloo-mesh', 'Desired, ready and available replicas, the recorded original count, HPAs'],
    ['$0 status --profile gloo-mesh -o json', 'The same for a script'],
  ],
};

const describe: Record<Direction | 'status', string> = {
  down: "Scale the control plane to 0 in the profile's order, recording original replica counts",
  up: "Restore recorded replica counts in the profile's order, waiting for rollouts and discovery to settle",
  status: 'Show each control-plane workload: desired, ready, available, recorded original, HPA',
};

/** scaleCommand returns the module of one verb. */
export function scaleCommand(verb: Direction | 'status') {
  const base = {
    name: verb,
    describe: describe[verb],
    examples: examples[verb],
    options: (ctx: CommandContext) => new ScaleOptions(ctx, verb),
  };
  if (verb === 'down') {
    return defineCommand({
      ...base,
      flags: (argv) =>
        withOutput(withDryRun(withDuration(commonFlags(argv), 'timeout', timeoutFlag)), resultFormats).option('purge-discovery', {
          type: 'boolean',
          default: false,
          describe: "Delete the profile's discovery resources after the scale-down.",
        }),
    });
  }
  if (verb === 'up') {
    return defineCommand({
      ...base,
      flags: (argv) =>
        withOutput(
          withDryRun(
            withInteger(
              withDuration(
                withDuration(withDuration(commonFlags(argv), 'timeout', timeoutFlag), 'settle-timeout', {
                  default: '5m',
                  min: '1s',
                  max: '24h',
                  describe: 'How long to wait for discovery to settle',
                }),
                'quiet-period',
                { default: '5s', min: '100ms', max: '1h', describe: 'How long discovery resources must stay unchanged' },
              ),
              'replicas',
              { min: 1, max: 1000, describe: 'Replicas for workloads at 0 with no recorded count (running ones keep theirs)' },
            ),
          ),
          resultFormats,
        ),
    });
  }
  return defineCommand({
    ...base,
    flags: (argv) => withOutput(commonFlags(argv), ['table', 'wide', 'json', 'yaml', 'name'] as const, 'table'),
  });
}
