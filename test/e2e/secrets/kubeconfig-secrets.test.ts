/**
 * No secret at any verbosity: distinctive secrets are planted in every credential field of a
 * kubeconfig (token, password, client key, exec env and args, auth-provider tokens and client
 * secret, userinfo in server and proxy URLs), then each failure path a kubeconfig can lead to is
 * run through the built plugins at `-v 9` and with `--debug`, and every byte of their output is
 * searched for each secret. Each path must also end with a documented exit code, never 70.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { ClientEnv, type CommandResult } from '../../support/cluster.js';
import { closedPort } from '../../support/net.js';

const secrets = {
  token: 'SECRETtokenQ7x9ZK2',
  password: 'SECRETpasswordR4m8',
  keyData: Buffer.from('-----BEGIN EC PRIVATE KEY-----\nSECRETkeyP3v6\n-----END EC PRIVATE KEY-----\n').toString('base64'),
  keyText: 'SECRETkeyP3v6',
  execEnv: 'SECRETexecEnvH5t1',
  execArg: 'SECRETexecArgW2d0',
  idToken: 'SECRETidTokenJ8c3',
  refreshToken: 'SECRETrefreshN1b7',
  clientSecret: 'SECRETclientSecretV6y4',
  serverPassword: 'SECRETserverUrlPwE2',
  proxyPassword: 'SECRETproxyPwF9',
};

const documented = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9]);

/** kubeconfig returns a kubeconfig text with every secret planted, `current` as the current context. */
function kubeconfig(server: string, current: string, options: { token?: string; breakAfterToken?: boolean } = {}): string {
  const token = options.token ?? secrets.token;
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    '- name: plain',
    '  cluster:',
    `    server: ${server}`,
    '- name: with-userinfo',
    '  cluster:',
    `    server: ${server.replace('://', `://admin:${secrets.serverPassword}@`)}`,
    '- name: with-proxy',
    '  cluster:',
    `    server: ${server}`,
    `    proxy-url: http://proxyuser:${secrets.proxyPassword}@127.0.0.1:9`,
    'users:',
    '- name: token-user',
    '  user:',
    `    token: ${JSON.stringify(token)}`,
    ...(options.breakAfterToken ? ['   broken: [indentation'] : []),
    '- name: basic-user',
    '  user:',
    '    username: admin',
    `    password: ${secrets.password}`,
    '- name: key-user',
    '  user:',
    `    client-key-data: ${secrets.keyData}`,
    '    client-certificate-data: bm90IGEgY2VydGlmaWNhdGU=',
    '- name: exec-user',
    '  user:',
    '    exec:',
    '      apiVersion: client.authentication.k8s.io/v1',
    '      command: /bin/false',
    `      args: ["--password=${secrets.execArg}"]`,
    '      env:',
    '      - name: TOKEN',
    `        value: ${secrets.execEnv}`,
    '      interactiveMode: Never',
    '- name: provider-user',
    '  user:',
    '    auth-provider:',
    '      name: oidc',
    '      config:',
    '        idp-issuer-url: http://127.0.0.1:9',
    '        client-id: kubectl',
    `        client-secret: ${secrets.clientSecret}`,
    `        id-token: ${secrets.idToken}`,
    `        refresh-token: ${secrets.refreshToken}`,
    'contexts:',
    ...['token', 'basic', 'key', 'exec', 'provider'].flatMap((user) => [
      `- name: ${user}`,
      '  context:',
      '    cluster: plain',
      `    user: ${user}-user`,
    ]),
    '- name: userinfo',
    '  context:',
    '    cluster: with-userinfo',
    '    user: token-user',
    '- name: proxy',
    '  context:',
    '    cluster: with-proxy',
    '    user: basic-user',
    `current-context: ${current}`,
    '',
  ].join('\n');
}

/** assertNoSecret fails naming the secret and the line it appears on. */
function assertNoSecret(result: CommandResult, what: string): void {
  const output = `${result.stdout}\n${result.stderr}`;
  for (const [name, value] of Object.entries(secrets)) {
    const line = output.split('\n').find((candidate) => candidate.includes(value));
    assert.equal(line, undefined, `${what}: the ${name} secret is printed: ${line}`);
  }
  assert.ok(documented.has(result.exitCode), `${what}: exit ${result.exitCode} is not a documented failure code\n${result.stderr}`);
}

describe('no kubeconfig secret is printed at -v 9 or with --debug, on any failure path', function () {
  this.timeout(120_000);
  let client: ClientEnv;
  let server: http.Server;
  let answering: string;
  let refused: string;
  let status = 401;

  before(async () => {
    client = new ClientEnv('/nonexistent');
    // A server that answers every request with a Status (401, then 503 …) and echoes nothing back.
    server = http.createServer((request, response) => {
      request.resume();
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(
        JSON.stringify({
          kind: 'Status',
          apiVersion: 'v1',
          status: 'Failure',
          code: status,
          reason: status === 401 ? 'Unauthorized' : 'ServiceUnavailable',
          message: status === 401 ? 'Unauthorized' : 'the server is currently unable to handle the request',
        }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    answering = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    refused = `http://127.0.0.1:${await closedPort()}`;
  });
  after(async () => {
    client?.dispose();
    await new Promise<void>((resolve) => server?.close(() => resolve()));
  });

  const commands: Array<[string, string[]]> = [
    ['kubectl-meshbackup', ['save', '--profile', 'nginx-service-mesh', '-A', '-f', 'out.tar.gz', '--request-timeout', '2s']],
    ['kubectl-meshscale', ['status', '--profile', 'gloo-mesh', '--request-timeout', '2s']],
  ];

  const cases: Array<{ name: string; config: () => string; status?: number }> = [
    {
      name: 'a kubeconfig that does not parse (right after the token)',
      config: () => kubeconfig(answering, 'token', { breakAfterToken: true }),
    },
    { name: 'a token containing a newline', config: () => kubeconfig(answering, 'token', { token: `${secrets.token}\nsecond-line` }) },
    { name: 'a token the server refuses (401)', config: () => kubeconfig(answering, 'token') },
    { name: 'basic auth the server refuses (401)', config: () => kubeconfig(answering, 'basic') },
    { name: 'a server that is not there, with a token', config: () => kubeconfig(refused, 'token') },
    { name: 'a server URL with a password in it', config: () => kubeconfig(refused, 'userinfo') },
    { name: 'a client key that is not a key', config: () => kubeconfig(answering.replace('http:', 'https:'), 'key') },
    { name: 'an exec credential plugin that fails', config: () => kubeconfig(answering, 'exec') },
    { name: 'an auth-provider whose issuer is not there', config: () => kubeconfig(answering, 'provider') },
    { name: 'a proxy with a password that is not there', config: () => kubeconfig(answering, 'proxy') },
  ];

  for (const testCase of cases) {
    it(testCase.name, async () => {
      const file = path.join(client.home, 'kubeconfig');
      await fs.writeFile(file, testCase.config(), { mode: 0o600 });
      status = testCase.status ?? 401;
      for (const [plugin, args] of commands) {
        for (const verbosity of [['-v', '9'], ['--debug']]) {
          const result = await client.run(plugin, [...args, '--kubeconfig', file, ...verbosity], { env: { KUBECONFIG: file } });
          assertNoSecret(result, `${plugin} ${verbosity.join(' ')} (${testCase.name})`);
        }
      }
    });
  }
});
