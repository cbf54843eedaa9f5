/**
 * One rehearsal, start to end: the product's chart repository on loopback, a sandbox API server
 * (unless a kubeconfig is given), a temporary HOME with the plugins on PATH and `helm crdsync`
 * installed by `helm plugin install`, the old version installed by a real `helm install` from the
 * repository, the users' resources, then the vendor procedure step by step.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import type { Writable } from 'node:stream';
import { performance } from 'node:perf_hooks';
import type { ControllerDelays } from '../sandbox/controllers/index.js';
import { startSandbox, type SandboxHandle } from '../sandbox/index.js';
import { factsFor } from '../sandbox/products/index.js';
import { productCharts, type RehearsedProduct } from './charts/product-charts.js';
import { startChartRepository } from './charts/repository.js';
import { procedures } from './procedures/index.js';
import { chartRef, type Procedure, type ProcedureContext } from './procedures/procedure.js';
import { Rehearsal, StepFailed, type StepRecord } from './rehearsal.js';
import { exampleResources, seedObjects, sidecarWorkloads } from './seed.js';
import { ensureHelm4, helm3Path, repoRoot } from './tools.js';

/** How to run a rehearsal. */
export interface DemoOptions {
  readonly product: RehearsedProduct;
  readonly helm: 3 | 4;
  /** Other steps for the product's setup (the bench times the vendor's plain kubectl/helm route this way). */
  readonly procedure?: Procedure;
  /** An existing cluster to rehearse on (its current context; token credentials); default: a new sandbox. */
  readonly kubeconfig?: string;
  /** The kubeconfig context the CRD step runs as (e.g. a restricted user's). */
  readonly crdContext?: string;
  /** The vendor fixtures folder, or null for the project's synthetic CRDs and examples. */
  readonly fixturesDir: string | null;
  /** The sandbox's controller delays (the sandbox's defaults otherwise). */
  readonly delays?: Partial<ControllerDelays>;
  /** hold, when given, is awaited after the last step before anything is stopped (npm run demo --keep: until Ctrl-C). */
  readonly hold?: () => Promise<void>;
  /** The work folder (backups, helm homes, the rehearsal's log), kept afterwards; default: a temporary one, removed. */
  readonly workDir?: string;
  /** The caller's environment; PATH and proxies are kept, kube and helm settings are replaced. */
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly out: Writable;
}

/** What a rehearsal did. */
export interface DemoResult {
  readonly exitCode: number;
  readonly steps: readonly StepRecord[];
  /** The step that failed, if one did. */
  readonly failed?: StepRecord;
  /** Time spent before the first vendor step (sandbox, repository, helm install, seeding). */
  readonly setupMs: number;
  /** The work folder (removed unless given as workDir). */
  readonly workDir: string;
}

// Settings of the caller's that would point the rehearsal's commands elsewhere.
const replacedEnv = /^(KUBECONFIG|KUBECACHEDIR|HOME|HELM_.*|XDG_.*)$/;

function pluginBin(home: string): string {
  const bin = join(home, 'bin');
  mkdirSync(bin, { recursive: true });
  const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  for (const [name, file] of Object.entries(pkg.bin)) {
    const target = join(repoRoot, file);
    if (!existsSync(target)) throw new Error(`${file} is missing: run "npm run build" first`);
    symlinkSync(target, join(bin, name));
  }
  return bin;
}

