/**
 * Refusals through `kubectl meshbackup save`, each one line on stderr with a documented exit code
 * and no stack trace, and never an archive left behind: a kind the user may not list (403, exit
 * 5), a token the server does not know (401, exit 5), an unreachable server (exit 4), an output
 * path that cannot be written (exit 9), and a permission revoked halfway through (exit 5); and
 * a restore that needs a CRD the user may not write (exit 5, before anything is written).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import yaml from 'js-yaml';
import type { SandboxHandle } from '../../../sandbox/index.js';
import { ClientEnv, expectSuccess, type CommandResult, type TestCluster } from '../../support/cluster.js';
import { requireSandbox, startE2eCluster } from '../../support/target.js';
import { closedPort } from '../../support/net.js';

const save = ['meshbackup', 'save', '--profile', 'nginx-service-mesh', '-A'];

/** oneLine asserts stderr is exactly one line and carries no stack trace. */
function oneLine(result: CommandResult): string {
  const lines = result.stderr.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, result.stderr);
  assert.doesNotMatch(result.stderr, /^\s+at /m, 'no stack trace');
  return lines[0]!;
}

describe('kubectl meshbackup save refused by the server (sandbox users and faults)', function () {
  this.timeout(120_000);
  let cluster: TestCluster & { sandbox?: SandboxHandle };
  let client: ClientEnv;
  let out: string;

  before(async function () {
    cluster = await startE2eCluster({ installs: ['nginx-service-mesh@1.7.0'], restrictedDenials: ['list ratelimits.specs.smi.nginx.com'] });
    requireSandbox(this, cluster, 'its restricted user, tokens and faults');
    client = new ClientEnv(cluster.kubeconfig);
    out = path.join(client.home, 'out');
    await fs.mkdir(out);
  });
  after(async () => {
    client?.dispose();
    await cluster?.close();
  });

  it('a user who may not list RateLimits: exit 5, one line naming the resource and the verb, no archive', async () => {
    const target = path.join(out, 'restricted.tar.gz');
    const result = await client.kubectl([...save, '--context', 'sandbox-restricted', '-f', target]);
    assert.equal(result.exitCode, 5, result.stderr);
    const line = oneLine(result);
    assert.match(line, /ratelimits/);
    assert.match(line, /cannot list resource "ratelimits" in API group "specs\.smi\.nginx\.com"/);
    assert.deepEqual(await fs.readdir(out), []);
    // The same user may list everything else: with the group left out the save succeeds.
    const others = ['--group', 'split.smi-spec.io', '--group', 'access.smi-spec.io'];
    expectSuccess(
      await client.kubectl(['meshbackup', 'save', ...others, '-A', '--context', 'sandbox-restricted', '-f', target]),
      'save without RateLimits',
    );
    await fs.rm(target);
  });

  it('a token the server does not know (401): exit 5, one line, no archive', async () => {
    const config = yaml.load(await fs.readFile(cluster.kubeconfig, 'utf8')) as { users: Array<{ user: { token?: string } }> };
    for (const user of config.users) user.user.token = 'not-a-valid-token';
    const copy = path.join(client.home, 'bad-token.kubeconfig');
    await fs.writeFile(copy, yaml.dump(config), { mode: 0o600 });
    const result = await client.kubectl([...save, '--kubeconfig', copy, '-f', path.join(out, 'bad-token.tar.gz')]);
    assert.equal(result.exitCode, 5, result.stderr);
    assert.match(oneLine(result), /Unauthorized/i);
    assert.deepEqual(await fs.readdir(out), []);
  });

  it('a permission revoked halfway through the save: exit 5, one error line after the progress, no archive or partial file', async () => {
    const sandbox = cluster.sandbox!;
    sandbox.restricted.deny([]);
    // TrafficSplits come sixth of the seven kinds (sorted by CRD name). Their lists are slowed
    // down, so the right to list them can be taken away while the save waits for them, after
    // the probe let it start and five kinds were saved.
    sandbox.faults.set('latency:ms=1500,path=^/apis/split\\.smi-spec\\.io/,verb=list');
    const target = path.join(out, 'halfway.tar.gz');
    const child = execa('kubectl', [...save, '--context', 'sandbox-restricted', '-f', target], {
      env: client.env,
      cwd: client.home,
      reject: false,
    });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (/^saved \d+ tcproutes\./m.test(stderr)) sandbox.restricted.deny(['list trafficsplits.split.smi-spec.io']);
    });
    const result = await child;
    sandbox.faults.clear();
    sandbox.restricted.deny(['list ratelimits.specs.smi.nginx.com']);
    assert.equal(result.exitCode, 5, stderr);
    const lines = stderr.split('\n').filter(Boolean);
    assert.equal(lines.filter((line) => /^saved \d+ /.test(line)).length, 5, stderr);
    const errors = lines.filter((line) => !/^saved \d+ /.test(line));
    assert.equal(errors.length, 1, stderr);
    assert.match(errors[0]!, /cannot list resource "trafficsplits" in API group "split\.smi-spec\.io"/);
    assert.doesNotMatch(stderr, /^\s+at /m);
    assert.deepEqual(await fs.readdir(out), [], 'no archive and no .partial file');
  });

  it('a restore that must create CRDs the user may not write: exit 5, one line naming the resource and verb, nothing written', async () => {
    const archive = path.join(client.home, 'admin.tar.gz');
    expectSuccess(await client.kubectl([...save, '-f', archive]), 'save as admin');
    expectSuccess(await client.kubectl(['delete', 'crd', 'circuitbreakers.specs.smi.nginx.com', '--wait=true']), 'delete a CRD');
    const before = cluster.sandbox!.audit.entries().length;
    const result = await client.kubectl(['meshbackup', 'restore', '-f', archive, '--context', 'sandbox-restricted']);
    assert.equal(result.exitCode, 5, result.stderr);
    const writes = cluster
      .sandbox!.audit.entries()
      .slice(before)
      .filter((entry) => entry.code < 300 && ['create', 'update', 'patch', 'delete'].includes(entry.verb));
    assert.deepEqual(writes, [], 'no write got through');
    assert.match(oneLine(result), /cannot patch resource "customresourcedefinitions" in API group "apiextensions\.k8s\.io"/);
    const crd = await client.kubectl(['get', 'crd', 'circuitbreakers.specs.smi.nginx.com']);
    assert.notEqual(crd.exitCode, 0, 'the CRD was not created');
  });
});

