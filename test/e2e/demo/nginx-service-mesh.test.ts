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
import { expectSuccess, realClusterKubeconfig } from '../../support/cluster.js';
import {
  assertBackupIntact,
  assertControlPlane,
  assertCrdsOf,
  deployedReleases,
  failureReport,
  rehearse,
  type Rehearsed,
} from './support.js';

const restartedAt = 'kubectl.kubernetes.io/restartedAt';

for (const helm of [3, 4] as const) {
  describe(`npm run demo -- nginx-service-mesh --helm ${helm}`, function () {
    this.timeout(300_000);
    let rehearsed: Rehearsed;

    before(async function () {
      if (realClusterKubeconfig()) {
        process.stderr.write('skipped against E2E_KUBECONFIG (the rehearsal removes and installs the mesh itself, on a sandbox)\n');
        this.skip();
      }
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
