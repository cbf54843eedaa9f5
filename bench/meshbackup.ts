/**
 * meshbackup benchmark: 6 kinds × BENCH_BACKUP_OBJECTS objects (default 10,000) on the sandbox.
 * - save against the vendor procedure's six `kubectl get <kind> -A -o yaml > file`;
 * - restore against `kubectl create -f` of those files, and against the sandbox's raw create rate
 *   (a bare keep-alive client in another process, bench/raw-create.ts);
 * - peak RSS (/usr/bin/time -f %M) of the save.
 * Ratios measured in this run only.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, openSync, closeSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { RawClient, runConcurrently } from '../sandbox/raw-client.js';
import { aCrd } from '../test/fixtures/crd-builder.js';
import { pluginEntry } from '../test/support/paths.js';

const perKind = Number(process.env.BENCH_BACKUP_OBJECTS ?? 10_000);
const group = 'bench.meshbackup.test';
const kinds = ['Alpha', 'Bravo', 'Charlie', 'Delta', 'Echo', 'Foxtrot'];
const concurrency = 16;

async function prepare(sandbox: { kubeconfigPath: string }, objects: boolean): Promise<{ raw: RawClient; createMs: number }> {
  const raw = RawClient.fromKubeconfig(sandbox.kubeconfigPath, undefined, concurrency);
  for (const kind of kinds) {
    const crd = aCrd().forKind(group, kind).withVersion('v1').build();
    await raw.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
  await raw.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });
  let createMs = 0;
  if (objects) {
    const t0 = performance.now();
    for (const kind of kinds) {
      await runConcurrently(perKind, concurrency, async (i) => {
        await raw.request('POST', `/apis/${group}/v1/namespaces/bench/${kind.toLowerCase()}s`, {
          apiVersion: `${group}/v1`,
          kind,
          metadata: { name: `o-${i}`, labels: { bench: 'yes' } },
          spec: { size: i, color: 'red' },
        });
      });
    }
    createMs = performance.now() - t0;
  }
  return { raw, createMs };
}

function pluginEnv(kubeconfig: string, bin: string): NodeJS.ProcessEnv {
  return { ...process.env, KUBECONFIG: kubeconfig, PATH: `${bin}:${process.env.PATH ?? ''}` };
}

async function timed(fn: () => Promise<void>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** run spawns asynchronously (the sandbox shares this event loop) and returns status and stderr. */
function run(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  stdout: number | 'ignore' = 'ignore',
): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { env, stdio: ['ignore', stdout, 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stderr }));
  });
}

/** A sandbox served by its own process (`node dist/sandbox/cli.js`), as a user would run it. */
interface SandboxProcess {
  readonly kubeconfigPath: string;
  close(): Promise<void>;
}

let sandboxCount = 0;

/** startSandboxProcess starts the sandbox CLI and resolves once it says it is serving. */
function startSandboxProcess(work: string): Promise<SandboxProcess> {
  const kubeconfigPath = join(work, `sandbox-${++sandboxCount}.kubeconfig`);
  const cli = join(dirname(fileURLToPath(import.meta.url)), '..', 'sandbox', 'cli.js');
  const child = spawn(process.execPath, [cli, '--kubeconfig', kubeconfigPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  return new Promise((resolve, reject) => {
    let stderr = '';
    child.on('error', reject);
    child.on('close', (status) => reject(new Error(`the sandbox exited ${status} before serving: ${stderr}`)));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('sandbox API server')) {
        resolve({
          kubeconfigPath,
          close: async () => {
            child.kill('SIGTERM');
            await exited;
          },
        });
      }
    });
  });
}

/**
 * withSandbox runs `fn` on a fresh sandbox process with the benchmark's CRDs, and stops it: one
 * server at a time, none paying for another's heap, and none sharing this process's event loop.
 */
async function withSandbox<T>(work: string, fn: (sandbox: SandboxProcess) => Promise<T>, seed = false): Promise<T> {
  const sandbox = await startSandboxProcess(work);
  try {
    (await prepare(sandbox, seed)).raw.close();
    return await fn(sandbox);
  } finally {
    await sandbox.close();
  }
}

/**
 * benchMeshbackup prints the save/restore ratios and the save's peak RSS. Each measurement runs
 * against its own fresh sandbox, the others closed, so that no phase pays for another's heap.
 */