describe('kubectl meshbackup save with an unreachable server or an unwritable output', function () {
  this.timeout(60_000);
  let cluster: TestCluster;
  let client: ClientEnv;

  before(async () => {
    cluster = await startE2eCluster({ installs: ['nginx-service-mesh@1.7.0'] });
    client = new ClientEnv(cluster.kubeconfig);
  });
  after(async () => {
    client?.dispose();
    await cluster?.close();
  });

  it('a server nobody listens on: exit 4, one line, no archive', async () => {
    const port = await closedPort();
    const kubeconfig = path.join(client.home, 'closed.kubeconfig');
    await fs.writeFile(
      kubeconfig,
      yaml.dump({
        apiVersion: 'v1',
        kind: 'Config',
        clusters: [{ name: 'gone', cluster: { server: `https://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true } }],
        users: [{ name: 'someone', user: { token: 'abc' } }],
        contexts: [{ name: 'gone', context: { cluster: 'gone', user: 'someone' } }],
        'current-context': 'gone',
      }),
      { mode: 0o600 },
    );
    const target = path.join(client.home, 'unreachable.tar.gz');
    const result = await client.kubectl([...save, '--kubeconfig', kubeconfig, '-f', target]);
    assert.equal(result.exitCode, 4, result.stderr);
    assert.equal(oneLine(result), `Unable to connect to the server: connect ECONNREFUSED 127.0.0.1:${port}`);
    await assert.rejects(fs.access(target));
  });

  it('an output path that cannot be written: exit 9, one line naming it', async () => {
    const missingDir = path.join(client.home, 'no-such-dir', 'b.tar.gz');
    const result = await client.kubectl([...save, '-f', missingDir]);
    assert.equal(result.exitCode, 9, result.stderr);
    assert.match(oneLine(result), /cannot write .*no-such-dir\/b\.tar\.gz: ENOENT/);
    const file = path.join(client.home, 'a-file');
    await fs.writeFile(file, '');
    const underFile = await client.kubectl([...save, '-f', path.join(file, 'b.tar.gz')]);
    assert.equal(underFile.exitCode, 9, underFile.stderr);
    assert.match(oneLine(underFile), /cannot write .*a-file\/b\.tar\.gz: ENOTDIR/);
  });
});
