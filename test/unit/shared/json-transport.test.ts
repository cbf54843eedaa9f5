/**
 * The lean JSON transport against the sandbox's real HTTP(S) server: paths and query encoding,
 * Status decoding, credential refresh after a 401, plain HTTP, request timeouts, connection
 * reuse, and -v 6 request lines with credentials redacted at -v 8.
 */
import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import type https from 'node:https';
import tls from 'node:tls';
import os from 'node:os';
import { Writable } from 'node:stream';
import { ApiStatusError, ConnectionError, KubeconfigError } from '../../../shared/errors/errors.js';
import { statusFromResponse } from '../../../shared/kube/api-status.js';
import { bulkRequests, createKubeConnector } from '../../../shared/kube/client.js';
import { readTextFileIfExists } from '../../../shared/kube/kubeconfig.js';
import { buildQuery, createJsonTransport, type CredentialSource, type JsonTransport } from '../../../shared/kube/json-transport.js';
import { createLogger, silentLogger, type Logger } from '../../../shared/log/logger.js';
import type { SandboxHandle } from '../../../sandbox/index.js';
import { startTestSandbox } from '../../support/target.js';

/** source hands out the sandbox's CA and the given tokens in turn (the last one repeats). */
function source(sandbox: SandboxHandle, tokens: string[]): CredentialSource & { calls: number } {
  const state = {
    calls: 0,
    getCurrentCluster: () => ({ server: sandbox.url }),
    async applyToHTTPSOptions(options: https.RequestOptions) {
      const token = tokens[Math.min(state.calls, tokens.length - 1)];
      state.calls++;
      options.headers = { ...options.headers, Authorization: `Bearer ${token}` };
      if (sandbox.caPem) options.ca = sandbox.caPem;
    },
  };
  return state;
}

interface TransportTestOptions {
  tokens?: string[];
  logger?: Logger;
  requestTimeoutMs?: number;
  /** pooled: the undici pool, else node:http(s). */
  pooled?: boolean;
}

function transportForEngine(
  sandbox: SandboxHandle,
  options: TransportTestOptions = {},
): { transport: JsonTransport; credentials: { calls: number } } {
  const credentials = source(sandbox, options.tokens ?? [sandbox.adminToken]);
  const transport = createJsonTransport(credentials, {
    logger: options.logger ?? silentLogger,
    ...(options.pooled !== undefined ? { pooled: options.pooled } : {}),
    userAgent: 'json-transport-test/v0',
    ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
    decodeStatus: (code, body, headers) => new ApiStatusError(statusFromResponse({ code, body, retryAfter: headers['retry-after'] })),
  });
  return { transport, credentials };
}

const configMaps = '/api/v1/namespaces/default/configmaps';

/** countConnections counts the connections an engine uses until stop() is called, from node's or undici's diagnostics. */
function countConnections(channel: 'http.client.response.finish' | 'undici:client:connected'): { stop(): number } {
  // node: each connection has its own local port, so count the ports responses arrive on;
  // undici: it reports each connection it opens.
  const seen = new Set<unknown>();
  const count = (message: unknown): void => {
    const port = (message as { response?: { socket?: { localPort?: number } } }).response?.socket?.localPort;
    seen.add(channel === 'undici:client:connected' ? message : port);
  };
  diagnostics.subscribe(channel, count);
  return {
    stop() {
      diagnostics.unsubscribe(channel, count);
      seen.delete(undefined);
      return seen.size;
    },
  };
}

/** Each engine the transport sends with, and the diagnostics channel its connections show on. */
const engines = [
  { name: 'node:https', pooled: false, channel: 'http.client.response.finish' },
  { name: 'undici pool', pooled: true, channel: 'undici:client:connected' },
] as const;

describe('json transport: which HTTP client a connection uses', () => {
  let sandbox: SandboxHandle;
  before(async () => {
    sandbox = await startTestSandbox();
  });
  after(async () => {
    await sandbox.close();
  });

  it('a connector sends over the undici pool when a command expects a bulk run, else over node:https', async () => {
    const connector = createKubeConnector({
      environment: { env: { KUBECONFIG: sandbox.kubeconfigPath }, homeDir: os.homedir(), readFile: readTextFileIfExists },
      toolName: 'json-transport-test',
      toolVersion: '0.0.0',
    });
    const viaNode: string[] = [];
    const viaUndici: string[] = [];
    const onNode = (message: unknown): void => void viaNode.push((message as { request: { path: string } }).request.path);
    const onUndici = (message: unknown): void => void viaUndici.push((message as { request: { path: string } }).request.path);
    diagnostics.subscribe('http.client.request.start', onNode);
    diagnostics.subscribe('undici:request:create', onUndici);
    try {
      for (const requests of [undefined, bulkRequests - 1, bulkRequests]) {
        const { clients } = await connector.connect({}, requests === undefined ? undefined : { requests });
        await clients.namespaces.get(`expecting-${requests ?? 'nothing'}`);
      }
    } finally {
      diagnostics.unsubscribe('http.client.request.start', onNode);
      diagnostics.unsubscribe('undici:request:create', onUndici);
    }
    assert.deepEqual(viaNode, ['/api/v1/namespaces/expecting-nothing', `/api/v1/namespaces/expecting-${bulkRequests - 1}`]);
    assert.deepEqual(viaUndici, [`/api/v1/namespaces/expecting-${bulkRequests}`]);
  });
});

