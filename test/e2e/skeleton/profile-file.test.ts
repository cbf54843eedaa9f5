/**
 * --profile-file: a product the suite does not ship, described by the README's own example
 * (read from README.md, so the documented file is the tested one), backed up, restored in that
 * profile's order without the file (the order travels in the archive), and scaled down and up in
 * its workload order.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import type { SandboxHandle } from '../../../sandbox/index.js';
import { aCrd } from '../../fixtures/crd-builder.js';
import { aDeployment } from '../../fixtures/workload-builder.js';
import { ClientEnv, expectSuccess, type TestCluster } from '../../support/cluster.js';
import { repoRoot } from '../../support/paths.js';
import { requireSandbox, startE2eCluster } from '../../support/target.js';

/** readmeProfile is the YAML block of README.md that starts with "# acme-profile.yaml". */
function readmeProfile(): string {
  const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
  const block = /```yaml\n(# acme-profile\.yaml\n[\s\S]*?)```/.exec(readme);
  assert.ok(block?.[1], 'README.md shows an acme-profile.yaml example');
  return block[1];
}

describe('--profile-file: a product the suite does not ship (the README example)', function () {
  this.timeout(180_000);
  let cluster: TestCluster & { sandbox?: SandboxHandle };
  let sandbox: SandboxHandle;
  let client: ClientEnv;
  let profileFile: string;
  let archive: string;

  before(async function () {
    cluster = await startE2eCluster({});
    sandbox = requireSandbox(this, cluster, 'the order of writes is read from its audit log');
    client = new ClientEnv(cluster.kubeconfig);
    profileFile = path.join(client.home, 'acme-profile.yaml');
    writeFileSync(profileFile, readmeProfile());
    archive = path.join(client.home, 'acme.tar.gz');
    const objects = [
      aCrd().forKind('acme.example.com', 'Widget').build(),
      aCrd().forKind('acme.example.com', 'Gadget').build(),
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'acme-system' } },
      aDeployment().named('acme-controller').inNamespace('acme-system').withReplicas(2).build(),
      aDeployment().named('acme-webhook').inNamespace('acme-system').withReplicas(1).build(),
    ];
    expectSuccess(
      await client.kubectl(['apply', '-f', '-'], { input: objects.map((o) => `---\n${yaml.dump(o)}`).join('') }),
      'apply product',
    );
    expectSuccess(
      await client.kubectl(['wait', '--for=condition=Established', 'crd/widgets.acme.example.com', 'crd/gadgets.acme.example.com']),
      'wait',
    );
    const resources = ['w1', 'w2'].map((name) => ({
      apiVersion: 'acme.example.com/v1',
      kind: 'Widget',
      metadata: { name, namespace: 'default' },
      spec: { size: 1 },
    }));
    resources.push({
      apiVersion: 'acme.example.com/v1',
      kind: 'Gadget',
      metadata: { name: 'g1', namespace: 'default' },
      spec: { size: 2 },
    });
    expectSuccess(
      await client.kubectl(['apply', '-f', '-'], { input: resources.map((o) => `---\n${yaml.dump(o)}`).join('') }),
      'apply resources',
    );
    expectSuccess(await client.kubectl(['-n', 'acme-system', 'rollout', 'status', 'deploy/acme-controller', '--timeout=60s']), 'rollout');
  });
  after(async () => {
    client?.dispose();
    await cluster?.close();
  });

  it('backs the product up with --profile-file and keeps its restore order in the archive', async () => {
    const saved = expectSuccess(await client.kubectl(['meshbackup', 'save', '--profile-file', profileFile, '-A', '-f', archive]), 'save');
    assert.match(saved.stdout, /3 objects of 2 kinds, 2 CRDs/);
    const inspect = expectSuccess(await client.kubectl(['meshbackup', 'inspect', '-f', archive, '-o', 'json']), 'inspect');
    const product = (JSON.parse(inspect.stdout) as { product: { profile: string; restoreOrder: string[] } }).product;
    assert.equal(product.profile, 'acme');
    assert.deepEqual(product.restoreOrder, ['widgets.acme.example.com', 'gadgets.acme.example.com']);
  });

  it('restores in that order without the profile file: widgets before the gadgets that reference them', async () => {
    expectSuccess(
      await client.kubectl(['delete', 'gadgets.acme.example.com,widgets.acme.example.com', '--all', '-n', 'default']),
      'delete',
    );
    sandbox.audit.clear();
    expectSuccess(await client.kubectl(['meshbackup', 'restore', '-f', archive]), 'restore');
    const creates = sandbox.audit.entries().filter((e) => e.verb === 'create' && /acme\.example\.com/.test(e.path));
    const plurals = creates.map((e) => /\/(widgets|gadgets)$/.exec(e.path)?.[1]);
    assert.deepEqual(plurals, ['widgets', 'widgets', 'gadgets']);
  });

  it("scales its workloads down and up in the profile file's order, restoring the counts", async () => {
    sandbox.audit.clear();
    expectSuccess(await client.kubectl(['meshscale', 'down', '--profile-file', profileFile, '--timeout', '60s']), 'down');
    const scaled = () =>
      sandbox.audit
        .entries()
        .filter((e) => e.verb === 'patch' && /\/scale$/.test(e.path))
        .map((e) => /deployments\/([^/]+)\/scale/.exec(e.path)?.[1]);
    assert.deepEqual(scaled(), ['acme-webhook', 'acme-controller']);
    sandbox.audit.clear();
    expectSuccess(await client.kubectl(['meshscale', 'up', '--profile-file', profileFile, '--timeout', '60s']), 'up');
    assert.deepEqual(scaled(), ['acme-controller', 'acme-webhook']);
    const replicas = expectSuccess(
      await client.kubectl([
        '-n',
        'acme-system',
        'get',
        'deploy',
        'acme-controller',
        'acme-webhook',
        '-o',
        'jsonpath={.items[*].spec.replicas}',
      ]),
      'get',
    );
    assert.equal(replicas.stdout.trim(), '2 1');
  });

  it('names the field of a profile file that is wrong, with exit 3 and nothing sent', async () => {
    const broken = path.join(client.home, 'broken.yaml');
    writeFileSync(broken, readmeProfile().replace('kind: Deployment', 'kind: DaemonSet'));
    sandbox.audit.clear();
    const result = await client.kubectl(['meshscale', 'down', '--profile-file', broken]);
    assert.equal(result.exitCode, 3, result.stderr);
    assert.match(result.stderr, /^error: profile .*broken\.yaml: workloads\[0\]\.kind must be Deployment or StatefulSet/);
    assert.equal(result.stderr.trim().split('\n').length, 1);
    assert.deepEqual(
      sandbox.audit.entries().filter((e) => e.verb !== 'get' && e.verb !== 'list'),
      [],
    );
  });
});