/** runDemo runs one rehearsal and answers its exit code and step records; it never exits the process. */
export async function runDemo(options: DemoOptions): Promise<DemoResult> {
  const t0 = performance.now();
  const procedure = options.procedure ?? procedures[options.product];
  // Checked before anything starts: a rehearsal never writes into a folder holding something else.
  if (options.workDir && existsSync(options.workDir) && readdirSync(options.workDir).length > 0)
    throw new Error(`--work-dir ${options.workDir} is not empty`);

  const print = (...lines: string[]): void => {
    for (const line of lines) options.out.write(`${line}\n`);
  };
  print(`# Rehearsal: ${procedure.title}, with Helm ${options.helm}`);
  if (!options.fixturesDir)
    print(
      "## vendor fixtures not found (../shared/fixtures or MESH_VENDOR_FIXTURES): the charts carry the project's synthetic CRDs and examples",
    );

  const charts = productCharts(options.product, options.fixturesDir);
  const repo = await startChartRepository(charts);
  let sandbox: SandboxHandle | undefined;
  if (options.workDir) mkdirSync(options.workDir, { recursive: true });
  const workDir = options.workDir ? resolve(options.workDir) : mkdtempSync(join(tmpdir(), 'mesh-demo-'));
  const cleanup = async (): Promise<void> => {
    await repo.close();
    await sandbox?.close();
    if (!options.workDir) rmSync(workDir, { recursive: true, force: true });
  };
  try {
    print(
      `## chart repository ${repo.url} (${charts.map((c) => `${c.name}-${c.version}.tgz`).join(', ')}; CRDs: ${charts[0]?.crdOrigin ?? ''})`,
    );
    let kubeconfig = options.kubeconfig;
    if (!kubeconfig) {
      sandbox = await startSandbox({ k8sVersion: procedure.k8sVersion, ...(options.delays ? { delays: options.delays } : {}) });
      kubeconfig = sandbox.kubeconfigPath;
      print(`## sandbox API server (Kubernetes v${sandbox.k8sVersion}) at ${sandbox.url}`);
    }
    const home = join(workDir, 'home');
    const bin = pluginBin(home);
    const helm = options.helm === 4 ? await ensureHelm4() : helm3Path();
    symlinkSync(helm, join(bin, 'helm'));
    const inherited = Object.fromEntries(
      Object.entries(options.env).filter((e): e is [string, string] => e[1] !== undefined && !replacedEnv.test(e[0])),
    );
    const env: Record<string, string> = {
      ...inherited,
      PATH: `${bin}${delimiter}${options.env.PATH ?? ''}`,
      HOME: home,
      KUBECONFIG: kubeconfig,
      KUBECACHEDIR: join(home, '.kube', 'cache'),
      HELM_CONFIG_HOME: join(home, '.config', 'helm'),
      HELM_CACHE_HOME: join(home, '.cache', 'helm'),
      HELM_DATA_HOME: join(home, '.local', 'share', 'helm'),
      // helm 3's installer writes to HELM_DATA_HOME/plugins whatever HELM_PLUGINS says: keep them one place.
      HELM_PLUGINS: join(home, '.local', 'share', 'helm', 'plugins'),
      NO_COLOR: '1',
    };
    print(`## work folder ${workDir}: HOME, helm's homes and the backups; PATH starts with ${bin} (the plugins, helm ${options.helm})`);
    const r = new Rehearsal(options.out, env, workDir);
    await r.setup('the helm the rehearsal runs', ['helm', 'version', '--short']);
    await r.setup('the vendor chart repository, served on loopback', ['helm', 'repo', 'add', procedure.repoName, repo.url]);
    await r.setup(
      'helm crdsync from this clone',
      ['helm', 'plugin', 'install', 'plugins/helm-crdsync', ...(options.helm === 4 ? ['--verify=false'] : [])],
      {
        cwd: repoRoot,
      },
    );
    await r.setup(`the installed version, ${procedure.from.product}`, [
      'helm',
      'install',
      procedure.release,
      chartRef(procedure),
      '-n',
      procedure.namespace,
      '--create-namespace',
      '--version',
      procedure.from.chart,
      '--wait',
    ]);
    const fromSpec = `${options.product}@${procedure.from.product}`;
    const seeded = [
      ...exampleResources(fromSpec, options.fixturesDir),
      ...(options.product === 'nginx-service-mesh' ? sidecarWorkloads(procedure.from.product) : []),
    ];
    const oldChart = charts.find((c) => c.version === procedure.from.chart);
    if (!oldChart) throw new Error(`no chart ${procedure.chartName}-${procedure.from.chart} in the rehearsal repository`);
    const report = await seedObjects(kubeconfig, oldChart, seeded, factsFor(fromSpec).exampleNamespace);
    print(
      `## the users' resources: ${report.created.length} created over the API (${report.created.filter((o) => !/^(Namespace|Deployment|StatefulSet|DaemonSet|Pod)\//.test(o)).length} custom resources${options.product === 'nginx-service-mesh' ? ', and application workloads carrying the sidecar in mesh-apps' : ''})`,
    );
    for (const refused of report.refused) print(`##   left out ${refused.object}: ${refused.reason}`);
    const context: ProcedureContext = {
      indexUrl: `${repo.url}/index.yaml`,
      charts,
      crdContext: options.crdContext,
      helmMajor: options.helm,
    };
    await procedure.prepare?.(r, context);
    const setupMs = performance.now() - t0;

    let exitCode = 0;
    let failed: StepRecord | undefined;
    try {
      await procedure.run(r, context);
    } catch (error) {
      if (!(error instanceof StepFailed)) throw error;
      failed = error.step;
      exitCode = error.step.exitCode;
      print('', `# Step ${error.step.number} failed with exit code ${exitCode}: ${error.step.title}. To roll back from here:`);
      for (const line of error.rollback) print(`#   ${line}`);
    }
    r.summary();
    print('', exitCode === 0 ? `# Done: ${procedure.title}` : `# Stopped at step ${failed?.number ?? '?'} (exit ${exitCode})`);
    if (options.hold) {
      print(`## kept: KUBECONFIG=${kubeconfig}, work folder ${workDir}, repository ${repo.url}: Ctrl-C ends them`);
      await options.hold();
    }
    return { exitCode, steps: r.steps, ...(failed ? { failed } : {}), setupMs, workDir };
  } finally {
    await cleanup();
  }
}
