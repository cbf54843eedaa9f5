/**
 * Decoding an API server's failure answer into our ApiStatus, the way kubectl reads it: a
 * metav1.Status body when there is one, else the HTTP code with apimachinery's reason for it.
 */
import type { ApiStatus } from '../errors/errors.js';

/** reasonForCode is kubectl's wording for a Status-less failure, keyed by HTTP code (apimachinery's reasonForCode). */
export const reasonForCode: Readonly<Record<number, string>> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Gone',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/** FailedResponse is an HTTP answer outside 2xx: its code, raw body and Retry-After header. */
export interface FailedResponse {
  readonly code: number;
  readonly body: unknown;
  readonly retryAfter?: string | string[];
}

/** statusFromResponse decodes a failed answer's body (a Status, or a proxy's text) into our ApiStatus. */
export function statusFromResponse(response: FailedResponse): ApiStatus {
  const { code } = response;
  let body: unknown = response.body;
  if (typeof body === 'string') {
    try {
      body = JSON.parse(body) as unknown;
    } catch {
      // Not JSON (a proxy's HTML page, plain text): keep the text as the message.
    }
  }
  const retryHeader = Number(Array.isArray(response.retryAfter) ? response.retryAfter[0] : response.retryAfter);
  const fromHeader = Number.isFinite(retryHeader) && retryHeader > 0 ? retryHeader : undefined;
  if (body instanceof Object && (body as { kind?: unknown }).kind === 'Status') {
    const status = body as { code?: number; reason?: string; message?: string; details?: { retryAfterSeconds?: number } };
    return {
      code: status.code ?? code,
      reason: status.reason ?? reasonForCode[code] ?? '',
      message: status.message ?? '',
      retryAfterSeconds: status.details?.retryAfterSeconds ?? fromHeader,
    };
  }
  const text = typeof body === 'string' && body.trim() !== '' ? body.trim() : `the server responded with HTTP ${code}`;
  return { code, reason: reasonForCode[code] ?? '', message: text, retryAfterSeconds: fromHeader };
}
