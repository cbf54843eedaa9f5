/**
 * Static credentials (shared/kube/static-credentials.ts) against client-node's KubeConfig, the
 * implementation they replace: for each kubeconfig input shape both fill https.RequestOptions and
 * the fields the transport reads must be equal. The cases where we follow kubectl instead are
 * listed apart, each asserting both answers, so a change on either side fails a test.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import type https from 'node:https';
import { tmpdir } from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { KubeconfigError } from '../../../shared/errors/errors.js';
import { clientNodeKubeConfig, createClientNodeCredentials } from '../../../shared/kube/client-node-credentials.js';
import type { CredentialSource } from '../../../shared/kube/json-transport.js';
import { resolveKubeconfig, readTextFileIfExists, type ResolvedKubeconfig } from '../../../shared/kube/kubeconfig.js';
import { clientNodeNeed, createStaticCredentials } from '../../../shared/kube/static-credentials.js';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** KubeconfigShape is one cluster and one user, as a kubeconfig file would hold them. */
interface KubeconfigShape {
  cluster: Record<string, unknown>;
  user?: Record<string, unknown>;
}

let dir: string;

/** resolve writes the shape as <dir>/<sub>/config and resolves it as the plugins do. */
function resolve(shape: KubeconfigShape, sub = 'kube'): ResolvedKubeconfig {
  const folder = path.join(dir, sub);
  mkdirSync(folder, { recursive: true });
  const file = path.join(folder, 'config');
  writeFileSync(
    file,
    yaml.dump({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'c', cluster: { server: 'https://api.example.test:6443', ...shape.cluster } }],
      users: shape.user ? [{ name: 'u', user: shape.user }] : [],
      contexts: [{ name: 'x', context: { cluster: 'c', ...(shape.user ? { user: 'u' } : {}) } }],
      'current-context': 'x',
    }),
  );
  return resolveKubeconfig({ kubeconfig: file }, { env: {}, homeDir: undefined, readFile: readTextFileIfExists });
}

/** transportView is what json-transport.ts reads from the filled options. */
async function transportView(source: CredentialSource): Promise<Record<string, unknown>> {
  const options: https.RequestOptions = { headers: {} };
  await source.applyToHTTPSOptions(options);
  return {
    server: source.getCurrentCluster()?.server,
    headers: options.headers ?? {},
    auth: options.auth,
    ca: options.ca,
    cert: options.cert,
    key: options.key,
    pfx: options.pfx,
    passphrase: options.passphrase,
    rejectUnauthorized: options.rejectUnauthorized,
    servername: options.servername,
  };
}

async function both(resolved: ResolvedKubeconfig): Promise<{ ours: Record<string, unknown>; clientNode: Record<string, unknown> }> {
  return {
    ours: await transportView(createStaticCredentials(resolved)),
    clientNode: await transportView(clientNodeKubeConfig(resolved)),
  };
}