export async function benchMeshbackup(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), 'meshbackup-bench-'));
  const bin = join(work, 'bin');
  execFileSync('mkdir', ['-p', bin]);
  execFileSync('ln', ['-s', pluginEntry('kubectl-meshbackup'), join(bin, 'kubectl-meshbackup')]);
  const total = perKind * kinds.length;
  const archive = join(work, 'b.tar.gz');
  try {
    const { vendorMs, saveMs, rssKb } = await withSandbox(
      work,
      async (source) => {
        const env = pluginEnv(source.kubeconfigPath, bin);
        const vendorMs = await timed(async () => {
          for (const kind of kinds) {
            const fd = openSync(join(work, `${kind}.yaml`), 'w');
            const r = await run('kubectl', ['get', `${kind.toLowerCase()}s.${group}`, '-A', '-o', 'yaml'], env, fd);
            closeSync(fd);
            if (r.status !== 0) throw new Error(`kubectl get ${kind} failed`);
          }
        });
        let rssKb = NaN;
        const saveMs = await timed(async () => {
          const args = ['meshbackup', 'save', '--group', group, '-A', '-f', archive];
          const r = existsSync('/usr/bin/time')
            ? await run('/usr/bin/time', ['-f', '%M', 'kubectl', ...args], env)
            : await run('kubectl', args, env);
          if (r.status !== 0) throw new Error(`meshbackup save failed: ${r.stderr}`);
          rssKb = Number(r.stderr.trim().split('\n').pop());
        });
        return { vendorMs, saveMs, rssKb };
      },
      true,
    );

    const createFMs = await withSandbox(work, async (target) => {
      const env = pluginEnv(target.kubeconfigPath, bin);
      return timed(async () => {
        for (const kind of kinds) {
          const r = await run('kubectl', ['create', '-f', join(work, `${kind}.yaml`)], env);
          if (r.status !== 0) throw new Error(`kubectl create -f ${kind} failed`);
        }
      });
    });

    const rawMs = await withSandbox(work, async (target) => {
      const script = join(dirname(fileURLToPath(import.meta.url)), 'raw-create.js');
      const output = await runCapture(process.execPath, [
        script,
        target.kubeconfigPath,
        group,
        kinds.join(','),
        String(perKind),
        String(concurrency),
      ]);
      const result = JSON.parse(output) as { ms: number; errors: number };
      if (result.errors > 0) throw new Error(`raw create: ${result.errors} errors`);
      return result.ms;
    });

    const restoreMs = await withSandbox(work, async (target) => {
      const env = pluginEnv(target.kubeconfigPath, bin);
      return timed(async () => {
        const r = await run('kubectl', ['meshbackup', 'restore', '-f', archive, '--concurrency', String(concurrency)], env);
        if (r.status !== 0) throw new Error(`meshbackup restore failed: ${r.stderr.slice(-2000)}`);
      });
    });

    const rawRate = total / (rawMs / 1000);
    const restoreRate = total / (restoreMs / 1000);
    console.log(`meshbackup (${kinds.length} kinds x ${perKind} objects = ${total}; one fresh sandbox process per measurement)`);
    console.log(`  vendor kubectl get -o yaml x6   ${vendorMs.toFixed(0).padStart(7)} ms`);
    console.log(
      `  meshbackup save                 ${saveMs.toFixed(0).padStart(7)} ms   ${(saveMs / vendorMs).toFixed(2)}x (goal <= 0.67x)`,
    );
    console.log(
      `  save peak RSS                   ${(rssKb / 1024).toFixed(0).padStart(7)} MB   for ${total} objects (goal <= 200 MB for a 50,000-object save)`,
    );
    console.log(`  kubectl create -f x6            ${createFMs.toFixed(0).padStart(7)} ms`);
    console.log(
      `  meshbackup restore              ${restoreMs.toFixed(0).padStart(7)} ms   ${(restoreMs / createFMs).toFixed(2)}x (goal <= 0.2x)`,
    );
    console.log(`  raw create (bare client, another process, ${concurrency} connections) ${rawMs.toFixed(0)} ms`);
    console.log(
      `  restore rate ${restoreRate.toFixed(0)} obj/s vs raw create ${rawRate.toFixed(0)} obj/s: ${((100 * restoreRate) / rawRate).toFixed(0)} % (goal >= 70 %)`,
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** runCapture spawns asynchronously and returns stdout (the sandbox shares this event loop). */
function runCapture(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => (status === 0 ? resolve(stdout) : reject(new Error(`${file} exited ${status}`))));
  });
}
