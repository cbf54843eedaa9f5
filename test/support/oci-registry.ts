/**
 * A minimal OCI distribution registry on loopback (plain http), enough for `helm push` and
 * `helm pull oci://…` (the distribution spec's pull and push endpoints, as ORAS-go drives them):
 *
 * - `GET /v2/` answers 200 (the API version check);
 * - blobs: `HEAD|GET /v2/<name>/blobs/<digest>`; uploads by `POST /v2/<name>/blobs/uploads/`
 *   (monolithic with `?digest=`, or a session that takes `PATCH` chunks and a closing `PUT ?digest=`),
 *   each checked against its sha256 digest;
 * - manifests: `PUT /v2/<name>/manifests/<tag|digest>` (stored with its media type), `HEAD|GET` by
 *   tag or digest with `Docker-Content-Digest`;
 * - `GET /v2/<name>/tags/list`.
 *
 * Errors are the spec's JSON (`{"errors":[{"code":"BLOB_UNKNOWN",…}]}`). Every request is recorded
 * so tests can say what a client asked for. Nothing is kept on disk.
 */
import { createHash, randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** OciRegistry is a started registry: its host:port for oci:// references, and what it saw. */
export interface OciRegistry {
  /** host is `127.0.0.1:<port>`, as an oci:// reference names it. */
  readonly host: string;
  readonly requests: Array<{ method: string; path: string }>;
  /** tags lists the tags pushed to a repository name (e.g. "charts/widgets"). */
  tags(name: string): string[];
  close(): Promise<void>;
}

interface StoredManifest {
  readonly body: Buffer;
  readonly mediaType: string;
  readonly digest: string;
}

const digestOf = (data: Buffer): string => `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** startOciRegistry serves an empty registry on 127.0.0.1 and a random port. */
export async function startOciRegistry(): Promise<OciRegistry> {
  const blobs = new Map<string, Buffer>();
  const uploads = new Map<string, Buffer[]>();
  const manifests = new Map<string, StoredManifest>(); // "<name>@<digest>" and "<name>:<tag>"
  const tags = new Map<string, Set<string>>();
  const requests: OciRegistry['requests'] = [];

  const fail = (res: http.ServerResponse, status: number, code: string, message: string): void => {
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ code, message }] }));
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://registry');
      const method = req.method ?? 'GET';
      const body = Buffer.concat(chunks);
      requests.push({ method, path: url.pathname + url.search });
      res.setHeader('docker-distribution-api-version', 'registry/2.0');
      if (url.pathname === '/v2/' || url.pathname === '/v2') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
        return;
      }
      const route = /^\/v2\/(.+?)\/(blobs\/uploads\/?(.*)|blobs\/(sha256:[a-f0-9]{64})|manifests\/([^/]+)|tags\/list)$/.exec(url.pathname);
      if (!route) return fail(res, 404, 'NOT_FOUND', `no route for ${method} ${url.pathname}`);
      const name = route[1] as string;
      const [, , what, uploadId, blobDigest, reference] = route;

      if (what?.startsWith('blobs/uploads')) {
        const finish = (data: Buffer): void => {
          const wanted = url.searchParams.get('digest') ?? '';
          if (digestOf(data) !== wanted) return fail(res, 400, 'DIGEST_INVALID', `upload does not match ${wanted}`);
          blobs.set(wanted, data);
          res.writeHead(201, { location: `/v2/${name}/blobs/${wanted}`, 'docker-content-digest': wanted }).end();
        };
        if (method === 'POST' && !uploadId) {
          if (url.searchParams.has('digest')) return finish(body);
          const id = randomUUID();
          uploads.set(id, body.length > 0 ? [body] : []);
          res
            .writeHead(202, { location: `/v2/${name}/blobs/uploads/${id}`, 'docker-upload-uuid': id, range: '0-0', 'content-length': '0' })
            .end();
          return;
        }
        const parts = uploadId ? uploads.get(uploadId) : undefined;
        if (!uploadId || !parts) return fail(res, 404, 'BLOB_UPLOAD_UNKNOWN', 'no such upload');
        if (method === 'PATCH') {
          parts.push(body);
          const size = parts.reduce((n, part) => n + part.length, 0);
          res
            .writeHead(202, {
              location: `/v2/${name}/blobs/uploads/${uploadId}`,
              range: `0-${Math.max(0, size - 1)}`,
              'content-length': '0',
            })
            .end();
          return;
        }
        if (method === 'PUT') {
          uploads.delete(uploadId);
          return finish(Buffer.concat([...parts, body]));
        }
        return fail(res, 405, 'UNSUPPORTED', `${method} on an upload`);
      }

      if (blobDigest) {
        const blob = blobs.get(blobDigest);
        if (!blob) return fail(res, 404, 'BLOB_UNKNOWN', `blob ${blobDigest} unknown`);
        res.writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-length': String(blob.length),
          'docker-content-digest': blobDigest,
        });
        res.end(method === 'HEAD' ? undefined : blob);
        return;
      }

      if (reference !== undefined) {
        const byDigest = reference.startsWith('sha256:');
        if (method === 'PUT') {
          const digest = digestOf(body);
          if (byDigest && digest !== reference) return fail(res, 400, 'DIGEST_INVALID', 'manifest does not match its digest');
          const stored = { body, mediaType: req.headers['content-type'] ?? 'application/vnd.oci.image.manifest.v1+json', digest };
          manifests.set(`${name}@${digest}`, stored);
          if (!byDigest) {
            manifests.set(`${name}:${reference}`, stored);
            tags.set(name, (tags.get(name) ?? new Set()).add(reference));
          }
          res.writeHead(201, { location: `/v2/${name}/manifests/${digest}`, 'docker-content-digest': digest }).end();
          return;
        }
        const manifest = manifests.get(byDigest ? `${name}@${reference}` : `${name}:${reference}`);
        if (!manifest) return fail(res, 404, 'MANIFEST_UNKNOWN', `manifest ${reference} unknown`);
        res.writeHead(200, {
          'content-type': manifest.mediaType,
          'content-length': String(manifest.body.length),
          'docker-content-digest': manifest.digest,
        });
        res.end(method === 'HEAD' ? undefined : manifest.body);
        return;
      }

      // tags/list
      const known = tags.get(name);
      if (!known) return fail(res, 404, 'NAME_UNKNOWN', `repository ${name} unknown`);
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name, tags: [...known].sort() }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    host: `127.0.0.1:${port}`,
    requests,
    tags: (name) => [...(tags.get(name) ?? [])].sort(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
