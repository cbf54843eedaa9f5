import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import { ClientEnv, expectSuccess, type TestCluster } from '../../support/cluster.js';
import { startE2eCluster } from '../../support/target.js';

describe('kubectl meshbackup save, inspect and verify on NGINX Service Mesh 1.7.0', function () {
  this.timeout(120_000);
  let cluster: TestCluster;
  let client: ClientEnv;
  let archive: string;

  before(async () => {
    cluster = await startE2eCluster({ installs: ['nginx-service-mesh@1.7.0'] });
    client = new ClientEnv(cluster.kubeconfig);
    archive = path.join(client.home, 'nsm.tar.gz');
  });
  after(async () => {
    client?.dispose();
    await cluster?.close();
  });

  it('saves the mesh custom resources into a 0600 archive through kubectl plugin discovery', async () => {
    const result = expectSuccess(
      await client.kubectl(['meshbackup', 'save', '--profile', 'nginx-service-mesh', '-A', '-f', archive]),
      'save',
    );
    assert.match(result.stdout, /objects of \d+ kinds/);
    assert.equal((await fs.stat(archive)).mode & 0o777, 0o600);
  });

  it('refuses to overwrite the archive without --force', async () => {
    const result = await client.kubectl(['meshbackup', 'save', '--profile', 'nginx-service-mesh', '-A', '-f', archive]);
    assert.equal(result.exitCode, 9);
    assert.match(result.stderr, /already exists; use --force/);
  });

  it('inspects the archive: source context, kinds and counts matching the cluster', async () => {
    const result = expectSuccess(await client.kubectl(['meshbackup', 'inspect', '-f', archive, '-o', 'json']), 'inspect');
    const manifest = JSON.parse(result.stdout) as {
      source: { server: string };
      kinds: Array<{ plural: string; group: string; count: number }>;
    };
    assert.match(manifest.source.server, /^https:\/\//);
    assert.ok(manifest.kinds.length > 0);
    for (const kind of manifest.kinds) {
      const listed = expectSuccess(await client.kubectl(['get', `${kind.plural}.${kind.group}`, '-A', '-o', 'name']), 'kubectl get');
      assert.equal(kind.count, listed.stdout.split('\n').filter(Boolean).length, `${kind.plural}.${kind.group}`);
    }
    assert.ok(
      manifest.kinds.some((kind) => kind.count > 0),
      'the example resources were saved',
    );
  });

  it('verifies integrity and that the live cluster serves every backed-up version', async () => {
    const result = expectSuccess(await client.kubectl(['meshbackup', 'verify', '-f', archive, '--against-cluster']), 'verify');
    assert.match(result.stdout, /OK/);
  });

  it('refuses a file that is not an archive with one line and exit 3', async () => {
    const bogus = path.join(client.home, 'bogus.tar.gz');
    await fs.writeFile(bogus, 'not an archive');
    const result = await client.kubectl(['meshbackup', 'verify', '-f', bogus]);
    assert.equal(result.exitCode, 3);
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.match(result.stderr, /not a meshbackup archive/);
  });

  it('fails a save of a group with nothing installed unless --allow-empty', async () => {
    const empty = path.join(client.home, 'empty.tar.gz');
    const result = await client.kubectl(['meshbackup', 'save', '--group', 'nothing.example.com', '-A', '-f', empty]);
    assert.equal(result.exitCode, 9);
    await assert.rejects(fs.access(empty));
  });
});