describe('static credentials fill the same request options as client-node', () => {
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'static-credentials-'));
    mkdirSync(path.join(dir, 'kube', 'pki'), { recursive: true });
    writeFileSync(path.join(dir, 'kube', 'pki', 'ca.crt'), 'CA FROM FILE');
    writeFileSync(path.join(dir, 'kube', 'pki', 'client.crt'), 'CERT FROM FILE');
    writeFileSync(path.join(dir, 'kube', 'pki', 'client.key'), 'KEY FROM FILE');
    writeFileSync(path.join(dir, 'kube', 'token'), 'token-from-file');
  });

  const shapes: Array<[string, KubeconfigShape]> = [
    [
      'a bearer token with certificate-authority-data',
      { cluster: { 'certificate-authority-data': b64('CA DATA') }, user: { token: 'abc' } },
    ],
    [
      'a certificate-authority file given relative to the kubeconfig',
      { cluster: { 'certificate-authority': 'pki/ca.crt' }, user: { token: 'abc' } },
    ],
    [
      'client-certificate-data and client-key-data',
      {
        cluster: { 'certificate-authority-data': b64('CA DATA') },
        user: { 'client-certificate-data': b64('CERT DATA'), 'client-key-data': b64('KEY DATA') },
      },
    ],
    [
      'client-certificate and client-key files given relative to the kubeconfig',
      {
        cluster: { 'certificate-authority': 'pki/ca.crt' },
        user: { 'client-certificate': 'pki/client.crt', 'client-key': 'pki/client.key' },
      },
    ],
    ['insecure-skip-tls-verify', { cluster: { 'insecure-skip-tls-verify': true }, user: { token: 'abc' } }],
    [
      'insecure-skip-tls-verify: false',
      { cluster: { 'insecure-skip-tls-verify': false, 'certificate-authority-data': b64('CA DATA') }, user: { token: 'abc' } },
    ],
    [
      'tls-server-name',
      { cluster: { 'certificate-authority-data': b64('CA DATA'), 'tls-server-name': 'kubernetes.default' }, user: { token: 'abc' } },
    ],
    ['tokenFile (kubectl spelling) given relative to the kubeconfig', { cluster: {}, user: { tokenFile: 'token' } }],
    ['token-file (client-node spelling) given as an absolute path', { cluster: {}, user: { 'token-file': '$DIR/kube/token' } }],
    [
      'username and password (basic auth)',
      { cluster: { 'certificate-authority-data': b64('CA DATA') }, user: { username: 'admin', password: 's3cret' } },
    ],
    ['impersonation with as', { cluster: {}, user: { token: 'abc', as: 'jane' } }],
    ['a plain http:// server', { cluster: { server: 'http://127.0.0.1:8080' }, user: { token: 'abc' } }],
    [
      'a server URL with a path and a trailing slash',
      { cluster: { server: 'https://proxy.example.test/k8s/clusters/c-1/' }, user: { token: 'abc' } },
    ],
    ['an empty user', { cluster: { 'certificate-authority-data': b64('CA DATA') }, user: {} }],
  ];

  for (const [name, shape] of shapes) {
    it(`for ${name}`, async () => {
      const user =
        shape.user &&
        Object.fromEntries(Object.entries(shape.user).map(([k, v]) => [k, typeof v === 'string' ? v.replace('$DIR', dir) : v]));
      const resolved = resolve({ cluster: shape.cluster, ...(user ? { user } : {}) });
      assert.equal(clientNodeNeed(resolved, {}), undefined, 'static material needs no client-node');
      const { ours, clientNode } = await both(resolved);
      assert.deepEqual(ours, clientNode);
    });
  }

  it('reads files relative to the kubeconfig they came from, not the working directory', async () => {
    const { ours } = await both(resolve({ cluster: { 'certificate-authority': 'pki/ca.crt' }, user: { tokenFile: 'token' } }));
    assert.deepEqual(ours.ca, Buffer.from('CA FROM FILE'));
    assert.deepEqual(ours.headers, { Authorization: 'Bearer token-from-file' });
  });
});

