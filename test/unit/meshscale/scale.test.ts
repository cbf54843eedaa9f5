import assert from 'node:assert/strict';
import { testContext } from '../../support/command-context.js';
import { testStreams } from '../../../shared/io/streams.js';
import type { CliError } from '../../../shared/errors/errors.js';
import { glooMeshProfile } from '../../../shared/profiles/gloo-mesh.js';
import { nginxServiceMeshProfile } from '../../../shared/profiles/nginx-service-mesh.js';
import { ScaleOptions } from '../../../plugins/kubectl-meshscale/commands/scale-command.js';
import {
  ORIGINAL_REPLICAS_ANNOTATION,
  parseWorkloadRef,
  planTargets,
  recordToWrite,
} from '../../../plugins/kubectl-meshscale/scale/plan.js';
import { labelSelectorString } from '../../../plugins/kubectl-meshscale/scale/wait.js';
import { scaleDown, scaleUp } from '../../../plugins/kubectl-meshscale/scale/scaler.js';
import { FakeCluster } from './fake-cluster.js';
import { parsed, type VerbArgs } from './verb-args.js';

function glooCluster(networking = 2, discovery = 2): FakeCluster {
  const cluster = new FakeCluster();
  cluster.addWorkload('Deployment', 'networking', networking);
  cluster.addWorkload('Deployment', 'discovery', discovery);
  return cluster;
}

function replicasOf(cluster: FakeCluster, name: string): number {
  return (cluster.workloads.get(`Deployment/${name}`)!['spec'] as { replicas: number }).replicas;
}

function recordOf(cluster: FakeCluster, name: string): string | undefined {
  return cluster.workloads.get(`Deployment/${name}`)!.metadata!.annotations![ORIGINAL_REPLICAS_ANNOTATION];
}

async function runVerb(cluster: FakeCluster, verb: 'down' | 'up' | 'status', args: VerbArgs, signal?: AbortSignal) {
  const io = testStreams();
  const options = new ScaleOptions(testContext({ io, signal }), verb, async () => ({ namespace: 'ns', ports: cluster.ports() }));
  await options.complete(parsed(args));
  options.validate();
  await options.run();
  return io;
}

describe('meshscale ordering and recording', () => {
  it('orders gloo-mesh networking before discovery going down and discovery first going up', () => {
    assert.deepEqual(
      planTargets('down', { profile: glooMeshProfile }).map((t) => t.name),
      ['networking', 'discovery'],
    );
    assert.deepEqual(
      planTargets('up', { profile: glooMeshProfile }).map((t) => t.name),
      ['discovery', 'networking'],
    );
  });

  it('takes the workloads of nginx-service-mesh from its profile, including a StatefulSet', () => {
    const kinds = planTargets('down', { profile: nginxServiceMeshProfile }).map((t) => t.kind);
    assert.ok(kinds.includes('StatefulSet'));
  });

  it('rejects an unknown --only workload naming the known ones', () => {
    assert.throws(
      () => planTargets('down', { profile: glooMeshProfile, only: ['nope'] }),
      /unknown workload "nope".*networking, discovery/,
    );
  });

  it('parses deploy/ and sts/ references and rejects other kinds', () => {
    assert.deepEqual(parseWorkloadRef('deploy/web'), { kind: 'Deployment', name: 'web', optional: false });
    assert.equal(parseWorkloadRef('statefulset/db').kind, 'StatefulSet');
    assert.throws(() => parseWorkloadRef('daemonset/x'), /only Deployments and StatefulSets/);
  });

  it('never overwrites a recorded count and never records 0', () => {
    assert.equal(recordToWrite(3, 0), undefined);
    assert.equal(recordToWrite(undefined, 0), undefined);
    assert.equal(recordToWrite(undefined, 2), 2);
  });
});

