import assert from 'node:assert/strict';
import { parseDuration } from '../../../shared/cli/flags.js';
import type { CliError } from '../../../shared/errors/errors.js';
import { testStreams } from '../../../shared/io/streams.js';
import { glooMeshProfile } from '../../../shared/profiles/gloo-mesh.js';
import { nginxServiceMeshProfile } from '../../../shared/profiles/nginx-service-mesh.js';
import { parseDeletionRef, RerollOptions, type RerollArgs } from '../../../plugins/kubectl-meshscale/commands/reroll-command.js';
import { findRerollTargets } from '../../../plugins/kubectl-meshscale/reroll/find.js';
import { restartPatch, rfc3339, rolledOut } from '../../../plugins/kubectl-meshscale/reroll/restart.js';
import { testContext } from '../../support/command-context.js';
import { RerollCluster } from './fake-reroll-cluster.js';

const dataPlane = nginxServiceMeshProfile.dataPlane!;
const fixedNow = new Date('2026-12-02T10:45:07.123Z');

type Args = Partial<Omit<RerollArgs, 'timeout'>> & { timeout?: string };

async function reroll(cluster: RerollCluster, args: Args, signal?: AbortSignal) {
  const io = testStreams();
  const options = new RerollOptions(
    testContext({ io, signal }),
    async () => ({ namespace: 'apps', ports: cluster.ports() }),
    () => fixedNow,
  );
  await options.complete({
    profile: 'nginx-service-mesh',
    ...args,
    timeout: args.timeout === undefined ? undefined : parseDuration(args.timeout),
  });
  options.validate();
  let error: CliError | undefined;
  try {
    await options.run();
  } catch (e) {
    error = e as CliError;
  }
  return { io, error };
}

/** meshApps: a namespace with injected and plain workloads, a bare pod and a Job's pod. */
function meshApps(): RerollCluster {
  const cluster = new RerollCluster();
  cluster.addWorkload('Deployment', 'apps', 'web', { replicas: 2, sidecar: true });
  cluster.addWorkload('StatefulSet', 'apps', 'db', { sidecar: true });
  cluster.addWorkload('DaemonSet', 'apps', 'node-agent', { sidecar: true });
  cluster.addWorkload('Deployment', 'apps', 'plain');
  cluster.addPod('apps', 'debug', { sidecar: true });
  cluster.addPod('apps', 'migrate-x7k2p', { sidecar: true, owner: { kind: 'Job', name: 'migrate' } });
  cluster.addWorkload('Deployment', 'other', 'api', { sidecar: true });
  return cluster;
}

describe('meshscale reroll: finding the injected workloads', () => {
  it('finds the Deployment through its ReplicaSet, the StatefulSet and the DaemonSet, and no workload without the sidecar', async () => {
    const plan = await findRerollTargets(meshApps().ports(), 'apps', dataPlane);
    assert.deepEqual(
      plan.workloads.map((w) => `${w.kind}/${w.name}`),
      ['DaemonSet/node-agent', 'Deployment/web', 'StatefulSet/db'],
    );
  });

  it('lists a bare pod and a Job pod as not restartable, with the delete command', async () => {
    const plan = await findRerollTargets(meshApps().ports(), 'apps', dataPlane);
    assert.deepEqual(plan.unrestartable, [
      { namespace: 'apps', name: 'debug', command: 'kubectl delete pod -n apps debug' },
      { namespace: 'apps', name: 'migrate-x7k2p', owner: 'Job/migrate', command: 'kubectl delete pod -n apps migrate-x7k2p' },
    ]);
  });

  it('looks in every namespace when given none (-A)', async () => {
    const plan = await findRerollTargets(meshApps().ports(), undefined, dataPlane);
    assert.ok(plan.workloads.some((w) => w.namespace === 'other' && w.name === 'api'));
  });

  it('picks a workload scaled to 0 whose template asks for injection, and one whose template carries the sidecar', async () => {
    const cluster = new RerollCluster();
    cluster.addWorkload('Deployment', 'apps', 'asks', {
      replicas: 0,
      templateAnnotations: { 'injector.nsm.nginx.com/auto-inject': 'enabled' },
    });
    cluster.addWorkload('Deployment', 'apps', 'refuses', {
      replicas: 1,
      templateAnnotations: { 'injector.nsm.nginx.com/auto-inject': 'disabled' },
    });
    cluster.addWorkload('StatefulSet', 'apps', 'manual', { replicas: 0, sidecar: true });
    const plan = await findRerollTargets(cluster.ports(), 'apps', dataPlane);
    assert.deepEqual(
      plan.workloads.map((w) => `${w.name}: ${w.reason}`),
      ['asks: injector.nsm.nginx.com/auto-inject=enabled in pod template', 'manual: sidecar in pod template'],
    );
  });
});

