/**
 * `down`, `up` and `status`: Options → complete → validate → run over the scale domain.
 */
import type { Argv } from 'yargs';
import type { CliCommand, GlobalFlags } from '../../../shared/cli/run-cli.js';
import { UsageError } from '../../../shared/errors/errors.js';
import type { IOStreams } from '../../../shared/io/streams.js';
import { addKubeFlags, type KubeFlagValues } from '../../../shared/kube/config-flags.js';
import { printTable } from '../../../shared/output/table.js';
import { profileFor, type ProductProfile } from '../../../shared/profiles/index.js';
import type { KubeConnector } from '../../../shared/kube/client.js';
import { planTargets, type Direction } from '../scale/plan.js';
import type { ScalePorts } from '../scale/ports.js';
import { discoveryKinds, purgeDiscovery, scaleDown, scaleUp, workloadStatus, type DryRunPlan } from '../scale/scaler.js';
import { parseDuration } from './common.js';

/** ScaleDeps are what the commands need. */
export interface ScaleDeps {
  readonly io: IOStreams;
  readonly kube: KubeConnector;
  readonly signal?: AbortSignal;
  /** portsFor lets tests hand in fakes; defaults to the connected session's ports. */
  readonly connect?: (flags: KubeFlagValues) => Promise<{ namespace: string; ports: ScalePorts }>;
}

/** ScaleArgs are the parsed flags of every verb. */
export interface ScaleArgs extends GlobalFlags, KubeFlagValues {
  readonly profile?: string;
  readonly workload?: string[];
  readonly only?: string[];
  readonly purgeDiscovery?: boolean;
  readonly timeout?: string;
  readonly dryRun?: string;
  readonly replicas?: number;
  readonly settleTimeout?: string;
  readonly quietPeriod?: string;
  readonly output?: string;
}

/** ScaleOptions drives one verb. */
export class ScaleOptions {
  private profile: ProductProfile | undefined;
  private args!: ScaleArgs;
  private timeoutMs = 300_000;
  private settleTimeoutMs = 300_000;
  private quietPeriodMs = 5_000;

  constructor(
    private readonly deps: ScaleDeps,
    private readonly verb: Direction | 'status',
  ) {}

  complete(args: ScaleArgs): void {
    this.args = args;
    this.profile = args.profile ? profileFor(args.profile) : undefined;
    if (args.timeout) this.timeoutMs = parseDuration('timeout', args.timeout);
    if (args.settleTimeout) this.settleTimeoutMs = parseDuration('settle-timeout', args.settleTimeout);
    if (args.quietPeriod) this.quietPeriodMs = parseDuration('quiet-period', args.quietPeriod);
  }

  validate(): void {
    if (!this.profile && !(this.args.workload && this.args.workload.length > 0)) {
      throw new UsageError('either --profile or --workload is required');
    }
    if (this.profile && this.args.workload && this.args.workload.length > 0) {
      throw new UsageError('--profile and --workload cannot be combined');
    }
    if (this.args.dryRun !== undefined && !['none', 'server'].includes(this.args.dryRun)) {
      throw new UsageError(`invalid --dry-run "${this.args.dryRun}": use none or server`);
    }
    if (this.args.replicas !== undefined && (!Number.isInteger(this.args.replicas) || this.args.replicas < 1)) {
      throw new UsageError('--replicas must be a positive integer');
    }
    if (this.args.purgeDiscovery && (!this.profile || this.profile.discoveryGroups.length === 0)) {
      throw new UsageError('--purge-discovery needs a --profile that names discovery groups');
    }
    planTargets(this.verb === 'status' ? 'down' : this.verb, { profile: this.profile, workloadRefs: this.args.workload, only: this.args.only });
  }

