/**
 * A lean JSON transport under every port (rest-clients.ts): restore creates tens of thousands of
 * objects, and client-node 1.x spends ~0.7 ms of CPU per call in its generated layers (an agent
 * per request, node-fetch, ObjectSerializer, Observable middleware) — more than the API server
 * spends on a create. The transport sends requests itself and asks a CredentialSource for the
 * request options: the kubeconfig's static material (static-credentials.ts), or client-node's
 * KubeConfig when exec/auth-provider plugins or a proxy need it (client-node-credentials.ts).
 *
 * Requests go through node:http(s) with one keep-alive agent, or, for a bulk run (`pooled`: a
 * restore of tens of thousands of objects), an undici connection pool: against the sandbox,
 * node:https costs the client ~11 µs more CPU per create than undici (Agent and ClientRequest
 * bookkeeping), a tenth of a 60,000-object restore's CPU, while loading undici and compiling its
 * HTTP parser costs ~100 ms once, more than a short command's requests take. Watches, and every
 * request when the source hands back a proxy agent, stay on node:http(s).
 *
 * Credentials are asked for again every `credentialTtlMs` and after a 401, so expiring exec-plugin
 * tokens and rotated token files are picked up as client-go picks them up. Logging (-v 6 request
 * lines, -v 8 bodies) goes through the logger, which redacts credentials.
 */
import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import type { Dispatcher, Pool } from 'undici';
import { ApiStatusError, ConnectionError, KubeconfigError } from '../errors/errors.js';
import { LogLevel, type Logger } from '../log/logger.js';

/**
 * CredentialSource fills request options (TLS material, Authorization, basic auth, a proxy agent)
 * for the current cluster: the part of client-node's KubeConfig the transport needs, which
 * static-credentials.ts implements without client-node.
 */
export interface CredentialSource {
  applyToHTTPSOptions(options: https.RequestOptions): Promise<void>;
  getCurrentCluster(): { readonly server: string } | null;
}

/** TransportOptions configure requests the way AdapterOptions configure the adapter. */
export interface TransportOptions {
  readonly logger: Logger;
  readonly userAgent: string;
  /** requestTimeoutMs bounds each request; undefined waits forever. */
  readonly requestTimeoutMs?: number;
  /** pooled sends requests over an undici pool (see above); node:http(s) when false or absent. */
  readonly pooled?: boolean;
  /** credentialTtlMs is how long credentials are reused before the source is asked again. */
  readonly credentialTtlMs?: number;
  /** decodeStatus turns an error response into our ApiStatusError (shared with the adapter). */
  readonly decodeStatus: (code: number, body: string, headers: http.IncomingHttpHeaders) => ApiStatusError;
}

/** JsonRequest is one API call: path with query already encoded, optional JSON body. */
export interface JsonRequest {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly body?: unknown;
  /** contentType of the body; application/json by default. */
  readonly contentType?: string;
}

/** WatchRequest is a watch of one collection: its path and query (`watch=true` is added). */
export interface WatchRequest {
  readonly path: string;
  readonly query?: JsonRequest['query'];
}

/** WatchLine is one event of a watch stream as the server sent it. */
export interface WatchLine {
  readonly type: string;
  readonly object: unknown;
}

/** StreamHandle stops a stream. */
export interface StreamHandle {
  stop(): void;
}

/** JsonTransport sends one request and returns the decoded JSON response. */
export interface JsonTransport {
  request<T>(request: JsonRequest): Promise<T>;
  /**
   * watch opens a watch stream and calls `onEvent` for each newline-delimited JSON event. `onDone`
   * is called once: without an error when the server ends the stream, with an ApiStatusError when
   * the server refuses the watch (any answer but 200), with the error when the connection breaks
   * or an event cannot be decoded; never after stop(). Resolves once the server answered (or the
   * connection failed); rejects only when no credentials can be had.
   */
  watch(request: WatchRequest, onEvent: (event: WatchLine) => void, onDone: (err?: Error) => void): Promise<StreamHandle>;
  /** close frees the kept-alive sockets (the process exits without waiting for them anyway). */
  close(): void;
}

/** RawResponse is an answer as received: status code, body text, headers. */
interface RawResponse {
  readonly code: number;
  readonly body: string;
  readonly headers: http.IncomingHttpHeaders;
}

