/**
 * Request bodies: JSON, YAML (server-side apply), and Kubernetes protobuf (helm writes Secrets
 * and DeleteOptions that way, with no JSON fallback).
 */
import type { IncomingMessage } from 'node:http';
import yaml from 'js-yaml';
import { ApiError, badRequest, unsupportedMediaType } from '../api/status.js';
import type { PatchType } from '../api/internal-api.js';
import { protobufContentType } from '../protobuf/decode.js';
import { decodeProtobufBody } from './protobuf-bodies.js';

/**
 * maxRequestBodyBytes is kube-apiserver's --max-request-body-bytes default (3 MiB,
 * k8s.io/apiserver DefaultMaxRequestSizeBytes): a larger body is refused with 413.
 */
export const maxRequestBodyBytes = 3 * 1024 * 1024;

/** requestEntityTooLarge is apierrors.NewRequestEntityTooLargeError("limit is N"). */
function requestEntityTooLarge(limit: number): ApiError {
  return new ApiError(413, 'RequestEntityTooLarge', `Request entity too large: limit is ${limit}`);
}

/**
 * readBody collects the whole body, up to `limit` bytes (the server's handlers read it through
 * limitedReadBody). Past the limit the rest is read and dropped, so the client gets the 413
 * answer rather than a connection reset mid-upload.
 */
export function readBody(req: IncomingMessage, limit = maxRequestBodyBytes): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number(req.headers['content-length'] ?? 0) > limit;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      if (tooLarge) reject(requestEntityTooLarge(limit));
      else resolve(chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

/** The media type of a Content-Type header, lower case, without parameters ('' when absent). */
export function mediaType(contentType: string | undefined): string {
  // What nearly every write sends, already in the form the general case would produce.
  if (contentType === 'application/json') return contentType;
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw badRequest(`json: cannot unmarshal the request body: ${(error as Error).message}`);
  }
}

function parseYaml(body: Buffer): unknown {
  try {
    return yaml.load(body.toString('utf8'));
  } catch (error) {
    throw badRequest(`error decoding YAML: ${(error as Error).message.split('\n')[0] ?? ''}`);
  }
}

/** decodeObjectBody decodes a POST/PUT body. A PUT without Content-Type is JSON (kubectl scale --current-replicas sends none). */
export function decodeObjectBody(body: Buffer, contentType: string | undefined): unknown {
  const type = mediaType(contentType);
  if (body.length === 0) throw badRequest('the request body is empty');
  if (type === '' || type === 'application/json' || type === '*/*') return parseJson(body);
  if (type === 'application/yaml' || type === 'application/x-yaml' || type === 'text/yaml') return parseYaml(body);
  if (type === protobufContentType) return decodeProtobufBody(body);
  throw new ApiError(
    415,
    'UnsupportedMediaType',
    `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/vnd.kubernetes.protobuf`,
  );
}

/** decodeOptionalBody decodes a DELETE body (DeleteOptions), which may be absent. */
export function decodeOptionalBody(body: Buffer, contentType: string | undefined): unknown {
  if (body.length === 0) return undefined;
  return decodeObjectBody(body, contentType);
}

const patchTypes: Record<string, PatchType> = {
  'application/json-patch+json': 'json',
  'application/merge-patch+json': 'merge',
  'application/strategic-merge-patch+json': 'strategic',
  'application/apply-patch+yaml': 'apply',
  'application/apply-patch+cbor': 'apply',
};

/** decodePatchBody picks the patch type from Content-Type (415 for anything else, plain JSON included) and decodes the body. */
export function decodePatchBody(body: Buffer, contentType: string | undefined): { type: PatchType; body: unknown } {
  const type = patchTypes[mediaType(contentType)];
  if (!type) throw unsupportedMediaType(mediaType(contentType) || '(none)');
  if (body.length === 0) throw badRequest('the request body is empty');
  if (type !== 'apply') return { type, body: parseJson(body) };
  // An apply body is YAML, of which JSON is a subset; JSON.parse is just the fast path.
  const text = body.toString('utf8').trimStart();
  return { type, body: text.startsWith('{') ? parseJsonOrYaml(body) : parseYaml(body) };
}

function parseJsonOrYaml(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return parseYaml(body);
  }
}