  async run(): Promise<void> {
    const flags: KubeFlagValues = { ...this.args, namespace: this.args.namespace ?? this.profile?.namespace };
    const { namespace, ports } = this.deps.connect
      ? await this.deps.connect(flags)
      : await this.deps.kube.connect(flags).then((s) => ({
          namespace: s.namespace,
          ports: { scale: s.clients.scale, workloads: s.clients.workloads, objects: s.clients.customObjects },
        }));
    const report = (line: string): void => void this.deps.io.err.write(`${line}\n`);
    const dryRun = this.args.dryRun === 'server';
    const plan: DryRunPlan = { changes: [], consequences: [] };
    const ctx = {
      ports,
      namespace,
      timeoutMs: this.timeoutMs,
      dryRun,
      signal: this.deps.signal,
      report,
      plan,
    };
    const source = { profile: this.profile, workloadRefs: this.args.workload, only: this.args.only };
    if (this.verb === 'status') {
      const rows = await workloadStatus(ports, namespace, planTargets('down', source));
      if (this.args.output === 'json') {
        this.deps.io.out.write(`${JSON.stringify({ namespace, workloads: rows }, null, 2)}\n`);
      } else {
        printTable(
          this.deps.io.out,
          ['KIND', 'NAME', 'DESIRED', 'READY', 'AVAILABLE', 'ORIGINAL', 'HPA'],
          rows.map((r) => [r.kind, r.name, r.desired ?? '<missing>', r.ready, r.available, r.recordedOriginal ?? '<none>', r.hpa ?? '-']),
        );
      }
      return;
    }
    const targets = planTargets(this.verb, source);
    if (this.verb === 'down') {
      await scaleDown(ctx, targets);
      if (this.args.purgeDiscovery && this.profile) {
        const counts = await purgeDiscovery(ctx, discoveryKinds(this.profile.kinds, this.profile.discoveryGroups));
        const summary = [...counts].map(([kind, n]) => `${kind}=${n}`).join(' ');
        if (dryRun) plan.changes.push(`then delete the ${this.profile.discoveryGroups.join(', ')} resources: ${summary}`);
        else this.deps.io.out.write(`purged discovery resources: ${summary}\n`);
      }
      if (dryRun) return printPlan(this.deps.io.out, this.verb, namespace, plan);
      this.deps.io.out.write(`scaled down ${targets.map((t) => t.name).join(', ')} in ${namespace}\n`);
      return;
    }
    await scaleUp(ctx, targets, {
      replicas: this.args.replicas,
      settleKinds: this.profile ? discoveryKinds(this.profile.kinds, this.profile.discoveryGroups) : [],
      settleTimeoutMs: this.settleTimeoutMs,
      quietPeriodMs: this.quietPeriodMs,
    });
    if (dryRun) return printPlan(this.deps.io.out, this.verb, namespace, plan);
    this.deps.io.out.write(`scaled up ${targets.map((t) => t.name).join(', ')} in ${namespace}\n`);
  }
}

/** printPlan writes a server dry run's would-be changes, then the HPA/PDB consequences apart. */
function printPlan(out: IOStreams['out'], verb: string, namespace: string, plan: DryRunPlan): void {
  out.write(`server dry run (dryRun=All): nothing was changed; "${verb}" in ${namespace} would:\n`);
  for (const change of plan.changes) out.write(`  ${change}\n`);
  out.write('HPA/PDB consequences:\n');
  if (plan.consequences.length === 0) out.write('  none\n');
  for (const consequence of plan.consequences) out.write(`  ${consequence}\n`);
}

function common(argv: Argv<GlobalFlags>): Argv<GlobalFlags> {
  return addKubeFlags(argv)
    .option('profile', { type: 'string', describe: 'Product profile (gloo-mesh, gloo-edge, nginx-service-mesh).' })
    .option('workload', { type: 'string', array: true, describe: 'A workload to act on without a profile: deploy/NAME or sts/NAME.' })
    .option('only', { type: 'string', array: true, describe: 'Only these profile workloads (by name).' }) as unknown as Argv<GlobalFlags>;
}

/** createScaleCommand returns the module of one verb. */
export function createScaleCommand(deps: ScaleDeps, verb: Direction | 'status'): CliCommand {
  const describe = {
    down: "Scale the control plane to 0 in the profile's order, recording original replica counts",
    up: "Restore recorded replica counts in the profile's order, waiting for rollouts and discovery to settle",
    status: 'Show each control-plane workload: desired, ready, available, recorded original, HPA',
  }[verb];
  return {
    command: verb,
    describe,
    builder: (argv: Argv<GlobalFlags>) => {
      let result = common(argv);
      if (verb === 'down') {
        result = result
          .option('purge-discovery', { type: 'boolean', default: false, describe: "Delete the profile's discovery resources after the scale-down." })
          .option('timeout', { type: 'string', default: '5m', describe: 'How long to wait per workload.' })
          .option('dry-run', { type: 'string', default: 'none', describe: 'none or server.' });
      } else if (verb === 'up') {
        result = result
          .option('replicas', { type: 'number', describe: 'Replicas for workloads at 0 with no recorded count (running ones keep theirs).' })
          .option('settle-timeout', { type: 'string', default: '5m', describe: 'How long to wait for discovery to settle.' })
          .option('quiet-period', { type: 'string', default: '5s', describe: 'How long discovery resources must stay unchanged.' })
          .option('timeout', { type: 'string', default: '5m', describe: 'How long to wait per workload.' })
          .option('dry-run', { type: 'string', default: 'none', describe: 'none or server.' });
      } else {
        result = result.option('output', { alias: 'o', type: 'string', choices: ['table', 'json'], default: 'table' });
      }
      return result;
    },
    handler: async (argv) => {
      const options = new ScaleOptions(deps, verb);
      options.complete(argv as unknown as ScaleArgs);
      options.validate();
      await options.run();
    },
  };
}
