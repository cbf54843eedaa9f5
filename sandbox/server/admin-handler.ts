/**
 * The sandbox's own endpoints under /sandbox/, for the admin token only and never subject to
 * faults: `PUT /sandbox/faults` (body: a fault spec), `DELETE /sandbox/faults`, `GET /sandbox/faults`,
 * `GET /sandbox/audit` (JSON lines) and `DELETE /sandbox/audit`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, badRequest } from '../api/status.js';
import type { AuditLog } from '../audit/audit-log.js';
import { adminUser, unauthorized } from '../auth/tokens.js';
import type { FaultInjector } from '../faults/fault-injector.js';
import { FaultSpecError } from '../faults/fault-spec.js';
import { readBody } from './body.js';
import { sendJson } from './respond.js';

/** handleAdmin serves a /sandbox/ path. */
export async function handleAdmin(
  req: IncomingMessage,
  res: ServerResponse,
  pathname: string,
  user: string | undefined,
  faults: FaultInjector,
  audit: AuditLog,
): Promise<void> {
  if (!user) throw unauthorized();
  if (user !== adminUser)
    throw new ApiError(403, 'Forbidden', `forbidden: User "${user}" cannot ${req.method?.toLowerCase() ?? 'get'} path "${pathname}"`);
  if (pathname === '/sandbox/faults') {
    if (req.method === 'PUT' || req.method === 'POST') {
      const spec = (await readBody(req)).toString('utf8');
      try {
        faults.set(spec);
      } catch (error) {
        if (error instanceof FaultSpecError) throw badRequest(error.message);
        throw error;
      }
      return sendJson(res, 200, { spec: faults.spec() });
    }
    if (req.method === 'DELETE') {
      faults.clear();
      return sendJson(res, 200, { spec: '' });
    }
    if (req.method === 'GET') return sendJson(res, 200, { spec: faults.spec() });
  }
  if (pathname === '/sandbox/audit') {
    if (req.method === 'GET') return sendJson(res, 200, audit.jsonLines(), {}, 'application/x-ndjson');
    if (req.method === 'DELETE') {
      audit.clear();
      return sendJson(res, 200, { cleared: true });
    }
  }
  throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
}