describe('meshscale reroll: restarting', () => {
  it('patches restartedAt on each pod template with an RFC 3339 time, as kubectl rollout restart does', () => {
    assert.equal(rfc3339(fixedNow), '2026-12-02T10:45:07Z');
    assert.deepEqual(restartPatch(fixedNow), {
      spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-12-02T10:45:07Z' } } } },
    });
  });

  it('restarts every injected workload, waits for each rollout and lists what it could not restart', async () => {
    const cluster = meshApps();
    const { io, error } = await reroll(cluster, { namespace: 'apps' });
    assert.equal(error, undefined);
    for (const [kind, name] of [
      ['Deployment', 'web'],
      ['StatefulSet', 'db'],
      ['DaemonSet', 'node-agent'],
    ] as const) {
      assert.equal(cluster.restartedAt(kind, 'apps', name), '2026-12-02T10:45:07Z');
      assert.ok(cluster.calls.includes(`rolled out ${kind} apps/${name}`));
    }
    assert.equal(cluster.restartedAt('Deployment', 'apps', 'plain'), undefined);
    assert.equal(cluster.restartedAt('Deployment', 'other', 'api'), undefined, '-n apps leaves other namespaces alone');
    assert.match(io.out.text(), /^NAMESPACE\s+KIND\s+NAME\s+RESULT\s+REASON\n/);
    assert.match(io.out.text(), /apps\s+Deployment\s+web\s+restarted\s+sidecar in pod web-5d8f7c-0/);
    assert.match(io.out.text(), /apps\s+debug\s+<none>\s+kubectl delete pod -n apps debug/);
    assert.match(io.err.text(), /deployment\/web -n apps rolled out/);
  });

  it('never has more rollouts under way than --concurrency', async () => {
    const cluster = new RerollCluster();
    for (let i = 0; i < 6; i++) cluster.addWorkload('Deployment', 'apps', `svc-${i}`, { sidecar: true });
    const { error } = await reroll(cluster, { namespace: 'apps', concurrency: 2 });
    assert.equal(error, undefined);
    assert.equal(cluster.maxInFlight, 2);
    assert.equal(cluster.calls.filter((c) => c.startsWith('rolled out')).length, 6);
  });

  it('goes on past a refused patch and a stuck rollout, then exits 7 naming both', async () => {
    const cluster = meshApps();
    cluster.failPatch.add('db');
    cluster.stuck.add('node-agent');
    const { io, error } = await reroll(cluster, { namespace: 'apps', timeout: '1s' });
    assert.equal(error?.exitCode, 7);
    assert.match(error.message, /2 of 3 workloads did not roll out.*daemonset\/node-agent -n apps, statefulset\/db -n apps/);
    assert.ok(cluster.calls.includes('rolled out Deployment apps/web'));
    assert.match(io.out.text(), /StatefulSet\s+db\s+failed: restart patch: .*forbidden/);
    assert.match(io.out.text(), /DaemonSet\s+node-agent\s+failed: timed out waiting for daemonset\/node-agent to roll out/);
  });

  it('judges a rollout done only once the controller observed the restart', () => {
    const done = rolledOut('Deployment', 2);
    const status = { replicas: 2, updatedReplicas: 2, availableReplicas: 2 };
    assert.equal(done({ metadata: { generation: 2 }, spec: { replicas: 2 }, status: { ...status, observedGeneration: 1 } }), false);
    assert.equal(done({ metadata: { generation: 2 }, spec: { replicas: 2 }, status: { ...status, observedGeneration: 2 } }), true);
    assert.equal(
      done({ metadata: { generation: 2 }, spec: { replicas: 2 }, status: { ...status, replicas: 3, observedGeneration: 2 } }),
      false,
      'an old pod is still there',
    );
    assert.equal(
      rolledOut(
        'StatefulSet',
        2,
      )({
        metadata: { generation: 2 },
        spec: { replicas: 1 },
        status: { observedGeneration: 2, readyReplicas: 1, updatedReplicas: 1, currentRevision: 'a', updateRevision: 'b' },
      }),
      false,
    );
    const partitioned = { metadata: { generation: 2 }, spec: { replicas: 3, updateStrategy: { rollingUpdate: { partition: 2 } } } };
    assert.equal(
      rolledOut(
        'StatefulSet',
        2,
      )({
        ...partitioned,
        status: { observedGeneration: 2, readyReplicas: 3, updatedReplicas: 1, currentRevision: 'a', updateRevision: 'b' },
      }),
      true,
      'only ordinal 2 updates',
    );
    assert.equal(
      rolledOut(
        'StatefulSet',
        2,
      )({
        ...partitioned,
        status: { observedGeneration: 2, readyReplicas: 2, updatedReplicas: 1, currentRevision: 'a', updateRevision: 'b' },
      }),
      false,
      'not all ready',
    );
    assert.equal(
      rolledOut(
        'DaemonSet',
        2,
      )({
        metadata: { generation: 2 },
        spec: {},
        status: { observedGeneration: 2, desiredNumberScheduled: 1, updatedNumberScheduled: 1, numberAvailable: 1 },
      }),
      true,
    );
  });
});

