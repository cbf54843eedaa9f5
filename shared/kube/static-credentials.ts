/**
 * Credentials from the kubeconfig's static material, without @kubernetes/client-node (loading it
 * costs ~400 ms of CPU per run). Covers what a kubeconfig can say without running code:
 * certificate-authority(-data), client-certificate(-data), client-key(-data),
 * insecure-skip-tls-verify, tls-server-name, token, tokenFile (client-node's "token-file" too),
 * username/password and `as`. A user with an `exec` plugin or an `auth-provider`, and a cluster
 * reached through a proxy, need client-node (client-node-credentials.ts): clientNodeNeed says when.
 *
 * For every well-formed input this fills https.RequestOptions exactly as client-node's
 * KubeConfig.applyToHTTPSOptions does (test/unit/shared/static-credentials.test.ts compares the
 * two). Where client-node parts from kubectl on odd input we follow kubectl (client-go's
 * clientcmd and transport), and the test lists each case:
 *  - a token file is re-read whenever the transport refreshes credentials (every minute and after
 *    a 401; client-go's cachingTokenSource), trimmed, and wins over `token`; client-node reads it
 *    once, untrimmed (a trailing newline makes an invalid header), and prefers `token`;
 *  - `*-data` wins over the file of the same material (client-go loadTLSFiles); client-node
 *    prefers the file;
 *  - a context without a user still trusts its cluster's CA and TLS settings; client-node drops
 *    them all;
 *  - a username without a password sends "user:" in basic auth, not "user:undefined".
 * Relative paths were already made absolute against their kubeconfig file (kubeconfig.ts).
 */
import { readFileSync } from 'node:fs';
import type https from 'node:https';
import { KubeconfigError } from '../errors/errors.js';
import type { CredentialSource } from './json-transport.js';
import type { RawCluster, ResolvedKubeconfig } from './kubeconfig.js';
import { proxyForServer } from './proxy.js';

/** ClientNodeNeed says why a kubeconfig needs client-node, and the proxy it should use. */
export interface ClientNodeNeed {
  /** reason names the user or cluster setting, for -v 4 logs. */
  readonly reason: string;
  /** proxyUrl is the proxy kubectl would use (proxy-url or the environment), if any. */
  readonly proxyUrl?: string;
}

/** currentUser returns the context's user entry (kubectl treats a missing one as empty). */
export function currentUser(resolved: ResolvedKubeconfig): { name: string; user: Record<string, unknown> } | undefined {
  const name = resolved.context.user;
  if (!name) return undefined;
  const entry = resolved.config.users.find((candidate) => candidate.name === name);
  return entry ? { name, user: entry.user ?? {} } : undefined;
}

/**
 * clientNodeNeed returns why the current context needs client-node (an exec plugin, an
 * auth-provider, a proxy), or undefined when its credentials are static material we read ourselves.
 */
export function clientNodeNeed(
  resolved: ResolvedKubeconfig,
  env: Readonly<Record<string, string | undefined>>,
): ClientNodeNeed | undefined {
  const proxyUrl = proxyForServer(resolved.cluster.server, stringField(resolved.cluster, 'proxy-url'), env);
  const user = currentUser(resolved);
  const exec = user?.user.exec as { command?: unknown } | undefined;
  const authProvider = user?.user['auth-provider'] as { name?: unknown } | undefined;
  let reason: string | undefined;
  if (exec) reason = `user "${user?.name ?? ''}" gets credentials from the exec plugin ${String(exec.command ?? '')}`;
  else if (authProvider) reason = `user "${user?.name ?? ''}" uses the ${String(authProvider.name ?? '')} auth-provider`;
  else if (proxyUrl) reason = `cluster "${resolved.context.cluster}" is reached through a proxy`;
  if (reason === undefined) return undefined;
  return proxyUrl ? { reason, proxyUrl } : { reason };
}

/** CredentialFiles reads credential files; injected so tests can count reads. */
export interface CredentialFiles {
  readFile(file: string): Buffer;
}

const realFiles: CredentialFiles = { readFile: (file) => readFileSync(file) };

