/**
 * `helm crdsync [CHART]`: Options → complete → validate → run. It only orchestrates: where the CRDs
 * come from (shared/charts/sources), which release is installed (sync/release.ts), the sync itself
 * (sync/sync.ts) and how it reads (sync/report.ts).
 */
import type { ProgressTask } from '../../../shared/output/progress.js';
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { readLocalChart, type ChartCrds } from '../../../shared/charts/chart-files.js';
import { crdReader, type CrdFile } from '../../../shared/crds/read-crds.js';
import { planHasChanges, type IncomingCrd } from '../../../shared/crds/plan.js';
import { CliError, InputFileError, NegativeResultError, PreconditionError, UsageError } from '../../../shared/errors/errors.js';
import { abortableSleep } from '../../../shared/cli/interrupt.js';
import { createHelmRunner, type HelmRunner } from '../../../shared/helm/helm-runner.js';
import type { KubeSession } from '../../../shared/kube/client.js';
import type { CommandContext, CommandOptions } from '../../../shared/cli/command.js';
import type { DryRun } from '../../../shared/cli/flags.js';
import type { KubeFlagValues } from '../../../shared/kube/config-flags.js';
import { printObject } from '../../../shared/output/printers.js';
import { printTable } from '../../../shared/output/table.js';
import { builtinProfiles, resolveProfile, type ProductProfile } from '../../../shared/profiles/index.js';
import { compareVersions, parseVersion, requireVersion, satisfiesRange } from '../../../shared/version/semver.js';
import { defaultGitHubApiUrl, fetchFromGitHub, validRepository } from '../../../shared/charts/sources/github.js';
import { isHelmReference, pullWithHelm } from '../../../shared/charts/sources/helm-pull.js';
import { createHttpGet, type HttpGet } from '../../../shared/charts/sources/http.js';
import { fetchFromRepository } from '../../../shared/charts/sources/repository.js';
import { findInstalledRelease, findProductRelease } from '../sync/release.js';
import type { HelmRelease } from '../../../shared/helm/release.js';
import { diffText, planDetails, planDocument, planHeaders, planRows, sourceDescription, type SourceSummary } from '../sync/report.js';
import { crdSourceAnnotation } from '../../../shared/labels.js';
import { runSync, type Observed, type SyncPorts, type SyncResult } from '../sync/sync.js';

/** SyncArgs are the parsed flags of `helm crdsync` (yargs camel-cases the dashed names). */
export interface SyncArgs extends KubeFlagValues {
  readonly chart?: string;
  readonly version?: string;
  readonly release?: string;
  readonly repo?: string;
  readonly github?: string;
  readonly ref?: string;
  readonly path?: string;
  readonly githubApiUrl?: string;
  readonly insecureHttp: boolean;
  /** plainHttp is helm's own flag, passed to `helm pull` for oci:// charts. */
  readonly plainHttp?: boolean;
  readonly allowDowngrade: boolean;
  readonly allowBreaking: boolean;
  readonly forceConflicts: boolean;
  readonly diff: boolean;
  readonly detailedExitcode: boolean;
  readonly wait: boolean;
  /** timeout in milliseconds (the shared duration flag). */
  readonly timeout: number;
  readonly concurrency: number;
  readonly dryRun: DryRun;
  readonly output: 'table' | 'json' | 'yaml';
  readonly backupDir?: string;
  readonly profile?: string;
  readonly profileFile?: string;
}

