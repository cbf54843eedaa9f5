import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHttpGet, SourceError } from '../../../shared/charts/sources/http.js';

describe('crdsync: the HTTP port over node:http', () => {
  let server: http.Server;
  let port: number;
  const seen: Array<{ host: string; path: string; authorization?: string }> = [];

  before(async () => {
    server = http.createServer((req, res) => {
      seen.push({ host: req.headers.host ?? '', path: req.url ?? '', authorization: req.headers.authorization });
      if (req.url === '/moved') res.writeHead(302, { location: '/index.yaml' }).end();
      else if (req.url === '/elsewhere') res.writeHead(301, { location: `http://localhost:${port}/index.yaml` }).end();
      else if (req.url === '/loop') res.writeHead(302, { location: '/loop' }).end();
      else if (req.url === '/big') res.writeHead(200).end(Buffer.alloc(2048));
      else if (req.url === '/index.yaml') res.writeHead(200, { 'content-type': 'application/x-yaml' }).end('entries: {}\n');
      else res.writeHead(404).end('not found');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });
  beforeEach(() => (seen.length = 0));

  const get = createHttpGet('crdsync-test');

  it('follows a redirect on the same host, keeping the Authorization header', async () => {
    const answer = await get(`http://127.0.0.1:${port}/moved`, { headers: { authorization: 'Bearer t' }, maxBytes: 1024 });
    assert.equal(answer.status, 200);
    assert.equal(answer.body.toString(), 'entries: {}\n');
    assert.deepEqual(
      seen.map((s) => [s.path, s.authorization]),
      [
        ['/moved', 'Bearer t'],
        ['/index.yaml', 'Bearer t'],
      ],
    );
  });

  it('does not carry the Authorization header to another host', async () => {
    const answer = await get(`http://127.0.0.1:${port}/elsewhere`, { headers: { authorization: 'Bearer t' }, maxBytes: 1024 });
    assert.equal(answer.status, 200);
    assert.equal(seen[1]?.host, `localhost:${port}`);
    assert.equal(seen[1]?.authorization, undefined);
  });

  it('answers 404 as a status, and refuses a body over the cap and a redirect loop as SourceErrors', async () => {
    assert.equal((await get(`http://127.0.0.1:${port}/nothing`, { maxBytes: 1024 })).status, 404);
    await assert.rejects(get(`http://127.0.0.1:${port}/big`, { maxBytes: 1024 }), (err: unknown) => {
      assert.ok(err instanceof SourceError);
      assert.match(err.message, /over the 1024-byte cap/);
      return true;
    });
    await assert.rejects(get(`http://127.0.0.1:${port}/loop`, { maxBytes: 1024 }), /more than 10 redirects/);
  });

  it('says which host it cannot reach, without the query string', async () => {
    await assert.rejects(get('http://127.0.0.1:9/index.yaml?token=secret', { maxBytes: 1024 }), (err: unknown) => {
      assert.ok(err instanceof SourceError);
      assert.match(err.message, /^cannot reach http:\/\/127\.0\.0\.1:9\/index\.yaml: connection refused \(ECONNREFUSED\)$/);
      return true;
    });
  });
});
