/**
 * `kubectl meshpreflight` (before an upgrade) and `kubectl meshpreflight check` (after it):
 * Options → complete → validate → run over the domain folders. The exit code is the same in
 * every output mode: 0 passed (warnings allowed), 1 a check failed (or warned, with --strict),
 * 2 usage, 3 a bad input file or CLI output, 4/5 cluster unreachable or forbidden.
 */
import type { ArgumentsCamelCase, Argv } from 'yargs';
import {
  defineCommand,
  type CommandContext,
  type CommandOptions,
  type GlobalFlags,
  type PluginCommand,
} from '../../../shared/cli/command.js';
import { withDuration, withOutput, withProfile } from '../../../shared/cli/flags.js';
import { CliError, InterruptedError, NegativeResultError, UsageError } from '../../../shared/errors/errors.js';
import { ExitCode } from '../../../shared/errors/exit-codes.js';
import { addKubeFlags, type KubeFlagValues } from '../../../shared/kube/config-flags.js';
import { LogLevel } from '../../../shared/log/logger.js';
import type { KubeClients, KubeObject } from '../../../shared/kube/ports.js';
import { printObject } from '../../../shared/output/printers.js';
import { builtinProfiles, resolveProfile, type ProductProfile } from '../../../shared/profiles/index.js';
import { parseVersion, requireVersion, type VendorVersion } from '../../../shared/version/semver.js';
import { failed, runChecks, summarize } from '../checks/check.js';
import { postUpgradeChecks, type KindObjects } from '../checks/post-upgrade-checks.js';
import { preflightChecks, type CliProbe, type HelmProbe } from '../checks/preflight-checks.js';
import { gatherFacts, listAll, type ClusterFacts, type Fetched } from '../cluster/facts.js';
import { parseRemoteSpelling } from '../crds/crd-spelling.js';
import { checkScheme } from '../../../shared/charts/sources/http.js';
import { readTargetCrds, targetCrdsOf, type TargetCrd } from '../crds/target-crds.js';
import { planUpgradePath } from '../path/plan.js';
import { renderText, reportApiVersion, resultOf, type PreflightReport } from '../report/report.js';
import { parseCliVersion } from '../versions/cli-version.js';
import { detectInstalled } from '../versions/installed.js';
import { loadVersionList, type VersionList } from '../versions/version-list.js';
import { createSystemPorts, type SystemPorts } from './system-ports.js';

/** PreflightArgs are the parsed flags of both commands. */
export interface PreflightArgs extends KubeFlagValues {
  readonly profile?: string;
  readonly profileFile?: string;
  readonly to?: string;
  readonly from?: string;
  readonly expect?: string;
  readonly versionsFrom?: string;
  readonly cli?: string;
  readonly crdsFrom?: string;
  /** insecureHttp accepts plain http:// chart repositories and GitHub API URLs for --crds-from. */
  readonly insecureHttp?: boolean;
  readonly githubApiUrl?: string;
  readonly skip?: string[];
  readonly strict?: boolean;
  readonly output?: 'table' | 'json' | 'yaml';
  /** timeout bounds each download and each run of the vendor CLI or helm (milliseconds). */
  readonly timeout?: number;
}

/** Mode: "preflight" before an upgrade, "check" after it. */
export type Mode = 'preflight' | 'check';

/** PreflightOptions drives one run of either command. */
export class PreflightOptions implements CommandOptions<ArgumentsCamelCase<PreflightArgs>> {
  private args!: PreflightArgs;
  private profile!: ProductProfile;
  private readonly system: SystemPorts;
  private target?: VendorVersion;
  private from?: VendorVersion;
  private expect?: VendorVersion;
  private skip = new Set<string>();

  constructor(
    private readonly ctx: CommandContext,
    private readonly mode: Mode,
    system?: SystemPorts,
  ) {
    this.system = system ?? createSystemPorts(ctx.env, ctx.signal);
  }

  /** complete resolves the profile and versions; nothing is read from the cluster yet. */
  complete(args: PreflightArgs): void {
    this.args = args;
    const profile = resolveProfile(args, (file) => this.system.readFileSync(file));
    if (!profile) throw new UsageError(`--profile is required (one of ${builtinProfiles.map((p) => p.name).join(', ')}) or --profile-file`);
    this.profile = profile;
    if (args.to !== undefined) this.target = requireVersion(args.to, '--to');
    if (args.from !== undefined) this.from = requireVersion(args.from, '--from');
    if (args.expect !== undefined) this.expect = requireVersion(args.expect, '--expect');
    this.skip = new Set(
      (args.skip ?? [])
        .flatMap((s) => s.split(','))
        .map((s) => s.trim())
        .filter(Boolean),
    );
  }

