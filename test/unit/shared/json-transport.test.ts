/**
 * The lean JSON transport against the sandbox's real HTTP(S) server: paths and query encoding,
 * Status decoding, credential refresh after a 401, plain HTTP, request timeouts, connection
 * reuse, and -v 6 request lines with credentials redacted at -v 8.
 */
import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import type https from 'node:https';
import { Writable } from 'node:stream';
import { ApiStatusError, ConnectionError } from '../../../shared/errors/errors.js';
import { statusFromResponse } from '../../../shared/kube/api-status.js';
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

function transportFor(sandbox: SandboxHandle, options: { tokens?: string[]; logger?: Logger; requestTimeoutMs?: number } = {}): { transport: JsonTransport; credentials: { calls: number } } {
  const credentials = source(sandbox, options.tokens ?? [sandbox.adminToken]);
  const transport = createJsonTransport(credentials, {
    logger: options.logger ?? silentLogger,
    userAgent: 'json-transport-test/v0',
    ...(options.requestTimeoutMs !== undefined ? { requestTimeoutMs: options.requestTimeoutMs } : {}),
    decodeStatus: (code, body, headers) => new ApiStatusError(statusFromResponse({ code, body, retryAfter: headers['retry-after'] })),
  });
  return { transport, credentials };
}

const configMaps = '/api/v1/namespaces/default/configmaps';

describe('json transport (the hot path under the client adapter)', () => {
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
          body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: { tier: name === 't-c' ? 'other' : 'x-y' } }, data: { k: name } },
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
      assert.deepEqual(page.items.map((item) => item.metadata.name), ['t-a']);
      const rest = await transport.request<{ items: Array<{ metadata: { name: string } }> }>({
        method: 'GET',
        path: configMaps,
        query: { labelSelector: 'tier in (x-y, z)', continue: page.metadata.continue },
      });
      assert.deepEqual(rest.items.map((item) => item.metadata.name), ['t-b']);
      const patched = await transport.request<{ data: { k: string } }>({
        method: 'PATCH',
        path: `${configMaps}/t-a`,
        body: { data: { k: 'patched' } },
        contentType: 'application/merge-patch+json',
      });
      assert.equal(patched.data.k, 'patched');
      await transport.request({ method: 'DELETE', path: `${configMaps}/t-c` });
      const users = new Set(sandbox.audit.entries().filter((entry) => entry.verb === 'create').map((entry) => entry.user));
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
      const codes = sandbox.audit.entries().filter((entry) => entry.path === configMaps).map((entry) => entry.code);
      assert.deepEqual(codes, [401, 200]);
    } finally {
      transport.close();
    }
  });

  it('reports a 401 that new credentials do not cure', async () => {
    const { transport, credentials } = transportFor(sandbox, { tokens: ['wrong-token'] });
    try {
      await assert.rejects(transport.request({ method: 'GET', path: configMaps }), (err: unknown) => err instanceof ApiStatusError && err.code === 401);
      assert.equal(credentials.calls, 2);
    } finally {
      transport.close();
    }
  });

  it('reuses kept-alive connections for a run of requests', async () => {
    const { transport } = transportFor(sandbox);
    // Each connection has its own local port: count the ports the responses arrived on.
    const ports = new Set<number>();
    const count = (message: unknown): void => {
      const port = (message as { response?: { socket?: { localPort?: number } } }).response?.socket?.localPort;
      if (port !== undefined) ports.add(port);
    };
    diagnostics.subscribe('http.client.response.finish', count);
    try {
      for (let i = 0; i < 20; i++) await transport.request({ method: 'GET', path: '/version' });
      await Promise.all(Array.from({ length: 8 }, () => transport.request({ method: 'GET', path: '/version' })));
      assert.ok(ports.size >= 1 && ports.size <= 8, `expected at most 8 connections for 28 requests, saw ${ports.size}`);
    } finally {
      diagnostics.unsubscribe('http.client.response.finish', count);
      transport.close();
    }
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

describe('json transport over plain HTTP', () => {
  let sandbox: SandboxHandle;
  before(async () => {
    sandbox = await startTestSandbox({ tls: false });
  });
  after(async () => {
    await sandbox.close();
  });

  it('talks to an http:// server', async () => {
    assert.match(sandbox.url, /^http:\/\//);
    const { transport } = transportFor(sandbox);
    try {
      const version = await transport.request<{ gitVersion: string }>({ method: 'GET', path: '/version' });
      assert.equal(version.gitVersion, `v${sandbox.k8sVersion}`);
    } finally {
      transport.close();
    }
  });
});
