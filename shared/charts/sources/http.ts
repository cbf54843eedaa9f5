/**
 * The one port through which crdsync reads the web (chart repositories, the GitHub API), so tests
 * can record requests and the real one can cap sizes and refuse plain http. Tokens travel only in
 * request headers, never in messages: errors name the URL without its query string.
 */
import http from 'node:http';
import https from 'node:https';
import { CliError, InterruptedError, UsageError } from '../../errors/errors.js';
import { ExitCode } from '../../errors/exit-codes.js';

/** HttpAnswer is a response read whole (bounded by the caller's cap). */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** HttpGet fetches `url` with `headers`, reading at most `maxBytes` of body. */
export type HttpGet = (
  url: string,
  options: { headers?: Record<string, string>; maxBytes: number; signal?: AbortSignal },
) => Promise<HttpAnswer>;

/** SourceError is a chart or CRD source that cannot be used (exit 3: bad chart). */
export class SourceError extends CliError {
  constructor(message: string) {
    super(message, ExitCode.BadInput);
  }
}

/** displayUrl drops the query string and credentials of a URL for messages (signed URLs carry tokens there). */
export function displayUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return url.replace(/[?#].*$/, '');
  }
}

/** checkScheme refuses anything but https, and http only with --insecure-http. */
export function checkScheme(url: string, insecureHttp: boolean): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`invalid URL "${displayUrl(url)}"`);
  }
  if (parsed.protocol === 'https:') return;
  if (parsed.protocol === 'http:') {
    if (insecureHttp) return;
    throw new UsageError(`refusing plain http source ${displayUrl(url)}: use https, or pass --insecure-http to accept it`);
  }
  throw new UsageError(`unsupported URL scheme "${parsed.protocol}" in ${displayUrl(url)}: expected https://`);
}

/** maxRedirects is how many redirects a download may follow (Go's http.Client stops at 10, as helm does). */
const maxRedirects = 10;

/**
 * createHttpGet returns the real HttpGet over node:http(s), streaming the body under a cap. Not
 * fetch: its first use loads and compiles Node's bundled undici, a cost every `helm crdsync
 * --repo` would pay on top of the kube client, which already runs on node:https. Redirects are
 * followed (never from https down to http); the Authorization header is not carried to another
 * host, as fetch would not.
 */
export function createHttpGet(userAgent: string): HttpGet {
  return async (url, options) => {
    let target = url;
    let headers: Record<string, string> = { 'user-agent': userAgent, ...options.headers };
    for (let hop = 0; ; hop++) {
      const answer = await getOnce(target, headers, options.maxBytes, options.signal);
      const location = answer.status >= 300 && answer.status < 400 ? answer.headers.location : undefined;
      if (!location) return answer;
      if (hop >= maxRedirects) throw new SourceError(`${displayUrl(url)}: more than ${maxRedirects} redirects`);
      const next = new URL(location, target);
      const from = new URL(target);
      if (next.protocol !== 'https:' && next.protocol !== 'http:')
        throw new SourceError(`${displayUrl(target)} redirects to an unsupported scheme "${next.protocol}"`);
      if (from.protocol === 'https:' && next.protocol === 'http:')
        throw new SourceError(`${displayUrl(target)} redirects from https to plain http (${displayUrl(next.toString())}): refused`);
      if (next.host !== from.host) {
        headers = Object.fromEntries(Object.entries(headers).filter(([key]) => key.toLowerCase() !== 'authorization'));
      }
      target = next.toString();
    }
  };
}

/** getOnce sends one GET and reads the answer whole, up to `maxBytes`. */
async function getOnce(url: string, headers: Record<string, string>, maxBytes: number, signal?: AbortSignal): Promise<HttpAnswer> {
  const parsed = new URL(url);
  // Imported statically: the bundles load a built-in on first use (scripts/release/start-up.ts),
  // while a dynamic import() builds Node's ESM facade of it, reading every export (node:http's
  // lazy getters load Node's internal undici: about 20 ms).
  const client = parsed.protocol === 'https:' ? https : http;
  return new Promise<HttpAnswer>((resolve, reject) => {
    const request = client.get(parsed, { headers, signal }, (response) => {
      const answerHeaders: Record<string, string> = {};
      for (const [key, value] of Object.entries(response.headers)) {
        if (value !== undefined) answerHeaders[key] = Array.isArray(value) ? value.join(', ') : value;
      }
      const status = response.statusCode ?? 0;
      const declared = Number(response.headers['content-length'] ?? '0');
      if (declared > maxBytes) {
        response.destroy();
        reject(new SourceError(`${displayUrl(url)} is ${declared} bytes, over the ${maxBytes}-byte cap`));
        return;
      }
      if (status >= 300 && status < 400 && response.headers.location) {
        // A redirect's body is not read.
        response.resume();
        resolve({ status, headers: answerHeaders, body: Buffer.alloc(0) });
        return;
      }
      const chunks: Buffer[] = [];
      let total = 0;
      response.on('data', (chunk: Buffer) => {
        total += chunk.length;
        if (total > maxBytes) {
          response.destroy();
          reject(new SourceError(`${displayUrl(url)} is over the ${maxBytes}-byte cap`));
          return;
        }
        chunks.push(chunk);
      });
      response.on('end', () => resolve({ status, headers: answerHeaders, body: Buffer.concat(chunks) }));
      response.on('error', (err: NodeJS.ErrnoException) => reject(unreachable(url, err)));
    });
    request.on('error', (err: NodeJS.ErrnoException) => reject(unreachable(url, err)));
  });
}

/** What the usual socket error codes mean, in the words kubectl and helm (Go's net package) use. */
const socketErrorWords: Record<string, string> = {
  ENOTFOUND: 'no such host',
  EAI_AGAIN: 'temporary failure in name resolution',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by peer',
  ETIMEDOUT: 'i/o timeout',
  EHOSTUNREACH: 'no route to host',
  ENETUNREACH: 'network is unreachable',
};

function unreachable(url: string, err: NodeJS.ErrnoException): Error {
  if (err.name === 'AbortError') return new InterruptedError(`interrupted while downloading ${displayUrl(url)}: nothing was applied`);
  const words = err.code ? socketErrorWords[err.code] : undefined;
  return new SourceError(`cannot reach ${displayUrl(url)}: ${words ? `${words} (${err.code})` : (err.code ?? err.message)}`);
}