function stringField(record: Record<string, unknown>, field: string): string | undefined {
  const value = record[field];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * createStaticCredentials returns the credential source for a context whose credentials are
 * static (clientNodeNeed returned undefined). Files are read on every call, as client-node reads
 * them; the transport calls it once per credential refresh, not per request.
 */
export function createStaticCredentials(resolved: ResolvedKubeconfig, files: CredentialFiles = realFiles): CredentialSource {
  const cluster: RawCluster = resolved.cluster;
  const user = currentUser(resolved);
  const fields = user?.user ?? {};
  let lastFileToken: string | undefined;

  const read = (what: string, file: string): Buffer => {
    try {
      return files.readFile(file);
    } catch (err) {
      const owner = what === 'certificate-authority' ? `cluster "${resolved.context.cluster}"` : `user "${user?.name ?? ''}"`;
      throw new KubeconfigError(`cannot read ${what} ${file} of ${owner} (${resolved.source}): ${(err as Error).message}`, { cause: err });
    }
  };
  /** material is a PEM from `<field>-data` (base64), else from the file `<field>`. */
  const material = (record: Record<string, unknown>, field: string): Buffer | undefined => {
    const data = stringField(record, `${field}-data`);
    if (data !== undefined) return Buffer.from(data, 'base64');
    const file = stringField(record, field);
    return file === undefined ? undefined : read(field, file);
  };
  const bearerToken = (): string | undefined => {
    const file = stringField(fields, 'tokenFile') ?? stringField(fields, 'token-file');
    if (file !== undefined) {
      try {
        lastFileToken = files.readFile(file).toString('utf8').trim();
      } catch (err) {
        // client-go keeps the token it has when a re-read fails (a rotation in progress).
        if (lastFileToken === undefined) {
          throw new KubeconfigError(
            `cannot read token file ${file} of user "${user?.name ?? ''}" (${resolved.source}): ${(err as Error).message}`,
            { cause: err },
          );
        }
      }
      if (lastFileToken) return lastFileToken;
    }
    return stringField(fields, 'token');
  };

  return {
    getCurrentCluster: () => ({ server: cluster.server.replace(/\/$/, '') }),
    async applyToHTTPSOptions(options: https.RequestOptions): Promise<void> {
      // kubectl talks to http:// servers happily; client-node calls them "skip TLS verify" (the
      // option means nothing without TLS), and so do we, to fill the same options.
      if (cluster['insecure-skip-tls-verify'] === true || cluster.server.startsWith('http://')) options.rejectUnauthorized = false;
      const serverName = stringField(cluster, 'tls-server-name');
      if (serverName !== undefined) options.servername = serverName;
      const ca = material(cluster, 'certificate-authority');
      if (ca) options.ca = ca;
      const cert = material(fields, 'client-certificate');
      if (cert) options.cert = cert;
      const key = material(fields, 'client-key');
      if (key) options.key = key;
      if (!user) return;
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(options.headers ?? {})) if (typeof value === 'string') headers[name] = value;
      const impersonate = stringField(fields, 'as');
      if (impersonate !== undefined) headers['Impersonate-User'] = impersonate;
      const token = bearerToken();
      if (token !== undefined) {
        // A header value cannot hold control characters: node would throw an internal TypeError
        // (exit 70). Say which user's token is bad, never the token.
        if (/[^\t\x20-\x7e\x80-\xff]/.test(token)) {
          throw new KubeconfigError(
            `the token of user "${user.name}" (${resolved.source}) contains a newline or another control character: a bearer token is one line`,
          );
        }
        headers.Authorization = `Bearer ${token}`;
      }
      options.headers = headers;
      const username = stringField(fields, 'username');
      if (username !== undefined) {
        const auth = `${username}:${typeof fields.password === 'string' ? fields.password : ''}`;
        if ([...auth].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f)) {
          throw new KubeconfigError(
            `the username or password of user "${user.name}" (${resolved.source}) contains a newline or another control character`,
          );
        }
        options.auth = auth;
      }
    },
  };
}
