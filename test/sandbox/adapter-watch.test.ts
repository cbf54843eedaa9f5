/**
 * The real ports' watches (shared/kube/rest-clients.ts over json-transport.ts) against the sandbox:
 * a custom-object watch from a list's resourceVersion sees what happens after the list, a stream
 * the server ends reaches onDone without an error, and a refused watch reaches onDone as an
 * ApiStatusError carrying the HTTP code.
 */
import { strict as assert } from 'node:assert';
import os from 'node:os';
import { ApiStatusError } from '../../shared/errors/errors.js';
import { createKubeConnector } from '../../shared/kube/client.js';
import { readTextFileIfExists } from '../../shared/kube/kubeconfig.js';
import type { KubeClients, WatchEvent, WatchHandle } from '../../shared/kube/ports.js';
import type { SandboxHandle } from '../../sandbox/index.js';
import { startTestSandbox } from '../support/target.js';
import { eventually } from '../support/eventually.js';

const configmaps = { group: '', version: 'v1', resource: 'configmaps' };

describe('the client-node adapter watches the sandbox', function () {
  this.timeout(60_000);
  let sandbox: SandboxHandle;
  let clients: KubeClients;
  const handles: WatchHandle[] = [];

  before(async function () {
    sandbox = await startTestSandbox();
    sandbox.api.create(
      { group: '', version: 'v1', resource: 'namespaces' },
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'watched' } },
    );
    const connector = createKubeConnector({
      environment: { env: { KUBECONFIG: sandbox.kubeconfigPath }, homeDir: os.homedir(), readFile: readTextFileIfExists },
      toolName: 'adapter-test',
      toolVersion: '0.0.0',
    });
    clients = (await connector.connect({})).clients;
  });

  afterEach(function () {
    sandbox.faults.clear();
    for (const handle of handles.splice(0)) handle.stop();
  });

  after(async function () {
    await sandbox?.close();
  });

  it('streams the custom-object events that follow a list, from its resourceVersion', async function () {
    sandbox.api.create(configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'before', namespace: 'watched' } });
    const page = await clients.customObjects.list(configmaps, { namespace: 'watched' });
    assert.deepEqual(
      page.items.map((i) => i.metadata?.name),
      ['before'],
    );
    const events: string[] = [];
    handles.push(
      await clients.customObjects.watch(
        configmaps,
        { namespace: 'watched', resourceVersion: page.resourceVersion },
        (event: WatchEvent) => events.push(`${event.type} ${event.object.metadata?.name ?? ''}`),
        () => events.push('done'),
      ),
    );
    sandbox.api.create(configmaps, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'after', namespace: 'watched' } });
    sandbox.api.delete(configmaps, 'watched', 'before');
    await eventually(() => assert.deepEqual(events, ['ADDED after', 'DELETED before']), 5000, 10);
  });

  it('calls onDone without an error when the server ends the stream', async function () {
    sandbox.faults.set('drop-watch:after=50');
    const done = await new Promise<Error | undefined>((resolve) => {
      void clients.customObjects.watch(configmaps, { namespace: 'watched' }, () => {}, resolve).then((h) => handles.push(h));
    });
    assert.equal(done, undefined);
  });

  it('hands a refused watch to onDone as an ApiStatusError with the HTTP code', async function () {
    sandbox.faults.set('503:verb=watch');
    const done = await new Promise<Error | undefined>((resolve) => {
      void clients.customObjects.watch(configmaps, { namespace: 'watched' }, () => {}, resolve).then((h) => handles.push(h));
    });
    assert.ok(done instanceof ApiStatusError, String(done));
    assert.equal(done.code, 503);
  });
});
