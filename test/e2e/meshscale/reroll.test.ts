import assert from 'node:assert/strict';
import { ClientEnv, expectSuccess, type TestCluster } from '../../support/cluster.js';
import { eventually } from '../../support/eventually.js';
import { requireSandbox, startE2eCluster } from '../../support/target.js';
import type { SandboxHandle } from '../../../sandbox/index.js';

const ns = 'mesh-apps';
const readVerbs = new Set(['get', 'list', 'watch']);

describe('kubectl meshscale reroll on NGINX Service Mesh 1.7.0 with injected application workloads', function () {
  this.timeout(120_000);
  let cluster: TestCluster & { sandbox?: SandboxHandle };
  let sandbox: SandboxHandle;
  let client: ClientEnv;

  before(async function () {
    cluster = await startE2eCluster({ installs: ['nginx-service-mesh@1.7.0'], injectedWorkloads: true });
    sandbox = requireSandbox(this, cluster, 'the restart patches and dry runs are read from its audit log');
    client = new ClientEnv(cluster.kubeconfig);
    for (const workload of ['deployment/web', 'statefulset/cache', 'daemonset/log-agent', 'deployment/no-mesh']) {
      expectSuccess(await client.kubectl(['-n', ns, 'rollout', 'status', workload, '--timeout=60s']), `rollout status ${workload}`);
    }
  });
  after(async () => {
    client?.dispose();
    await cluster?.close();
  });

  const template = async (workload: string): Promise<string> =>
    expectSuccess(await client.kubectl(['-n', ns, 'get', workload, '-o', 'jsonpath={.spec.template.metadata.annotations}']), 'get').stdout;

  it('--dry-run (client) lists the plan and sends no write', async () => {
    sandbox.audit.clear();
    const result = expectSuccess(
      await client.kubectl(['meshscale', 'reroll', '--profile', 'nginx-service-mesh', '-n', ns, '--dry-run']),
      'reroll --dry-run',
    );
    assert.match(result.stdout, /client dry run \(read requests only\): nothing was changed/);
    for (const [kind, name] of [
      ['Deployment', 'web'],
      ['StatefulSet', 'cache'],
      ['DaemonSet', 'log-agent'],
    ]) {
      assert.match(result.stdout, new RegExp(`${ns}\\s+${kind}\\s+${name}\\s+would restart`));
    }
    assert.doesNotMatch(result.stdout, /no-mesh/);
    assert.match(result.stdout, /debug-shell\s+<none>\s+kubectl delete pod -n mesh-apps debug-shell/);
    const writes = sandbox.audit.entries().filter((e) => !readVerbs.has(e.verb));
    assert.deepEqual(writes, []);
  });

  it('-A finds the injected workloads and nothing of the control plane', async () => {
    const result = expectSuccess(
      await client.kubectl(['meshscale', 'reroll', '--profile', 'nginx-service-mesh', '-A', '--dry-run', '-o', 'json']),
      'reroll -A',
    );
    const parsed = JSON.parse(result.stdout) as {
      workloads: Array<{ namespace: string; name: string }>;
      notRestartable: Array<{ namespace: string; name: string }>;
    };
    assert.deepEqual(
      parsed.workloads.map((w) => `${w.namespace}/${w.name}`),
      [`${ns}/log-agent`, `${ns}/web`, `${ns}/cache`],
    );
    assert.deepEqual(
      parsed.notRestartable.map((p) => `${p.namespace}/${p.name}`),
      [`${ns}/debug-shell`],
    );
  });

  it('--dry-run=server sends each restart patch with dryRun=All and changes nothing', async () => {
    sandbox.audit.clear();
    const result = expectSuccess(
      await client.kubectl(['meshscale', 'reroll', '--profile', 'nginx-service-mesh', '-n', ns, '--dry-run=server', '-o', 'json']),
      'reroll',
    );
    const parsed = JSON.parse(result.stdout) as { workloads: Array<{ name: string; result: string }> };
    assert.deepEqual(parsed.workloads.map((w) => `${w.name} ${w.result}`).sort(), [
      'cache would restart (server dry run)',
      'log-agent would restart (server dry run)',
      'web would restart (server dry run)',
    ]);
    const writes = sandbox.audit.entries().filter((e) => !readVerbs.has(e.verb));
    assert.equal(writes.length, 3);
    for (const write of writes) {
      assert.equal(write.verb, 'patch');
      assert.match(write.query, /dryRun=All/);
    }
    assert.doesNotMatch(await template('deployment/web'), /restartedAt/);
  });

  it('waits for job/csi-driver-sentinel in nginx-mesh to be deleted, then restarts each workload and follows its rollout', async () => {
    expectSuccess(await client.kubectl(['-n', 'nginx-mesh', 'create', 'job', 'csi-driver-sentinel', '--image=busybox:1.36']), 'create job');
    sandbox.audit.clear();
    const running = client.kubectl([
      'meshscale',
      'reroll',
      '--profile',
      'nginx-service-mesh',
      '-n',
      ns,
      '--wait-for-deletion',
      'job/csi-driver-sentinel',
      '--concurrency',
      '2',
      '--timeout',
      '60s',
    ]);
    // Once the command has looked the Job up (and so watches it), delete it.
    await eventually(() =>
      assert.ok(sandbox.audit.entries().some((e) => e.verb === 'list' && e.path === '/apis/batch/v1/namespaces/nginx-mesh/jobs')),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    const patchesBefore = sandbox.audit.entries().filter((e) => e.verb === 'patch');
    assert.deepEqual(patchesBefore, [], 'nothing restarted while the Job exists');
    expectSuccess(await client.kubectl(['-n', 'nginx-mesh', 'delete', 'job', 'csi-driver-sentinel']), 'delete job');
    const result = expectSuccess(await running, 'reroll');

    const entries = sandbox.audit.entries();
    const deleted = entries.findIndex((e) => e.verb === 'delete' && e.path.endsWith('/jobs/csi-driver-sentinel'));
    const patches = entries.filter((e) => e.verb === 'patch');
    assert.deepEqual(patches.map((e) => e.path).sort(), [
      `/apis/apps/v1/namespaces/${ns}/daemonsets/log-agent`,
      `/apis/apps/v1/namespaces/${ns}/deployments/web`,
      `/apis/apps/v1/namespaces/${ns}/statefulsets/cache`,
    ]);
    assert.ok(deleted >= 0 && entries.indexOf(patches[0]!) > deleted, 'the restarts come after the deletion');
    for (const workload of ['deployment/web', 'statefulset/cache', 'daemonset/log-agent']) {
      assert.match(await template(workload), /"kubectl.kubernetes.io\/restartedAt":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"/);
    }
    assert.doesNotMatch(await template('deployment/no-mesh'), /restartedAt/);
    // The rollout happened: web has a second ReplicaSet carrying all the pods, and kubectl agrees it is done.
    const replicaSets = expectSuccess(
      await client.kubectl(['-n', ns, 'get', 'rs', '-l', 'app=web', '-o', 'jsonpath={range .items[*]}{.spec.replicas} {end}']),
      'get rs',
    );
    assert.deepEqual(replicaSets.stdout.trim().split(' ').sort(), ['0', '2']);
    for (const workload of ['deployment/web', 'statefulset/cache', 'daemonset/log-agent']) {
      const status = expectSuccess(await client.kubectl(['-n', ns, 'rollout', 'status', workload, '--timeout=1s']), 'rollout status');
      assert.match(status.stdout, /successfully rolled out|roll out complete|partitioned roll out complete/);
    }
    // The command watched each rollout (no polling loop).
    const watched = entries.filter(
      (e) => e.verb === 'watch' && /\/namespaces\/mesh-apps\/(deployments|statefulsets|daemonsets)$/.test(e.path),
    );
    assert.ok(watched.length >= 3, `expected rollout watches, saw ${watched.length}`);
    assert.match(result.stdout, new RegExp(`${ns}\\s+Deployment\\s+web\\s+restarted`));
    assert.match(result.stdout, /Not restarted: pods with the nginx-mesh-sidecar sidecar/);
    assert.match(result.stdout, /debug-shell\s+<none>\s+kubectl delete pod -n mesh-apps debug-shell/);
  });

  it('rejects a bad --wait-for-deletion with one line and exit 2', async () => {
    const result = await client.kubectl([
      'meshscale',
      'reroll',
      '--profile',
      'nginx-service-mesh',
      '-n',
      ns,
      '--wait-for-deletion',
      'csi-driver-sentinel',
    ]);
    assert.equal(result.exitCode, 2);
    assert.match(result.stderr, /^error: --wait-for-deletion "csi-driver-sentinel": expected KIND\/NAME/);
    assert.equal(result.stderr.trim().split('\n').length, 2, result.stderr);
  });
});
