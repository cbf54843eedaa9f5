/**
 * A separate process that creates the benchmark's objects with a bare keep-alive client and
 * prints the milliseconds it took: the sandbox's raw create rate, measured the way a plugin
 * reaches the server (from another process), not from inside the server's own event loop.
 *
 * node dist/bench/raw-create.js KUBECONFIG GROUP KINDS(comma-separated) PER_KIND CONCURRENCY
 */
import { performance } from 'node:perf_hooks';
import { RawClient, runConcurrently } from '../sandbox/raw-client.js';

const [kubeconfig = '', group = '', kindList = '', perKindText = '0', concurrencyText = '16'] = process.argv.slice(2);
const perKind = Number(perKindText);
const concurrency = Number(concurrencyText);
const raw = RawClient.fromKubeconfig(kubeconfig, undefined, concurrency);
let errors = 0;
const t0 = performance.now();
for (const kind of kindList.split(',')) {
  await runConcurrently(perKind, concurrency, async (i) => {
    const res = await raw.request('POST', `/apis/${group}/v1/namespaces/bench/${kind.toLowerCase()}s`, {
      apiVersion: `${group}/v1`,
      kind,
      metadata: { name: `o-${i}`, labels: { bench: 'yes' } },
      spec: { size: i, color: 'red' },
    });
    if (res.status !== 201) errors++;
  });
}
const ms = performance.now() - t0;
raw.close();
console.log(JSON.stringify({ ms, errors }));
