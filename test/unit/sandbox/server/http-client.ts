/**
 * A tiny client for the sandbox HTTP tests: single requests with any headers and body, and
 * watch streams read line by line, over HTTP or HTTPS (trusting the sandbox CA).
 */
import http from 'node:http';
import https from 'node:https';

/** A response with its body as text. */
export interface TestResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  json<T = Record<string, unknown>>(): T;
}

/** Where and as whom to send. */
export interface Target {
  url: string;
  token?: string;
  ca?: string;
}

function transport(url: URL): typeof http | typeof https {
  return url.protocol === 'https:' ? https : http;
}

function options(target: Target, method: string, path: string, headers: Record<string, string>): https.RequestOptions {
  const url = new URL(target.url);
  return {
    protocol: url.protocol,
    hostname: url.hostname,
    port: url.port,
    method,
    path,
    ...(target.ca ? { ca: target.ca } : {}),
    headers: { ...(target.token ? { Authorization: `Bearer ${target.token}` } : {}), ...headers },
  };
}

/** send makes one request; a string or Buffer body is sent as is, anything else as JSON. */
export function send(
  target: Target,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<TestResponse> {
  const payload = body === undefined ? undefined : typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body);
  const allHeaders =
    payload !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')
      ? { 'Content-Type': 'application/json', ...headers }
      : headers;
  return new Promise((resolve, reject) => {
    const req = transport(new URL(target.url)).request(options(target, method, path, allHeaders), (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text, json: <T>() => JSON.parse(text) as T });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
    // DELETE bodies are not chunked by default, so the length must be stated.
    if (payload !== undefined) req.setHeader('Content-Length', Buffer.byteLength(payload));
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** A watch being read: the events so far, and a way to wait for more. */
export interface WatchStream {
  status: number;
  headers: http.IncomingHttpHeaders;
  events: Array<{ type: string; object: Record<string, unknown> }>;
  /** Resolves once at least `count` events arrived (rejects after `timeoutMs`). */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  /** Resolves when the server ends the stream. */
  ended: Promise<void>;
  close(): void;
}

/** watch opens a watch and resolves as soon as the response headers arrive (as client-node's watch does). */
export function watch(target: Target, path: string, headers: Record<string, string> = {}): Promise<WatchStream> {
  return new Promise((resolve, reject) => {
    const req = transport(new URL(target.url)).request(options(target, 'GET', path, headers), (res) => {
      const events: WatchStream['events'] = [];
      const waiters: Array<() => void> = [];
      let buffer = '';
      let endResolve: () => void = () => undefined;
      const ended = new Promise<void>((r) => (endResolve = r));
      res.on('data', (chunk: Buffer) => {
        buffer += chunk.toString('utf8');
        let newline;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          if (line.trim()) events.push(JSON.parse(line) as WatchStream['events'][number]);
        }
        for (const w of waiters.splice(0)) w();
      });
      res.on('end', () => endResolve());
      res.on('close', () => endResolve());
      res.on('error', () => endResolve());
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        events,
        ended,
        close: () => req.destroy(),
        waitFor: (count, timeoutMs = 3000) =>
          new Promise<void>((ok, fail) => {
            const deadline = setTimeout(
              () =>
                fail(
                  new Error(
                    `only ${events.length} of ${count} watch events within ${timeoutMs} ms: ${JSON.stringify(events.map((e) => e.type))}`,
                  ),
                ),
              timeoutMs,
            );
            const check = (): void => {
              if (events.length >= count) {
                clearTimeout(deadline);
                ok();
              } else waiters.push(check);
            };
            check();
          }),
      });
    });
    req.on('error', reject);
    req.end();
  });
}