describe('static credentials follow kubectl where client-node does not', () => {
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'static-credentials-kubectl-'));
  });

  it("trims a token file's trailing newline (client-node would send an invalid header)", async () => {
    const tokenFile = path.join(dir, 'newline-token');
    writeFileSync(tokenFile, 'abc\n');
    const { ours, clientNode } = await both(resolve({ cluster: {}, user: { tokenFile } }));
    assert.deepEqual(ours.headers, { Authorization: 'Bearer abc' });
    assert.deepEqual(clientNode.headers, { Authorization: 'Bearer abc\n' });
  });

  it('re-reads the token file on every refresh (client-node reads it once)', async () => {
    const tokenFile = path.join(dir, 'rotating-token');
    writeFileSync(tokenFile, 'first');
    const resolved = resolve({ cluster: {}, user: { tokenFile } });
    const ours = createStaticCredentials(resolved);
    const clientNode = clientNodeKubeConfig(resolved);
    assert.deepEqual((await transportView(ours)).headers, { Authorization: 'Bearer first' });
    writeFileSync(tokenFile, 'second');
    assert.deepEqual((await transportView(ours)).headers, { Authorization: 'Bearer second' });
    assert.deepEqual((await transportView(clientNode)).headers, { Authorization: 'Bearer first' });
  });

  it('keeps the last token when a re-read fails, and names the file when the first read does', async () => {
    const tokenFile = path.join(dir, 'vanishing-token');
    writeFileSync(tokenFile, 'kept');
    const files = {
      fail: false,
      readFile: (file: string) => {
        if (files.fail) throw new Error('ENOENT: no such file');
        return Buffer.from(file === tokenFile ? 'kept' : '');
      },
    };
    const resolved = resolve({ cluster: {}, user: { tokenFile } });
    const ours = createStaticCredentials(resolved, files);
    assert.deepEqual((await transportView(ours)).headers, { Authorization: 'Bearer kept' });
    files.fail = true;
    assert.deepEqual((await transportView(ours)).headers, { Authorization: 'Bearer kept' });
    await assert.rejects(transportView(createStaticCredentials(resolved, files)), (err: unknown) => {
      assert.ok(err instanceof KubeconfigError);
      assert.equal(err.message.split('\n').length, 1);
      assert.match(err.message, new RegExp(`cannot read token file ${tokenFile} of user "u"`));
      return true;
    });
  });

  it("prefers the token file over token, as client-go's round tripper does (client-node prefers token)", async () => {
    const tokenFile = path.join(dir, 'both-token');
    writeFileSync(tokenFile, 'from-file');
    const { ours, clientNode } = await both(resolve({ cluster: {}, user: { token: 'inline', tokenFile } }));
    assert.deepEqual(ours.headers, { Authorization: 'Bearer from-file' });
    assert.deepEqual(clientNode.headers, { Authorization: 'Bearer inline' });
  });

  it('prefers certificate-authority-data over the file (client-node prefers the file)', async () => {
    const caFile = path.join(dir, 'other-ca.crt');
    writeFileSync(caFile, 'CA FROM FILE');
    const { ours, clientNode } = await both(
      resolve({ cluster: { 'certificate-authority': caFile, 'certificate-authority-data': b64('CA DATA') }, user: { token: 'abc' } }),
    );
    assert.deepEqual(ours.ca, Buffer.from('CA DATA'));
    assert.deepEqual(clientNode.ca, Buffer.from('CA FROM FILE'));
  });

  it("trusts the cluster's CA for a context without a user (client-node drops every TLS setting)", async () => {
    const { ours, clientNode } = await both(
      resolve({ cluster: { 'certificate-authority-data': b64('CA DATA'), 'tls-server-name': 'api' } }),
    );
    assert.deepEqual(ours.ca, Buffer.from('CA DATA'));
    assert.equal(ours.servername, 'api');
    assert.deepEqual(ours.headers, {});
    assert.equal(clientNode.ca, undefined);
    assert.equal(clientNode.servername, undefined);
  });

  it('sends "user:" for a username without a password (client-node sends "user:undefined")', async () => {
    const { ours, clientNode } = await both(resolve({ cluster: {}, user: { username: 'admin' } }));
    assert.equal(ours.auth, 'admin:');
    assert.equal(clientNode.auth, 'admin:undefined');
  });

  it('names a missing certificate file in one line (exit 4)', async () => {
    const missing = path.join(dir, 'missing.crt');
    await assert.rejects(
      transportView(createStaticCredentials(resolve({ cluster: { 'certificate-authority': missing }, user: { token: 'abc' } }))),
      (err: unknown) => {
        assert.ok(err instanceof KubeconfigError);
        assert.equal(err.exitCode, 4);
        assert.match(err.message, new RegExp(`^cannot read certificate-authority ${missing} of cluster "c" \\(.*config\\): ENOENT`));
        return true;
      },
    );
  });
});

