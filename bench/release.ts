/**
 * Release benchmark (issue 12), ratios measured in one run:
 * - `--help` of every plugin through the npm route (`node dist/bin/<plugin>.mjs`, the bundle
 *   package.json's bin runs) against `node -e 0` (goal ≤ 1.5×);
 * - `--help` of every standalone binary (out/release/bin/<host>/, made by `npm run release`)
 *   against `node -e 0` of the Node version it embeds (goal ≤ 1.3×);
 * - a connecting command, `kubectl-meshscale status` on the sandbox, through the binary and
 *   through the npm route;
 * - binary and archive sizes per platform, and the npm package's tarball and installed sizes.
 * The binaries are not built here (about a minute each): without them those lines say so.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startSandbox } from '../sandbox/index.js';
import { pluginNames, repoRoot } from '../test/support/paths.js';
import { hostTarget, nodeVersion, targetId, releaseTargets } from '../scripts/release/node-runtimes.js';
import { childCpuMs, formatRow, median, type Sample } from './cpu.js';

const runs = 15;

/** time runs file n times after one warm-up: the median wall clock and the mean CPU time per run. */
function time(file: string, args: string[], env?: NodeJS.ProcessEnv, n = runs): Sample {
  const samples: number[] = [];
  execFileSync(file, args, { stdio: 'ignore', env }); // warm-up: page cache
  const cpu0 = childCpuMs();
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    execFileSync(file, args, { stdio: 'ignore', env });
    samples.push(performance.now() - t0);
  }
  const cpu1 = childCpuMs();
  return { wallMs: median(samples), cpuMs: cpu0 !== undefined && cpu1 !== undefined ? (cpu1 - cpu0) / n : undefined };
}

const row = (label: string, sample: Sample, base: Sample) => formatRow(label, sample, base);
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** treeBytes is the size of every file under dir. */
function treeBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += treeBytes(full);
    else if (entry.isFile()) total += statSync(full).size;
  }
  return total;
}

/** benchRelease prints the start-up ratios of the bundles and binaries, the connecting command and the sizes. */
export async function benchRelease(): Promise<void> {
  const out = path.join(repoRoot, 'out', 'release');
  const host = hostTarget();
  const binDir = host ? path.join(out, 'bin', targetId(host)) : '';
  const embeddedNode = host ? path.join(repoRoot, '.cache', 'node-runtimes', `${host.npmPackage}-${nodeVersion}`, 'node') : '';
  const haveBinaries = host !== undefined && existsSync(binDir) && existsSync(embeddedNode);

  const baseline = time(process.execPath, ['-e', '0']);
  console.log(`release start-up, --help (wall: median of ${runs}; cpu: user + system, mean of the same runs)`);
  console.log(row(`node -e 0 (${process.version})`, baseline, baseline));
  for (const name of pluginNames)
    console.log(row(`npm route: ${name}`, time(process.execPath, [path.join(repoRoot, 'dist', 'bin', `${name}.mjs`), '--help']), baseline));
  if (haveBinaries) {
    const seaBase = time(embeddedNode, ['-e', '0']);
    console.log(row(`node -e 0 (v${nodeVersion}, the binaries' Node)`, seaBase, seaBase));
    for (const name of pluginNames) console.log(row(`binary: ${name}`, time(path.join(binDir, name), ['--help']), seaBase));
  } else {
    console.log('  binaries: not built (run `npm run release` first)');
  }

  const home = mkdtempSync(path.join(tmpdir(), 'release-bench-'));
  const sandbox = await startSandbox({});
  try {
    const kubeconfig = sandbox.kubeconfigPath;
    const manifest = path.join(home, 'web.yaml');
    writeFileSync(
      manifest,
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: default}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: web}}\n  template:\n    metadata: {labels: {app: web}}\n    spec: {containers: [{name: web, image: nginx}]}\n',
    );
    const env = { ...process.env, KUBECONFIG: kubeconfig, HOME: home, KUBECACHEDIR: path.join(home, 'cache') };
    // The sandbox runs in this process: execFileSync would block its event loop, so spawn async.
    const { execa } = await import('execa');
    await execa('kubectl', ['apply', '-f', manifest], { env });
    const timeAsync = async (file: string, args: string[]): Promise<Sample> => {
      const samples: number[] = [];
      const cpu0 = childCpuMs();
      for (let i = 0; i < 8; i++) {
        const t0 = performance.now();
        const r = await execa(file, args, { env, reject: false });
        if (r.exitCode !== 0) throw new Error(`${file} ${args.join(' ')} exited ${r.exitCode}: ${String(r.stderr)}`);
        samples.push(performance.now() - t0);
      }
      const cpu1 = childCpuMs();
      return { wallMs: median(samples), cpuMs: cpu0 !== undefined && cpu1 !== undefined ? (cpu1 - cpu0) / 8 : undefined };
    };
    const statusArgs = ['status', '--workload', 'deploy/web', '-n', 'default', '-o', 'json'];
    const npmMs = await timeAsync(process.execPath, [path.join(repoRoot, 'dist', 'bin', 'kubectl-meshscale.mjs'), ...statusArgs]);
    console.log('connecting command: kubectl-meshscale status on the sandbox (wall: median of 8; cpu: the plugin process, mean)');
    console.log(row('npm route', npmMs, npmMs));
    if (haveBinaries) console.log(row('binary', await timeAsync(path.join(binDir, 'kubectl-meshscale'), statusArgs), npmMs));
  } finally {
    await sandbox.close();
    rmSync(home, { recursive: true, force: true });
  }

  console.log('sizes');
  // The npm route: the packed suite, and what an install with production dependencies only takes.
  const work = mkdtempSync(path.join(tmpdir(), 'release-bench-npm-'));
  try {
    const { execa } = await import('execa');
    const packed = await execa('npm', ['pack', '--ignore-scripts', '--silent', '--pack-destination', work], { cwd: repoRoot });
    const tarball = path.join(work, String(packed.stdout).trim().split('\n').pop() ?? '');
    const prefix = path.join(work, 'prefix');
    await execa('npm', [
      'install',
      '--prefix',
      prefix,
      '--omit=dev',
      '--ignore-scripts',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      tarball,
    ]);
    const modules = path.join(prefix, 'node_modules');
    console.log(
      `  npm package    tarball ${mb(statSync(tarball).size)}   installed ${mb(treeBytes(modules))} (the suite ${mb(treeBytes(path.join(modules, 'mesh-upgrade-plugins')))})`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  for (const target of releaseTargets) {
    const dir = path.join(out, 'bin', targetId(target));
    if (!existsSync(dir)) {
      console.log(`  ${targetId(target).padEnd(14)} not built`);
      continue;
    }
    for (const file of readdirSync(dir).sort()) {
      const plugin = file.replace(/\.exe$/, '');
      const archive = readdirSync(out).find((f) => f.startsWith(`${plugin}_v`) && f.endsWith(`_${targetId(target)}.tar.gz`));
      console.log(
        `  ${targetId(target).padEnd(14)} ${file.padEnd(28)} binary ${mb(statSync(path.join(dir, file)).size).padStart(9)}   archive ${archive ? mb(statSync(path.join(out, archive)).size) : 'none'}`,
      );
    }
  }
}