  /** validate is pure: required flags and known check ids. */
  validate(): void {
    if (this.mode === 'preflight' && !this.target) throw new UsageError('--to VERSION is required: the version to upgrade to');
    // github:, oci:// and URLs are judged by their spelling here; REPO/NAME against a path in run.
    const crdSource = this.args.crdsFrom === undefined ? undefined : parseRemoteSpelling(this.args.crdsFrom);
    if (
      this.args.githubApiUrl !== undefined &&
      !this.args.crdsFrom?.startsWith('github:') &&
      !this.args.versionsFrom?.startsWith('github:')
    )
      throw new UsageError('--github-api-url only applies with --crds-from or --versions-from github:OWNER/REPO');
    if (this.args.githubApiUrl !== undefined && /^http:\/\//i.test(this.args.githubApiUrl) && !this.args.insecureHttp)
      throw new UsageError(`--github-api-url ${this.args.githubApiUrl} is plain http: use https, or pass --insecure-http`);
    // A plain-http repository is refused here, before any work, as crdsync refuses it.
    if (crdSource?.kind === 'repository') checkScheme(crdSource.repoUrl, this.args.insecureHttp ?? false);
    const known = new Set((this.mode === 'preflight' ? preflightChecks : postUpgradeChecks).map((c) => c.id));
    for (const id of this.skip) {
      if (!known.has(id)) throw new UsageError(`unknown check "${id}" for --skip: known checks are ${[...known].join(', ')}`);
    }
  }

  private get timeoutMs(): number {
    return this.args.timeout ?? 60_000;
  }

  /** crdsCommand is the helm crdsync call that brings the CRDs to a version (issue 10's interface). */
  private crdsCommand(namespace: string): (version: string) => string {
    return (version) => `helm crdsync --version ${version} -n ${namespace}`;
  }

  /** probeCli runs the vendor CLI's version command; an explicit --cli that cannot answer is bad input. */
  private async probeCli(): Promise<CliProbe> {
    const cli = this.profile.cli;
    const explicit = this.args.cli;
    if (explicit !== undefined && !this.system.isExecutable(explicit)) throw new UsageError(`--cli ${explicit}: not an executable file`);
    const path = explicit ?? this.system.which(cli.name);
    if (!path) return { state: 'missing' };
    const result = await this.system.runProgram(path, cli.versionArgs, this.timeoutMs);
    const version = parseCliVersion(cli, result.stdout);
    if (version) return { state: 'found', path, version };
    const firstLine = (result.stdout.trim() || result.stderr.trim()).split('\n')[0]?.slice(0, 120) ?? '';
    const reason = `\`${cli.name} ${cli.versionArgs.join(' ')}\` printed no ${cli.name} version (exit ${result.exitCode}${firstLine ? `: ${firstLine}` : ''})`;
    if (explicit !== undefined) throw new CliError(`--cli ${explicit}: ${reason}`, ExitCode.BadInput);
    return { state: 'unusable', path, reason };
  }

  private async probeHelm(): Promise<HelmProbe> {
    const path = this.system.which('helm');
    if (!path) return { state: 'missing' };
    const result = await this.system.runProgram(path, ['version', '--short'], this.timeoutMs);
    // Helm 3/4: "v3.14.0+g3fc9f4b"; Helm 2: "Client: v2.17.0+ga690bad".
    const token = /v?\d+\.\d+\.\d+[^\s]*/.exec(result.stdout)?.[0];
    const version = token ? parseVersion(token) : undefined;
    return version ? { state: 'found', version } : { state: 'unusable', reason: `no version in "${result.stdout.trim().slice(0, 80)}"` };
  }

  /**
   * loadVersions reads --versions-from, else the profile's chart repository — the Enterprise one
   * when the installed release is an Enterprise chart (gloo-ee is published apart from gloo).
   */
  private async loadVersions(cluster: Promise<{ facts: ClusterFacts }>): Promise<VersionList> {
    const chartNames = this.profile.versionDetection.helmChartNames;
    let repository = this.profile.chart.repository;
    const enterprise = this.profile.preflight?.enterpriseChart;
    if (this.args.versionsFrom === undefined && enterprise) {
      const releases = (await cluster.catch(() => undefined))?.facts.releases.value ?? [];
      if (releases.some((release) => release.chart.name === enterprise.name)) repository = enterprise.repository;
    }
    // A version list only shapes the plan (nothing is applied from it), so plain http is allowed,
    // but said: anyone on the path could change which hops are advised.
    if (this.args.versionsFrom !== undefined && /^http:\/\//i.test(this.args.versionsFrom) && !this.args.insecureHttp) {
      this.ctx.io.err.write(
        `Warning: --versions-from ${this.args.versionsFrom} is plain http; pass --insecure-http to accept it quietly\n`,
      );
    }
    return loadVersionList(
      this.args.versionsFrom,
      {
        chartRepository: repository,
        chartNames,
        githubToken: this.ctx.env.GITHUB_TOKEN || undefined,
        ...(this.args.githubApiUrl === undefined ? {} : { githubApiUrl: this.args.githubApiUrl }),
      },
      {
        readFile: (path) => this.system.readFile(path),
        fetchText: (url, headers) => this.system.fetchText(url, headers, this.timeoutMs),
      },
    );
  }

  /**
   * loadTargetCrds reads --crds-from: a local path here, a remote chart or tag through helm
   * crdsync's shared sources, always at the --to version. A Ctrl-C during a download is an
   * interruption, not a bad source.
   */
  private async loadTargetCrds(value: string): Promise<TargetCrd[]> {
    const warn = (message: string) => this.ctx.io.err.write(`Warning: ${message}\n`);
    // Loaded only with --crds-from: the chart and GitHub readers are not part of --help's start-up.
    const { describeCrdSource, fetchRemoteCrds, parseCrdSource, pathExists } = await import('../crds/crd-source.js');
    const spec = await parseCrdSource(value, pathExists);
    if (spec.kind === 'local') return readTargetCrds(spec.path, warn);
    const signal = AbortSignal.any([this.ctx.signal, AbortSignal.timeout(this.timeoutMs)]);
    try {
      const fetched = await fetchRemoteCrds(
        spec,
        {
          profile: this.profile,
          target: this.target as VendorVersion,
          insecureHttp: this.args.insecureHttp ?? false,
          githubApiUrl: this.args.githubApiUrl,
          githubToken: this.ctx.env.GITHUB_TOKEN || this.ctx.env.GH_TOKEN || undefined,
          signal,
        },
        {
          http: this.system.httpGet,
          helm: () => this.system.helm(),
          progress: (line) => this.ctx.logger.v(LogLevel.Debug, line),
        },
      );
      this.ctx.logger.v(LogLevel.Debug, `target CRDs: ${fetched.files.length} file(s) from ${fetched.reference}`);
      return targetCrdsOf(fetched.reference, fetched.files, warn);
    } catch (err) {
      if (this.ctx.signal.aborted) throw new InterruptedError();
      if (signal.aborted && err instanceof CliError)
        throw new CliError(
          `--crds-from ${describeCrdSource(spec)}: no answer within --timeout ${this.timeoutMs / 1000}s`,
          ExitCode.BadInput,
        );
      throw err;
    }
  }

  async run(): Promise<void> {
    const flags: KubeFlagValues = { ...this.args, namespace: this.args.namespace ?? this.profile.namespace };
    // The cluster is read while the vendor CLI and helm run (each a process start), but inputs are
    // awaited first: a bad --versions-from, --crds-from or --cli is the error reported, not a cluster one.
    const cluster = this.ctx.kube.connect(flags).then(async (session) => ({
      session,
      facts: await gatherFacts(session.clients, this.profile, session.namespace, { preUpgrade: this.mode === 'preflight' }),
    }));
    cluster.catch(() => undefined);
    const [versionList, targetCrds, cli, helm] =
      this.mode === 'preflight'
        ? await Promise.all([
            this.loadVersions(cluster),
            this.args.crdsFrom !== undefined ? this.loadTargetCrds(this.args.crdsFrom) : Promise.resolve(undefined),
            this.skip.has('cli-version') ? Promise.resolve<CliProbe>({ state: 'missing' }) : this.probeCli(),
            this.skip.has('helm-client') ? Promise.resolve<HelmProbe>({ state: 'missing' }) : this.probeHelm(),
          ])
        : [undefined, undefined, undefined, undefined];
    // The cluster's answer first: when it fails (an unknown context, no server), its error is the one line printed.
    const { session, facts } = await cluster;
    if (versionList?.warning) this.ctx.io.err.write(`Warning: ${versionList.warning}\n`);
    // Read-only so far: a Ctrl-C during the reads just stops here (exit 130), nothing to undo.
    if (this.ctx.signal.aborted) throw new InterruptedError();
    const namespace = session.namespace;
    if (versionList) this.ctx.logger.v(LogLevel.Debug, `versions: ${versionList.versions?.length ?? 'none'} from ${versionList.source}`);
    if (cli) this.ctx.logger.v(LogLevel.Debug, `vendor CLI: ${cli.state === 'found' ? `${cli.path} ${cli.version.original}` : cli.state}`);
    const installed = detectInstalled(this.profile, facts.releases.value ?? [], facts.deployments.value ?? []);
    this.ctx.logger.v(LogLevel.Debug, `installed: ${installed.version?.original ?? 'unknown'} from ${installed.source}`);
    const crdsCommand = this.crdsCommand(namespace);
    let report: PreflightReport;
    const base = {
      profile: this.profile.name,
      namespace,
      kubernetesVersion: facts.serverVersion.gitVersion,
      installed: {
        ...(installed.version ? { version: installed.version.original } : {}),
        source: installed.source,
        enterprise: installed.enterprise,
        ...(installed.ossVersion ? { ossVersion: installed.ossVersion } : {}),
      },
    };
    if (this.mode === 'preflight' && this.target && versionList && cli && helm) {
      const current = this.from ?? installed.version;
      const plan = current
        ? planUpgradePath({
            current,
            target: this.target,
            available: versionList.versions?.map((v) => v.version),
            cliName: this.profile.cli.name,
            crdsCommand,
            notes: this.profile.preflight?.notes ?? [],
          })
        : undefined;
      const checks = runChecks(
        preflightChecks,
        {
          profile: this.profile,
          facts,
          installed,
          current,
          target: this.target,
          plan,
          versionList,
          cli,
          helm,
          targetCrds: targetCrds as TargetCrd[] | undefined,
          crdsCommand,
        },
        this.skip,
      );
      report = {
        apiVersion: reportApiVersion,
        kind: 'PreflightReport',
        ...base,
        target: this.target.original,
        result: resultOf(checks, this.args.strict ?? false),
        summary: summarize(checks),
        checks,
        ...(plan ? { plan } : {}),
        versionList: describeList(versionList),
      };
    } else {
      const expect = this.expect ?? installed.version;
      const [resources, pods] = await Promise.all([
        listProductResources(session.clients, this.profile),
        listPods(session.clients, namespace),
      ]);
      const checks = runChecks(
        postUpgradeChecks,
        { profile: this.profile, facts, installed, expect, resources, pods, crdsCommand },
        this.skip,
      );
      report = {
        apiVersion: reportApiVersion,
        kind: 'UpgradeCheckReport',
        ...base,
        ...(expect ? { target: expect.original } : {}),
        result: resultOf(checks, this.args.strict ?? false),
        summary: summarize(checks),
        checks,
        ...(this.profile.preflight?.postUpgradeCheck ? { vendorCheck: this.profile.preflight.postUpgradeCheck } : {}),
      };
    }
    const output = this.args.output ?? 'table';
    if (output === 'json' || output === 'yaml') printObject(this.ctx.io.out, report, output);
    else renderText(this.ctx.io.out, report);
    if (failed(report.summary, this.args.strict ?? false)) {
      const { fail, warn } = report.summary;
      throw new NegativeResultError(fail > 0 ? `${fail} check(s) failed` : `${warn} warning(s) with --strict`);
    }
  }
}

function describeList(list: VersionList): NonNullable<PreflightReport['versionList']> {
  return {
    source: list.source,
    ...(list.versions ? { count: list.versions.length } : {}),
    ...(list.warning ? { warning: list.warning } : {}),
  };
}

async function fetchedList(read: () => Promise<KubeObject[]>): Promise<Fetched<KubeObject[]>> {
  try {
    return { value: await read() };
  } catch (err) {
    return { error: err as Error };
  }
}

/** listProductResources lists every product kind across namespaces, at the kind's preferred version. */
async function listProductResources(clients: KubeClients, profile: ProductProfile): Promise<KindObjects[]> {
  return Promise.all(
    profile.kinds.map(async (kind) => ({
      kind,
      objects: await fetchedList(() =>
        listAll((continueToken) =>
          clients.customObjects.list({ group: kind.group, version: kind.versions[0] ?? 'v1', resource: kind.plural }, { continueToken }),
        ),
      ),
    })),
  );
}

function listPods(clients: KubeClients, namespace: string): Promise<Fetched<KubeObject[]>> {
  return fetchedList(() => listAll((continueToken) => clients.workloads.list('Pod', { namespace, continueToken })));
}

const examples = {
  preflight: [
    ['kubectl meshpreflight --profile gloo-edge --to 1.17.0', 'Check a Gloo Edge upgrade to 1.17.0 and print the hop-by-hop path'],
    [
      'kubectl meshpreflight --profile gloo-mesh --to 0.11.3 --versions-from versions.txt -o json',
      'Air-gapped: versions from a file (one a line), JSON for CI',
    ],
    [
      'kubectl meshpreflight --profile gloo-edge --to 1.17.0 --crds-from ./gloo/crds --strict',
      'Also compare stored versions with the target CRDs (a local folder); warnings fail',
    ],
    [
      'kubectl meshpreflight --profile gloo-edge --to 1.17.0 --crds-from https://storage.googleapis.com/solo-public-helm',
      'The target CRDs from the chart repository (chart gloo 1.17.0, digest checked); #gloo-ee after the URL names another chart',
    ],
    [
      'kubectl meshpreflight --profile gloo-mesh --to 0.11.3 --crds-from github:solo-io/gloo-mesh',
      "The target CRDs from the GitHub tag v0.11.3 at the profile's CRD path (set GITHUB_TOKEN against rate limits)",
    ],
    [
      'kubectl meshpreflight --profile gloo-edge --to 1.17.0 --context non-admin --skip helm-client',
      'As a non-admin user: which cluster-scoped rights are missing',
    ],
  ],
  check: [
    ['kubectl meshpreflight check --profile gloo-edge', 'After helm upgrade: everything runs the release version'],
    ['kubectl meshpreflight check --profile nginx-service-mesh --expect 2.0.0 -o yaml', 'Expect NGINX Service Mesh 2.0.0, YAML report'],
  ],
} as const;

function commonFlags(argv: Argv<GlobalFlags>) {
  return withDuration(
    withOutput(
      withProfile(addKubeFlags(argv))
        .option('skip', { type: 'string', array: true, describe: 'Check ids to skip (repeat or comma-separate); reported as skipped.' })
        .option('strict', { type: 'boolean', default: false, describe: 'Warnings fail the run (exit 1).' }),
      ['table', 'json', 'yaml'] as const,
      'table',
    ),
    'timeout',
    {
      default: '60s',
      min: '1s',
      max: '10m',
      describe: 'How long each download of a version list and each run of the vendor CLI or helm may take',
    },
  );
}

/** preflightCommand declares `kubectl meshpreflight` (the default command) or `kubectl meshpreflight check`. */
export function preflightCommand(mode: Mode, system?: (ctx: CommandContext) => SystemPorts): PluginCommand {
  if (mode === 'preflight') {
    return defineCommand({
      name: '$0',
      describe: 'Before an upgrade: versions, the hop-by-hop path, and whether the cluster is ready (the default command)',
      examples: examples.preflight,
      flags: (argv) =>
        commonFlags(argv)
          .option('to', { type: 'string', describe: 'The version to upgrade to (required).' })
          .option('from', {
            type: 'string',
            describe: 'The installed version, when detection cannot tell (default: the Helm release, else the images).',
          })
          .option('versions-from', {
            type: 'string',
            describe:
              "Published versions: a chart repository URL or index.yaml, github:OWNER/REPO, or a file (an index.yaml or one version a line). Default: the profile's chart repository.",
          })
          .option('cli', { type: 'string', describe: "The vendor CLI to check (default: the profile's CLI on PATH)." })
          .option('crds-from', {
            type: 'string',
            describe:
              "The target version's CRDs: a local chart (.tgz or directory), CRD file or folder; REPO/NAME or oci://… (helm pull); " +
              'a chart repository https://URL[#CHART]; or github:OWNER/REPO[@REF][:PATH]. Remote charts are read at --to.',
          })
          .option('insecure-http', {
            type: 'boolean',
            default: false,
            describe: 'Accept plain http:// chart repositories and GitHub API URLs in --crds-from and --versions-from.',
          })
          .option('github-api-url', {
            type: 'string',
            describe:
              'With --crds-from or --versions-from github:…: the API root, e.g. https://github.example.com/api/v3 for GitHub Enterprise.',
          }),
      options: (ctx) => new PreflightOptions(ctx, 'preflight', system?.(ctx)),
    });
  }
  return defineCommand({
    name: 'check',
    describe: 'After an upgrade: the control plane runs the expected version, CRDs Established, resources accepted, nothing stuck',
    examples: examples.check,
    flags: (argv) =>
      commonFlags(argv).option('expect', {
        type: 'string',
        describe: 'The version everything must run (default: the Helm release version).',
      }),
    options: (ctx) => new PreflightOptions(ctx, 'check', system?.(ctx)),
  });
}
