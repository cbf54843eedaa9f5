/**
 * A classic Helm chart repository on loopback: `index.yaml` (sha256 digests) and the chart archives
 * under /charts/, over plain HTTP on 127.0.0.1 — what `helm repo add`, `helm pull`, `helm crdsync`
 * and `kubectl meshpreflight --versions-from` read. `npm run demo` and the tests start and stop it.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { repositoryIndex, type IndexedChart } from './archive.js';

/** LoopbackServer is a started HTTP server and the requests it saw. */
export interface LoopbackServer {
  readonly url: string;
  readonly requests: Array<{ path: string; headers: http.IncomingHttpHeaders }>;
  close(): Promise<void>;
}

/** serveOnLoopback starts an HTTP server on 127.0.0.1 (a free port) that records each request before `handler` answers it. */
export async function serveOnLoopback(handler: (req: http.IncomingMessage, res: http.ServerResponse) => void): Promise<LoopbackServer> {
  const requests: LoopbackServer['requests'] = [];
  const server = http.createServer((req, res) => {
    requests.push({ path: req.url ?? '', headers: req.headers });
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** startChartRepository serves index.yaml and the charts (each at its `file` path, e.g. charts/gloo-1.17.0.tgz). */
export async function startChartRepository(charts: readonly IndexedChart[]): Promise<LoopbackServer> {
  const index = repositoryIndex(charts);
  return serveOnLoopback((req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/index.yaml') {
      res.writeHead(200, { 'content-type': 'application/x-yaml' }).end(index);
      return;
    }
    const chart = charts.find((c) => `/${c.file}` === path);
    if (chart) res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': chart.data.length }).end(chart.data);
    else res.writeHead(404).end('not found');
  });
}
