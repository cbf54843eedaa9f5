import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import {
  expectedManager,
  parseConflicts,
  readiness,
  runSync,
  type Observed,
  type SyncOptions,
} from '../../../plugins/helm-crdsync/sync/sync.js';
import { CliError, InterruptedError, PartialFailureError, PreconditionError, TimeoutError } from '../../../shared/errors/errors.js';
import { ExitCode } from '../../../shared/errors/exit-codes.js';
import type { IncomingCrd } from '../../../shared/crds/plan.js';
import type { KubeObject } from '../../../shared/kube/ports.js';
import { aCrd } from '../../fixtures/crd-builder.js';
import { FakeCrdCluster } from './fake-crd-cluster.js';

const incoming = (...crds: KubeObject[]): IncomingCrd[] => crds.map((crd) => ({ crd, file: 'crds/test.yaml' }));

describe('crdsync: sync (observe, refuse, save, apply, wait)', () => {
  let dir: string;
  let progress: string[];
  let plans: Observed[];
  const options = (overrides: Partial<SyncOptions> = {}): SyncOptions => ({
    fieldManager: 'helm-crdsync',
    dryRun: 'none',
    allowBreaking: false,
    forceConflicts: false,
    wait: true,
    timeoutMs: 10_000,
    backupDir: path.join(dir, 'backups'),
    concurrency: 4,
    progress: (line) => progress.push(line),
    ...overrides,
  });
  const onPlan = (observed: Observed) => plans.push(observed);

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'crdsync-unit-'));
    progress = [];
    plans = [];
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  const v1 = aCrd().withVersion('v1').build() as KubeObject;
  const v1v2 = aCrd().withVersion('v1').withVersion('v2', { storage: false }).build() as KubeObject;
  const fresh = aCrd().forKind('other.example', 'Gadget').build() as KubeObject;

  it('creates new CRDs, updates changed ones after saving them 0600, and waits for them', async () => {
    const cluster = new FakeCrdCluster().seed(v1, ['v1'], 4);
    const result = await runSync(cluster, incoming(v1v2, fresh), options(), onPlan);
    assert.deepEqual(result.applied, ['gadgets.other.example', 'widgets.widgets.example.test']);
    assert.deepEqual(
      cluster
        .writes()
        .map((w) => [w.name, w.force, w.fieldManager])
        .sort(),
      [
        ['gadgets.other.example', true, 'helm-crdsync'],
        ['widgets.widgets.example.test', true, 'helm-crdsync'],
      ],
    );
    assert.equal(plans.length, 1);
    assert.deepEqual(
      plans[0]?.plan.entries.map((e) => [e.name, e.action, e.objectCount]),
      [
        ['widgets.widgets.example.test', 'update', 4],
        ['gadgets.other.example', 'create', undefined],
      ],
    );
    const backup = result.backupFile as string;
    assert.equal((await fs.stat(backup)).mode & 0o777, 0o600);
    const saved = yaml.loadAll(await fs.readFile(backup, 'utf8')) as KubeObject[];
    assert.deepEqual(
      saved.map((crd) => crd.metadata?.name),
      ['widgets.widgets.example.test'],
    );
    assert.equal(saved[0]?.metadata?.resourceVersion, undefined, 'no server fields: the file applies back');
    assert.equal((saved[0]?.spec as { versions: unknown[] }).versions.length, 1, 'the live spec, before the change');
    assert.ok(progress.some((line) => line.includes(backup) && line.includes('kubectl apply --server-side')));
  });

  it('writes nothing and reports nothing to do when every CRD is unchanged', async () => {
    const cluster = new FakeCrdCluster().seed(v1, ['v1']);
    const result = await runSync(cluster, incoming(v1), options(), onPlan);
    assert.deepEqual(result.applied, []);
    assert.deepEqual(cluster.writes(), []);
    assert.equal(result.backupFile, undefined);
    assert.equal(plans[0]?.plan.entries[0]?.action, 'unchanged');
  });

  it('does not dry-run a CRD whose spec equals the live one, and counts objects only of CRDs that change', async () => {
    const other = aCrd().forKind('other.example', 'Gizmo').withVersion('v1').build() as KubeObject;
    const otherV2 = aCrd().forKind('other.example', 'Gizmo').withVersion('v1').withVersion('v2', { storage: false }).build() as KubeObject;
    const cluster = new FakeCrdCluster().seed(v1, ['v1'], 3).seed(other, ['v1'], 5);
    const listed: string[] = [];
    const list = cluster.customObjects.list;
    cluster.customObjects.list = async (gvr, opts) => (listed.push(gvr.resource), list(gvr, opts));
    await runSync(cluster, incoming(v1, otherV2), options(), onPlan);
    assert.deepEqual(
      cluster.applies.map((call) => [call.name, call.dryRun]),
      [
        ['gizmos.other.example', true],
        ['gizmos.other.example', false],
      ],
    );
    assert.deepEqual(listed, ['gizmos']);
    assert.deepEqual(
      plans[0]?.plan.entries.map((e) => [e.name, e.action, e.objectCount]),
      [
        ['widgets.widgets.example.test', 'unchanged', undefined],
        ['gizmos.other.example', 'update', 5],
      ],
    );
  });

  it("counts a changed CRD's objects from one request when the server says how many remain, paging otherwise", async () => {
    const counted = new FakeCrdCluster().seed(v1, ['v1'], 1200);
    await runSync(counted, incoming(v1v2), options({ dryRun: 'client' }), onPlan);
    assert.equal(plans[0]?.plan.entries[0]?.objectCount, 1200);
    assert.equal(counted.listCalls, 1);
    const paged = new FakeCrdCluster().seed(v1, ['v1'], 1200);
    paged.omitRemainingItemCount = true;
    await runSync(paged, incoming(v1v2), options({ dryRun: 'client' }), onPlan);
    assert.equal(plans[1]?.plan.entries[0]?.objectCount, 1200);
    assert.equal(paged.listCalls, 4, 'one object, then pages of 500');
  });

  it('observes each CRD as the source yields it: the dry-run of one is sent before the next file is read', async () => {
    const cluster = new FakeCrdCluster().seed(v1, ['v1']);
    const sentBeforeNext: boolean[] = [];
    async function* source(): AsyncGenerator<IncomingCrd> {
      yield { crd: v1v2, file: 'crds/a.yaml' };
      await new Promise((resolve) => setImmediate(resolve));
      sentBeforeNext.push(cluster.applies.some((call) => call.name === 'widgets.widgets.example.test' && call.dryRun));
      yield { crd: fresh, file: 'crds/b.yaml' };
    }
    const result = await runSync(cluster, source(), options(), onPlan);
    assert.deepEqual(sentBeforeNext, [true]);
    assert.deepEqual(result.applied, ['gadgets.other.example', 'widgets.widgets.example.test']);
    assert.deepEqual(
      plans[0]?.plan.entries.map((e) => e.name),
      ['widgets.widgets.example.test', 'gadgets.other.example'],
      'the plan keeps the source order',
    );
  });

  it("waits for a new CRD with a watch from the apply answer's resourceVersion, without reading it again", async () => {
    const cluster = new FakeCrdCluster();
    cluster.conditionsAfterApply = [{ type: 'NamesAccepted', status: 'True' }];
    cluster.establishAfterWatches.set('gadgets.other.example', 1);
    const result = await runSync(cluster, incoming(fresh), options(), onPlan);
    assert.deepEqual(result.applied, ['gadgets.other.example']);
    assert.deepEqual(cluster.watches, [{ fieldSelector: 'metadata.name=gadgets.other.example', resourceVersion: '1' }]);
    assert.equal(cluster.gets, 0, 'no polling');
  });

  it('with --dry-run=client plans and sends only dry-run requests', async () => {
    const cluster = new FakeCrdCluster().seed(v1, ['v1']);
    const result = await runSync(cluster, incoming(v1v2, fresh), options({ dryRun: 'client' }), onPlan);
    assert.deepEqual(result.applied, []);
    assert.deepEqual(cluster.writes(), []);
    assert.ok(cluster.applies.every((call) => call.dryRun));
    assert.equal(result.backupFile, undefined);
  });

  it('with --dry-run=server sends every apply with dryRun=All, saves nothing and does not wait', async () => {
    const cluster = new FakeCrdCluster().seed(v1, ['v1']);
    const result = await runSync(cluster, incoming(v1v2), options({ dryRun: 'server' }), onPlan);
    assert.deepEqual(result.applied, ['widgets.widgets.example.test']);
    assert.deepEqual(cluster.writes(), []);
    assert.equal(result.backupFile, undefined);
    assert.deepEqual(await fs.readdir(dir), []);
  });

  it('refuses to drop a version still in status.storedVersions, with exit 9, writing nothing', async () => {
    const old = aCrd().withVersion('v1alpha1').withVersion('v1', { storage: false }).build() as KubeObject;
    const cluster = new FakeCrdCluster().seed(old, ['v1alpha1', 'v1'], 7);
    const err = await runSync(cluster, incoming(v1), options({ allowBreaking: true }), onPlan).then(
      () => assert.fail('expected a refusal'),
      (e: unknown) => e,
    );
    assert.ok(err instanceof PreconditionError);
    assert.equal(err.exitCode, ExitCode.Precondition);
    assert.match(
      err.message,
      /refusing to drop version v1alpha1 of widgets\.widgets\.example\.test: it is in status\.storedVersions and up to 7 object\(s\)/,
    );
    assert.match(err.message, /nothing was applied/);
    assert.deepEqual(cluster.writes(), []);
    assert.equal(plans.length, 1, 'the plan is shown before the refusal');
  });

  it("explains a dropped stored version rather than repeating the server's rejection of it", async () => {
    const old = aCrd().withVersion('v1alpha1').build() as KubeObject;
    const cluster = new FakeCrdCluster().seed(old, ['v1alpha1'], 2);
    cluster.rejections.set(
      'widgets.widgets.example.test',
      'status.storedVersions[0]: Invalid value: "v1alpha1": must appear in spec.versions',
    );
    await assert.rejects(runSync(cluster, incoming(v1), options({ allowBreaking: true }), onPlan), (err: unknown) => {
      assert.ok(err instanceof PreconditionError);
      assert.match(
        err.message,
        /^refusing to drop version v1alpha1 .* 2 object\(s\) are stored in it; migrate first.*; nothing was applied$/,
      );
      assert.doesNotMatch(err.message, /more refusal/);
      return true;
    });
  });

  it('names at most three breaking changes in the one-line refusal', async () => {
    const props = (names: string[]) => ({
      type: 'object',
      properties: { spec: { type: 'object', properties: Object.fromEntries(names.map((n) => [n, { type: 'string' }])) } },
    });
    const cluster = new FakeCrdCluster().seed(
      aCrd()
        .withVersion('v1', { schema: props(['a', 'b', 'c', 'd', 'e']) })
        .build() as KubeObject,
      ['v1'],
    );
    await assert.rejects(
      runSync(
        cluster,
        incoming(
          aCrd()
            .withVersion('v1', { schema: props([]) })
            .build() as KubeObject,
        ),
        options(),
        onPlan,
      ),
      (err: unknown) => {
        assert.ok(err instanceof PreconditionError);
        assert.match(
          err.message,
          /refusing 5 breaking change\(s\) to served versions of 1 CRD\(s\).*\.spec\.c: field removed; … 2 more in the plan/,
        );
        return true;
      },
    );
  });

  it('refuses breaking changes to a served version unless --allow-breaking, listing them', async () => {
    const withField = aCrd()
      .withVersion('v1', { schema: { type: 'object', properties: { spec: { type: 'object', properties: { a: { type: 'string' } } } } } })
      .build() as KubeObject;
    const without = aCrd()
      .withVersion('v1', { schema: { type: 'object', properties: { spec: { type: 'object', properties: {} } } } })
      .build() as KubeObject;
    const cluster = new FakeCrdCluster().seed(withField, ['v1']);
    await assert.rejects(runSync(cluster, incoming(without), options(), onPlan), (err: unknown) => {
      assert.ok(err instanceof PreconditionError);
      assert.match(err.message, /1 breaking change\(s\).*--allow-breaking.*widgets\.widgets\.example\.test v1 \.spec\.a: field removed/);
      return true;
    });
    assert.deepEqual(cluster.writes(), []);
    const result = await runSync(cluster, incoming(without), options({ allowBreaking: true }), onPlan);
    assert.deepEqual(result.applied, ['widgets.widgets.example.test']);
  });

  it('overrides fields owned by helm or kubectl without asking, naming them in the plan', async () => {
    const cluster = new FakeCrdCluster().seed(v1, ['v1'], 0, ['helm', 'kubectl-client-side-apply']);
    cluster.conflictMessages.set(
      'widgets.widgets.example.test',
      'Apply failed with 1 conflict: conflict with "helm" using apiextensions.k8s.io/v1: .spec.versions',
    );
    const result = await runSync(cluster, incoming(v1v2), options(), onPlan);
    assert.deepEqual(result.applied, ['widgets.widgets.example.test']);
    assert.deepEqual(
      cluster.applies.filter((call) => call.dryRun).map((call) => call.force),
      [true],
      'one forced dry-run: no pass to learn conflicts',
    );
    assert.deepEqual(
      [...(plans[0]?.conflicts.get('widgets.widgets.example.test') ?? [])].map((c) => c.manager),
      ['helm', 'kubectl-client-side-apply'],
    );
  });

  it('names no fields to take over for a CRD that applying leaves unchanged', async () => {
    const defaulted = structuredClone(v1);
    defaulted.spec = { ...(defaulted.spec as Record<string, unknown>), conversion: { strategy: 'None' } };
    const cluster = new FakeCrdCluster().seed(defaulted, ['v1'], 0, ['helm', 'before-first-apply']);
    cluster.defaultConversion = true;
    await runSync(cluster, incoming(v1), options({ dryRun: 'client' }), onPlan);
    assert.equal(cluster.applies.filter((call) => call.dryRun).length, 1, 'the live spec differs by a default: dry-run asked');
    assert.equal(plans[0]?.plan.entries[0]?.action, 'unchanged');
    assert.equal(plans[0]?.conflicts.has('widgets.widgets.example.test'), false);
  });

  it("refuses to take over another tool's fields (a cainjector caBundle) without --force-conflicts", async () => {
    const cluster = new FakeCrdCluster().seed(v1, ['v1'], 0, ['helm', 'cainjector']);
    cluster.conflictMessages.set(
      'widgets.widgets.example.test',
      'Apply failed with 2 conflicts: conflicts with "cainjector":\n- .spec.conversion.webhook.clientConfig.caBundle\nconflicts with "helm" using apiextensions.k8s.io/v1:\n- .spec.versions',
    );
    await assert.rejects(runSync(cluster, incoming(v1v2), options(), onPlan), (err: unknown) => {
      assert.ok(err instanceof PreconditionError);
      assert.match(err.message, /--force-conflicts.*caBundle \(owned by cainjector\)/);
      assert.doesNotMatch(err.message, /owned by helm/);
      return true;
    });
    assert.deepEqual(cluster.writes(), []);
    const result = await runSync(cluster, incoming(v1v2), options({ forceConflicts: true }), onPlan);
    assert.deepEqual(result.applied, ['widgets.widgets.example.test']);
  });

  it('stops before any write when the server rejects one CRD on dry-run (exit 6)', async () => {
    const cluster = new FakeCrdCluster();
    cluster.rejections.set(
      'gadgets.other.example',
      'CustomResourceDefinition.apiextensions.k8s.io "gadgets.other.example" is invalid: spec.versions[0].schema.openAPIV3Schema: Required value',
    );
    await assert.rejects(runSync(cluster, incoming(v1, fresh), options(), onPlan), (err: unknown) => {
      assert.ok(err instanceof CliError);
      assert.equal(err.exitCode, ExitCode.ApiError);
      assert.match(err.message, /the API server rejects gadgets\.other\.example: .*Required value; nothing was applied/);
      return true;
    });
    assert.deepEqual(cluster.writes(), []);
  });

  it('fails on a CRD whose schema is not structural', async () => {
    const cluster = new FakeCrdCluster();
    cluster.conditionsAfterApply = [
      { type: 'NamesAccepted', status: 'True' },
      { type: 'Established', status: 'True' },
      { type: 'NonStructuralSchema', status: 'True', message: 'spec.versions[0].schema.openAPIV3Schema.type: Required value' },
    ];
    await assert.rejects(runSync(cluster, incoming(fresh), options(), onPlan), /NonStructuralSchema: spec\.versions\[0\]/);
  });

  it('times out (exit 8) when a CRD never becomes Established', async () => {
    const cluster = new FakeCrdCluster();
    cluster.conditionsAfterApply = [{ type: 'NamesAccepted', status: 'True' }];
    await assert.rejects(runSync(cluster, incoming(fresh), options({ timeoutMs: 5_000 }), onPlan), (err: unknown) => {
      assert.ok(err instanceof TimeoutError);
      assert.match(err.message, /gadgets\.other\.example \(waiting for Established\)/);
      return true;
    });
    assert.ok(cluster.clock >= 5_000);
  });

  it('stops before the next apply on Ctrl-C and says which were applied (exit 130)', async () => {
    const cluster = new FakeCrdCluster().seed(v1, ['v1']);
    const interrupt = new AbortController();
    const original = cluster.crds.apply;
    cluster.crds.apply = async (crd, opts) => {
      const answer = await original(crd, opts);
      if (!opts.dryRun) interrupt.abort();
      return answer;
    };
    await assert.rejects(
      runSync(cluster, incoming(v1v2, fresh), options({ concurrency: 1, signal: interrupt.signal }), onPlan),
      (err: unknown) => {
        assert.ok(err instanceof InterruptedError);
        assert.match(
          err.message,
          /interrupted: applied 1 of 2 CRD\(s\) \(gadgets\.other\.example\); undo with kubectl apply --server-side/,
        );
        return true;
      },
    );
    // The new CRD goes first (its establishing then overlaps the other applies), though the update is larger.
    assert.deepEqual(
      cluster.writes().map((w) => w.name),
      ['gadgets.other.example'],
    );
  });

  it('continues past a CRD that fails to apply, then reports all failures with the undo (exit 7)', async () => {
    const cluster = new FakeCrdCluster().seed(v1, ['v1']);
    const original = cluster.crds.apply;
    cluster.crds.apply = async (crd, opts) => {
      if (!opts.dryRun && crd.metadata?.name === 'gadgets.other.example') throw new CliError('the server went away', ExitCode.Unreachable);
      return original(crd, opts);
    };
    await assert.rejects(runSync(cluster, incoming(v1v2, fresh), options(), onPlan), (err: unknown) => {
      assert.ok(err instanceof PartialFailureError);
      assert.match(
        err.message,
        /1 of 2 CRD\(s\) failed to apply \(gadgets\.other\.example: the server went away\); undo with kubectl apply --server-side --force-conflicts -f /,
      );
      return true;
    });
    assert.deepEqual(
      cluster.writes().map((w) => w.name),
      ['widgets.widgets.example.test'],
    );
  });
});

