/**
 * `npm run demo -- nginx-service-mesh`, Helm 3 and Helm 4: the NGINX Service Mesh 1.7.0 → 2.0.0
 * manual upgrade rehearsed end to end — the mesh removed with its CRDs and every custom resource,
 * redeployed at 2.0.0, restored from the backup — and judged from the sandbox: release 2.0.0, its
 * CRDs (with 2.0's MeshConfig), every backed-up resource back unchanged, the sidecar workloads
 * re-rolled, the control plane at 2.0.0.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import type { KubeObject } from '../../../sandbox/api/types.js';
import { expectSuccess } from '../../support/cluster.js';
import { sandboxOnly } from '../../support/target.js';
import { productCharts } from '../../../demo/charts/product-charts.js';
import { startChartRepository } from '../../../demo/charts/repository.js';
import { helm3Path } from '../../support/tools.js';
import { vendorFixturesDir } from '../../support/vendor.js';
import {
  assertBackupIntact,
  assertControlPlane,
  assertCrdsOf,
  deployedReleases,
  failureReport,
  rehearse,
  rollbackAdvice,
  type Rehearsed,
} from './support.js';

const restartedAt = 'kubectl.kubernetes.io/restartedAt';

for (const helm of [3, 4] as const) {
  describe(`npm run demo -- nginx-service-mesh --helm ${helm}`, function () {
    this.timeout(300_000);
    let rehearsed: Rehearsed;

    before(async function () {
      sandboxOnly(this, 'the rehearsal removes and installs the mesh itself');
      rehearsed = await rehearse('nginx-service-mesh', helm);
    });

    after(async function () {
      await rehearsed?.dispose();
    });

    it('runs the manual upgrade step by step, the vendor CLI simulated, and exits 0', function () {
      assert.equal(rehearsed.result.exitCode, 0, failureReport(rehearsed));
      const commands = rehearsed.result.stdout.split('\n').filter((l) => l.startsWith('$ '));
      const procedure = commands.slice(commands.findIndex((c) => c.startsWith('$ kubectl meshpreflight --profile')));
      assert.deepEqual(
        procedure.map((c) => c.split(' ').slice(1, 4).join(' ')),
        [
          'kubectl meshpreflight --profile',
          'kubectl meshbackup save',
          'helm pull nginx-stable/nginx-service-mesh',
          'kubectl meshbackup verify',
          'nginx-meshctl remove -y',
          'helm uninstall nsm',
          'kubectl delete crd',
          'helm install nsm',
          'kubectl meshbackup restore',
          'kubectl meshbackup restore',
          'kubectl meshbackup diff',
          'kubectl meshscale reroll',
          'kubectl meshpreflight check',
        ],
      );
      assert.match(rehearsed.result.stdout, /^ {2}\(simulated: nginx-meshctl is not part of the suite/m);
    });

    it('leaves release 2.0.0 deployed with its CRDs, every backed-up resource restored unchanged', async function () {
      const api = rehearsed.sandbox.api;
      assert.deepEqual(
        deployedReleases(api, 'nginx-mesh', 'nsm').map((r) => [r.chart.metadata.version]),
        [['2.0.0']],
      );
      assertCrdsOf(api, 'nginx-service-mesh@2.0.0');
      await assertBackupIntact(api, join(rehearsed.workDir, 'nsm.tar.gz'), 5, 'nginx-service-mesh@2.0.0');
      assertControlPlane(api, 'nginx-service-mesh@2.0.0', {});
    });

    it('re-rolled the workloads carrying the sidecar, at their replica counts', function () {
      const api = rehearsed.sandbox.api;
      for (const [resource, name, replicas] of [
        ['deployments', 'web', 2],
        ['statefulsets', 'cache', 1],
        ['daemonsets', 'log-agent', undefined],
      ] as const) {
        const workload = api.get({ group: 'apps', version: 'v1', resource }, 'mesh-apps', name) as KubeObject;
        assert.ok(workload, `${resource}/${name}`);
        const spec = workload.spec as { replicas?: number; template: { metadata?: { annotations?: Record<string, string> } } };
        assert.ok(spec.template.metadata?.annotations?.[restartedAt], `${resource}/${name} was restarted`);
        assert.equal(spec.replicas, replicas, `${resource}/${name} replicas`);
      }
    });

    it('passes kubectl meshpreflight check when run again', async function () {
      expectSuccess(
        await rehearsed.client.kubectl(['meshpreflight', 'check', '--profile', 'nginx-service-mesh', '--expect', '2.0.0']),
        'meshpreflight check',
      );
    });
  });
}

describe('npm run demo -- nginx-service-mesh, the redeploy refused after the mesh is removed (no right to create CRDs)', function () {
  this.timeout(300_000);
  let rehearsed: Rehearsed;

  before(async function () {
    sandboxOnly(this, 'the rehearsal removes and installs the mesh itself');
    rehearsed = await rehearse('nginx-service-mesh', 3, ['--crd-context', 'sandbox-restricted']);
  });

  after(async function () {
    await rehearsed?.dispose();
  });

  it("stops with helm's exit code, and the way back it prints restores the old mesh and every resource from the backup", async function () {
    assert.equal(rehearsed.result.exitCode, 1, failureReport(rehearsed));
    assert.match(rehearsed.result.stdout, /^# Step 5 failed with exit code 1: Redeploy\. To roll back from here:$/m);
    const advice = rollbackAdvice(rehearsed.result.stdout);
    assert.deepEqual(
      advice.map((a) => a.split(' ').slice(0, 2).join(' ')),
      ['helm uninstall', 'helm install', 'kubectl meshbackup', 'kubectl meshscale'],
      advice.join('\n'),
    );
    const api = rehearsed.sandbox.api;
    // The removal destroyed the custom resources with their CRDs: only the backup has them now.
    assert.equal(
      api.get(
        { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' },
        undefined,
        'trafficsplits.split.smi-spec.io',
      ),
      undefined,
    );

    // The user follows the advice with the rehearsal's helm home (its repository) and work folder.
    const home = join(rehearsed.workDir, 'home');
    const helmEnv = {
      HELM_CONFIG_HOME: join(home, '.config', 'helm'),
      HELM_CACHE_HOME: join(home, '.cache', 'helm'),
      HELM_DATA_HOME: join(home, '.local', 'share', 'helm'),
    };
    // The rehearsal's loopback repository stopped with it: serve the same charts again under the same name.
    const repo = await startChartRepository(productCharts('nginx-service-mesh', vendorFixturesDir));
    try {
      expectSuccess(
        await rehearsed.client.run(helm3Path(), ['repo', 'add', 'nginx-stable', repo.url, '--force-update'], { env: helmEnv }),
        'helm repo add',
      );
      for (const command of advice) {
        const [tool, ...args] = command.split(' ');
        const result = await rehearsed.client.run(tool === 'helm' ? helm3Path() : (tool ?? ''), args, {
          cwd: rehearsed.workDir,
          env: helmEnv,
        });
        // Nothing was left by the refused install, so there is no release to uninstall: helm says so.
        if (command.startsWith('helm uninstall')) assert.match(result.stderr, /not found/);
        else expectSuccess(result, command);
      }
    } finally {
      await repo.close();
    }

    assert.deepEqual(
      deployedReleases(api, 'nginx-mesh', 'nsm').map((r) => r.chart.metadata.version),
      ['0.7.0'],
    );
    assertCrdsOf(api, 'nginx-service-mesh@1.7.0');
    await assertBackupIntact(api, join(rehearsed.workDir, 'nsm.tar.gz'), 5, 'nginx-service-mesh@1.7.0');
    assertControlPlane(api, 'nginx-service-mesh@1.7.0', {});
  });
});
