/**
 * Watches over the transport (shared/kube/rest-clients.ts) against the sandbox, for what
 * adapter-watch.test.ts does not cover: a refused watch carries the server's Forbidden message, a
 * connection reset before the answer reaches onDone as an error, a workload watch sees pods, and
 * stop() ends a stream the server would keep open.
 */
import { strict as assert } from 'node:assert';
import os from 'node:os';
import { ApiStatusError } from '../../shared/errors/errors.js';
import { createKubeConnector } from '../../shared/kube/client.js';
import { readTextFileIfExists } from '../../shared/kube/kubeconfig.js';
import type { KubeClients, WatchEvent } from '../../shared/kube/ports.js';
import type { SandboxHandle } from '../../sandbox/index.js';
import { startTestSandbox } from '../support/target.js';
import { eventually } from '../support/eventually.js';

const configmaps = { group: '', version: 'v1', resource: 'configmaps' };

async function connect(sandbox: SandboxHandle, context?: string): Promise<KubeClients> {
  const connector = createKubeConnector({
    environment: { env: { KUBECONFIG: sandbox.kubeconfigPath }, homeDir: os.homedir(), readFile: readTextFileIfExists },
    toolName: 'rest-watch-test',
    toolVersion: '0.0.0',
    retryPolicy: { attempts: 1, maxElapsedMs: 0, baseDelayMs: 0, maxDelayMs: 0 },
  });
  return (await connector.connect(context ? { context } : {})).clients;
}

describe('watches over the transport against the sandbox', function () {
  this.timeout(60_000);
  let sandbox: SandboxHandle;

  before(async function () {
    sandbox = await startTestSandbox({ restrictedDenials: ['watch configmaps'] });
    sandbox.api.create(
      { group: '', version: 'v1', resource: 'namespaces' },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'watched' } },
    );
  });

  afterEach(function () {
    sandbox.faults.clear();
  });

  after(async function () {
    await sandbox?.close();
  });

  it("hands a forbidden watch to onDone as an ApiStatusError with the server's message", async function () {
    const clients = await connect(sandbox, 'sandbox-restricted');
    const done = await new Promise<Error | undefined>((resolve) => {
      void clients.customObjects.watch(configmaps, { namespace: 'watched' }, () => {}, resolve);
    });
    assert.ok(done instanceof ApiStatusError, String(done));
    assert.equal(done.code, 403);
    assert.match(done.message, /cannot watch resource "configmaps"/);
  });

  it('hands a connection reset before the answer to onDone as an error', async function () {
    const clients = await connect(sandbox);
    sandbox.faults.set('reset:verb=watch');
    const done = await new Promise<Error | undefined>((resolve) => {
      void clients.customObjects.watch(configmaps, { namespace: 'watched' }, () => {}, resolve);
    });
    assert.ok(done instanceof Error);
    assert.ok(!(done instanceof ApiStatusError), 'no answer came');
  });

  it('watches pods through the workload port and stops at stop()', async function () {
    const clients = await connect(sandbox);
    const pods = { group: '', version: 'v1', resource: 'pods' };
    const events: string[] = [];
    let doneCalls = 0;
    const handle = await clients.workloads.watch(
      'Pod',
      { namespace: 'watched' },
      (event: WatchEvent) => {
        if (event.type !== 'BOOKMARK') events.push(`${event.type} ${event.object.metadata?.name ?? ''}`);
      },
      () => doneCalls++,
    );
    sandbox.api.create(pods, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p1', namespace: 'watched' },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    });
    // The sandbox's kubelet then updates p1 (MODIFIED events): only the first one matters here.
    await eventually(() => assert.equal(events[0], 'ADDED p1'), 5000, 10);
    handle.stop();
    sandbox.api.create(pods, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p2', namespace: 'watched' },
      spec: { containers: [{ name: 'c', image: 'nginx' }] },
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.deepEqual(
      events.filter((line) => line.endsWith(' p2')),
      [],
      'nothing after stop()',
    );
    assert.equal(doneCalls, 0, 'stop() is not a server end');
  });
});
