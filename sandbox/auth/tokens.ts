/**
 * Bearer-token authentication: the sandbox knows two users, an administrator and a restricted
 * user, each with a random token minted at start (like a static token file on a real apiserver).
 */
import { randomBytes } from 'node:crypto';
import { ApiError } from '../api/status.js';

/** The administrator: every right. */
export const adminUser = 'sandbox-admin';
/** The restricted user: everything except writing CRDs, ClusterRoles and ClusterRoleBindings. */
export const restrictedUser = 'sandbox-restricted';

/** The two tokens of one sandbox. */
export interface Tokens {
  admin: string;
  restricted: string;
}

/** mintTokens makes fresh random tokens. */
export function mintTokens(): Tokens {
  return { admin: randomBytes(24).toString('hex'), restricted: randomBytes(24).toString('hex') };
}

/** unauthorized is the real server's 401 Status. */
export function unauthorized(): ApiError {
  return new ApiError(401, 'Unauthorized', 'Unauthorized');
}

/** authenticate maps an Authorization header to a user, or undefined when the token is missing or unknown. */
export function authenticate(tokens: Tokens, authorization: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  if (!match) return undefined;
  if (match[1] === tokens.admin) return adminUser;
  if (match[1] === tokens.restricted) return restrictedUser;
  return undefined;
}