interface OpenedStream {
  readonly req: http.ClientRequest;
  readonly res: http.IncomingMessage;
}

interface Connection {
  readonly agent: http.Agent;
  /** proxied: the source gave a proxy agent, which every request must go through. */
  readonly proxied: boolean;
  readonly headers: Record<string, string>;
  readonly expires: number;
  readonly secure: boolean;
  readonly tls: Pick<https.RequestOptions, 'servername' | 'rejectUnauthorized'>;
}

/**
 * secureContextOf builds the one TLS context every connection to the server uses (Node would
 * otherwise parse the CA and the client certificate again for each new connection: about 3 ms
 * each, and crdsync opens up to --concurrency of them). PEM material that cannot be used (a
 * client key that is not a key, a CA that is not a certificate) is a kubeconfig error, exit 4:
 * node would only find out when it opens the first connection and throw an internal error (exit
 * 70). OpenSSL's reason ("PEM routines::no start line") quotes no material.
 */
function secureContextOf(requestOptions: https.RequestOptions): tls.SecureContext {
  const { ca, cert, key, pfx, passphrase } = requestOptions;
  try {
    return tls.createSecureContext({ ca, cert, key, pfx, passphrase });
  } catch (err) {
    const what = cert || key || pfx ? "the context's client certificate or key" : "the cluster's certificate authority";
    throw new KubeconfigError(`${what} in the kubeconfig cannot be used: ${(err as Error).message.split('\n')[0]}`);
  }
}

/** tlsOptions are the TLS settings of the source's request options, for an agent or a pool. */
function tlsOptions(options: https.RequestOptions, secureContext: tls.SecureContext): tls.ConnectionOptions {
  return {
    secureContext,
    ...(options.rejectUnauthorized !== undefined ? { rejectUnauthorized: options.rejectUnauthorized } : {}),
    ...(options.servername ? { servername: options.servername } : {}),
  };
}

/** buildQuery encodes defined query parameters. */
export function buildQuery(query: JsonRequest['query']): string {
  const parts: string[] = [];
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === '') continue;
    parts.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  }
  return parts.length === 0 ? '' : `?${parts.join('&')}`;
}

