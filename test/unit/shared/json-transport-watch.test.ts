/**
 * The transport's watch streams (shared/kube/json-transport.ts) against a scripted HTTP server,
 * for what the sandbox cannot make happen on cue: events split across chunks, a connection that
 * breaks mid-stream, an undecodable line, a refused or unauthorized watch, stop(). Also the
 * whole static-credentials chain against a server that rotates the token file, as a projected
 * service-account token is rotated: after the 401 the file is read again.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApiStatusError } from '../../../shared/errors/errors.js';
import { statusFromResponse } from '../../../shared/kube/api-status.js';
import { createJsonTransport, type CredentialSource, type JsonTransport, type WatchLine } from '../../../shared/kube/json-transport.js';
import { readTextFileIfExists, resolveKubeconfig } from '../../../shared/kube/kubeconfig.js';
import { createRestClients, createTransport } from '../../../shared/kube/rest-clients.js';
import { createStaticCredentials } from '../../../shared/kube/static-credentials.js';
import { silentLogger } from '../../../shared/log/logger.js';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

/** scriptedServer answers each request with the current handler and records requests. */
async function scriptedServer(): Promise<{
  url: string;
  handle: (handler: Handler) => void;
  requests: http.IncomingMessage[];
  closed: Promise<void>[];
  close(): Promise<void>;
}> {
  let handler: Handler = (_req, res) => res.end();
  const requests: http.IncomingMessage[] = [];
  const closed: Promise<void>[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req);
    closed.push(new Promise((resolve) => res.on('close', () => resolve())));
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    handle: (next) => (handler = next),
    requests,
    closed,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

function tokens(server: { url: string }, list: string[]): CredentialSource & { calls: number } {
  const state = {
    calls: 0,
    getCurrentCluster: () => ({ server: server.url }),
    async applyToHTTPSOptions(options: http.RequestOptions) {
      options.headers = { ...options.headers, Authorization: `Bearer ${list[Math.min(state.calls, list.length - 1)]}` };
      state.calls++;
    },
  };
  return state;
}

function transportFor(source: CredentialSource): JsonTransport {
  return createJsonTransport(source, {
    logger: silentLogger,
    userAgent: 'watch-test/v0',
    decodeStatus: (code, body, headers) => new ApiStatusError(statusFromResponse({ code, body, retryAfter: headers['retry-after'] })),
  });
}

/** watchUntilDone collects events and resolves with onDone's argument. */
function watchUntilDone(
  transport: JsonTransport,
  query: Record<string, string> = {},
): { events: WatchLine[]; done: Promise<Error | undefined> } {
  const events: WatchLine[] = [];
  const done = new Promise<Error | undefined>((resolve) => {
    void transport.watch({ path: '/api/v1/namespaces/ns/configmaps', query }, (event) => events.push(event), resolve);
  });
  return { events, done };
}

const event = (type: string, name: string): string => JSON.stringify({ type, object: { kind: 'ConfigMap', metadata: { name } } });

describe('json transport watches', () => {
  let server: Awaited<ReturnType<typeof scriptedServer>>;
  let transport: JsonTransport;

  beforeEach(async () => {
    server = await scriptedServer();
    transport = transportFor(tokens(server, ['good']));
  });
  afterEach(async () => {
    transport.close();
    await server.close();
  });

  it('asks with watch=true and the query, and decodes events split anywhere across chunks', async () => {
    const text = `${event('ADDED', 'a')}\n${event('MODIFIED', 'a')}\n\n${event('DELETED', 'a')}\n`;
    server.handle((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      // Cut mid-event and mid-character boundary alike: the decoder must wait for each newline.
      const cuts = [5, 40, 41, text.length - 3];
      let from = 0;
      for (const cut of cuts) {
        res.write(text.slice(from, cut));
        from = cut;
      }
      res.end(text.slice(from));
    });
    const { events, done } = watchUntilDone(transport, { resourceVersion: '7', labelSelector: 'app=x' });
    assert.equal(await done, undefined);
    assert.deepEqual(
      events.map((e) => `${e.type} ${(e.object as { metadata: { name: string } }).metadata.name}`),
      ['ADDED a', 'MODIFIED a', 'DELETED a'],
    );
    const url = new URL(server.requests[0]?.url ?? '', server.url);
    assert.equal(url.pathname, '/api/v1/namespaces/ns/configmaps');
    assert.equal(url.searchParams.get('watch'), 'true');
    assert.equal(url.searchParams.get('resourceVersion'), '7');
    assert.equal(url.searchParams.get('labelSelector'), 'app=x');
    assert.equal(server.requests[0]?.headers.authorization, 'Bearer good');
  });

  it('hands an ERROR event on as an event (a 410 Gone Status for a too-old resourceVersion)', async () => {
    server.handle((_req, res) => {
      res.writeHead(200);
      res.end(
        `${JSON.stringify({ type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version: 1 (5)' } })}\n`,
      );
    });
    const { events, done } = watchUntilDone(transport);
    assert.equal(await done, undefined);
    assert.equal(events[0]?.type, 'ERROR');
    assert.equal((events[0]?.object as { code: number }).code, 410);
  });

  it('reports a connection broken mid-stream to onDone as an error, after the events before it', async () => {
    server.handle((_req, res) => {
      res.writeHead(200);
      res.write(`${event('ADDED', 'a')}\n{"type":"MODIF`);
      setImmediate(() => res.socket?.destroy());
    });
    const { events, done } = watchUntilDone(transport);
    const err = await done;
    assert.ok(err instanceof Error, 'a broken stream is not a clean end');
    assert.equal(events.length, 1);
  });

  it("reports a refused watch to onDone as an ApiStatusError carrying the server's Status", async () => {
    server.handle((_req, res) => {
      res.writeHead(403, { 'Content-Type': 'application/json' });
      res.end(
        JSON.stringify({
          kind: 'Status',
          code: 403,
          reason: 'Forbidden',
          message: 'configmaps is forbidden: User "u" cannot watch resource "configmaps"',
        }),
      );
    });
    const { events, done } = watchUntilDone(transport);
    const err = await done;
    assert.ok(err instanceof ApiStatusError, String(err));
    assert.equal(err.code, 403);
    assert.match(err.message, /cannot watch resource "configmaps"/);
    assert.equal(events.length, 0);
  });

  it('asks for fresh credentials after a 401 and watches with them', async () => {
    transport.close();
    const source = tokens(server, ['expired', 'fresh']);
    transport = transportFor(source);
    server.handle((req, res) => {
      if (req.headers.authorization !== 'Bearer fresh') {
        res.writeHead(401);
        res.end(JSON.stringify({ kind: 'Status', code: 401, reason: 'Unauthorized', message: 'Unauthorized' }));
        return;
      }
      res.writeHead(200);
      res.end(`${event('ADDED', 'a')}\n`);
    });
    const { events, done } = watchUntilDone(transport);
    assert.equal(await done, undefined);
    assert.equal(events.length, 1);
    assert.equal(source.calls, 2);
    assert.deepEqual(
      server.requests.map((r) => r.headers.authorization),
      ['Bearer expired', 'Bearer fresh'],
    );
  });

  it('ends the watch with an error on a line that is not JSON', async () => {
    server.handle((_req, res) => {
      res.writeHead(200);
      res.write(`${event('ADDED', 'a')}\n<html>proxy error</html>\n`);
    });
    const { events, done } = watchUntilDone(transport);
    const err = await done;
    assert.match(String(err), /cannot decode an event/);
    assert.equal(events.length, 1);
  });

  it('reports a refused connection to onDone and still resolves with a handle', async () => {
    await server.close();
    const { done } = watchUntilDone(transport);
    const err = await done;
    assert.equal((err as { code?: string } | undefined)?.code, 'ECONNREFUSED');
  });

  it('stop() closes the connection and calls neither onEvent nor onDone afterwards', async () => {
    let write: ((line: string) => void) | undefined;
    server.handle((_req, res) => {
      res.writeHead(200);
      res.flushHeaders();
      write = (line) => res.write(`${line}\n`);
    });
    const events: WatchLine[] = [];
    let doneCalls = 0;
    const handle = await transport.watch(
      { path: '/api/v1/namespaces/ns/configmaps' },
      (e) => events.push(e),
      () => doneCalls++,
    );
    write?.(event('ADDED', 'a'));
    while (events.length === 0) await new Promise((resolve) => setImmediate(resolve));
    handle.stop();
    await server.closed[0];
    write?.(event('ADDED', 'b'));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(events.length, 1);
    assert.equal(doneCalls, 0);
  });
});

describe('a token file rotated after a 401 (static credentials over the transport)', () => {
  let server: Awaited<ReturnType<typeof scriptedServer>>;
  before(async () => {
    server = await scriptedServer();
  });
  after(async () => {
    await server.close();
  });

  it('reads the file again after the 401 and succeeds with the new token', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rotated-token-'));
    const tokenFile = path.join(dir, 'token');
    writeFileSync(tokenFile, 'first-token\n');
    const kubeconfig = path.join(dir, 'config');
    writeFileSync(
      kubeconfig,
      JSON.stringify({
        clusters: [{ name: 'c', cluster: { server: server.url } }],
        users: [{ name: 'u', user: { tokenFile: 'token' } }],
        contexts: [{ name: 'x', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'x',
      }),
    );
    // The server honours only the newest token; the first request meets a rotation: the
    // kubelet writes the new token into the file, and the old one is no longer accepted.
    let valid = 'first-token';
    let rotated = false;
    server.handle((req, res) => {
      if (!rotated) {
        rotated = true;
        valid = 'second-token';
        writeFileSync(tokenFile, 'second-token\n');
      }
      if (req.headers.authorization !== `Bearer ${valid}`) {
        res.writeHead(401, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ kind: 'Status', code: 401, reason: 'Unauthorized', message: 'Unauthorized' }));
        return;
      }
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ gitVersion: 'v1.33.1', major: '1', minor: '33' }));
    });
    const resolved = resolveKubeconfig({ kubeconfig }, { env: {}, homeDir: undefined, readFile: readTextFileIfExists });
    const options = {
      logger: silentLogger,
      retryPolicy: { attempts: 1, maxElapsedMs: 0, baseDelayMs: 0, maxDelayMs: 0 },
      userAgent: 'rotation-test/v0',
      fieldManager: 'rotation-test',
    };
    const transport = createTransport(createStaticCredentials(resolved), options);
    try {
      const version = await createRestClients(transport, options).discovery.serverVersion();
      assert.equal(version.gitVersion, 'v1.33.1');
      assert.deepEqual(
        server.requests.map((r) => r.headers.authorization),
        ['Bearer first-token', 'Bearer second-token'],
      );
    } finally {
      transport.close();
    }
  });
});
