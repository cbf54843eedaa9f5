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
    const result = expectSuccess(await client.kubectl(['meshbackup', 'save', '--profile', 'nginx-service-mesh', '-A', '-f', archive]), 'save');
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
    const manifest = JSON.parse(result.stdout) as { source: { server: string }; kinds: Array<{ plural: string; group: string; count: number }> };
    assert.match(manifest.source.server, /^https:\/\//);
    assert.ok(manifest.kinds.length > 0);
    for (const kind of manifest.kinds) {
      const listed = expectSuccess(await client.kubectl(['get', `${kind.plural}.${kind.group}`, '-A', '-o', 'name']), 'kubectl get');
      assert.equal(kind.count, listed.stdout.split('\n').filter(Boolean).length, `${kind.plural}.${kind.group}`);
    }
    assert.ok(manifest.kinds.some((kind) => kind.count > 0), 'the example resources were saved');
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

describe('kubectl meshbackup restore after the mesh CRDs are deleted (manual-upgrade rehearsal)', function () {
  this.timeout(180_000);
  let cluster: TestCluster;
  let client: ClientEnv;
  let archive: string;
  let manifest: { crds: Array<{ name: string }>; kinds: Array<{ plural: string; group: string; count: number }> };

  before(async () => {
    cluster = await startE2eCluster({ installs: ['nginx-service-mesh@1.7.0'] });
    client = new ClientEnv(cluster.kubeconfig);
    archive = path.join(client.home, 'nsm.tar.gz');
    expectSuccess(await client.kubectl(['meshbackup', 'save', '--profile', 'nginx-service-mesh', '-A', '-f', archive]), 'save');
    manifest = JSON.parse(expectSuccess(await client.kubectl(['meshbackup', 'inspect', '-f', archive, '-o', 'json']), 'inspect').stdout) as typeof manifest;
    // SpiffeIDs (and their CRD) belong to SPIRE, which regenerates them: the profile says restore: false.
    manifest.kinds = manifest.kinds.filter((kind) => kind.group !== 'spiffeid.spiffe.io');
  });
  after(async () => {
    client?.dispose();
    await cluster?.close();
  });

  const counts = async (): Promise<Record<string, number>> => {
    const result: Record<string, number> = {};
    for (const kind of manifest.kinds) {
      const listed = await client.kubectl(['get', `${kind.plural}.${kind.group}`, '-A', '-o', 'name']);
      result[`${kind.plural}.${kind.group}`] = listed.exitCode === 0 ? listed.stdout.split('\n').filter(Boolean).length : -1;
    }
    return result;
  };

  it('recreates the CRDs and every backed-up object, then a rerun changes nothing', async () => {
    const expected = Object.fromEntries(manifest.kinds.map((kind) => [`${kind.plural}.${kind.group}`, kind.count]));
    assert.ok(Object.values(expected).some((count) => count > 0));
    expectSuccess(await client.kubectl(['delete', 'crd', ...manifest.crds.map((crd) => crd.name), '--wait=true']), 'delete crds');
    assert.notDeepEqual(await counts(), expected);

    const dry = expectSuccess(await client.kubectl(['meshbackup', 'restore', '-f', archive, '--dry-run=server']), 'dry-run restore');
    assert.match(dry.stdout, /KIND/);

    const first = expectSuccess(await client.kubectl(['meshbackup', 'restore', '-f', archive]), 'restore');
    assert.match(first.stdout, /CRDs created/);
    assert.deepEqual(await counts(), expected);

    const diff = await client.kubectl(['meshbackup', 'diff', '-f', archive]);
    assert.equal(diff.exitCode, 0, diff.stdout + diff.stderr);
    assert.equal(diff.stdout, '');

    const again = expectSuccess(await client.kubectl(['meshbackup', 'restore', '-f', archive]), 'rerun');
    assert.doesNotMatch(again.stdout, /CRDs created/);
    assert.deepEqual(await counts(), expected);
    const labelled = await client.kubectl(['get', `${manifest.kinds.find((kind) => kind.count > 0)?.plural}`, '-A', '-l', 'meshbackup.mesh.io/restored-from', '-o', 'name']);
    assert.ok(labelled.stdout.trim().length > 0, 'restored objects carry the restored-from label');

    const changedKind = manifest.kinds.find((kind) => kind.count > 0);
    const objects = JSON.parse(expectSuccess(await client.kubectl(['get', `${changedKind?.plural}.${changedKind?.group}`, '-A', '-o', 'json']), 'get').stdout) as {
      items: Array<{ metadata: { name: string; namespace: string } }>;
    };
    const edited = objects.items[0];
    assert.ok(edited);
    expectSuccess(await client.kubectl(['label', `${changedKind?.plural}.${changedKind?.group}`, edited.metadata.name, '-n', edited.metadata.namespace, 'edited=yes']), 'label');
    const changed = await client.kubectl(['meshbackup', 'diff', '-f', archive]);
    assert.equal(changed.exitCode, 1);
    assert.match(changed.stdout, new RegExp(`^changed: .* ${edited.metadata.namespace}/${edited.metadata.name}$`, 'm'));
    assert.match(changed.stdout, /^\+ {2}edited: 'yes'$/m);
  });
});
