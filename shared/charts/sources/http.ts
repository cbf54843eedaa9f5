/**
 * The one port through which crdsync reads the web (chart repositories, the GitHub API), so tests
 * can record requests and the real one can cap sizes and refuse plain http. Tokens travel only in
 * request headers, never in messages: errors name the URL without its query string.
 */
import { CliError, UsageError } from '../../errors/errors.js';
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

/** createHttpGet returns the real HttpGet over Node's fetch (undici), streaming the body under a cap. */
export function createHttpGet(userAgent: string): HttpGet {
  return async (url, options) => {
    let response: Response;
    try {
      response = await fetch(url, { headers: { 'user-agent': userAgent, ...options.headers }, redirect: 'follow', signal: options.signal });
    } catch (err) {
      const cause = (err as { cause?: { code?: string; message?: string } }).cause;
      throw new SourceError(`cannot reach ${displayUrl(url)}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
    }
    const headers: Record<string, string> = {};
    response.headers.forEach((value, key) => {
      headers[key] = value;
    });
    const declared = Number(response.headers.get('content-length') ?? '0');
    if (declared > options.maxBytes) {
      await response.body?.cancel();
      throw new SourceError(`${displayUrl(url)} is ${declared} bytes, over the ${options.maxBytes}-byte cap`);
    }
    const chunks: Buffer[] = [];
    let total = 0;
    if (response.body) {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        total += chunk.length;
        if (total > options.maxBytes) {
          throw new SourceError(`${displayUrl(url)} is over the ${options.maxBytes}-byte cap`);
        }
        chunks.push(Buffer.from(chunk));
      }
    }
    return { status: response.status, headers, body: Buffer.concat(chunks) };
  };
}