describe('the label selector the pod wait lists with', () => {
  const cases: Array<[string, Parameters<typeof labelSelectorString>[0], string | undefined]> = [
    ['renders matchLabels as k=v pairs', { matchLabels: { app: 'discovery', tier: 'control' } }, 'app=discovery,tier=control'],
    [
      'renders matchExpressions in the labelSelector syntax, values sorted',
      {
        matchExpressions: [
          { key: 'env', operator: 'In', values: ['prod', 'canary'] },
          { key: 'track', operator: 'NotIn', values: ['beta'] },
          { key: 'owner', operator: 'Exists' },
          { key: 'legacy', operator: 'DoesNotExist' },
        ],
      },
      'env in (canary,prod),track notin (beta),owner,!legacy',
    ],
    ['gives nothing for a selector that selects everything (no pod wait then)', {}, undefined],
    ['gives nothing without a selector', undefined, undefined],
  ];
  for (const [title, selector, expected] of cases) {
    it(title, () => assert.equal(labelSelectorString(selector), expected));
  }
});

describe('meshscale down, up and status', () => {
  it('scales down in order, recording each original count before zeroing it', async () => {
    const cluster = glooCluster(2, 3);
    await runVerb(cluster, 'down', { profile: 'gloo-mesh', timeout: '5s' });
    assert.deepEqual(
      cluster.calls.filter((c) => !c.startsWith('watch') && !c.startsWith('list')),
      [
        `annotate networking {"${ORIGINAL_REPLICAS_ANNOTATION}":"2"}`,
        'scale networking 0',
        `annotate discovery {"${ORIGINAL_REPLICAS_ANNOTATION}":"3"}`,
        'scale discovery 0',
      ],
    );
  });

  it('waits until the pods are gone, terminating ones included, before scaling the next workload', async () => {
    const cluster = glooCluster(2, 3);
    cluster.podTerminationMs = 30;
    let networkingPodsWhenDiscoveryScaled = -1;
    cluster.onScale = (name) => {
      if (name === 'discovery') networkingPodsWhenDiscoveryScaled = cluster.podsOf('networking').length;
    };
    const io = await runVerb(cluster, 'down', { profile: 'gloo-mesh', timeout: '5s' });
    assert.equal(networkingPodsWhenDiscoveryScaled, 0);
    assert.deepEqual([cluster.podsOf('networking').length, cluster.podsOf('discovery').length], [0, 0]);
    assert.ok(cluster.calls.includes('watch pods app=networking'), 'the terminating pods were waited for with a watch');
    assert.match(io.err.text(), /deployment\/discovery: 0 replicas, no pods left/);
  });

  it('times out naming the workload and each pod left with its phase when a pod never goes', async () => {
    const cluster = glooCluster(2, 3);
    cluster.stuckPods.add('networking-1');
    await assert.rejects(runVerb(cluster, 'down', { profile: 'gloo-mesh', timeout: '300ms' }), (err: CliError) => {
      assert.equal(err.exitCode, 8);
      assert.equal(
        err.message,
        'timed out waiting for the pods of deployment/networking to be gone (selector app=networking): 1 left: networking-1=Running (terminating)',
      );
      return true;
    });
    assert.equal(replicasOf(cluster, 'discovery'), 3, 'discovery is not touched while networking has pods');
  });

  it('lists the pods again when their watch stream drops', async () => {
    const cluster = glooCluster(2, 3);
    // Long enough that the pods are still terminating after the backoff that follows a quick drop.
    cluster.podTerminationMs = 150;
    cluster.dropWatchesOf.set('pods app=networking', 1);
    await runVerb(cluster, 'down', { profile: 'gloo-mesh', timeout: '5s', only: ['networking'] });
    assert.equal(cluster.podsOf('networking').length, 0);
    assert.equal(cluster.calls.filter((c) => c === 'watch pods app=networking').length, 2);
  });

  it('keeps the recorded counts when down runs twice', async () => {
    const cluster = glooCluster(2, 3);
    await runVerb(cluster, 'down', { profile: 'gloo-mesh', timeout: '5s' });
    await runVerb(cluster, 'down', { profile: 'gloo-mesh', timeout: '5s' });
    assert.equal(recordOf(cluster, 'discovery'), '3');
    assert.equal(recordOf(cluster, 'networking'), '2');
  });

  it('purges the discovery resources after the scale-down and counts them per kind', async () => {
    const cluster = glooCluster();
    cluster.addObject('meshes', 'm1');
    cluster.addObject('workloads', 'w1');
    cluster.addObject('workloads', 'w2');
    const io = await runVerb(cluster, 'down', { profile: 'gloo-mesh', timeout: '5s', purgeDiscovery: true });
    const lastScale = cluster.calls.lastIndexOf('scale discovery 0');
    const firstDelete = cluster.calls.findIndex((c) => c.startsWith('delete'));
    assert.ok(lastScale >= 0 && firstDelete > lastScale);
    assert.match(io.out.text(), /Workload=2/);
    assert.match(io.out.text(), /Mesh=1/);
    assert.equal(cluster.objects.get('workloads')!.length, 0);
  });

  it('restores recorded counts discovery first, networking after discovery settled, and removes the record', async () => {
    const cluster = glooCluster(2, 3);
    await runVerb(cluster, 'down', { profile: 'gloo-mesh', timeout: '5s' });
    cluster.calls.length = 0;
    cluster.onScale = (name, replicas) => {
      if (name === 'discovery' && replicas > 0) cluster.addObject('meshes', 'rebuilt');
    };
    const io = await runVerb(cluster, 'up', { profile: 'gloo-mesh', timeout: '5s', quietPeriod: '100ms', settleTimeout: '5s' });
    assert.deepEqual(
      cluster.calls.filter((c) => c.startsWith('scale')),
      ['scale discovery 3', 'scale networking 2'],
    );
    assert.match(io.err.text(), /discovery settled: .*Mesh=1/);
    assert.ok(io.err.text().indexOf('discovery settled') < io.err.text().indexOf('deployment/networking: scaling'));
    assert.equal(replicasOf(cluster, 'networking'), 2);
    assert.equal(recordOf(cluster, 'networking'), undefined);
    assert.equal(recordOf(cluster, 'discovery'), undefined);
  });

  it('settles discovery with one list and one watch per kind, scaling networking only after the quiet period that follows its last write', async () => {
    const cluster = glooCluster(2, 3);
    await runVerb(cluster, 'down', { profile: 'gloo-mesh', timeout: '5s' });
    cluster.calls.length = 0;
    const timers: NodeJS.Timeout[] = [];
    cluster.onScale = (name, replicas) => {
      // Discovery writes four meshes 15 ms apart once started: well within one quiet period of each other.
      if (name === 'discovery' && replicas > 0)
        for (let i = 1; i <= 4; i++) timers.push(setTimeout(() => cluster.addObject('meshes', `mesh-${i}`), 15 * i));
    };
    const io = await runVerb(cluster, 'up', { profile: 'gloo-mesh', timeout: '5s', quietPeriod: '150ms', settleTimeout: '5s' });
    timers.forEach(clearTimeout);
    const calls = cluster.calls;
    assert.ok(calls.indexOf('scale networking 2') > calls.indexOf('write meshes mesh-4'), 'networking waited for the last write');
    for (const plural of ['meshes', 'workloads', 'traffictargets']) {
      assert.equal(calls.filter((c) => c === `list ${plural}`).length, 1, `no polling of ${plural}`);
      assert.equal(calls.filter((c) => c === `watch ${plural}`).length, 1);
    }
    assert.match(io.err.text(), /discovery settled: TrafficTarget=0 Workload=0 Mesh=4\n/);
  });

  for (const fault of ['drop', 'gone'] as const) {
    it(`lists a discovery kind afresh when its stream ${fault === 'drop' ? 'drops' : 'answers 410 Gone'}, counting what changed while unwatched`, async () => {
      const cluster = glooCluster(2, 3);
      await runVerb(cluster, 'down', { profile: 'gloo-mesh', timeout: '5s' });
      cluster.calls.length = 0;
      cluster.objectWatchFaults.push(fault);
      let faulted = '';
      cluster.beforeObjectWatchFault = (resource) => {
        faulted = resource;
        cluster.addObject(resource, 'written-while-unwatched');
      };
      const io = await runVerb(cluster, 'up', { profile: 'gloo-mesh', timeout: '5s', quietPeriod: '100ms', settleTimeout: '5s' });
      assert.notEqual(faulted, '');
      assert.equal(cluster.calls.filter((c) => c === `list ${faulted}`).length, 2);
      assert.equal(cluster.calls.filter((c) => c === `watch ${faulted}`).length, 2);
      const kind = { meshes: 'Mesh', workloads: 'Workload', traffictargets: 'TrafficTarget' }[faulted];
      assert.match(io.err.text(), new RegExp(`discovery settled: .*${kind}=1`));
      assert.equal(replicasOf(cluster, 'networking'), 2);
    });
  }

  it('times out naming the counts per kind when discovery never stops changing', async () => {
    const cluster = glooCluster(2, 3);
    await runVerb(cluster, 'down', { profile: 'gloo-mesh', timeout: '5s' });
    let n = 0;
    let writer: NodeJS.Timeout | undefined;
    cluster.onScale = (name, replicas) => {
      if (name === 'discovery' && replicas > 0) writer = setInterval(() => cluster.addObject('workloads', `w-${n++ % 3}`), 20);
    };
    try {
      await assert.rejects(
        runVerb(cluster, 'up', { profile: 'gloo-mesh', timeout: '5s', quietPeriod: '100ms', settleTimeout: '400ms' }),
        (err: CliError) => {
          assert.equal(err.exitCode, 8);
          assert.match(
            err.message,
            /^timed out after 400ms waiting for discovery to settle \(still changing within the last 100ms\): TrafficTarget=0 Workload=3 Mesh=0$/,
          );
          return true;
        },
      );
    } finally {
      clearInterval(writer);
    }
    assert.equal(replicasOf(cluster, 'networking'), 0, 'networking stays down');
  });

  it('stops a settle wait at Ctrl-C with exit 130', async () => {
    const cluster = glooCluster(2, 3);
    await runVerb(cluster, 'down', { profile: 'gloo-mesh', timeout: '5s' });
    const controller = new AbortController();
    cluster.onScale = (name, replicas) => {
      if (name === 'discovery' && replicas > 0) setTimeout(() => controller.abort(), 30);
    };
    await assert.rejects(
      runVerb(cluster, 'up', { profile: 'gloo-mesh', timeout: '5s', quietPeriod: '5s', settleTimeout: '10s' }, controller.signal),
      (err: CliError) => err.exitCode === 130,
    );
    assert.equal(replicasOf(cluster, 'networking'), 0);
  });

  it('refuses up with no recorded count and no --replicas, before scaling anything', async () => {
    const cluster = glooCluster(0, 0);
    await assert.rejects(runVerb(cluster, 'up', { profile: 'gloo-mesh' }), (err: CliError) => {
      assert.equal(err.exitCode, 9);
      assert.match(err.message, /deployment\/discovery is at 0 replicas with no recorded original count: pass --replicas N/);
      return true;
    });
    assert.deepEqual(
      cluster.calls.filter((c) => c.startsWith('scale')),
      [],
    );
  });

  it('keeps a running workload with no record (a down interrupted before reaching it) and restores the rest', async () => {
    const cluster = new FakeCluster();
    cluster.addWorkload('Deployment', 'networking', 0, { [ORIGINAL_REPLICAS_ANNOTATION]: '2' });
    cluster.addWorkload('Deployment', 'discovery', 3);
    const io = await runVerb(cluster, 'up', { profile: 'gloo-mesh', timeout: '5s', quietPeriod: '50ms' });
    assert.deepEqual(
      cluster.calls.filter((c) => c.startsWith('scale') || c.startsWith('annotate')),
      ['scale networking 2', `annotate networking {"${ORIGINAL_REPLICAS_ANNOTATION}":null}`],
    );
    assert.match(io.err.text(), /deployment\/discovery: no record and already at 3 replicas: kept\n/);
    assert.ok(
      io.err.text().indexOf('discovery settled') < io.err.text().indexOf('deployment/networking: scaling'),
      'discovery still settles first',
    );
    assert.deepEqual([replicasOf(cluster, 'networking'), replicasOf(cluster, 'discovery')], [2, 3]);
  });

  it('uses --replicas for a workload with no record', async () => {
    const cluster = new FakeCluster();
    cluster.addWorkload('Deployment', 'web', 0);
    await runVerb(cluster, 'up', { workload: ['deploy/web'], replicas: 2, timeout: '5s' });
    assert.equal(replicasOf(cluster, 'web'), 2);
  });

  it('retries a 409 conflict on the scale write', async () => {
    const cluster = glooCluster();
    cluster.failNext.set('networking', [409]);
    await runVerb(cluster, 'down', { profile: 'gloo-mesh', timeout: '5s', only: ['networking'] });
    assert.equal(replicasOf(cluster, 'networking'), 0);
    assert.equal(recordOf(cluster, 'networking'), '2');
  });

  for (const { write, recorded, permission } of [
    { write: 'the record annotation', recorded: undefined, permission: 'patch deployments' },
    { write: 'the scale subresource', recorded: '2', permission: 'patch deployments/scale' },
  ]) {
    it(`fails a 403 on ${write} with exit 5, naming the permission it needs`, async () => {
      const cluster = new FakeCluster();
      cluster.addWorkload('Deployment', 'networking', 2, recorded ? { [ORIGINAL_REPLICAS_ANNOTATION]: recorded } : undefined);
      cluster.addWorkload('Deployment', 'discovery', 2);
      cluster.failNext.set('networking', [403]);
      await assert.rejects(runVerb(cluster, 'down', { profile: 'gloo-mesh', only: ['networking'] }), (err: CliError) => {
        assert.equal(err.exitCode, 5);
        assert.equal(err.message, `fake 403 (meshscale needs "${permission}" (apps) in namespace ns)`);
        return true;
      });
      assert.equal(replicasOf(cluster, 'networking'), 2);
    });
  }

  it('reconnects when the watch stream drops during a wait', async () => {
    const cluster = glooCluster();
    cluster.dropWatches = 1;
    // Status only follows a tick later, so the first list sees the old status and the wait must watch.
    await runVerb(cluster, 'down', { profile: 'gloo-mesh', timeout: '5s', only: ['networking'] });
    assert.equal(replicasOf(cluster, 'networking'), 0);
    assert.ok(cluster.calls.filter((c) => c === 'watch networking').length >= 1);
  });

  it('writes nothing persistent with --dry-run=server', async () => {
    const cluster = glooCluster();
    await runVerb(cluster, 'down', { profile: 'gloo-mesh', dryRun: 'server' });
    const writes = cluster.calls.filter((c) => !c.startsWith('list'));
    assert.ok(writes.length > 0 && writes.every((c) => c.endsWith('dry-run')));
    assert.equal(replicasOf(cluster, 'networking'), 2);
  });

  it('names the dry run the user chose on every progress line (a client dry run is never called a server one)', async () => {
    for (const mode of ['client', 'server'] as const) {
      const io = await runVerb(glooCluster(), 'down', { profile: 'gloo-mesh', dryRun: mode });
      const other = mode === 'client' ? 'server' : 'client';
      assert.match(io.err.text(), new RegExp(`deployment/networking: recorded 2, scaling 2 -> 0 \\(${mode} dry run\\)`));
      assert.doesNotMatch(io.err.text(), new RegExp(`${other} dry run`));
    }
  });

  it('shows with --dry-run=server what down would change, and the HPA and PDB consequences apart', async () => {
    const cluster = glooCluster(2, 3);
    cluster.objects.set('horizontalpodautoscalers', [
      {
        metadata: { name: 'discovery-hpa', namespace: 'ns' },
        spec: { scaleTargetRef: { kind: 'Deployment', name: 'discovery' }, minReplicas: 2, maxReplicas: 5 },
      },
    ]);
    cluster.objects.set('poddisruptionbudgets', [
      {
        metadata: { name: 'networking-pdb', namespace: 'ns' },
        spec: { minAvailable: 1, selector: { matchLabels: { app: 'networking' } } },
      },
    ]);
    cluster.addObject('meshes', 'm1');
    const io = await runVerb(cluster, 'down', { profile: 'gloo-mesh', dryRun: 'server', purgeDiscovery: true });
    assert.equal(
      io.out.text(),
      [
        'server dry run (dryRun=All): nothing was changed; "down" in ns would:',
        `  deployment/networking: replicas 2 -> 0, record ${ORIGINAL_REPLICAS_ANNOTATION}=2`,
        `  deployment/discovery: replicas 3 -> 0, record ${ORIGINAL_REPLICAS_ANNOTATION}=3`,
        '  then delete the discovery.mesh.gloo.solo.io resources: TrafficTarget=0 Workload=0 Mesh=1',
        'HPA/PDB consequences:',
        '  PDB networking-pdb (minAvailable 1) selects the pods of deployment/networking: at 0 it allows no disruptions, so it would block eviction (node drains) of any pod it selects until networking is scaled up',
        '  HPA discovery-hpa targets deployment/discovery: min 2, max 5 — it stops acting at 0; once anything scales discovery above 0 it will scale it back up to at least 2',
        '',
      ].join('\n'),
    );
    assert.doesNotMatch(io.err.text(), /warning:/, 'the consequences are not repeated as warnings');
    assert.deepEqual(
      [replicasOf(cluster, 'networking'), replicasOf(cluster, 'discovery'), cluster.objects.get('meshes')!.length],
      [2, 3, 1],
    );
    assert.equal(recordOf(cluster, 'networking'), undefined);
  });

  it('shows with --dry-run=server what up would restore, the settle wait, and an HPA that will fight the count', async () => {
    const cluster = glooCluster(2, 3);
    await runVerb(cluster, 'down', { profile: 'gloo-mesh', timeout: '5s' });
    cluster.objects.set('horizontalpodautoscalers', [
      {
        metadata: { name: 'networking-hpa', namespace: 'ns' },
        spec: { scaleTargetRef: { kind: 'Deployment', name: 'networking' }, minReplicas: 3, maxReplicas: 4 },
      },
    ]);
    cluster.calls.length = 0;
    const io = await runVerb(cluster, 'up', { profile: 'gloo-mesh', dryRun: 'server', quietPeriod: '2s' });
    assert.equal(
      io.out.text(),
      [
        'server dry run (dryRun=All): nothing was changed; "up" in ns would:',
        `  deployment/discovery: replicas 0 -> 3 (recorded), then wait until available, remove ${ORIGINAL_REPLICAS_ANNOTATION}`,
        '  wait for discovery.mesh.gloo.solo.io to settle (quiet for 2000ms)',
        `  deployment/networking: replicas 0 -> 2 (recorded), then wait until available, remove ${ORIGINAL_REPLICAS_ANNOTATION}`,
        'HPA/PDB consequences:',
        '  HPA networking-hpa targets deployment/networking: min 3, max 4 — it will scale it from 2 to 3',
        '',
      ].join('\n'),
    );
    assert.deepEqual(
      cluster.calls.filter((c) => c.startsWith('scale')),
      ['scale discovery 3 dry-run', 'scale networking 2 dry-run'],
    );
    assert.deepEqual([replicasOf(cluster, 'networking'), recordOf(cluster, 'networking')], [0, '2']);
  });

  it('stops at Ctrl-C with exit 130, and down then up converge to the original counts', async () => {
    const cluster = glooCluster(2, 3);
    const controller = new AbortController();
    cluster.onScale = (name) => {
      if (name === 'networking') controller.abort();
    };
    await assert.rejects(
      runVerb(cluster, 'down', { profile: 'gloo-mesh', timeout: '5s' }, controller.signal),
      (err: CliError) => err.exitCode === 130,
    );
    assert.equal(replicasOf(cluster, 'discovery'), 3);
    cluster.onScale = () => {};
    await runVerb(cluster, 'down', { profile: 'gloo-mesh', timeout: '5s' });
    await runVerb(cluster, 'up', { profile: 'gloo-mesh', timeout: '5s', quietPeriod: '50ms' });
    assert.equal(replicasOf(cluster, 'networking'), 2);
    assert.equal(replicasOf(cluster, 'discovery'), 3);
  });

  it('prints status as JSON with the recorded original', async () => {
    const cluster = glooCluster(2, 3);
    await runVerb(cluster, 'down', { profile: 'gloo-mesh', timeout: '5s', only: ['networking'] });
    const io = await runVerb(cluster, 'status', { profile: 'gloo-mesh', output: 'json' });
    const parsed = JSON.parse(io.out.text()) as { workloads: Array<{ name: string; desired: number; recordedOriginal: number | null }> };
    assert.deepEqual(
      parsed.workloads.map((w) => [w.name, w.desired, w.recordedOriginal]),
      [
        ['networking', 0, 2],
        ['discovery', 3, null],
      ],
    );
  });

  it('refuses a namespace without the product (exit 9), before writing anything', async () => {
    const cluster = new FakeCluster();
    await assert.rejects(runVerb(cluster, 'down', { profile: 'gloo-mesh' }), (err: CliError) => {
      assert.equal(err.exitCode, 9);
      assert.equal(err.message, 'deployment/networking, deployment/discovery not found in namespace ns: is the product installed there?');
      return true;
    });
    assert.deepEqual(
      cluster.calls.filter((c) => !c.startsWith('list')),
      [],
    );
  });

  it('refuses down when a later workload of the profile is missing, before scaling any (exit 9)', async () => {
    const cluster = new FakeCluster();
    cluster.addWorkload('Deployment', 'networking', 2);
    await assert.rejects(runVerb(cluster, 'down', { profile: 'gloo-mesh', timeout: '5s' }), (err: CliError) => {
      assert.equal(err.exitCode, 9);
      assert.equal(err.message, 'deployment/discovery not found in namespace ns: is the product installed there?');
      return true;
    });
    assert.deepEqual(
      cluster.calls.filter((c) => c.startsWith('scale') || c.startsWith('annotate')),
      [],
    );
    assert.equal(replicasOf(cluster, 'networking'), 2);
  });

  it('brings back what down took down even when another workload of the profile has gone since (exit 7 naming it)', async () => {
    const cluster = glooCluster(2, 3);
    await runVerb(cluster, 'down', { profile: 'gloo-mesh', timeout: '5s' });
    cluster.workloads.delete('Deployment/discovery');
    await assert.rejects(runVerb(cluster, 'up', { profile: 'gloo-mesh', timeout: '5s', quietPeriod: '10ms' }), (err: CliError) => {
      assert.equal(err.exitCode, 7);
      assert.match(err.message, /1 workload\(s\) brought back; 1 not found in namespace ns: deployment\/discovery/);
      return true;
    });
    assert.equal(replicasOf(cluster, 'networking'), 2);
    assert.equal(recordOf(cluster, 'networking'), undefined);
  });

  it('refuses a wait past what a timer can hold before scaling anything (an overflowed timer fires at once)', async () => {
    const cluster = glooCluster(2, 3);
    const ctx = {
      ports: cluster.ports(),
      namespace: 'ns',
      timeoutMs: 999_999 * 3_600_000,
      dryRun: 'none' as const,
      report: () => undefined,
    };
    await assert.rejects(
      scaleDown(ctx, planTargets('down', { profile: glooMeshProfile })),
      /--timeout must be a duration from 0 to 24 days/,
    );
    await assert.rejects(
      scaleUp({ ...ctx, timeoutMs: 5000 }, planTargets('up', { profile: glooMeshProfile }), {
        settleKinds: [],
        settleTimeoutMs: 5000,
        quietPeriodMs: 999 * 3_600_000,
      }),
      /--quiet-period must be a duration/,
    );
    assert.deepEqual(
      cluster.calls.filter((c) => c.startsWith('scale') || c.startsWith('annotate')),
      [],
    );
  });

  it('refuses an unknown --workload (exit 9) naming it and the namespace', async () => {
    const cluster = glooCluster();
    await assert.rejects(runVerb(cluster, 'down', { workload: ['sts/nope'] }), (err: CliError) => {
      assert.equal(err.exitCode, 9);
      assert.equal(err.message, 'statefulset/nope not found in namespace ns: is the product installed there?');
      return true;
    });
  });

  it('rejects an unknown profile as a usage error', async () => {
    const options = new ScaleOptions(testContext(), 'down');
    await assert.rejects(options.complete({ profile: 'nope' }), /unknown profile "nope"/);
  });
});
