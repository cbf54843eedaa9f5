/**
 * `npm run demo -- gloo-edge`, Helm 3 and Helm 4: Gloo Edge 1.16.27 → 1.17.0 rehearsed end to end
 * and judged from the sandbox; then a rehearsal whose CRD step runs as a user who may not write CRDs
 * (`--crd-context sandbox-restricted`): it stops there with helm crdsync's exit code 5, says how to
 * roll back, and nothing is lost — release, CRDs, resources and control plane as before.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import type { GroupVersionResource } from '../../../sandbox/api/types.js';
import { expectSuccess } from '../../support/cluster.js';
import { sandboxOnly } from '../../support/target.js';
import {
  assertBackupIntact,
  assertControlPlane,
  assertCrdsOf,
  backupArchive,
  deployedReleases,
  failureReport,
  rehearse,
  rollbackAdvice,
  versionsOf,
  type Rehearsed,
} from './support.js';
import { helm3Path } from '../../support/tools.js';

const crdsResource: GroupVersionResource = { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' };

for (const helm of [3, 4] as const) {
  describe(`npm run demo -- gloo-edge --helm ${helm}`, function () {
    this.timeout(300_000);
    let rehearsed: Rehearsed;

    before(async function () {
      sandboxOnly(this, 'the rehearsal installs the product itself');
      rehearsed = await rehearse('gloo-edge', helm);
    });

    after(async function () {
      await rehearsed?.dispose();
    });

    it('runs every vendor step, in order, ending with the check, and exits 0', function () {
      assert.equal(rehearsed.result.exitCode, 0, failureReport(rehearsed));
      const commands = rehearsed.result.stdout.split('\n').filter((l) => l.startsWith('$ '));
      const procedure = commands.slice(commands.findIndex((c) => c.startsWith('$ kubectl meshpreflight --profile')));
      assert.deepEqual(
        procedure.map((c) => c.split(' ').slice(1, 4).join(' ')),
        [
          'kubectl meshpreflight --profile',
          'kubectl meshbackup save',
          'kubectl -n gloo-system',
          'helm crdsync gloo/gloo',
          'helm crdsync gloo/gloo',
          'helm upgrade gloo',
          'kubectl meshbackup diff',
          'kubectl meshpreflight check',
        ],
      );
      assert.match(rehearsed.result.stdout, /^\$ helm crdsync gloo\/gloo --version 1\.17\.0 --allow-breaking$/m);
      assert.match(rehearsed.result.stdout, /the path, from the repository's versions: 1\.16\.27 → 1\.17\.0/);
    });

    it('leaves release 1.17.0 deployed, the 1.17.0 CRDs served and Established, resources and replicas as before', async function () {
      const api = rehearsed.sandbox.api;
      assert.deepEqual(
        deployedReleases(api, 'gloo-system', 'gloo').map((r) => [r.version, r.chart.metadata.version]),
        [[2, '1.17.0']],
      );
      assertCrdsOf(api, 'gloo-edge@1.17.0');
      await assertBackupIntact(api, join(rehearsed.workDir, 'gloo-before.tar.gz'), 3, 'gloo-edge@1.17.0');
      assertControlPlane(api, 'gloo-edge@1.17.0', {});
      expectSuccess(
        await rehearsed.client.kubectl(['meshpreflight', 'check', '--profile', 'gloo-edge', '--expect', '1.17.0']),
        'meshpreflight check',
      );
    });
  });
}

describe('npm run demo -- gloo-edge, the CRD step run by a user who may not write CRDs', function () {
  this.timeout(300_000);
  let rehearsed: Rehearsed;

  before(async function () {
    sandboxOnly(this, 'the rehearsal installs the product itself');
    rehearsed = await rehearse('gloo-edge', 3, ['--crd-context', 'sandbox-restricted']);
  });

  after(async function () {
    await rehearsed?.dispose();
  });

  it("stops at the CRD step with helm crdsync's exit code and says how to roll back", function () {
    assert.equal(rehearsed.result.exitCode, 5, failureReport(rehearsed));
    assert.match(rehearsed.result.stdout, /^\$ helm crdsync gloo\/gloo --version 1\.17\.0 --dry-run --kube-context sandbox-restricted$/m);
    assert.match(
      rehearsed.result.stdout,
      /^# Step 4 failed with exit code 5: Apply the new CRDs before helm upgrade: read the plan\. To roll back from here:$/m,
    );
    assert.match(rehearsed.result.stdout, /^# {3}nothing has changed yet/m);
    assert.doesNotMatch(rehearsed.result.stdout, /^\$ helm upgrade/m);
  });

  it('loses nothing: release, CRDs, custom resources and control plane as before', async function () {
    const api = rehearsed.sandbox.api;
    assert.deepEqual(
      deployedReleases(api, 'gloo-system', 'gloo').map((r) => [r.version, r.chart.metadata.version]),
      [[1, '1.16.27']],
    );
    const archive = join(rehearsed.workDir, 'gloo-before.tar.gz');
    const { crds } = await backupArchive(archive);
    assert.ok(crds.length >= 14);
    for (const crd of crds) {
      const current = api.get(crdsResource, undefined, crd.metadata.name ?? '');
      assert.ok(current, `CRD ${crd.metadata.name ?? ''} is still there`);
      assert.deepEqual(versionsOf(current), versionsOf(crd), `CRD ${crd.metadata.name ?? ''} is unchanged`);
    }
    assert.equal(api.get(crdsResource, undefined, 'listeneroptions.gateway.solo.io'), undefined, 'no 1.17 CRD was created');
    await assertBackupIntact(api, archive, 3, 'gloo-edge@1.16.27');
    assertControlPlane(api, 'gloo-edge@1.16.27', {});
  });
});

describe('npm run demo -- gloo-edge, helm upgrade failing midway (the server refuses Deployment patches)', function () {
  this.timeout(300_000);
  let rehearsed: Rehearsed;

  before(async function () {
    sandboxOnly(this, 'the rehearsal installs the product itself');
    rehearsed = await rehearse('gloo-edge', 3, [], { faults: '500:verb=patch,path=^/apis/apps/v1/namespaces/gloo-system/deployments/' });
  });

  after(async function () {
    await rehearsed?.dispose();
  });

  it("stops at the upgrade with helm's exit code, and the way back it prints brings 1.16.27 back", async function () {
    assert.equal(rehearsed.result.exitCode, 1, failureReport(rehearsed));
    assert.match(rehearsed.result.stdout, /^# Step 6 failed with exit code 1: Upgrade/m);
    const advice = rollbackAdvice(rehearsed.result.stdout);
    assert.deepEqual(
      advice.map((a) => a.split(' ').slice(0, 2).join(' ')),
      ['helm rollback', 'kubectl apply', 'kubectl meshbackup'],
      advice.join('\n'),
    );
    const [helmRollback, crdUndo] = advice as [string, string];
    assert.match(crdUndo, /^kubectl apply --server-side --force-conflicts -f \S+\/crds-before-[^/]+\.yaml$/);

    // The server takes writes again; the user follows the advice.
    rehearsed.sandbox.faults.clear();
    const api = rehearsed.sandbox.api;
    assert.deepEqual(
      api
        .list(
          { group: '', version: 'v1', resource: 'secrets' },
          { namespace: 'gloo-system', labelSelector: 'owner=helm,name=gloo,status=failed' },
        )
        .map((s) => s.metadata.labels?.version),
      ['2'],
      'the failed upgrade left revision 2 failed',
    );
    expectSuccess(await rehearsed.client.run(helm3Path(), helmRollback.split(' ').slice(1)), helmRollback);
    expectSuccess(await rehearsed.client.run('kubectl', crdUndo.split(' ').slice(1)), crdUndo);

    assert.deepEqual(
      deployedReleases(api, 'gloo-system', 'gloo').map((r) => [r.version, r.chart.metadata.version]),
      [[3, '1.16.27']],
    );
    const archive = join(rehearsed.workDir, 'gloo-before.tar.gz');
    for (const crd of (await backupArchive(archive)).crds) {
      const current = api.get(crdsResource, undefined, crd.metadata.name ?? '');
      assert.ok(current);
      assert.deepEqual(versionsOf(current), versionsOf(crd), `CRD ${crd.metadata.name ?? ''} is back as it was`);
    }
    await assertBackupIntact(api, archive, 3, 'gloo-edge@1.16.27');
    assertControlPlane(api, 'gloo-edge@1.16.27', {});
  });
});