describe('meshscale reroll: dry runs and --wait-for-deletion', () => {
  it('--dry-run=client reads only and prints the plan', async () => {
    const cluster = meshApps();
    const { io, error } = await reroll(cluster, { namespace: 'apps', dryRun: 'client', waitForDeletion: ['job/csi-driver-sentinel'] });
    assert.equal(error, undefined);
    assert.deepEqual(
      cluster.calls.filter((c) => c.startsWith('patch')),
      [],
    );
    assert.match(io.out.text(), /client dry run \(read requests only\): nothing was changed/);
    assert.match(io.out.text(), /would wait until job\/csi-driver-sentinel \(namespace nginx-mesh\) is deleted: already gone/);
    assert.match(io.out.text(), /apps\s+Deployment\s+web\s+would restart\s/);
  });

  it('--dry-run=server sends every patch with dryRun and waits for no rollout', async () => {
    const cluster = meshApps();
    const { io, error } = await reroll(cluster, { namespace: 'apps', dryRun: 'server', output: 'json' });
    assert.equal(error, undefined);
    assert.deepEqual(
      cluster.calls.filter((c) => c.startsWith('patch')),
      [
        'patch DaemonSet apps/node-agent kubectl.kubernetes.io/restartedAt dry-run',
        'patch Deployment apps/web kubectl.kubernetes.io/restartedAt dry-run',
        'patch StatefulSet apps/db kubectl.kubernetes.io/restartedAt dry-run',
      ],
    );
    assert.equal(cluster.restartedAt('Deployment', 'apps', 'web'), undefined);
    const parsed = JSON.parse(io.out.text()) as {
      dryRun: string;
      workloads: Array<{ name: string; result: string }>;
      notRestartable: Array<{ name: string }>;
    };
    assert.equal(parsed.dryRun, 'server');
    assert.deepEqual(
      parsed.workloads.map((w) => w.result),
      Array(3).fill('would restart (server dry run)'),
    );
    assert.deepEqual(
      parsed.notRestartable.map((p) => p.name),
      ['debug', 'migrate-x7k2p'],
    );
  });

  it('waits for the named Job in the profile namespace to be deleted before the first restart', async () => {
    const cluster = meshApps();
    cluster.addJob('nginx-mesh', 'csi-driver-sentinel');
    const run = reroll(cluster, { namespace: 'apps', waitForDeletion: ['job/csi-driver-sentinel'] });
    // Delete the Job once the command watches it.
    while (!cluster.calls.includes('watch jobs csi-driver-sentinel')) await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(
      cluster.calls.filter((c) => c.startsWith('patch')),
      [],
      'no restart before the deletion',
    );
    cluster.deleteJob('nginx-mesh', 'csi-driver-sentinel');
    const { error } = await run;
    assert.equal(error, undefined);
    const deleted = cluster.calls.indexOf('job csi-driver-sentinel deleted');
    const firstPatch = cluster.calls.findIndex((c) => c.startsWith('patch'));
    assert.ok(deleted >= 0 && firstPatch > deleted);
  });

  it('times out (exit 8) when the object is never deleted, restarting nothing', async () => {
    const cluster = meshApps();
    cluster.addJob('nginx-mesh', 'csi-driver-sentinel');
    const { error } = await reroll(cluster, { namespace: 'apps', waitForDeletion: ['job/csi-driver-sentinel'], timeout: '1s' });
    assert.equal(error?.exitCode, 8);
    assert.match(error.message, /timed out waiting for job\/csi-driver-sentinel in namespace nginx-mesh to be deleted/);
    assert.deepEqual(
      cluster.calls.filter((c) => c.startsWith('patch')),
      [],
    );
  });

  it('on Ctrl-C during a rollout wait, starts no further restart and exits 130', async () => {
    const cluster = meshApps();
    cluster.stuck.add('node-agent');
    const controller = new AbortController();
    const run = reroll(cluster, { namespace: 'apps', concurrency: 1 }, controller.signal);
    while (!cluster.calls.some((c) => c.startsWith('patch'))) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    const { error } = await run;
    assert.equal(error?.exitCode, 130);
    assert.match(error.message, /re-run the same command to restart the rest/);
    assert.deepEqual(
      cluster.calls.filter((c) => c.startsWith('patch')),
      ['patch DaemonSet apps/node-agent kubectl.kubernetes.io/restartedAt'],
    );
  });

  it('stops before the first restart on Ctrl-C (exit 130)', async () => {
    const cluster = meshApps();
    const controller = new AbortController();
    controller.abort();
    const { error } = await reroll(cluster, { namespace: 'apps' }, controller.signal);
    assert.equal(error?.exitCode, 130);
    assert.deepEqual(
      cluster.calls.filter((c) => c.startsWith('patch')),
      [],
    );
  });
});

