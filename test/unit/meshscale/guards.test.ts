import assert from 'node:assert/strict';
import { testContext } from '../../support/command-context.js';
import { testStreams } from '../../../shared/io/streams.js';
import { ApiStatusError } from '../../../shared/errors/errors.js';
import type { KubeObject } from '../../../shared/kube/ports.js';
import { ScaleOptions } from '../../../plugins/kubectl-meshscale/commands/scale-command.js';
import { blocksScaleToZero, readGuards, selectorMatches } from '../../../plugins/kubectl-meshscale/scale/guards.js';
import { FakeCluster } from './fake-cluster.js';
import { parsed, type VerbArgs } from './verb-args.js';

function glooCluster(): FakeCluster {
  const cluster = new FakeCluster();
  cluster.addWorkload('Deployment', 'networking', 2);
  cluster.addWorkload('Deployment', 'discovery', 2);
  for (const name of ['networking', 'discovery']) {
    const object = cluster.workloads.get(`Deployment/${name}`)!;
    object['spec'] = { ...(object['spec'] as object), template: { metadata: { labels: { app: name } } } };
  }
  return cluster;
}

function hpa(name: string, target: string, minReplicas: number, maxReplicas: number): KubeObject {
  return {
    metadata: { name, namespace: 'ns' },
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: target }, minReplicas, maxReplicas },
  };
}

function pdb(name: string, app: string, budget: Record<string, number | string>): KubeObject {
  return { metadata: { name, namespace: 'ns' }, spec: { selector: { matchLabels: { app } }, ...budget } };
}

async function runVerb(cluster: FakeCluster, verb: 'down' | 'up' | 'status', args: VerbArgs) {
  const io = testStreams();
  const options = new ScaleOptions(testContext({ io }), verb, async () => ({ namespace: 'ns', ports: cluster.ports() }));
  await options.complete(parsed(args));
  options.validate();
  await options.run();
  return io;
}

describe('meshscale HPA and PodDisruptionBudget warnings', () => {
  it('warns on down that an HPA targeting discovery stops acting at 0 and will resize it to its range', async () => {
    const cluster = glooCluster();
    cluster.objects.set('horizontalpodautoscalers', [hpa('discovery-hpa', 'discovery', 3, 5)]);
    const io = await runVerb(cluster, 'down', { profile: 'gloo-mesh', timeout: '5s' });
    const warnings = io.err
      .text()
      .split('\n')
      .filter((l) => l.startsWith('warning:'));
    assert.equal(warnings.length, 1);
    assert.match(
      warnings[0]!,
      /horizontalpodautoscaler\/discovery-hpa targets deployment\/discovery \(minReplicas 3, maxReplicas 5\).*scale back up to at least 3/,
    );
  });

  it('warns on up that an HPA will fight a restored count below its minReplicas', async () => {
    const cluster = glooCluster();
    await runVerb(cluster, 'down', { profile: 'gloo-mesh', timeout: '5s' });
    cluster.objects.set('horizontalpodautoscalers', [hpa('networking-hpa', 'networking', 3, 5)]);
    const io = await runVerb(cluster, 'up', { profile: 'gloo-mesh', timeout: '5s', quietPeriod: '50ms' });
    assert.match(
      io.err.text(),
      /warning: horizontalpodautoscaler\/networking-hpa targets deployment\/networking .*fight the restored count and scale networking from 2 to 3/,
    );
    assert.doesNotMatch(io.err.text(), /targets deployment\/discovery/);
  });

  it('shows the HPA name in the status table and "-" where there is none', async () => {
    const cluster = glooCluster();
    cluster.objects.set('horizontalpodautoscalers', [hpa('discovery-hpa', 'discovery', 1, 4)]);
    const io = await runVerb(cluster, 'status', { profile: 'gloo-mesh', output: 'table' });
    const lines = io.out.text().trim().split('\n');
    assert.match(lines[0]!, /HPA$/);
    assert.match(
      lines.find((l) => l.includes('networking'))!,
      /\s-$/,
    );
    assert.match(
      lines.find((l) => l.includes('discovery'))!,
      /\sdiscovery-hpa$/,
    );
  });

  it('warns on down about a PDB with minAvailable selecting the pods, not about one selecting other pods', async () => {
    const cluster = glooCluster();
    cluster.objects.set('poddisruptionbudgets', [
      pdb('networking-pdb', 'networking', { minAvailable: 1 }),
      pdb('other', 'web', { minAvailable: 1 }),
    ]);
    const io = await runVerb(cluster, 'down', { profile: 'gloo-mesh', timeout: '5s' });
    const warnings = io.err
      .text()
      .split('\n')
      .filter((l) => l.startsWith('warning:'));
    assert.equal(warnings.length, 1);
    assert.match(
      warnings[0]!,
      /poddisruptionbudget\/networking-pdb \(minAvailable 1\) selects the pods of deployment\/networking: scaling to 0 violates it/,
    );
    assert.equal(cluster.calls.filter((c) => c.startsWith('scale ')).length, 2);
  });

  it('judges which budgets scaling to zero violates', () => {
    assert.equal(blocksScaleToZero(pdb('a', 'x', { minAvailable: 0 }), 2), undefined);
    assert.equal(blocksScaleToZero(pdb('a', 'x', { minAvailable: '50%' }), 2), 'minAvailable 50%');
    assert.equal(blocksScaleToZero(pdb('a', 'x', { maxUnavailable: 1 }), 2), 'maxUnavailable 1');
    assert.equal(blocksScaleToZero(pdb('a', 'x', { maxUnavailable: 2 }), 2), undefined);
    assert.equal(blocksScaleToZero(pdb('a', 'x', { maxUnavailable: '100%' }), 2), undefined);
  });

  it('matches label selectors with matchLabels and matchExpressions', () => {
    assert.ok(
      selectorMatches(
        { matchLabels: { app: 'a' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['cp'] }] },
        { app: 'a', tier: 'cp' },
      ),
    );
    assert.ok(!selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['cp'] }] }, { tier: 'cp' }));
    assert.ok(!selectorMatches({ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, { app: 'a' }));
    assert.ok(!selectorMatches(undefined, { app: 'a' }));
  });

  it('turns a forbidden HPA list into a "not checked" problem instead of failing', async () => {
    const ports = new FakeCluster().ports();
    const forbidding = {
      ...ports,
      objects: {
        ...ports.objects,
        list: async () => Promise.reject(new ApiStatusError({ code: 403, reason: 'Forbidden', message: 'forbidden' })),
      },
    };
    const guards = await readGuards(forbidding, 'ns');
    assert.equal(guards.hpas, null);
    assert.equal(guards.problems.length, 2);
    assert.match(guards.problems[0]!, /could not list horizontalpodautoscalers.autoscaling in ns .*not checked/);
  });
});
