/**
 * The sandbox holds and pages through 10,000 objects of one kind: the size later benchmarks
 * (backup and restore of 10,000 objects per kind) rely on.
 */
import { strict as assert } from 'node:assert';
import type { SandboxHandle } from '../../sandbox/index.js';
import { RawClient, runConcurrently } from '../../sandbox/raw-client.js';
import { ClientEnv, expectSuccess } from '../support/cluster.js';
import { startTestSandbox } from '../support/target.js';

describe('the sandbox with 10,000 objects of one kind', function () {
  this.timeout(180_000);
  let sandbox: SandboxHandle;
  let raw: RawClient;
  const count = 10_000;

  before(async function () {
    sandbox = await startTestSandbox();
    raw = RawClient.fromKubeconfig(sandbox.kubeconfigPath);
    await raw.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'many' } });
    const failures: string[] = [];
    await runConcurrently(count, 16, async (i) => {
      const res = await raw.request('POST', '/api/v1/namespaces/many/configmaps', {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: `cm-${String(i).padStart(5, '0')}` },
        data: { i: String(i) },
      });
      if (res.status !== 201) failures.push(`${i}: ${res.status} ${res.body}`);
    });
    assert.deepEqual(failures.slice(0, 3), [], `every create succeeded (${failures.length} failed)`);
  });

  after(async function () {
    raw?.close();
    await sandbox?.close();
  });

  it('pages through them with limit and continue, each exactly once and in order', async function () {
    const names: string[] = [];
    let token = '';
    let pages = 0;
    let remaining: number | undefined;
    do {
      const res = await raw.request(
        'GET',
        `/api/v1/namespaces/many/configmaps?limit=500${token ? `&continue=${encodeURIComponent(token)}` : ''}`,
      );
      assert.equal(res.status, 200);
      const page = JSON.parse(res.body) as {
        items: Array<{ metadata: { name: string } }>;
        metadata: { continue?: string; remainingItemCount?: number };
      };
      names.push(...page.items.map((i) => i.metadata.name));
      token = page.metadata.continue ?? '';
      if (pages === 0) remaining = page.metadata.remainingItemCount;
      pages++;
    } while (token);
    assert.equal(pages, count / 500);
    assert.equal(remaining, count - 500);
    assert.equal(names.length, count);
    assert.deepEqual(names, [...names].sort());
    assert.equal(new Set(names).size, count);
  });

  it('lists them all through kubectl in chunks', async function () {
    const client = new ClientEnv(sandbox.kubeconfigPath);
    try {
      const out = expectSuccess(await client.kubectl(['get', 'configmaps', '-n', 'many', '-o', 'name', '--chunk-size=500']), 'kubectl get');
      const lines = out.stdout
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('configmap/cm-'));
      assert.equal(lines.length, count);
    } finally {
      client.dispose();
    }
  });
});