describe('meshscale reroll: bad input', () => {
  const cases: Array<[string, () => unknown, RegExp]> = [
    ['refuses a --wait-for-deletion that is not KIND/NAME', () => parseDeletionRef('csi-driver-sentinel'), /expected KIND\/NAME/],
    ['refuses a kind it cannot watch', () => parseDeletionRef('secret/x'), /KIND one of job, pod/],
    ['refuses a name that is not a DNS-1123 name', () => parseDeletionRef('job/../x'), /expected KIND\/NAME/],
  ];
  for (const [title, run, message] of cases)
    it(title, () => assert.throws(run, (e: CliError) => e.exitCode === 2 && message.test(e.message)));

  it('refuses a profile without a data plane, and -n with -A', async () => {
    const cluster = meshApps();
    const options = new RerollOptions(testContext(), async () => ({ namespace: 'apps', ports: cluster.ports() }));
    await options.complete({ profile: glooMeshProfile.name });
    assert.throws(
      () => options.validate(),
      (e: CliError) => e.exitCode === 2 && /profile "gloo-mesh" has no dataPlane/.test(e.message),
    );
    await options.complete({ profile: 'nginx-service-mesh', namespace: 'a', allNamespaces: true });
    assert.throws(
      () => options.validate(),
      (e: CliError) => e.exitCode === 2 && /cannot be used together/.test(e.message),
    );
  });
});
