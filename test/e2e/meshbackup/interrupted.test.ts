/**
 * Interrupted runs of `kubectl meshbackup` (real plugin discovery; kubectl execs the plugin, so
 * signals reach it directly): a restore stopped with Ctrl-C and then SIGKILL halfway and run again
 * ends with exactly the backed-up set; a save stopped mid-way leaves nothing that looks like an
 * archive at the target. Progress is observed (object counts, the save's staging files), never
 * waited for with a fixed sleep. Runs on the sandbox and against E2E_KUBECONFIG.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import type { SandboxHandle } from '../../../sandbox/index.js';
import { ClientEnv, expectSuccess, type TestCluster } from '../../support/cluster.js';
import { eventually } from '../../support/eventually.js';
import { startE2eCluster } from '../../support/target.js';
import { assertSameSet, BulkTarget, bulkKind, group, restoreSummary, seedObjects, snapshotOf, type Snapshot } from './bulk.js';

describe('kubectl meshbackup interrupted: restore rerun after Ctrl-C and SIGKILL, save stopped mid-way', function () {
  this.timeout(300_000);
  const kind = bulkKind('Interrupted');
  const namespaces = ['interrupted-a', 'interrupted-b'];
  const total = 2_000;
  let cluster: TestCluster & { sandbox?: SandboxHandle };
  let client: ClientEnv;
  let target: BulkTarget;
  let archive: string;
  let expected: Snapshot;

  before(async () => {
    cluster = await startE2eCluster({});
    client = new ClientEnv(cluster.kubeconfig);
    target = new BulkTarget(cluster, client);
    await target.install([kind], namespaces);
    const objects = seedObjects(kind, namespaces, total);
    await target.seed(objects);
    expected = snapshotOf(objects);
    archive = path.join(client.home, 'interrupted.tar.gz');
    expectSuccess(await client.kubectl(['meshbackup', 'save', '--group', group, '-A', '-f', archive]), 'save');
  });
  after(async () => {
    await target?.dispose([kind], namespaces);
    client?.dispose();
    await cluster?.close();
  });

  /** start runs `kubectl meshbackup …` as a process we can signal; TMPDIR is the test's own. */
  const start = (args: string[], tmpdir: string): ResultPromise<{ reject: false }> =>
    execa('kubectl', ['meshbackup', ...args], {
      env: { ...client.env, TMPDIR: tmpdir },
      extendEnv: true,
      reject: false,
      cwd: client.home,
      timeout: 240_000,
    });

  const freshDir = (name: string): string => {
    const dir = path.join(client.home, name);
    mkdirSync(dir, { recursive: true });
    return dir;
  };

  /** until polls `probe` (no fixed sleep decides anything) while the process runs. */
  const until = async (probe: () => Promise<boolean>, running: ResultPromise<{ reject: false }>, what: string): Promise<void> => {
    let exited = false;
    void running.finally(() => (exited = true));
    for (;;) {
      if (await probe()) return;
      if (exited) {
        const result = await running;
        throw new Error(`the process ended (exit ${String(result.exitCode)}) before ${what}: ${String(result.stderr).slice(-2000)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };

  /** stagedResources tells whether a save running with TMPDIR=`tmp` is writing objects into its staging directory. */
  const stagedResources = async (tmp: string): Promise<boolean> => {
    for (const entry of await fs.readdir(tmp)) {
      const member = path.join(tmp, entry, 'resources', `${kind.plural}.${group}.yaml`);
      if (existsSync(member) && (await fs.stat(member)).size > 0) return true;
    }
    return false;
  };

  it('a save killed with SIGKILL mid-way leaves nothing at the target path', async () => {
    const tmp = freshDir('save-kill-tmp');
    const out = freshDir('save-kill-out');
    const targetFile = path.join(out, 'killed.tar.gz');
    const save = start(['save', '--group', group, '-A', '-f', targetFile], tmp);
    await until(() => stagedResources(tmp), save, 'objects were being saved');
    save.kill('SIGKILL');
    assert.equal((await save).signal, 'SIGKILL');
    assert.equal(existsSync(targetFile), false, 'no archive at the target');
    // Only a temporary name may be left beside it (when killed while packing), never the target.
    for (const name of await fs.readdir(out)) assert.match(name, /^\.killed\.tar\.gz\.partial-\d+$/);
  });

  it('a save stopped with Ctrl-C mid-way exits 130 with one line and removes its temporary files', async () => {
    const tmp = freshDir('save-int-tmp');
    const out = freshDir('save-int-out');
    const targetFile = path.join(out, 'interrupted.tar.gz');
    const save = start(['save', '--group', group, '-A', '-f', targetFile], tmp);
    await until(() => stagedResources(tmp), save, 'objects were being saved');
    save.kill('SIGINT');
    const result = await save;
    assert.equal(result.exitCode, 130, String(result.stderr));
    assert.deepEqual(
      String(result.stderr)
        .trim()
        .split('\n')
        .filter((line) => !/^saved \d+ /.test(line)),
      ['error: interrupted: nothing was written'],
    );
    assert.deepEqual(await fs.readdir(out), [], 'nothing at or beside the target');
    await eventually(async () => assert.deepEqual(await fs.readdir(tmp), [], 'the staging directory is removed'));
  });

  it('restore stopped with Ctrl-C at a third and SIGKILL halfway through the rest, then run again, ends with exactly the backed-up set', async () => {
    await target.deleteAll([kind], namespaces);
    target.since();
    const tmp = freshDir('restore-tmp');

    // Off the sandbox each progress probe is a kubectl process, slow next to the restore: restore slower there.
    const concurrency = cluster.sandbox ? '4' : '1';

    // Ctrl-C: restore stops at once with one line and exit 130.
    const first = start(['restore', '-f', archive, '--concurrency', concurrency], tmp);
    await until(async () => (await target.progress(kind)) >= total / 3, first, 'a third was restored');
    first.kill('SIGINT');
    const interrupted = await first;
    assert.equal(interrupted.exitCode, 130, String(interrupted.stderr));
    assert.equal(
      String(interrupted.stderr)
        .trim()
        .split('\n')
        .filter((line) => !/^(restored|\S+: \d+ created|restore: [\d,]+\/)/.test(line)).length,
      1,
      String(interrupted.stderr),
    );
    assert.match(String(interrupted.stderr), /interrupted/);
    assert.deepEqual(await fs.readdir(tmp), [], 'the extracted archive is removed');
    const afterInterrupt = await target.count(kind);
    assert.ok(afterInterrupt < total, `Ctrl-C stopped the restore (${afterInterrupt} of ${total})`);

    // SIGKILL: no chance to clean up anything.
    const second = start(['restore', '-f', archive, '--concurrency', concurrency], tmp);
    const halfOfTheRest = afterInterrupt + (total - afterInterrupt) / 2;
    await until(async () => (await target.progress(kind)) >= halfOfTheRest, second, 'half of the rest was restored');
    second.kill('SIGKILL');
    const killed = await second;
    assert.equal(killed.signal, 'SIGKILL');
    const afterKill = await target.count(kind);
    assert.ok(afterKill > afterInterrupt && afterKill < total, `killed halfway (${afterKill} of ${total})`);

    const rerun = expectSuccess(await client.kubectl(['meshbackup', 'restore', '-f', archive], { timeoutMs: 240_000 }), 'rerun');
    const row = restoreSummary(rerun.stdout).get(`${kind.plural}.${group}`);
    assert.ok(row, rerun.stdout);
    assert.equal(row.failed, 0);
    assert.ok((row.skipped ?? 0) >= afterKill, `what exists is skipped (${row.skipped} >= ${afterKill})`);
    assert.ok((row.created ?? 0) > 0, 'the rest is created');
    assert.equal((row.created ?? 0) + (row.skipped ?? 0), total, 'each object counted once');
    assertSameSet(await target.snapshot(kind), expected, 'cluster after the rerun');
  });
});
