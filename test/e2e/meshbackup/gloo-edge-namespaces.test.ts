/**
 * Gloo Edge resources across namespaces through `kubectl meshbackup`: a namespace-scoped save
 * holds only that namespace; a save -A, the team namespaces deleted, and a restore that creates
 * the namespaces again (labelled), writes Upstreams → RouteTables → VirtualServices → Gateways
 * (read from the sandbox's audit log) and leaves `diff` empty; --namespace-map into a new one.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import yaml from 'js-yaml';
import type { SandboxHandle } from '../../../sandbox/index.js';
import { glooTeamNamespaces, glooTeamObjects } from '../../fixtures/gloo-edge-teams.js';
import { ClientEnv, expectSuccess, type TestCluster } from '../../support/cluster.js';
import { requireSandbox, startE2eCluster } from '../../support/target.js';

interface ManifestView {
  kinds: Array<{ kind: string; plural: string; group: string; count: number; countsByNamespace: Record<string, number> }>;
}

const teamKinds = [
  { kind: 'Upstream', resource: 'upstreams.gloo.solo.io', path: '/apis/gloo.solo.io/v1/namespaces/' },
  { kind: 'RouteTable', resource: 'routetables.gateway.solo.io', path: '/apis/gateway.solo.io/v1/namespaces/' },
  { kind: 'VirtualService', resource: 'virtualservices.gateway.solo.io', path: '/apis/gateway.solo.io/v1/namespaces/' },
  { kind: 'Gateway', resource: 'gateways.gateway.solo.io', path: '/apis/gateway.solo.io/v1/namespaces/' },
];

describe('kubectl meshbackup on Gloo Edge 1.16.27 across namespaces', function () {
  this.timeout(180_000);
  let cluster: TestCluster & { sandbox?: SandboxHandle };
  let client: ClientEnv;
  let archive: string;
  let restoreAuditStart = 0;

  before(async () => {
    cluster = await startE2eCluster({ installs: ['gloo-edge@1.16.27'] });
    client = new ClientEnv(cluster.kubeconfig);
    archive = path.join(client.home, 'gloo.tar.gz');
    const file = path.join(client.home, 'teams.yaml');
    await fs.writeFile(
      file,
      glooTeamObjects()
        .map((object) => `---\n${yaml.dump(object)}`)
        .join(''),
    );
    for (const namespace of glooTeamNamespaces) expectSuccess(await client.kubectl(['create', 'namespace', namespace]), 'create namespace');
    expectSuccess(await client.kubectl(['create', '-f', file]), 'create team objects');
  });
  after(async () => {
    client?.dispose();
    await cluster?.close();
  });

  const names = async (resource: string, namespace: string): Promise<string[]> => {
    const listed = expectSuccess(await client.kubectl(['get', resource, '-n', namespace, '-o', 'name']), `get ${resource}`);
    return listed.stdout.split('\n').filter(Boolean).sort();
  };
  const inspect = async (file: string): Promise<ManifestView> =>
    JSON.parse(expectSuccess(await client.kubectl(['meshbackup', 'inspect', '-f', file, '-o', 'json']), 'inspect').stdout) as ManifestView;

  it('save -n team-a saves team-a only', async () => {
    const only = path.join(client.home, 'team-a.tar.gz');
    expectSuccess(await client.kubectl(['meshbackup', 'save', '--profile', 'gloo-edge', '-n', 'team-a', '-f', only]), 'save -n');
    const manifest = await inspect(only);
    const namespaces = new Set(manifest.kinds.flatMap((kind) => Object.keys(kind.countsByNamespace)));
    assert.deepEqual([...namespaces], ['team-a']);
    for (const { kind } of teamKinds) assert.equal(manifest.kinds.find((entry) => entry.kind === kind)?.count, 1, kind);
    assert.equal(
      manifest.kinds.reduce((sum, kind) => sum + kind.count, 0),
      4,
    );
  });

  it('save -A saves every team namespace (and the install’s own objects)', async () => {
    expectSuccess(await client.kubectl(['meshbackup', 'save', '--profile', 'gloo-edge', '-A', '-f', archive]), 'save -A');
    const manifest = await inspect(archive);
    for (const { kind } of teamKinds) {
      const entry = manifest.kinds.find((candidate) => candidate.kind === kind);
      for (const namespace of glooTeamNamespaces) assert.equal(entry?.countsByNamespace[namespace], 1, `${kind} in ${namespace}`);
    }
  });

  it('restores into the deleted team namespaces: creates them labelled, every object back, diff empty', async () => {
    expectSuccess(
      await client.kubectl(['delete', 'namespace', ...glooTeamNamespaces, '--wait=true', '--timeout=60s']),
      'delete namespaces',
    );
    const gone = await client.kubectl(['get', 'namespace', 'team-a']);
    assert.notEqual(gone.exitCode, 0, 'team-a is gone');
    const missing = await client.kubectl(['meshbackup', 'diff', '-f', archive]);
    assert.equal(missing.exitCode, 1);
    assert.match(missing.stdout, /^missing: upstreams\.gloo\.solo\.io team-a\/team-a-api-8080$/m);

    restoreAuditStart = cluster.sandbox?.audit.entries().length ?? 0;
    const restored = expectSuccess(await client.kubectl(['meshbackup', 'restore', '-f', archive]), 'restore');
    assert.match(restored.stdout, /^Namespaces created: team-a, team-b$/m);
    assert.match(restored.stderr, /^namespace team-a: created$/m);
    for (const namespace of glooTeamNamespaces) {
      const label = expectSuccess(
        await client.kubectl([
          'get',
          'namespace',
          namespace,
          '-o',
          'jsonpath={.metadata.labels.meshbackup\\.mesh-upgrade\\.io/restored-from}',
        ]),
        'get ns',
      );
      assert.notEqual(label.stdout.trim(), '', `${namespace} carries the restored-from label`);
      for (const { resource } of teamKinds) assert.equal((await names(resource, namespace)).length, 1, `${resource} in ${namespace}`);
    }
    const diff = await client.kubectl(['meshbackup', 'diff', '-f', archive]);
    assert.equal(diff.exitCode, 0, diff.stdout + diff.stderr);
    assert.equal(diff.stdout, '');
  });

  it('wrote the namespaces first, then Upstreams → RouteTables → VirtualServices → Gateways (sandbox audit log)', function () {
    const sandbox = requireSandbox(this, cluster, 'the restore order is read from its audit log');
    const creates = sandbox.audit
      .entries()
      .slice(restoreAuditStart)
      .filter((entry) => entry.verb === 'create');
    const firstObject = creates.findIndex((entry) => entry.path.startsWith('/apis/'));
    const namespaceCreates = creates.filter((entry) => entry.path === '/api/v1/namespaces');
    assert.deepEqual(
      namespaceCreates.map((entry) => entry.code),
      [201, 201],
    );
    assert.ok(creates.lastIndexOf(namespaceCreates[1]!) < firstObject, 'namespaces before any object');
    const teamCreates = creates.filter((entry) => entry.code === 201 && /\/namespaces\/team-[ab]\//.test(entry.path));
    const order = teamCreates.map((entry) =>
      teamKinds.findIndex((kind) => entry.path.startsWith(kind.path) && entry.path.endsWith(`/${kind.resource.split('.')[0]}`)),
    );
    assert.equal(order.length, 8, JSON.stringify(teamCreates.map((entry) => entry.path)));
    assert.deepEqual(order, [0, 0, 1, 1, 2, 2, 3, 3]);
  });

  it('restores with --namespace-map team-a=team-c into a new namespace', async () => {
    const result = expectSuccess(
      await client.kubectl(['meshbackup', 'restore', '-f', archive, '--namespace-map', 'team-a=team-c']),
      'restore --namespace-map',
    );
    assert.match(result.stdout, /^Namespaces created: team-c$/m);
    for (const { resource } of teamKinds) assert.deepEqual(await names(resource, 'team-c'), await names(resource, 'team-a'), resource);
    const dry = expectSuccess(
      await client.kubectl(['meshbackup', 'restore', '-f', archive, '--namespace-map', 'team-b=team-d', '--dry-run=server']),
      'dry run',
    );
    assert.match(dry.stdout, /^Namespaces that would be created \(dry run: server\): team-d$/m);
    const absent = await client.kubectl(['get', 'namespace', 'team-d']);
    assert.notEqual(absent.exitCode, 0, 'a dry run creates no namespace');
  });

  it('takes -n as kubectl apply and diff do: the objects must go there (mapped or not), else exit 2 before any write', async () => {
    const teamA = path.join(client.home, 'team-a.tar.gz');
    const usage = (result: { exitCode?: number; stderr: string; stdout: string }, message: RegExp) => {
      assert.equal(result.exitCode, 2, result.stderr);
      const lines = result.stderr.split('\n').filter((line) => line && !/^See '.*' for usage\.$/.test(line));
      assert.equal(lines.length, 1, result.stderr);
      assert.match(lines[0] ?? '', message);
      assert.equal(result.stdout, '');
    };
    usage(
      await client.kubectl(['meshbackup', 'restore', '-f', archive, '-n', 'team-a']),
      /^error: the archive's objects go to namespace (\S+, )*team-b(, \S+)*, not team-a \(-n\): .*drop -n, or move them with --namespace-map /,
    );
    usage(
      await client.kubectl(['meshbackup', 'restore', '-f', teamA, '-n', 'team-e']),
      /^error: the archive's objects go to namespace team-a, not team-e \(-n\): .* --namespace-map team-a=team-e$/,
    );
    // A name the API server would refuse is caught before the namespace is created.
    usage(
      await client.kubectl(['meshbackup', 'restore', '-f', teamA, '--namespace-map', 'team-a=Team_E']),
      /^error: --namespace-map team-a=Team_E: "Team_E" is not a namespace name/,
    );
    assert.notEqual((await client.kubectl(['get', 'namespace', 'team-e'])).exitCode, 0, 'nothing restored into team-e');
    const mapped = expectSuccess(
      await client.kubectl(['meshbackup', 'restore', '-f', teamA, '-n', 'team-e', '--namespace-map', 'team-a=team-e']),
      'restore -n with the map',
    );
    assert.match(mapped.stdout, /^Namespaces created: team-e$/m);
    expectSuccess(await client.kubectl(['meshbackup', 'restore', '-f', teamA, '-n', 'team-a', '--dry-run']), 'restore -n team-a');
    // diff the same way, as kubectl diff -n: the archive's objects must be in the namespace.
    usage(
      await client.kubectl(['meshbackup', 'diff', '-f', archive, '-n', 'team-a']),
      /^error: the archive's objects are in namespace (\S+, )*team-b(, \S+)*, not team-a \(-n\): drop -n/,
    );
    const same = await client.kubectl(['meshbackup', 'diff', '-f', teamA, '-n', 'team-a']);
    assert.equal(same.exitCode, 0, same.stdout + same.stderr);
    assert.equal(same.stdout, '');
  });
});
