/**
 * Writing responses: JSON with a Content-Length (keep-alive clients need it), and errors as
 * meta/v1 Status objects, which is what kubectl and client-node parse (apiserver-surface.md §3).
 */
import type { ServerResponse } from 'node:http';
import { ApiError, type Status } from '../api/status.js';

/** sendJson answers with a JSON body (already serialised when a string). */
export function sendJson(
  res: ServerResponse,
  code: number,
  body: unknown,
  headers: Record<string, string | string[]> = {},
  contentType = 'application/json',
): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': contentType,
    'Cache-Control': 'no-cache, private',
    'Content-Length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

/** sendBytes answers with a binary body (the protobuf /openapi/v2). */
export function sendBytes(res: ServerResponse, code: number, body: Buffer, contentType: string): void {
  res.writeHead(code, { 'Content-Type': contentType, 'Content-Length': body.length });
  res.end(body);
}

/** sendText answers with text/plain (health endpoints). */
export function sendText(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

/** toApiError turns anything thrown by a handler into an ApiError (unexpected errors are 500 InternalError). */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError(500, 'InternalError', `Internal error occurred: ${message}`, { causes: [{ message }] });
}

/** sendStatus answers with an error's Status. */
export function sendStatus(res: ServerResponse, error: unknown, headers: Record<string, string> = {}): void {
  const status: Status = toApiError(error).status;
  sendJson(res, status.code, status, headers);
}

/** warningHeaders renders warnings as the real server's `Warning: 299 - "…"` headers, which kubectl prints. */
export function warningHeaders(warnings: string[]): Record<string, string[]> {
  return warnings.length ? { Warning: warnings.map((w) => `299 - ${JSON.stringify(w)}`) } : {};
}
