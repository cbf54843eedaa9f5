/**
 * crdsync benchmark: the Gloo Edge 1.17.0 CRDs from a loopback chart repository onto a
 * gloo-edge@1.16.27 sandbox, `helm crdsync` (which also plans with a server-side dry-run, counts
 * objects, saves a backup and waits for Established) against the manual route of the runbook:
 * `helm pull --untar` then `kubectl apply --server-side --force-conflicts -f crds/`. Each run gets a
 * fresh sandbox so both routes do the same writes. Goal: crdsync ≤ 0.8× the manual route. The
 * plugin is installed with `helm plugin install plugins/helm-crdsync`, as users install it. The
 * same runs are repeated with the sandbox's latency fault (20 and 50 ms before every answer), as
 * from a cluster across a network, where kubectl's one-request-at-a-time applies cost most.
 *
 * A third route shows the floor of the goal: bench/crdsync-floor.ts sends only the requests the
 * issue asks for (list, dry-run apply, apply, wait for Established) with the CRDs already in JSON,
 * alone and after helm's own start (`helm version`). What crdsync spends above it is fetching the
 * chart, parsing its YAML, planning, saving the backup and printing.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { execa } from 'execa';
import type { KubeObject } from '../shared/kube/ports.js';
import { loadYamlDocuments } from '../shared/charts/safe-input.js';
import { startSandbox } from '../sandbox/index.js';
import { findVendorFixtures } from '../sandbox/products/vendor-fixtures.js';
import { repoRoot } from '../test/support/paths.js';
import { ensureHelm4 } from '../test/support/tools.js';
import { startChartRepository } from '../demo/charts/repository.js';
import { installCrdsyncPlugin, vendorChart, vendorCrdFiles } from '../test/e2e/crdsync/support.js';

const repetitions = 5;
const delays = { rolloutMs: 50, crdEstablishMs: 80, jobMs: 50, discoveryStepMs: 50 };

/**
 * childrenCpuMs reads the CPU time of this process's waited-for children (and theirs: helm's
 * plugin, kubectl's dispatcher) from /proc/self/stat (cutime + cstime, in clock ticks of 10 ms);
 * undefined where there is no /proc. On a loaded shared machine wall time follows CPU time, so
 * the bench shows both.
 */
function childrenCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[13]) + Number(fields[14])) * 10;
  } catch {
    return undefined;
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** benchCrdsync prints the median wall time of both routes and their ratio. */
export async function benchCrdsync(): Promise<void> {
  const fixtures = findVendorFixtures(process.env, repoRoot);
  if (!fixtures) {
    console.log('crdsync: skipped (needs ../shared/fixtures for the Gloo Edge CRDs)');
    return;
  }
  const crdFiles = vendorCrdFiles(fixtures, 'gloo', 'v1.17.0');
  const repo = await startChartRepository([vendorChart('gloo', '1.17.0', crdFiles)]);
  const helm = await ensureHelm4();
  const home = await installCrdsyncPlugin(helm);
  const work = mkdtempSync(join(tmpdir(), 'crdsync-bench-'));
  // The floor's requests carry the same CRDs, turned into JSON here, outside the timing.
  const floorBodies = join(work, 'floor-bodies.json');
  const crds = Object.values(crdFiles).flatMap((text) => loadYamlDocuments(text) as KubeObject[]);
  writeFileSync(floorBodies, JSON.stringify(crds.map((crd) => ({ name: crd.metadata?.name, body: JSON.stringify(crd) }))));
  const floorScript = join(repoRoot, 'dist', 'bench', 'crdsync-floor.js');
  // The plugin runs on the `node` on PATH (plugin.yaml); Node 22.1+ keeps its compiled code in a
  // compile cache between runs (the medians are of five runs: the first, cold one does not decide them).
  const pluginNode = (await execa('node', ['--version'], { reject: false })).stdout.trim() || 'unknown';
  try {
    // The goal's case: the sandbox on loopback, where a request costs only the server's work. Then
    // the same with a fixed delay before every answer, as from a cluster across a network: kubectl
    // applies the files one request after another, crdsync several at once.
    for (const scenario of [
      { label: 'loopback', faults: undefined },
      { label: '20 ms before every answer', faults: 'latency:ms=20' },
      { label: '50 ms before every answer', faults: 'latency:ms=50' },
    ]) {
      const timed = { crdsync: [] as number[], manual: [] as number[], floor: [] as number[], floorAfterHelm: [] as number[] };
      const clientCpu = { crdsync: [] as number[], manual: [] as number[] };
      const serverCpu = { crdsync: [] as number[], manual: [] as number[] };
      for (let i = 0; i < repetitions; i++) {
        for (const route of ['manual', 'crdsync', 'floor'] as const) {
          const sandbox = await startSandbox({ installs: ['gloo-edge@1.16.27'], delays });
          if (scenario.faults) sandbox.faults.set(scenario.faults);
          const run = `${scenario.label.split(' ')[0]}-${i}-${route}`;
          const env = {
            ...process.env,
            ...home.env,
            KUBECONFIG: sandbox.kubeconfigPath,
            HOME: work,
            KUBECACHEDIR: join(work, `cache-${run}`),
          };
          try {
            if (route === 'floor') {
              const caFile = join(work, `ca-${run}.pem`);
              const tokenFile = join(work, `token-${run}`);
              writeFileSync(caFile, sandbox.caPem);
              writeFileSync(tokenFile, sandbox.adminToken, { mode: 0o600 });
              const started = performance.now();
              await execa(helm, ['version'], { env });
              const helmDone = performance.now();
              const floor = await execa('node', [floorScript, sandbox.url, caFile, tokenFile, floorBodies], { env, reject: false });
              if (floor.exitCode !== 0) throw new Error(`the floor client failed: ${floor.stderr}`);
              timed.floor.push(performance.now() - helmDone);
              timed.floorAfterHelm.push(performance.now() - started);
              continue;
            }
            const t0 = performance.now();
            const children0 = childrenCpuMs();
            const self0 = process.cpuUsage();
            if (route === 'manual') {
              const dir = join(work, `pull-${run}`);
              const pulled = await execa(helm, ['pull', 'gloo', '--repo', repo.url, '--version', '1.17.0', '--untar', '--untardir', dir], {
                env,
                reject: false,
              });
              if (pulled.exitCode !== 0) throw new Error(`helm pull failed: ${pulled.stderr}`);
              const applied = await execa('kubectl', ['apply', '--server-side', '--force-conflicts', '-f', join(dir, 'gloo', 'crds')], {
                env,
                reject: false,
              });
              if (applied.exitCode !== 0) throw new Error(`kubectl apply failed: ${applied.stderr}`);
            } else {
              const synced = await execa(
                helm,
                [
                  'crdsync',
                  'gloo',
                  '--repo',
                  repo.url,
                  '--insecure-http',
                  '--version',
                  '1.17.0',
                  '--allow-breaking',
                  '--backup-dir',
                  join(work, 'backups'),
                ],
                { env, reject: false },
              );
              if (synced.exitCode !== 0) throw new Error(`helm crdsync failed: ${synced.stderr}`);
            }
            timed[route].push(performance.now() - t0);
            const self = process.cpuUsage(self0);
            serverCpu[route].push((self.user + self.system) / 1000);
            const children = childrenCpuMs();
            if (children !== undefined && children0 !== undefined) clientCpu[route].push(children - children0);
          } finally {
            await sandbox.close();
          }
        }
      }
      const manual = median(timed.manual);
      const crdsync = median(timed.crdsync);
      console.log(
        `crdsync: Gloo Edge 1.16.27 → 1.17.0 CRDs from a loopback chart repository, API server ${scenario.label} (median of ${repetitions}, helm 4, the plugin on Node ${pluginNode})`,
      );
      console.log(`  helm pull + kubectl apply --server-side   ${manual.toFixed(0).padStart(6)} ms   1.00x`);
      console.log(
        `  helm crdsync (plan, backup, apply, wait)  ${crdsync.toFixed(0).padStart(6)} ms   ${(crdsync / manual).toFixed(2)}x${scenario.faults ? '' : '   (goal ≤ 0.80x)'}`,
      );
      // The floor: the goal's requests alone (JSON ready; no chart, YAML, plan, backup or output).
      for (const [label, values] of [
        ['floor: the requests alone (bare client)', timed.floor],
        ['floor after helm starts (helm version)', timed.floorAfterHelm],
      ] as const)
        console.log(`  ${label.padEnd(40)}  ${median(values).toFixed(0).padStart(6)} ms   ${(median(values) / manual).toFixed(2)}x`);
      // Where the time goes: the clients' CPU (helm and kubectl, or helm and the plugin) and the
      // sandbox API server's (this process), medians of the same runs.
      const cpu = (label: string, values: { crdsync: number[]; manual: number[] }) =>
        values.manual.length > 0
          ? `  ${label.padEnd(40)}  ${median(values.manual).toFixed(0).padStart(6)} ms → ${median(values.crdsync).toFixed(0).padStart(6)} ms   ${(median(values.crdsync) / median(values.manual)).toFixed(2)}x`
          : `  ${label}: not measured (no /proc)`;
      console.log(cpu('CPU of the clients (manual → crdsync)', clientCpu));
      console.log(cpu('CPU of the sandbox API server', serverCpu));
    }
  } finally {
    home.dispose();
    await repo.close();
    rmSync(work, { recursive: true, force: true });
  }
}