describe('clientNodeNeed: when a kubeconfig needs client-node', () => {
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'client-node-need-'));
  });

  it('for an exec credential plugin, resolving a relative command against the kubeconfig as kubectl does', () => {
    const resolved = resolve({
      cluster: {},
      user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: './bin/get-token', args: ['x'] } },
    });
    const exec = resolved.config.users[0]?.user.exec as { command: string; args: string[] };
    assert.equal(exec.command, path.join(dir, 'kube', 'bin', 'get-token'));
    assert.deepEqual(exec.args, ['x']);
    assert.match(clientNodeNeed(resolved, {})?.reason ?? '', /^user "u" gets credentials from the exec plugin .*get-token$/);
  });

  it('leaves an exec command found on PATH alone', () => {
    const resolved = resolve({ cluster: {}, user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'aws' } } });
    assert.equal((resolved.config.users[0]?.user.exec as { command: string }).command, 'aws');
  });

  it('for an auth-provider', () => {
    const resolved = resolve({ cluster: {}, user: { 'auth-provider': { name: 'oidc', config: {} } } });
    assert.equal(clientNodeNeed(resolved, {})?.reason, 'user "u" uses the oidc auth-provider');
  });

  it('for a cluster with proxy-url, handing the proxy on', () => {
    const resolved = resolve({ cluster: { 'proxy-url': 'socks5://127.0.0.1:1080' }, user: { token: 'abc' } });
    assert.deepEqual(clientNodeNeed(resolved, {}), {
      reason: 'cluster "c" is reached through a proxy',
      proxyUrl: 'socks5://127.0.0.1:1080',
    });
  });

  it('for HTTPS_PROXY from the environment, unless NO_PROXY excludes the server', () => {
    const resolved = resolve({ cluster: {}, user: { token: 'abc' } });
    assert.equal(clientNodeNeed(resolved, { HTTPS_PROXY: 'proxy.corp:3128' })?.proxyUrl, 'http://proxy.corp:3128');
    assert.equal(clientNodeNeed(resolved, { https_proxy: 'http://proxy.corp:3128' })?.proxyUrl, 'http://proxy.corp:3128');
    assert.equal(clientNodeNeed(resolved, { HTTPS_PROXY: 'http://proxy.corp:3128', NO_PROXY: '.example.test' }), undefined);
    assert.equal(clientNodeNeed(resolved, { HTTP_PROXY: 'http://proxy.corp:3128' }), undefined, 'HTTP_PROXY is for http:// servers');
  });

  it('not for static material', () => {
    assert.equal(clientNodeNeed(resolve({ cluster: {}, user: { token: 'abc' } }), {}), undefined);
    assert.equal(clientNodeNeed(resolve({ cluster: {} }), {}), undefined);
  });
});

describe('the client-node credential fallback', () => {
  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'client-node-fallback-'));
  });

  it('reports an exec plugin that cannot run as one kubeconfig error line (exit 4)', async () => {
    const missing = path.join(dir, 'no-such-plugin');
    const resolved = resolve({
      cluster: {},
      user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: missing, interactiveMode: 'Never' } },
    });
    await assert.rejects(transportView(createClientNodeCredentials(resolved)), (err: unknown) => {
      assert.ok(err instanceof KubeconfigError, String(err));
      assert.equal(err.exitCode, 4);
      assert.equal(err.message.split('\n').length, 1);
      assert.match(err.message, new RegExp(`^getting credentials for user "u" \\(.*config\\): .*${missing}`));
      return true;
    });
  });

  it('uses the proxy it is given for the current cluster', async () => {
    const resolved = resolve({ cluster: {}, user: { token: 'abc' } });
    const kc = clientNodeKubeConfig(resolved, 'http://proxy.corp:3128');
    assert.equal(kc.getCurrentCluster()?.proxyUrl, 'http://proxy.corp:3128');
    const options: https.RequestOptions = { headers: {} };
    await createClientNodeCredentials(resolved, 'http://proxy.corp:3128').applyToHTTPSOptions(options);
    assert.equal(options.agent?.constructor.name, 'HttpsProxyAgent');
  });
});
