/**
 * meshscale benchmark: on a sandbox with gloo-mesh@0.10.7 and known controller delays, run
 * `kubectl-meshscale down --profile gloo-mesh`, then time `up`. The sandbox simulates two
 * rollouts (discovery, then networking; `rolloutMs` each) and `up` must wait the quiet period for
 * discovery to settle; what remains of the wall time is watch latency + overhead (goal < 1 s).
 * The plugin runs as an asynchronous child (execa): the sandbox shares this event loop.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { execa } from 'execa';
import { startSandbox } from '../sandbox/index.js';
import { pluginEntry } from '../test/support/paths.js';

const repetitions = 3;
const delays = { rolloutMs: 300, crdEstablishMs: 200, jobMs: 300, discoveryStepMs: 250 };
const quietPeriodMs = 500;
/** `up` on gloo-mesh rolls out discovery, waits the quiet period, then rolls out networking. */
const simulatedMs = 2 * delays.rolloutMs + quietPeriodMs;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

/** benchMeshscale prints the median wall time of `up`, the simulated delays in it and the rest. */
export async function benchMeshscale(): Promise<void> {
  const home = mkdtempSync(join(tmpdir(), 'meshscale-bench-'));
  const sandbox = await startSandbox({ installs: ['gloo-mesh@0.10.7'], delays });
  const env = { ...process.env, KUBECONFIG: sandbox.kubeconfigPath, HOME: home, KUBECACHEDIR: join(home, 'cache') };
  const plugin = (args: string[]) =>
    execa(process.execPath, [pluginEntry('kubectl-meshscale'), ...args], { env, extendEnv: false, reject: false });
  try {
    const samples: number[] = [];
    for (let i = 0; i < repetitions; i++) {
      const down = await plugin(['down', '--profile', 'gloo-mesh', '--timeout', '60s']);
      if (down.exitCode !== 0) throw new Error(`meshscale down failed: ${down.stderr}`);
      const t0 = performance.now();
      const up = await plugin(['up', '--profile', 'gloo-mesh', '--quiet-period', `${quietPeriodMs}ms`, '--timeout', '60s']);
      const ms = performance.now() - t0;
      if (up.exitCode !== 0) throw new Error(`meshscale up failed: ${up.stderr}`);
      samples.push(ms);
    }
    const startup: number[] = [];
    for (let i = 0; i < repetitions; i++) {
      const t0 = performance.now();
      await plugin(['--help']);
      startup.push(performance.now() - t0);
    }
    const upMs = median(samples);
    const overheadMs = upMs - simulatedMs;
    console.log(`meshscale on gloo-mesh@0.10.7 (median of ${repetitions} down/up runs)`);
    console.log(`  up wall time                    ${upMs.toFixed(0).padStart(7)} ms`);
    console.log(`  simulated (2 rollouts x ${delays.rolloutMs} ms + quiet period ${quietPeriodMs} ms) ${simulatedMs} ms`);
    console.log(`  watch latency + overhead        ${overheadMs.toFixed(0).padStart(7)} ms   (goal < 1000 ms)`);
    console.log(`  of which process start (--help) ${median(startup).toFixed(0).padStart(7)} ms`);
  } finally {
    await sandbox.close();
    rmSync(home, { recursive: true, force: true });
  }
}