describe('crdsync: conflicts and readiness', () => {
  it('reads a single conflict and a list of conflicts from the server message', () => {
    assert.deepEqual(
      parseConflicts(
        'Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apiextensions.k8s.io/v1: .spec.versions',
      ),
      [{ manager: 'kubectl-client-side-apply', field: '.spec.versions' }],
    );
    assert.deepEqual(parseConflicts('Apply failed with 2 conflicts: conflicts with "a":\n- .x\n- .y'), [
      { manager: 'a', field: '.x' },
      { manager: 'a', field: '.y' },
    ]);
  });

  it('expects helm (also Helm 3 without a User-Agent) and kubectl owners, not other tools', () => {
    assert.deepEqual(
      [
        'helm',
        'Go-http-client',
        'kubectl',
        'kubectl-client-side-apply',
        'kubectl-edit',
        'before-first-apply',
        'cainjector',
        'helm-controller',
      ].map(expectedManager),
      [true, true, true, true, true, true, false, false],
    );
  });

  it('reads Established, NamesAccepted and NonStructuralSchema', () => {
    const crd = (conditions: Array<{ type: string; status: string }>): KubeObject => ({ status: { conditions } });
    assert.deepEqual(
      readiness(
        crd([
          { type: 'NamesAccepted', status: 'True' },
          { type: 'Established', status: 'True' },
        ]),
      ),
      { ready: true },
    );
    assert.equal(readiness(crd([{ type: 'NamesAccepted', status: 'False' }])).ready, false);
    assert.match(
      String((readiness(crd([{ type: 'NamesAccepted', status: 'False' }])) as { failed?: string }).failed),
      /NamesAccepted=False/,
    );
    assert.deepEqual(readiness(crd([{ type: 'NamesAccepted', status: 'True' }])), { ready: false, waiting: 'Established' });
  });
});
