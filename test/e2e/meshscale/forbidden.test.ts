/**
 * A user who may not patch Deployments: `down` stops at the first write with one line that names
 * the permission it lacks (exit 5), before scaling anything; the admin then scales normally.
 */
import assert from 'node:assert/strict';
import type { SandboxHandle } from '../../../sandbox/index.js';
import { ClientEnv, expectSuccess, type TestCluster } from '../../support/cluster.js';
import { requireSandbox, startE2eCluster } from '../../support/target.js';

describe('kubectl meshscale as a user who may not patch Deployments (403)', function () {
  this.timeout(120_000);
  let cluster: TestCluster & { sandbox?: SandboxHandle };
  let client: ClientEnv;

  before(async function () {
    cluster = await startE2eCluster({ installs: ['gloo-mesh@0.10.7'], restrictedDenials: ['patch deployments.apps'] });
    requireSandbox(this, cluster, 'its restricted user');
    client = new ClientEnv(cluster.kubeconfig);
  });
  after(async () => {
    client?.dispose();
    await cluster?.close();
  });

  it('exits 5 with one line naming the verb and resource, and changes nothing', async () => {
    const state = async (): Promise<string> =>
      expectSuccess(
        await client.kubectl([
          '-n',
          'gloo-mesh',
          'get',
          'deploy',
          '-o',
          'jsonpath={range .items[*]}{.metadata.name}={.spec.replicas},{.metadata.annotations}{"\\n"}{end}',
        ]),
        'get deployments',
      ).stdout;
    const before = await state();
    const result = await client.kubectl(['meshscale', 'down', '--profile', 'gloo-mesh', '--context', 'sandbox-restricted']);
    assert.equal(result.exitCode, 5, result.stderr);
    // kubectl's wording for an API error, plus the permission meshscale needed: one line in all.
    const lines = result.stderr.trim().split('\n');
    assert.equal(lines.length, 1, result.stderr);
    assert.match(
      lines[0] ?? '',
      /^Error from server \(Forbidden\): deployments\.apps "networking" is forbidden: .* \(meshscale needs "patch deployments" \(apps\) in namespace gloo-mesh\)$/,
    );
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
    assert.equal(await state(), before, 'nothing was scaled or recorded');

    expectSuccess(await client.kubectl(['meshscale', 'down', '--profile', 'gloo-mesh']), 'down as admin');
    expectSuccess(await client.kubectl(['meshscale', 'up', '--profile', 'gloo-mesh']), 'up as admin');
  });
});
