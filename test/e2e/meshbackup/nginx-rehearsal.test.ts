/**
 * The NGINX Service Mesh manual-upgrade rehearsal, step by step as the issue states it: install
 * 1.7.0 with its example resources, save, delete the mesh's CRDs (which deletes the resources),
 * apply the 2.0.0 CRDs, verify against them and against the cluster, restore, and `diff` shows
 * nothing. The 2.0.0 CRDs are the vendor's (../shared/fixtures) when present, else the sandbox's
 * own nginx-service-mesh@2.0.0 product CRDs, written to a file and applied the same way.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import yaml from 'js-yaml';
import { nginxServiceMeshCrdFacts } from '../../../sandbox/products/nginx-service-mesh/crds.js';
import { syntheticCrd } from '../../../sandbox/products/synthetic-crd.js';
import { loadVendorCrds } from '../../../sandbox/products/vendor-files.js';
import { ClientEnv, expectSuccess, type TestCluster } from '../../support/cluster.js';
import { startE2eCluster } from '../../support/target.js';
import { vendorFixturesDir } from '../../support/vendor.js';

interface ManifestView {
  crds: Array<{ name: string }>;
  kinds: Array<{ kind: string; plural: string; group: string; version: string; count: number }>;
}

describe('kubectl meshbackup: the NGINX Service Mesh 1.7.0 → 2.0.0 manual-upgrade rehearsal', function () {
  this.timeout(180_000);
  let cluster: TestCluster;
  let client: ClientEnv;
  let archive: string;
  let crds200: string;
  let manifest: ManifestView;
  let restorable: ManifestView['kinds'];

  before(async () => {
    cluster = await startE2eCluster({ installs: ['nginx-service-mesh@1.7.0'] });
    client = new ClientEnv(cluster.kubeconfig);
    archive = path.join(client.home, 'nsm.tar.gz');
    if (vendorFixturesDir) {
      crds200 = path.join(vendorFixturesDir, 'crds', 'nginx-service-mesh', 'v2.0.0');
    } else {
      // The sandbox ships nginx-service-mesh@2.0.0's CRDs itself: the same served versions as the chart's crds/.
      crds200 = path.join(client.home, 'nsm-2.0.0-crds.yaml');
      await fs.writeFile(
        crds200,
        nginxServiceMeshCrdFacts('2.0.0')
          .map((fact) => `---\n${yaml.dump(syntheticCrd(fact))}`)
          .join(''),
      );
    }
  });
  after(async () => {
    client?.dispose();
    await cluster?.close();
  });

  const count = async (kind: { plural: string; group: string }): Promise<number> => {
    const listed = await client.kubectl(['get', `${kind.plural}.${kind.group}`, '-A', '-o', 'name']);
    return listed.exitCode === 0 ? listed.stdout.split('\n').filter(Boolean).length : -1;
  };
  const counts = async (): Promise<Record<string, number>> =>
    Object.fromEntries(await Promise.all(restorable.map(async (kind) => [`${kind.plural}.${kind.group}`, await count(kind)] as const)));
  const expected = (): Record<string, number> => Object.fromEntries(restorable.map((kind) => [`${kind.plural}.${kind.group}`, kind.count]));

  it('saves the 1.7.0 example resources', async () => {
    expectSuccess(await client.kubectl(['meshbackup', 'save', '--profile', 'nginx-service-mesh', '-A', '-f', archive]), 'save');
    manifest = JSON.parse(
      expectSuccess(await client.kubectl(['meshbackup', 'inspect', '-f', archive, '-o', 'json']), 'inspect').stdout,
    ) as ManifestView;
    // SpiffeIDs belong to SPIRE, which regenerates them: the profile marks them restore: false.
    restorable = manifest.kinds.filter((kind) => kind.group !== 'spiffeid.spiffe.io');
    assert.ok(restorable.filter((kind) => kind.count > 0).length >= 3, JSON.stringify(restorable));
    assert.deepEqual(await counts(), expected());
  });

  it("deletes the mesh's CRDs, which deletes every resource, then applies the 2.0.0 CRDs", async () => {
    expectSuccess(await client.kubectl(['delete', 'crd', ...manifest.crds.map((crd) => crd.name), '--wait=true']), 'delete crds');
    const applied = expectSuccess(await client.kubectl(['apply', '-f', crds200]), 'apply 2.0.0 CRDs');
    assert.match(applied.stdout, /trafficsplits\.split\.smi-spec\.io created/);
    const names = restorable.map((kind) => `crd/${kind.plural}.${kind.group}`);
    expectSuccess(await client.kubectl(['wait', '--for=condition=Established', ...names, '--timeout=60s']), 'wait Established');
    assert.deepEqual(await counts(), Object.fromEntries(Object.keys(expected()).map((key) => [key, 0])), 'the new CRDs start empty');
  });

  it('verifies the archive against the 2.0.0 CRDs and against the cluster: exit 0', async () => {
    const fromFiles = expectSuccess(
      await client.kubectl(['meshbackup', 'verify', '-f', archive, '--crds-from', crds200]),
      'verify --crds-from',
    );
    assert.match(fromFiles.stdout, /served by .*: every backed-up version/);
    assert.match(fromFiles.stdout, /^OK$/m);
    const live = expectSuccess(
      await client.kubectl(['meshbackup', 'verify', '-f', archive, '--against-cluster']),
      'verify --against-cluster',
    );
    assert.match(live.stdout, /served by cluster .*: every backed-up version/);
  });

  it('fails verify (exit 1) against CRDs that drop a backed-up version, naming the kind and the version', async () => {
    const split = restorable.find((kind) => kind.plural === 'trafficsplits');
    assert.ok(split && split.count > 0, 'the archive holds TrafficSplits');
    const dropped = (
      vendorFixturesDir ? loadVendorCrds(crds200) : (yaml.loadAll(await fs.readFile(crds200, 'utf8')) as Array<Record<string, unknown>>)
    ).map((crd) => {
      const object = structuredClone(crd) as { metadata?: { name?: string }; spec: { versions: Array<{ name: string }> } };
      if (object.metadata?.name === 'trafficsplits.split.smi-spec.io') {
        // The 2.0.0-shaped CRD, but serving only a newer version: the backed-up one would be lost.
        object.spec.versions = object.spec.versions
          .filter((version) => version.name !== split.version)
          .concat(
            object.spec.versions.filter((version) => version.name === split.version).map((version) => ({ ...version, name: 'v1beta1' })),
          );
      }
      return object;
    });
    const file = path.join(client.home, 'crds-dropping-a-version.yaml');
    await fs.writeFile(file, dropped.map((crd) => `---\n${yaml.dump(crd)}`).join(''));
    const result = await client.kubectl(['meshbackup', 'verify', '-f', archive, '--crds-from', file]);
    assert.equal(result.exitCode, 1, result.stdout + result.stderr);
    assert.match(
      result.stdout,
      new RegExp(
        `^FAIL trafficsplits\\.split\\.smi-spec\\.io: backed-up TrafficSplit version split\\.smi-spec\\.io/${split.version} \\(${split.count} objects\\) is not served by the target CRD \\(serves v1beta1\\)$`,
        'm',
      ),
    );
    assert.equal(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.match(result.stderr, /verify: 1 check\(s\) failed/);
  });

  it('restores every object into the 2.0.0 CRDs (dry run first writes nothing), and diff prints nothing', async () => {
    const dry = expectSuccess(await client.kubectl(['meshbackup', 'restore', '-f', archive, '--dry-run=server']), 'dry-run restore');
    assert.match(dry.stdout, /KIND/);
    assert.deepEqual(await counts(), Object.fromEntries(Object.keys(expected()).map((key) => [key, 0])), 'a dry run writes nothing');

    const restored = expectSuccess(await client.kubectl(['meshbackup', 'restore', '-f', archive]), 'restore');
    assert.doesNotMatch(restored.stdout, /CRDs created/, 'the 2.0.0 CRDs are there: none is created from the archive');
    assert.deepEqual(await counts(), expected());

    const diff = await client.kubectl(['meshbackup', 'diff', '-f', archive]);
    assert.equal(diff.exitCode, 0, diff.stdout + diff.stderr);
    assert.equal(diff.stdout, '');
  });

  it('reruns the restore without changes, objects labelled; diff shows an edit (exit 1)', async () => {
    const again = expectSuccess(await client.kubectl(['meshbackup', 'restore', '-f', archive]), 'rerun');
    assert.match(again.stdout, /KIND/);
    assert.deepEqual(await counts(), expected());
    const kind = restorable.find((candidate) => candidate.count > 0)!;
    const labelled = expectSuccess(
      await client.kubectl(['get', `${kind.plural}.${kind.group}`, '-A', '-l', 'meshbackup.mesh-upgrade.io/restored-from', '-o', 'name']),
      'get -l',
    );
    assert.equal(labelled.stdout.split('\n').filter(Boolean).length, kind.count, 'restored objects carry the restored-from label');

    const objects = JSON.parse(
      expectSuccess(await client.kubectl(['get', `${kind.plural}.${kind.group}`, '-A', '-o', 'json']), 'get').stdout,
    ) as {
      items: Array<{ metadata: { name: string; namespace: string } }>;
    };
    const edited = objects.items[0]!;
    expectSuccess(
      await client.kubectl(['label', `${kind.plural}.${kind.group}`, edited.metadata.name, '-n', edited.metadata.namespace, 'edited=yes']),
      'label',
    );
    const changed = await client.kubectl(['meshbackup', 'diff', '-f', archive]);
    assert.equal(changed.exitCode, 1);
    assert.match(changed.stdout, new RegExp(`^changed: .* ${edited.metadata.namespace}/${edited.metadata.name}$`, 'm'));
    assert.match(changed.stdout, /^\+ {2}edited: 'yes'$/m);
  });
});