/** createJsonTransport returns a transport bound to the kubeconfig's current context. */
export function createJsonTransport(source: CredentialSource, options: TransportOptions): JsonTransport {
  const server = new URL(source.getCurrentCluster()?.server ?? '');
  const basePath = server.pathname.replace(/\/$/, '');
  const ttl = options.credentialTtlMs ?? 60_000;
  let connection: Promise<Connection> | undefined;
  let agent: http.Agent | undefined;
  // TLS material of the first credentials: the agent and the pool are built from it once.
  let tlsMaterial: tls.ConnectionOptions | undefined;
  let pooled: Promise<Pool> | undefined;

  const connect = async (): Promise<Connection> => {
    const requestOptions: https.RequestOptions = { headers: {} };
    await source.applyToHTTPSOptions(requestOptions);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(requestOptions.headers ?? {})) {
      if (typeof value === 'string') headers[name] = value;
    }
    if (requestOptions.auth) headers.Authorization = `Basic ${Buffer.from(requestOptions.auth).toString('base64')}`;
    const given = requestOptions.agent;
    // The source put the TLS material in the options (client-node also made an agent from it, or
    // a proxy agent). A proxy agent is used as it is; otherwise one keep-alive agent is built,
    // once, from the same TLS material.
    const isProxy = given instanceof http.Agent && given.constructor !== https.Agent && given.constructor !== http.Agent;
    if (isProxy) {
      agent = given;
    } else if (!agent) {
      tlsMaterial = server.protocol === 'https:' ? tlsOptions(requestOptions, secureContextOf(requestOptions)) : {};
      agent =
        server.protocol === 'https:'
          ? new https.Agent({ keepAlive: true, maxSockets: 64, ...tlsMaterial })
          : new http.Agent({ keepAlive: true, maxSockets: 64 });
      // The agent serves this one server. Node names the connection pool of every request after
      // host, port and all TLS material (PEM strings included) and looks it up by that string:
      // a few microseconds per request, for a name that never changes.
      const poolName = agent.getName({ host: hostname, port: port === undefined ? undefined : Number(port) });
      agent.getName = () => poolName;
    }
    return {
      agent,
      proxied: isProxy,
      headers,
      expires: Date.now() + ttl,
      secure: server.protocol === 'https:',
      tls: { servername: requestOptions.servername, rejectUnauthorized: requestOptions.rejectUnauthorized },
    };
  };

  const current = async (refresh: boolean): Promise<Connection> => {
    if (connection && !refresh) {
      const held = await connection;
      if (held.expires > Date.now()) return held;
    }
    connection = connect();
    connection.catch(() => (connection = undefined));
    return connection;
  };

  const hostname = server.hostname.replace(/^\[|\]$/g, '');
  const port = server.port || undefined;

  const timedOut = (): ConnectionError => new ConnectionError(`request timed out after ${options.requestTimeoutMs}ms (--request-timeout)`);

  /** buildPool makes the undici pool from the same TLS material as the agent; undici is imported only then. */
  const buildPool = async (connectOptions: tls.ConnectionOptions): Promise<Pool> => {
    options.logger.v(LogLevel.Debug, 'a bulk run: requests go over an undici connection pool');
    // undici is CommonJS: bundled (dist/bin, the binaries) its exports are only the default one.
    const loaded = await import('undici');
    const undici = (loaded as unknown as { default?: typeof loaded }).default ?? loaded;
    return new undici.Pool(server.origin, {
      connections: 64,
      ...(server.protocol === 'https:' ? { connect: connectOptions } : {}),
    });
  };

  const send = async (held: Connection, request: JsonRequest, target: string, payload: string | undefined): Promise<RawResponse> => {
    if (!options.pooled || held.proxied || !tlsMaterial) return sendWithAgent(held, request, target, payload);
    pooled ??= buildPool(tlsMaterial);
    return sendPooled(await pooled, held, request, target, payload);
  };

  /** sendPooled sends over the undici pool; undici's own timeouts are off, --request-timeout aborts. */
  const sendPooled = async (
    pool: Pool,
    held: Connection,
    request: JsonRequest,
    target: string,
    payload: string | undefined,
  ): Promise<RawResponse> => {
    const headers: Record<string, string> = {
      ...held.headers,
      Accept: 'application/json',
      'User-Agent': options.userAgent,
    };
    if (payload !== undefined) headers['Content-Type'] = request.contentType ?? 'application/json';
    const signal = options.requestTimeoutMs === undefined ? undefined : AbortSignal.timeout(options.requestTimeoutMs);
    try {
      const response: Dispatcher.ResponseData = await pool.request({
        method: request.method,
        path: target,
        headers,
        body: payload,
        headersTimeout: 0,
        bodyTimeout: 0,
        signal,
      });
      return { code: response.statusCode, body: await response.body.text(), headers: response.headers as http.IncomingHttpHeaders };
    } catch (err) {
      if (signal?.aborted) throw timedOut();
      throw err;
    }
  };

  const sendWithAgent = (held: Connection, request: JsonRequest, target: string, payload: string | undefined): Promise<RawResponse> =>
    new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = {
        ...held.headers,
        Accept: 'application/json',
        'User-Agent': options.userAgent,
      };
      if (payload !== undefined) {
        headers['Content-Type'] = request.contentType ?? 'application/json';
        headers['Content-Length'] = Buffer.byteLength(payload);
      }
      const requestOptions: https.RequestOptions = {
        protocol: server.protocol,
        hostname,
        port,
        path: target,
        method: request.method,
        agent: held.agent,
        headers,
        ...(held.secure ? held.tls : {}),
      };
      const req = (held.secure ? https : http).request(requestOptions, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => resolve({ code: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
      });
      req.on('error', reject);
      if (options.requestTimeoutMs !== undefined) {
        req.setTimeout(options.requestTimeoutMs, () => {
          req.destroy(timedOut());
        });
      }
      req.end(payload);
    });

  /** openStream sends a GET and resolves with the response as soon as its headers arrive. */
  const openStream = (held: Connection, target: string): Promise<OpenedStream> =>
    new Promise((resolve, reject) => {
      const req = (held.secure ? https : http).request(
        {
          protocol: server.protocol,
          hostname,
          port,
          path: target,
          method: 'GET',
          agent: held.agent,
          headers: { ...held.headers, Accept: 'application/json', 'User-Agent': options.userAgent },
          ...(held.secure ? held.tls : {}),
        },
        (res) => resolve({ req, res }),
      );
      req.on('error', reject);
      req.end();
    });

  return {
    async request<T>(request: JsonRequest): Promise<T> {
      const payload = request.body === undefined ? undefined : JSON.stringify(request.body);
      const target = `${basePath}${request.path}${buildQuery(request.query)}`;
      const logRequests = options.logger.enabled(LogLevel.Requests);
      const logBodies = options.logger.enabled(LogLevel.Bodies);
      if (payload !== undefined && logBodies) options.logger.v(LogLevel.Bodies, `Request Body: ${payload}`);
      const started = logRequests ? Date.now() : 0;
      let response = await send(await current(false), request, target, payload);
      if (response.code === 401) {
        // An expired token: ask the source again (exec plugins mint a new one, token files are
        // re-read), then retry once.
        response = await send(await current(true), request, target, payload);
      }
      if (logRequests)
        options.logger.v(
          LogLevel.Requests,
          `${request.method} ${server.origin}${target} ${response.code} in ${Date.now() - started} milliseconds`,
        );
      if (logBodies) options.logger.v(LogLevel.Bodies, `Response Body: ${response.body}`);
      if (response.code >= 400 || response.code < 200) throw options.decodeStatus(response.code, response.body, response.headers);
      return (response.body === '' ? {} : JSON.parse(response.body)) as T;
    },
    async watch(request: WatchRequest, onEvent: (event: WatchLine) => void, onDone: (err?: Error) => void): Promise<StreamHandle> {
      const target = `${basePath}${request.path}${buildQuery({ ...request.query, watch: true })}`;
      let stopped = false;
      let finished = false;
      // The request once the server answered: finishing destroys it (closing the connection).
      const stream: { req?: http.ClientRequest } = {};
      const finish = (err?: Error): void => {
        if (finished) return;
        finished = true;
        stream.req?.destroy();
        if (!stopped) onDone(err);
      };
      const handle: StreamHandle = {
        stop() {
          stopped = true;
          finish();
        },
      };
      const started = Date.now();
      // No credentials rejects; a connection that fails goes to onDone, as client-node's Watch does.
      let opened = await openStream(await current(false), target).catch((err: Error) => err);
      if (!(opened instanceof Error) && opened.res.statusCode === 401) {
        // As for requests: fresh credentials, one more try.
        opened.req.destroy();
        opened = await openStream(await current(true), target).catch((err: Error) => err);
      }
      if (opened instanceof Error) {
        finish(opened);
        return handle;
      }
      const { req, res } = opened;
      stream.req = req;
      req.on('error', finish);
      const code = res.statusCode ?? 0;
      options.logger.v(LogLevel.Requests, `GET ${server.origin}${target} ${code} in ${Date.now() - started} milliseconds`);
      if (code !== 200) {
        const body = await new Promise<string>((resolve) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', () => resolve(Buffer.concat(chunks).toString('utf8')));
          res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        });
        finish(options.decodeStatus(code, body, res.headers));
        return handle;
      }
      const logBodies = options.logger.enabled(LogLevel.Bodies);
      let pending = '';
      const deliver = (line: string): void => {
        if (finished || line.trim() === '') return;
        if (logBodies) options.logger.v(LogLevel.Bodies, `Watch Event: ${line}`);
        let event: WatchLine;
        try {
          event = JSON.parse(line) as WatchLine;
        } catch (err) {
          finish(new ConnectionError(`watch ${request.path}: cannot decode an event: ${(err as Error).message}`, { cause: err }));
          return;
        }
        onEvent(event);
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        pending += chunk;
        for (let newline = pending.indexOf('\n'); newline >= 0 && !finished; newline = pending.indexOf('\n')) {
          const line = pending.slice(0, newline);
          pending = pending.slice(newline + 1);
          deliver(line);
        }
      });
      res.on('end', () => {
        deliver(pending);
        finish();
      });
      res.on('error', finish);
      // A connection that breaks mid-stream closes the response without 'end'.
      res.on('close', () => {
        if (!res.complete)
          finish(
            Object.assign(new ConnectionError(`watch ${request.path}: the connection closed before the server ended the stream`), {
              code: 'ECONNRESET',
            }),
          );
      });
      return handle;
    },
    close() {
      void pooled?.then((pool) => pool.destroy()).catch(() => undefined);
      agent?.destroy();
    },
  };
}