for (const engine of engines)
  describe(`json transport over ${engine.name} (the hot path under the client adapter)`, () => {
    const transportFor = (sandbox: SandboxHandle, options: TransportTestOptions = {}): ReturnType<typeof transportForEngine> =>
      transportForEngine(sandbox, { pooled: engine.pooled, ...options });
    let sandbox: SandboxHandle;
    before(async () => {
      sandbox = await startTestSandbox();
    });
    after(async () => {
      await sandbox.close();
    });
    afterEach(() => {
      sandbox.faults.clear();
      sandbox.audit.clear();
    });

    it('builds one TLS context for all its connections, and calls a client key that is no key a kubeconfig error (exit 4)', async function () {
      if (!sandbox.url.startsWith('https:')) this.skip();
      const real = tls.createSecureContext;
      let built = 0;
      tls.createSecureContext = (...args: Parameters<typeof real>) => {
        built++;
        return real(...args);
      };
      try {
        const { transport } = transportFor(sandbox);
        // Several at once: each needs a connection of its own.
        await Promise.all([1, 2, 3, 4].map(() => transport.request({ method: 'GET', path: configMaps })));
      } finally {
        tls.createSecureContext = real;
      }
      assert.equal(built, 1);

      const broken = createJsonTransport(
        {
          getCurrentCluster: () => ({ server: sandbox.url }),
          async applyToHTTPSOptions(options: https.RequestOptions) {
            options.cert = 'not a certificate';
            options.key = 'not a key';
          },
        },
        {
          logger: silentLogger,
          pooled: engine.pooled,
          userAgent: 'json-transport-test/v0',
          decodeStatus: (code, body, headers) => new ApiStatusError(statusFromResponse({ code, body, retryAfter: headers['retry-after'] })),
        },
      );
      await assert.rejects(
        broken.request({ method: 'GET', path: configMaps }),
        (err: Error) =>
          err instanceof KubeconfigError &&
          /^the context's client certificate or key in the kubeconfig cannot be used: [^\n]+$/.test(err.message),
      );
    });

    it('encodes only the query parameters that are set', () => {
      assert.equal(buildQuery({ a: 'x=y&z', b: undefined, c: '', d: 3, e: true }), '?a=x%3Dy%26z&d=3&e=true');
      assert.equal(buildQuery({}), '');
    });

    it('creates, reads and lists with selectors over HTTPS with a bearer token', async () => {
      const { transport } = transportFor(sandbox);
      try {
        for (const name of ['t-a', 't-b', 't-c']) {
          const created = await transport.request<{ metadata: { name: string; uid?: string } }>({
            method: 'POST',
            path: configMaps,
            query: { fieldManager: 'json-transport-test' },
            body: {
              apiVersion: 'v1',
              kind: 'ConfigMap',
              metadata: { name, labels: { tier: name === 't-c' ? 'other' : 'x-y' } },
              data: { k: name },
            },
          });
          assert.equal(created.metadata.name, name);
          assert.ok(created.metadata.uid);
        }
        const one = await transport.request<{ data: { k: string } }>({ method: 'GET', path: `${configMaps}/t-b` });
        assert.deepEqual(one.data, { k: 't-b' });
        const page = await transport.request<{ items: Array<{ metadata: { name: string } }>; metadata: { continue?: string } }>({
          method: 'GET',
          path: configMaps,
          query: { labelSelector: 'tier in (x-y, z)', limit: 1 },
        });
        assert.deepEqual(
          page.items.map((item) => item.metadata.name),
          ['t-a'],
        );
        const rest = await transport.request<{ items: Array<{ metadata: { name: string } }> }>({
          method: 'GET',
          path: configMaps,
          query: { labelSelector: 'tier in (x-y, z)', continue: page.metadata.continue },
        });
        assert.deepEqual(
          rest.items.map((item) => item.metadata.name),
          ['t-b'],
        );
        const patched = await transport.request<{ data: { k: string } }>({
          method: 'PATCH',
          path: `${configMaps}/t-a`,
          body: { data: { k: 'patched' } },
          contentType: 'application/merge-patch+json',
        });
        assert.equal(patched.data.k, 'patched');
        await transport.request({ method: 'DELETE', path: `${configMaps}/t-c` });
        const users = new Set(
          sandbox.audit
            .entries()
            .filter((entry) => entry.verb === 'create')
            .map((entry) => entry.user),
        );
        assert.equal(users.size, 1);
        assert.notEqual([...users][0], 'system:anonymous');
      } finally {
        transport.close();
      }
    });

    it('turns an error response into ApiStatusError with the Status reason, message and Retry-After', async () => {
      const { transport } = transportFor(sandbox);
      try {
        await assert.rejects(transport.request({ method: 'GET', path: `${configMaps}/does-not-exist` }), (err: unknown) => {
          assert.ok(err instanceof ApiStatusError);
          assert.equal(err.code, 404);
          assert.equal(err.status.reason, 'NotFound');
          assert.match(err.message, /configmaps "does-not-exist" not found/);
          return true;
        });
        sandbox.faults.set('429:retry-after=7');
        await assert.rejects(transport.request({ method: 'GET', path: configMaps }), (err: unknown) => {
          assert.ok(err instanceof ApiStatusError);
          assert.equal(err.code, 429);
          assert.equal(err.status.retryAfterSeconds, 7);
          return true;
        });
      } finally {
        transport.close();
      }
    });

    it('asks for credentials again after a 401 and retries once with them', async () => {
      const { transport, credentials } = transportFor(sandbox, { tokens: ['expired-token', sandbox.adminToken] });
      try {
        const list = await transport.request<{ items: unknown[] }>({ method: 'GET', path: configMaps });
        assert.ok(Array.isArray(list.items));
        assert.equal(credentials.calls, 2);
        const codes = sandbox.audit
          .entries()
          .filter((entry) => entry.path === configMaps)
          .map((entry) => entry.code);
        assert.deepEqual(codes, [401, 200]);
      } finally {
        transport.close();
      }
    });

    it('reports a 401 that new credentials do not cure', async () => {
      const { transport, credentials } = transportFor(sandbox, { tokens: ['wrong-token'] });
      try {
        await assert.rejects(
          transport.request({ method: 'GET', path: configMaps }),
          (err: unknown) => err instanceof ApiStatusError && err.code === 401,
        );
        assert.equal(credentials.calls, 2);
      } finally {
        transport.close();
      }
    });

    it('reuses kept-alive connections for a run of requests', async () => {
      const { transport } = transportFor(sandbox);
      const connections = countConnections(engine.channel);
      try {
        for (let i = 0; i < 20; i++) await transport.request({ method: 'GET', path: '/version' });
        await Promise.all(Array.from({ length: 8 }, () => transport.request({ method: 'GET', path: '/version' })));
      } finally {
        transport.close();
      }
      const opened = connections.stop();
      // The 20 in a row share one connection; the 8 at once may each need one.
      assert.ok(opened >= 1 && opened <= 9, `expected at most 9 connections for 28 requests, saw ${opened}`);
    });

    it('times out a request that takes longer than --request-timeout', async () => {
      sandbox.faults.set('latency:ms=400');
      const { transport } = transportFor(sandbox, { requestTimeoutMs: 50 });
      try {
        await assert.rejects(transport.request({ method: 'GET', path: configMaps }), (err: unknown) => {
          assert.ok(err instanceof ConnectionError);
          assert.match(err.message, /request timed out after 50ms/);
          return true;
        });
      } finally {
        transport.close();
      }
    });

    it('logs one line per request at -v 6 and bodies at -v 8 with tokens redacted', async () => {
      let text = '';
      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          text += chunk.toString();
          done();
        },
      });
      const { transport } = transportFor(sandbox, { logger: createLogger(sink, 8) });
      try {
        await transport.request({
          method: 'POST',
          path: '/api/v1/namespaces/default/secrets',
          body: { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'logged' }, stringData: { password: 'hunter2' } },
        });
        assert.match(text, new RegExp(`POST ${sandbox.url}/api/v1/namespaces/default/secrets 201 in \\d+ milliseconds`));
        assert.match(text, /Request Body: /);
        assert.doesNotMatch(text, /hunter2/);
      } finally {
        transport.close();
      }
    });
  });

for (const engine of engines)
  describe(`json transport over plain HTTP with ${engine.name}`, () => {
    let sandbox: SandboxHandle;
    before(async () => {
      sandbox = await startTestSandbox({ tls: false });
    });
    after(async () => {
      await sandbox.close();
    });

    it('talks to an http:// server', async () => {
      assert.match(sandbox.url, /^http:\/\//);
      const { transport } = transportForEngine(sandbox, { pooled: engine.pooled });
      try {
        const version = await transport.request<{ gitVersion: string }>({ method: 'GET', path: '/version' });
        assert.equal(version.gitVersion, `v${sandbox.k8sVersion}`);
      } finally {
        transport.close();
      }
    });
  });