/** SyncCollaborators are replaced by tests; the defaults are the real ones. */
export interface SyncCollaborators {
  readonly http?: HttpGet;
  readonly helm?: HelmRunner;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

/**
 * impliedChartName is the chart name CHART implies before it is read: NAME with --repo, the last
 * part of REPO/NAME or oci://HOST/PATH/NAME; undefined for a local archive or folder.
 */
export function impliedChartName(chart: string, withRepo: boolean): string | undefined {
  if (withRepo) return chart;
  if (chart.startsWith('oci://'))
    return chart
      .replace(/[?#].*$/, '')
      .split('/')
      .filter(Boolean)
      .pop()
      ?.split(/[:@]/)[0];
  if (isHelmReference(chart) && !chart.startsWith('.')) return chart.split('/')[1];
  return undefined;
}

/** fieldManager is the managedFields name crdsync applies under. */
export const fieldManager = 'helm-crdsync';

/** SyncOptions drives one `helm crdsync` run. */
export class SyncCommandOptions implements CommandOptions<SyncArgs> {
  private args!: SyncArgs;
  private profile: ProductProfile | undefined;
  private session!: KubeSession;

  constructor(
    private readonly ctx: CommandContext,
    private readonly collaborators: SyncCollaborators = {},
    private readonly profiles: readonly ProductProfile[] = builtinProfiles,
  ) {}

  /** complete keeps the arguments and resolves the profile; it connects in run, after validate. */
  complete(args: SyncArgs): void {
    this.args = args;
    this.profile = resolveProfile(args, (file) => readFileSync(file, 'utf8'));
  }

  /** validate checks flags alone: versions, combinations, the GitHub repository's form. */
  validate(): void {
    const a = this.args;
    if (a.version !== undefined) requireVersion(a.version, '--version');
    if (a.github !== undefined) {
      if (!validRepository(a.github)) throw new UsageError(`invalid --github "${a.github}": expected OWNER/REPO`);
      if (a.chart !== undefined) throw new UsageError('give either a CHART or --github, not both');
      if (a.repo !== undefined) throw new UsageError('--repo names a chart repository; it cannot be used with --github');
      if (a.ref === undefined && a.version === undefined)
        throw new UsageError("--github needs --ref TAG or --version V (the tag is the profile's prefix + V)");
    } else if (a.ref !== undefined || a.path !== undefined || a.githubApiUrl !== undefined) {
      throw new UsageError('--ref, --path and --github-api-url only apply with --github');
    }
    if (a.repo !== undefined && a.chart !== undefined && (a.chart.includes('/') || a.chart.endsWith('.tgz'))) {
      throw new UsageError(`with --repo, CHART is a chart name (e.g. gloo), not "${a.chart}"`);
    }
    if (a.plainHttp && !a.chart?.startsWith('oci://'))
      throw new UsageError('--plain-http only applies to an oci:// CHART (use --insecure-http for http:// repositories)');
    if (a.chart === undefined && a.github === undefined && a.version === undefined) {
      throw new UsageError('give --version V (the chart version whose CRDs to sync), a CHART, or --github');
    }
  }

  private task: ProgressTask | undefined;

  /** progress reports a step on the shared reporter (silent with -q); warnings and the undo file are always printed. */
  private progress(line: string): void {
    if (line.startsWith('Warning: ') || line.startsWith('Saved the previous CRDs')) {
      this.ctx.io.err.write(`${line}\n`);
      return;
    }
    this.task ??= this.ctx.progress('crdsync');
    this.task.log(line);
  }

  private async connect(): Promise<KubeSession> {
    this.session ??= await this.ctx.kube.connect(this.args);
    return this.session;
  }

  /** run fetches the CRDs, plans, refuses or applies, and prints. */
  async run(): Promise<void> {
    const session = await this.connect();
    // The live CRDs are read while the chart is fetched (nothing depends on the chart to ask).
    const liveCrds = session.clients.crds.list();
    liveCrds.catch(() => undefined); // a failure is reported where it is awaited, or not at all when the fetch fails first
    const http = this.collaborators.http ?? createHttpGet(`${this.ctx.toolName}`);
    const { files, source, installed } = await this.fetchSource(session, http);
    // The target is the chart actually read (a local chart names its own version), else --version.
    const target = source.version ?? this.args.version;
    if (installed && target) this.checkDowngrade(installed, target);
    // Discovery is asked only when a file mentions v1beta1: most charts ship v1 CRDs.
    const mentionsV1beta1 = files.some((file) => file.text.includes('apiextensions.k8s.io/v1beta1'));
    const servesV1beta1 = mentionsV1beta1 && (await session.clients.discovery.groupVersions()).includes('apiextensions.k8s.io/v1beta1');
    const incoming = this.readIncrementally(source.reference, files, servesV1beta1, sourceDescription(source));

    const ports: SyncPorts = {
      crds: session.clients.crds,
      customObjects: session.clients.customObjects,
      sleep: this.collaborators.sleep ?? abortableSleep,
      now: this.collaborators.now ?? Date.now,
    };
    const structured = this.args.output === 'json' || this.args.output === 'yaml';
    let observed: Observed | undefined;
    let result: SyncResult;
    try {
      result = await runSync(
        ports,
        incoming,
        {
          fieldManager,
          dryRun: this.args.dryRun,
          allowBreaking: this.args.allowBreaking,
          forceConflicts: this.args.forceConflicts,
          wait: this.args.wait,
          timeoutMs: this.args.timeout,
          backupDir: this.args.backupDir ?? this.defaultBackupDir(),
          concurrency: this.args.concurrency,
          progress: (line) => this.progress(line),
          signal: this.ctx.signal,
          liveCrds,
        },
        (seen) => {
          observed = seen;
          if (!structured) this.printPlan(seen, source);
        },
      );
    } catch (err) {
      if (structured && observed && err instanceof CliError) {
        printObject(
          this.ctx.io.out,
          planDocument(source, observed, { dryRun: this.args.dryRun, error: { message: err.message, exitCode: err.exitCode } }),
          this.args.output as 'json' | 'yaml',
        );
      }
      throw err;
    }
    if (this.args.diff) await this.printDiffs(result);
    if (structured) {
      printObject(
        this.ctx.io.out,
        planDocument(source, result, { dryRun: this.args.dryRun, applied: result.applied, backupFile: result.backupFile }),
        this.args.output as 'json' | 'yaml',
      );
    } else {
      this.printResult(result);
    }
    if (result.backupFile)
      this.progress(
        `Saved the previous CRDs to ${result.backupFile}; undo: kubectl apply --server-side --force-conflicts -f ${result.backupFile}`,
      );
    if (this.args.detailedExitcode && planHasChanges(result.plan)) throw new NegativeResultError();
  }

  /**
   * readIncrementally parses the CRD files one at a time, yielding each file's CRDs and then the
   * event loop, so the dry-runs of the CRDs already read are under way while the next file parses
   * (large charts such as Gloo Edge's hold megabytes of YAML). A source without CRDs, and the
   * v1beta1 conversions, are reported once every file is read.
   */
  private async *readIncrementally(
    reference: string,
    files: readonly CrdFile[],
    servesV1beta1: boolean,
    description: string,
  ): AsyncGenerator<IncomingCrd> {
    const read = crdReader(reference, { serverServesV1beta1: servesV1beta1, warn: (line) => this.progress(`Warning: ${line}`) });
    let count = 0;
    let converted = 0;
    for (const file of files) {
      for (const item of read(file)) {
        count++;
        if (item.convertedFrom) converted++;
        // Where it came from, on the CRD itself (kubectl get crd -o yaml shows it).
        const metadata = (item.crd.metadata ??= {});
        metadata.annotations = { ...metadata.annotations, [crdSourceAnnotation]: description };
        yield item;
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (count === 0) throw new InputFileError(reference, 'holds no CustomResourceDefinitions');
    if (converted > 0)
      this.progress(
        `Converted ${converted} apiextensions.k8s.io/v1beta1 CRD(s) to v1: this server no longer serves v1beta1 (Kubernetes 1.22+)`,
      );
  }

  private defaultBackupDir(): string {
    const dataHome =
      this.ctx.env.HELM_DATA_HOME ||
      (this.ctx.env.XDG_DATA_HOME
        ? path.join(this.ctx.env.XDG_DATA_HOME, 'helm')
        : path.join(this.ctx.env.HOME ?? '.', '.local', 'share', 'helm'));
    return path.join(dataHome, 'crdsync', 'backups');
  }

  private checkDowngrade(installed: string, target: string): void {
    const from = parseVersion(installed);
    const to = parseVersion(target);
    if (from && to && compareVersions(to, from) < 0 && !this.args.allowDowngrade) {
      throw new PreconditionError(
        `refusing to sync CRDs of ${target}, lower than the installed ${installed}: older CRDs can drop fields and versions newer objects use (pass --allow-downgrade to do it anyway)`,
      );
    }
  }

  private printPlan(observed: Observed, source: SourceSummary): void {
    printTable(this.ctx.io.out, planHeaders, planRows(observed));
    const details = planDetails(observed.plan);
    if (details.length > 0) this.ctx.io.out.write(`\n${details.join('\n')}\n`);
    this.ctx.io.out.write(`\nSource (annotated on each CRD as ${crdSourceAnnotation}): ${sourceDescription(source)}\n`);
  }

  private printResult(result: SyncResult): void {
    if (this.args.dryRun === 'client') return;
    const suffix = this.args.dryRun === 'server' ? ' (server dry run)' : '';
    const rows = result.plan.entries.map((entry) => [
      entry.name,
      entry.action === 'create' ? `created${suffix}` : entry.action === 'update' ? `configured${suffix}` : 'unchanged',
    ]);
    this.ctx.io.out.write('\n');
    printTable(this.ctx.io.out, ['NAME', 'RESULT'], rows);
  }

  private async printDiffs(result: Observed): Promise<void> {
    for (const entry of result.plan.entries) {
      if (entry.action === 'unchanged') continue;
      const desired = result.desired.get(entry.name);
      if (!desired) continue;
      this.ctx.io.out.write(await diffText(entry.name, result.live.get(entry.name), desired));
    }
  }

  /** fetchSource reads the CRD files from wherever the arguments point. */
  private async fetchSource(session: KubeSession, http: HttpGet): Promise<{ files: CrdFile[]; source: SourceSummary; installed?: string }> {
    const a = this.args;
    const insecureHttp = a.insecureHttp ?? false;
    if (a.github !== undefined) return this.fetchGitHub(session, http);
    if (a.chart !== undefined) {
      // The installed release is looked up while the chart is fetched, by the name CHART implies;
      // a chart that turns out to be named otherwise is looked up again by its own name.
      const lookup = (name: string) => this.installedRelease(session, name);
      const implied = impliedChartName(a.chart, a.repo !== undefined);
      const early = implied !== undefined ? lookup(implied) : undefined;
      early?.catch(() => undefined);
      const fetched = await this.fetchChart(a.chart, http, insecureHttp);
      const name = fetched.source.chart ?? implied ?? '';
      const found = await (early && name === implied ? early : lookup(name));
      if (found) this.progress(`Installed: ${found.where}`);
      return { ...fetched, installed: found?.release.chart.version };
    }
    // No chart: the installed release of a known product, its chart from the profile's repository.
    const found = await findProductRelease(session.clients.secrets, this.profile ? [this.profile] : this.profiles, {
      namespace: session.namespace,
      releaseName: a.release,
    });
    this.progress(`Using ${found.where}`);
    this.profile ??= found.profile;
    // --repo without a CHART mirrors the profile's repository (air-gapped clusters, private mirrors).
    const repoUrl = a.repo ?? found.profile.chart.repository;
    const chart = await fetchFromRepository(http, {
      repoUrl,
      chart: found.release.chart.name,
      version: a.version,
      insecureHttp,
      signal: this.ctx.signal,
    });
    return {
      files: this.requireCrds(chart.url, chart),
      source: { kind: 'repository', reference: chart.url, chart: chart.name, version: chart.version, digest: chart.digest },
      installed: found.release.chart.version,
    };
  }

  /** installedRelease is the release CHART's version is checked against: --release, else the chart's product's. */
  private async installedRelease(session: KubeSession, chartName: string): Promise<{ release: HelmRelease; where: string } | undefined> {
    const namespace = session.namespace;
    if (this.args.release) return findProductRelease(session.clients.secrets, this.profiles, { namespace, releaseName: this.args.release });
    return findInstalledRelease(session.clients.secrets, chartName, this.profile ? [this.profile] : this.profiles, {
      namespace,
      warn: (line) => this.progress(`Warning: ${line}`),
    });
  }

  /** fetchChart reads CHART: a chart NAME from --repo, a local archive or folder, or REPO/NAME and oci:// through helm pull. */
  private async fetchChart(chartArg: string, http: HttpGet, insecureHttp: boolean): Promise<{ files: CrdFile[]; source: SourceSummary }> {
    const a = this.args;
    if (a.repo !== undefined) {
      const chart = await fetchFromRepository(http, {
        repoUrl: a.repo,
        chart: chartArg,
        version: a.version,
        insecureHttp,
        signal: this.ctx.signal,
      });
      return {
        files: [...chart.crdFiles],
        source: { kind: 'repository', reference: chart.url, chart: chart.name, version: chart.version, digest: chart.digest },
      };
    }
    const local = await this.localChart(chartArg);
    if (local) {
      if (a.version !== undefined && parseVersion(local.version) && compareVersions(local.version, a.version) !== 0) {
        throw new InputFileError(chartArg, `is chart ${local.name} version ${local.version}, not ${a.version}`);
      }
      return {
        files: this.requireCrds(chartArg, local),
        source: { kind: 'local', reference: chartArg, chart: local.name, version: local.version },
      };
    }
    if (!isHelmReference(chartArg))
      throw new InputFileError(chartArg, 'no such file or directory, and not a chart reference (REPO/NAME or oci://…)');
    this.progress(`Pulling ${chartArg}${a.version ? ` ${a.version}` : ''} with ${this.ctx.env.HELM_BIN || 'helm'}…`);
    const helm = this.collaborators.helm ?? createHelmRunner({ env: this.ctx.env });
    const pulled = await pullWithHelm(helm, { reference: chartArg, version: a.version, insecureHttp, plainHttp: a.plainHttp ?? false });
    return {
      files: this.requireCrds(chartArg, pulled),
      source: { kind: 'helm', reference: chartArg, chart: pulled.name, version: pulled.version },
    };
  }

  private requireCrds(reference: string, chart: ChartCrds): CrdFile[] {
    if (chart.crdFiles.length === 0)
      throw new InputFileError(reference, `chart ${chart.name} ${chart.version} has no crds/ folder: nothing to sync`);
    return [...chart.crdFiles];
  }

  private async localChart(chart: string): Promise<ChartCrds | undefined> {
    try {
      await fs.stat(chart);
    } catch {
      if (chart.endsWith('.tgz') || chart.startsWith('.') || chart.startsWith('/'))
        throw new InputFileError(chart, 'no such file or directory');
      return undefined;
    }
    return readLocalChart(chart);
  }

  private async fetchGitHub(session: KubeSession, http: HttpGet): Promise<{ files: CrdFile[]; source: SourceSummary; installed?: string }> {
    const a = this.args;
    const repository = a.github as string;
    const profile =
      this.profile ?? this.profiles.find((p) => p.crdSources.some((s) => s.repository.toLowerCase() === repository.toLowerCase()));
    const version = a.version ? requireVersion(a.version, '--version') : undefined;
    const sourceEntry = profile?.crdSources.find(
      (s) => s.repository.toLowerCase() === repository.toLowerCase() && (!version || satisfiesRange(version, s.versions)),
    );
    const ref = a.ref ?? `${sourceEntry?.tagPrefix ?? 'v'}${version?.normalized ?? ''}`;
    const crdPath = a.path ?? sourceEntry?.path;
    if (!crdPath)
      throw new UsageError(
        `no profile knows where ${repository} keeps its CRDs${version ? ` at ${version.original}` : ''}: pass --path DIR`,
      );
    const token = this.ctx.env.GITHUB_TOKEN || this.ctx.env.GH_TOKEN || undefined;
    const apiUrl = a.githubApiUrl ?? defaultGitHubApiUrl;
    // The installed release of the profile's chart is looked up while GitHub is read, so a tag
    // older than what runs is refused like an older chart version.
    const early = profile ? this.installedRelease(session, profile.chart.name) : undefined;
    early?.catch(() => undefined);
    this.progress(`Reading ${repository} ${crdPath} at ${ref} from the GitHub API${token ? ' (with GITHUB_TOKEN)' : ''}…`);
    const files = await fetchFromGitHub(http, {
      repository,
      ref,
      path: crdPath,
      apiUrl,
      token,
      insecureHttp: a.insecureHttp ?? false,
      signal: this.ctx.signal,
    });
    const found = await early;
    if (found) this.progress(`Installed: ${found.where}`);
    // Without --version, a --ref that reads as a version (v0.11.3; not a commit) is the target.
    const target = a.version ?? (a.ref !== undefined && parseVersion(a.ref) ? a.ref : undefined);
    return {
      files,
      source: { kind: 'github', reference: `${repository}@${ref}:${crdPath}`, version: target },
      installed: found?.release.chart.version,
    };
  }
}
