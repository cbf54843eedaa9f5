/**
 * A minimal keep-alive HTTP(S) client for the sandbox, reading the URL, CA and token from the
 * kubeconfig the sandbox wrote. It measures the server itself (benchmarks) and seeds large data
 * sets in tests without the cost of a full client library.
 */
import http from 'node:http';
import https from 'node:https';
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';

/** A response: status code, headers and the body as text. */
export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

interface KubeconfigFile {
  'current-context'?: string;
  contexts?: Array<{ name: string; context: { cluster: string; user: string } }>;
  clusters?: Array<{ name: string; cluster: { server: string; 'certificate-authority-data'?: string } }>;
  users?: Array<{ name: string; user: { token?: string } }>;
}

/** RawClient sends requests over one keep-alive agent with at most `maxSockets` connections. */
export class RawClient {
  private readonly agent: http.Agent;
  private readonly url: URL;

  constructor(
    server: string,
    private readonly token: string,
    ca: string | undefined,
    maxSockets = 8,
  ) {
    this.url = new URL(server);
    this.agent =
      this.url.protocol === 'https:'
        ? new https.Agent({ keepAlive: true, maxSockets, ca })
        : new http.Agent({ keepAlive: true, maxSockets });
  }

  /** fromKubeconfig reads server, CA and token of a context (default: the current one). */
  static fromKubeconfig(path: string, contextName?: string, maxSockets?: number): RawClient {
    const config = yaml.load(readFileSync(path, 'utf8')) as KubeconfigFile;
    const name = contextName ?? config['current-context'];
    const context = config.contexts?.find((c) => c.name === name)?.context;
    const cluster = config.clusters?.find((c) => c.name === context?.cluster)?.cluster;
    const user = config.users?.find((u) => u.name === context?.user)?.user;
    if (!cluster || !user?.token) throw new Error(`kubeconfig ${path}: context ${name ?? '(none)'} has no cluster or token`);
    const caData = cluster['certificate-authority-data'];
    const ca = caData ? Buffer.from(caData, 'base64').toString('utf8') : undefined;
    return new RawClient(cluster.server, user.token, ca, maxSockets);
  }

  /** request sends one request; `body` objects are sent as JSON. */
  request(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const transport = this.url.protocol === 'https:' ? https : http;
    return new Promise((resolve, reject) => {
      const req = transport.request(
        {
          protocol: this.url.protocol,
          hostname: this.url.hostname,
          port: this.url.port,
          method,
          path,
          agent: this.agent,
          headers: {
            Authorization: `Bearer ${this.token}`,
            Accept: 'application/json',
            ...(payload !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) } : {}),
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  /** close ends the kept-alive connections. */
  close(): void {
    this.agent.destroy();
  }
}

/** runConcurrently runs `count` tasks with at most `concurrency` in flight. */
export async function runConcurrently(count: number, concurrency: number, task: (index: number) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, count) }, async () => {
    while (next < count) {
      const index = next++;
      await task(index);
    }
  });
  await Promise.all(workers);
}
