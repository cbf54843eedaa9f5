/**
 * `npm run bench`: speed figures as ratios measured in one run on this machine, never as
 * absolute thresholds in tests.
 *
 * - start-up: `node -e 0` against each plugin's `--help` (which must not load client-node);
 * - the sandbox's raw create and list rates from a keep-alive client: the ceiling that later
 *   plugin benchmarks (backup, restore) are compared to.
 */
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { startSandbox } from '../sandbox/index.js';
import { RawClient, runConcurrently } from '../sandbox/raw-client.js';
import { binEntries, pluginEntry, pluginNames } from '../test/support/paths.js';
import { aCrd } from '../test/fixtures/crd-builder.js';
import { benchMeshbackup } from './meshbackup.js';
import { benchMeshpreflight } from './meshpreflight.js';
import { benchMeshscale } from './meshscale.js';
import { benchCrdsync } from './crdsync.js';
import { benchRelease } from './release.js';
import { benchDemo } from './demo.js';
import { childCpuMs, formatRow, median, type Sample } from './cpu.js';

const startupRuns = 15;
const objectCount = Number(process.env.BENCH_OBJECTS ?? 10_000);
const concurrency = 16;

/** timeCommand runs file startupRuns times: the median wall clock and the mean CPU time per run. */
function timeCommand(file: string, args: string[]): Sample {
  const samples: number[] = [];
  const cpu0 = childCpuMs();
  for (let i = 0; i < startupRuns; i++) {
    const t0 = performance.now();
    execFileSync(file, args, { stdio: 'ignore' });
    samples.push(performance.now() - t0);
  }
  const cpu1 = childCpuMs();
  return { wallMs: median(samples), cpuMs: cpu0 !== undefined && cpu1 !== undefined ? (cpu1 - cpu0) / startupRuns : undefined };
}

async function benchStartup(): Promise<void> {
  const baseline = timeCommand(process.execPath, ['-e', '0']);
  console.log(`start-up (wall: median of ${startupRuns}; cpu: user + system, mean of the same runs, steadier on a busy machine)`);
  console.log(formatRow('node -e 0', baseline, baseline));
  // What users run: package.json's bin (the npm route's bundles, dist/bin), then the tsc build
  // (dist/plugins), which only the tests load; the binaries are timed in the release part.
  for (const [label, entry] of [
    ['', (name: string) => binEntries[name] ?? pluginEntry(name)],
    [' (tsc build)', pluginEntry],
  ] as const) {
    for (const name of pluginNames)
      console.log(formatRow(`${name} --help${label}`, timeCommand(process.execPath, [entry(name), '--help']), baseline));
  }
}

async function benchSandbox(): Promise<void> {
  const sandbox = await startSandbox({});
  const raw = RawClient.fromKubeconfig(sandbox.kubeconfigPath, undefined, concurrency);
  try {
    const crd = aCrd().forKind('bench.example.test', 'Item').withVersion('v1').build();
    await raw.request('POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', crd);
    await waitEstablished(raw, crd.metadata.name ?? '');
    await raw.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bench' } });

    let errors = 0;
    const t0 = performance.now();
    await runConcurrently(objectCount, concurrency, async (i) => {
      const res = await raw.request('POST', '/apis/bench.example.test/v1/namespaces/bench/items', {
        apiVersion: 'bench.example.test/v1',
        kind: 'Item',
        metadata: { name: `item-${i}`, labels: { bench: 'yes' } },
        spec: { size: i, color: 'red' },
      });
      if (res.status !== 201) errors++;
    });
    const createMs = performance.now() - t0;

    const t1 = performance.now();
    let listed = 0;
    let token = '';
    do {
      const res = await raw.request(
        'GET',
        `/apis/bench.example.test/v1/namespaces/bench/items?limit=500${token ? `&continue=${encodeURIComponent(token)}` : ''}`,
      );
      const page = JSON.parse(res.body) as { items: unknown[]; metadata: { continue?: string } };
      listed += page.items.length;
      token = page.metadata.continue ?? '';
    } while (token);
    const listMs = performance.now() - t1;

    console.log(`sandbox raw rates (keep-alive HTTPS, ${concurrency} connections, ${objectCount} custom resources)`);
    console.log(
      `  create  ${(objectCount / (createMs / 1000)).toFixed(0).padStart(7)} objects/s   (${createMs.toFixed(0)} ms, ${errors} errors)`,
    );
    console.log(
      `  list    ${(listed / (listMs / 1000)).toFixed(0).padStart(7)} objects/s   (${listMs.toFixed(0)} ms, ${listed} listed in pages of 500)`,
    );
    if (errors > 0 || listed !== objectCount) process.exitCode = 1;
  } finally {
    raw.close();
    await sandbox.close();
  }
}

async function waitEstablished(raw: RawClient, name: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const res = await raw.request('GET', `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${name}`);
    const crd = JSON.parse(res.body) as { status?: { conditions?: Array<{ type: string; status: string }> } };
    if (crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`CRD ${name} was not Established within 10s`);
}

// BENCH_ONLY=startup,release,sandbox,meshbackup,meshscale,crdsync,meshpreflight,demo runs a subset (all by default).
const parts: Record<string, () => Promise<void>> = {
  startup: benchStartup,
  release: benchRelease,
  sandbox: benchSandbox,
  meshbackup: benchMeshbackup,
  meshscale: benchMeshscale,
  crdsync: benchCrdsync,
  meshpreflight: benchMeshpreflight,
  demo: benchDemo,
};
const only = (process.env.BENCH_ONLY ?? '')
  .split(',')
  .map((part) => part.trim())
  .filter(Boolean);
const unknown = only.filter((part) => !(part in parts));
if (unknown.length > 0) {
  console.error(`BENCH_ONLY: unknown part(s) ${unknown.join(', ')} (expected ${Object.keys(parts).join(', ')})`);
  process.exit(2);
}
let first = true;
for (const [name, part] of Object.entries(parts)) {
  if (only.length > 0 && !only.includes(name)) continue;
  if (!first) console.log('');
  first = false;
  await part();
}
