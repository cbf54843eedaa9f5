/**
 * "With the sandbox injecting 429/500/resets, a save and a restore of 10,000 objects lose
 * nothing": through `kubectl meshbackup` (real plugin discovery), names and specs compared, not
 * only counts. Sandbox-only: fault injection and the audit log exist only there.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import type { SandboxHandle } from '../../../sandbox/index.js';
import { openArchive, parseMember } from '../../../plugins/kubectl-meshbackup/backup/archive.js';
import { ClientEnv, expectSuccess, type TestCluster } from '../../support/cluster.js';
import { requireSandbox, startE2eCluster } from '../../support/target.js';
import { assertSameSet, BulkTarget, canonical, bulkKind, group, restoreSummary, seedObjects, snapshotOf, type Snapshot } from './bulk.js';

describe('kubectl meshbackup save and restore of 10,000 objects while the sandbox injects 429, 500, 503 and resets', function () {
  this.timeout(240_000);
  const kinds = [bulkKind('Alpha'), bulkKind('Bravo')];
  const namespaces = ['faults-a', 'faults-b'];
  const perKind = 5_000;
  let cluster: TestCluster & { sandbox?: SandboxHandle };
  let sandbox: SandboxHandle;
  let client: ClientEnv;
  let target: BulkTarget;
  let archive: string;
  const expected = new Map<string, Snapshot>();

  before(async function () {
    cluster = await startE2eCluster({});
    sandbox = requireSandbox(this, cluster, 'fault injection and the audit log');
    client = new ClientEnv(cluster.kubeconfig);
    target = new BulkTarget(cluster, client);
    await target.install(kinds, namespaces);
    for (const kind of kinds) {
      const objects = seedObjects(kind, namespaces, perKind);
      await target.seed(objects);
      expected.set(kind.plural, snapshotOf(objects));
    }
    archive = path.join(client.home, 'faults.tar.gz');
  });
  after(async () => {
    await target?.dispose(kinds, namespaces);
    client?.dispose();
    await cluster?.close();
  });

  const resourcePath = `/apis/${group}/`;

  it('saves every object exactly once while lists throttle, fail and reset mid-pagination', async () => {
    sandbox.audit.clear();
    // The first list of bravos is throttled for sure; then each page has about a 1 in 3 chance of
    // a fault. 429s are few because each waits its Retry-After.
    const throttledPath = `/apis/${group}/v1/bravos`;
    sandbox.faults.set(
      [
        `429:verb=list,path=^${throttledPath.replace(/\./g, '\\.')}$,count=1,retry-after=1`,
        '429:verb=list,rate=0.05,count=3,retry-after=1',
        '500:verb=list,rate=0.1',
        '503:verb=list,rate=0.1',
        'reset:verb=list,rate=0.1',
      ].join(';'),
    );
    let result;
    try {
      result = await client.kubectl(['meshbackup', 'save', '--group', group, '-A', '-f', archive]);
    } finally {
      sandbox.faults.clear();
    }
    expectSuccess(result, 'save under faults');
    assert.match(result.stdout, new RegExp(`: ${perKind * kinds.length} objects of ${kinds.length} kinds`));

    const pages = sandbox.audit.entries().filter((entry) => entry.verb === 'list' && entry.path.startsWith(resourcePath));
    const faulted = pages.filter((entry) => entry.fault);
    assert.ok(
      faulted.some((entry) => /(^|&)continue=/.test(entry.query)),
      'a page after the first was faulted (and retried)',
    );
    assert.ok(
      new Set(faulted.map((entry) => entry.fault)).size >= 2,
      `several kinds of fault: ${faulted.map((entry) => entry.fault).join(',')}`,
    );
    // A retried page asks again with the same continue token: every faulted page request is followed
    // by one just like it that got through. (Not so for save's one-object permission probes, which
    // give up quietly after the client's own retries: the listing proper reports any failure.)
    const retryOf = (entry: (typeof pages)[number]) =>
      pages.slice(pages.indexOf(entry) + 1).find((other) => other.path === entry.path && other.query === entry.query);
    for (const entry of faulted.filter((page) => /(^|&)limit=500(&|$)/.test(page.query))) {
      assert.ok(
        pages.some((other) => other !== entry && !other.fault && other.path === entry.path && other.query === entry.query),
        `retried: ${entry.path}?${entry.query}`,
      );
    }
    // Retry-After is honoured: the throttled request came again no sooner than the server asked.
    const throttled = pages.find((entry) => entry.path === throttledPath && entry.fault === '429');
    assert.ok(throttled, 'the first bravos list was throttled');
    const again = retryOf(throttled);
    assert.ok(again, 'and asked again');
    assert.ok(
      Date.parse(again.time) - Date.parse(throttled.time) >= 1000,
      `after ${Date.parse(again.time) - Date.parse(throttled.time)} ms (Retry-After: 1)`,
    );

    const opened = await openArchive(archive);
    try {
      for (const kind of kinds) {
        const entry = opened.manifest.kinds.find((candidate) => candidate.plural === kind.plural);
        assert.ok(entry, kind.plural);
        const objects = await parseMember(archive, opened.dir, entry.file);
        assert.equal(objects.length, perKind, `${kind.plural}: no object saved twice`);
        const saved: Snapshot = new Map(
          objects.map((object) => [`${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`, canonical(object.spec)]),
        );
        assertSameSet(saved, expected.get(kind.plural) ?? new Map(), `archive ${kind.plural}`);
      }
    } finally {
      await opened.close();
    }
  });

  it('restores exactly the saved set while creates throttle, fail and reset before and after the write', async () => {
    await target.deleteAll(kinds, namespaces);
    sandbox.audit.clear();
    sandbox.faults.set(
      [
        '429:verb=create,rate=0.01,count=8,retry-after=1',
        '500:verb=create,rate=0.02',
        '503:verb=create,rate=0.02',
        'reset:verb=create,rate=0.02',
        // The create is stored, then the connection drops: the retry must meet 409 and skip it.
        'reset-after:verb=create,rate=0.02',
        '500:verb=list,rate=0.2',
      ].join(';'),
    );
    let result;
    try {
      result = await client.kubectl(['meshbackup', 'restore', '-f', archive, '--concurrency', '16', '-v=4']);
    } finally {
      sandbox.faults.clear();
    }
    expectSuccess(result, 'restore under faults');
    // 10,000 objects make a bulk run: these faults meet the undici pool, not node:https.
    assert.match(result.stderr, /a bulk run: requests go over an undici connection pool/);

    const creates = sandbox.audit.entries().filter((entry) => entry.verb === 'create' && entry.path.startsWith(resourcePath));
    const count = (fault: string): number => creates.filter((entry) => entry.fault === fault).length;
    for (const fault of ['429', '500', '503', 'reset', 'reset-after']) assert.ok(count(fault) > 0, `some creates met ${fault}`);
    const conflicts = creates.filter((entry) => entry.code === 409).length;
    assert.ok(
      conflicts > 0 && conflicts <= count('reset-after'),
      `a 409 only for a create whose answer was lost (${conflicts} vs ${count('reset-after')})`,
    );

    const summary = restoreSummary(result.stdout);
    let skipped = 0;
    for (const kind of kinds) {
      const row = summary.get(`${kind.plural}.${group}`);
      assert.ok(row, `${kind.plural} in the summary:\n${result.stdout}`);
      assert.equal(row.failed, 0);
      assert.equal(row.updated, 0);
      assert.equal((row.created ?? 0) + (row.skipped ?? 0) + (row.unchanged ?? 0), perKind, `${kind.plural}: each object counted once`);
      skipped += row.skipped ?? 0;
      assertSameSet(await target.snapshot(kind), expected.get(kind.plural) ?? new Map(), `cluster ${kind.plural}`);
    }
    assert.equal(skipped, conflicts, 'every object whose create answer was lost is reported skipped (already exists), none failed');
  });
});
