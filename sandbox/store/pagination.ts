/**
 * Continue tokens for chunked lists. Like the real server's, they are opaque base64 of the list's
 * resourceVersion and the key to resume after, so a client can only hand them back.
 */
import { ApiError } from '../api/status.js';

/** What a continue token carries. */
export interface ContinueToken {
  /** The resourceVersion of the first page. */
  rv: number;
  /** The last key returned; the next page starts after it. */
  start: string;
}

/** encodeContinue makes an opaque token. */
export function encodeContinue(token: ContinueToken): string {
  return Buffer.from(JSON.stringify({ v: 'sandbox/1', rv: token.rv, start: token.start }), 'utf8').toString('base64url');
}

/** decodeContinue reads a token back; anything else is the real server's 400 "continue key is not valid". */
export function decodeContinue(value: string): ContinueToken {
  try {
    const parsed = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as { v?: unknown; rv?: unknown; start?: unknown };
    if (parsed.v === 'sandbox/1' && typeof parsed.rv === 'number' && typeof parsed.start === 'string')
      return { rv: parsed.rv, start: parsed.start };
  } catch {
    // fall through to the error below
  }
  throw new ApiError(400, 'BadRequest', 'continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)');
}
