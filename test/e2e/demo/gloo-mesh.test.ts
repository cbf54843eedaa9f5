/**
 * `npm run demo -- gloo-mesh`, Helm 3 and Helm 4: Gloo Mesh 0.10.7 → 0.11.3 rehearsed end to end, then
 * judged from the sandbox: release 0.11.3 deployed, the 0.11.3 CRDs served and Established, every
 * backed-up resource back as it was (the chart's own Settings as 0.11.3 renders it), discovery at the 2
 * replicas the user had and networking at 1, and the post-upgrade check passing when run again.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import { expectSuccess } from '../../support/cluster.js';
import { sandboxOnly } from '../../support/target.js';
import {
  assertBackupIntact,
  assertControlPlane,
  assertCrdsOf,
  deployedReleases,
  failureReport,
  rehearse,
  type Rehearsed,
} from './support.js';

for (const helm of [3, 4] as const) {
  describe(`npm run demo -- gloo-mesh --helm ${helm}`, function () {
    this.timeout(300_000);
    let rehearsed: Rehearsed;

    before(async function () {
      sandboxOnly(this, 'the rehearsal installs the product itself');
      rehearsed = await rehearse('gloo-mesh', helm);
    });

    after(async function () {
      await rehearsed?.dispose();
    });

    it('runs every vendor step, in order, and exits 0', function () {
      assert.equal(rehearsed.result.exitCode, 0, failureReport(rehearsed));
      const titles = [...rehearsed.result.stdout.matchAll(/^# (\d+)\. /gm)].map((m) => Number(m[1]));
      assert.deepEqual(titles, [1, 2, 3, 4, 5, 6, 7, 8]);
      const commands = rehearsed.result.stdout.split('\n').filter((l) => l.startsWith('$ '));
      const procedure = commands.slice(commands.findIndex((c) => c.startsWith('$ kubectl meshpreflight --profile')));
      assert.deepEqual(
        procedure.map((c) => c.split(' ').slice(1, 4).join(' ')),
        [
          'kubectl meshpreflight --profile',
          'kubectl meshbackup save',
          'kubectl meshscale down',
          'helm crdsync gloo-mesh/gloo-mesh',
          'helm upgrade gloo-mesh',
          'meshctl cluster register',
          'kubectl apply -f',
          'kubectl meshscale up',
          'kubectl meshpreflight check',
        ],
      );
      assert.match(
        rehearsed.result.stdout,
        /^\$ helm install gloo-mesh gloo-mesh\/gloo-mesh -n gloo-mesh --create-namespace --version 0\.10\.7 --wait$/m,
      );
    });

    it('leaves release 0.11.3 deployed and the 0.11.3 CRDs served and Established', function () {
      const releases = deployedReleases(rehearsed.sandbox.api, 'gloo-mesh', 'gloo-mesh');
      assert.deepEqual(
        releases.map((r) => [r.version, r.chart.metadata.version]),
        [[2, '0.11.3']],
      );
      assertCrdsOf(rehearsed.sandbox.api, 'gloo-mesh@0.11.3');
    });

    it('keeps every backed-up resource as it was, and the replica counts', async function () {
      await assertBackupIntact(rehearsed.sandbox.api, join(rehearsed.workDir, 'gm-before.tar.gz'), 5, 'gloo-mesh@0.11.3');
      assertControlPlane(rehearsed.sandbox.api, 'gloo-mesh@0.11.3', { discovery: 2, networking: 1 });
    });

    it('passes kubectl meshpreflight check when run again', async function () {
      expectSuccess(
        await rehearsed.client.kubectl(['meshpreflight', 'check', '--profile', 'gloo-mesh', '--expect', '0.11.3']),
        'meshpreflight check',
      );
    });
  });
}
