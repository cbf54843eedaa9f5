/**
 * Hundreds of hostile archives (test/support/hostile-archives.ts) through the functions the
 * `verify` and `restore` commands run: each is refused in one line with a documented exit code
 * (never 70, never node-tar's or js-yaml's internals), restore refuses exactly what verify
 * refuses and then has written nothing, and what verify accepts restores without an error into
 * a cluster that already holds it, leaving it unchanged. Nothing is left in the temporary folder.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openArchive, type ArchiveLimits } from '../../../plugins/kubectl-meshbackup/backup/archive.js';
import { restoreArchive, type RestorePorts } from '../../../plugins/kubectl-meshbackup/backup/restore.js';
import { saveArchive } from '../../../plugins/kubectl-meshbackup/backup/save.js';
import { checkArchive } from '../../../plugins/kubectl-meshbackup/backup/verify.js';
import { ApiStatusError, CliError } from '../../../shared/errors/errors.js';
import { ExitCode } from '../../../shared/errors/exit-codes.js';
import type { KubeObject } from '../../../shared/kube/ports.js';
import { hostileArchives, readMembers } from '../../support/hostile-archives.js';

function crd(group: string, plural: string, kind: string, scope: 'Namespaced' | 'Cluster'): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: { group, scope, names: { kind, plural }, versions: [{ name: 'v1alpha1', served: true, storage: true }] },
    status: { conditions: [{ type: 'Established', status: 'True' }] },
  };
}
const liveCrds = [crd('split.example.com', 'splits', 'Split', 'Namespaced'), crd('mesh.example.com', 'meshes', 'Mesh', 'Cluster')];
const liveObjects: Record<string, KubeObject[]> = {
  splits: ['a', 'b', 'c'].map((name, i) => ({
    apiVersion: 'split.example.com/v1alpha1',
    kind: 'Split',
    metadata: { name, namespace: i === 2 ? 'two' : 'one', labels: { app: name } },
    spec: { weight: i },
  })),
  meshes: [{ apiVersion: 'mesh.example.com/v1alpha1', kind: 'Mesh', metadata: { name: 'm' }, spec: { mtls: true } }],
};

/** documented are the exit codes the README lists for a failed verify or restore. */
const documented = new Set<number>([ExitCode.NegativeResult, ExitCode.Usage, ExitCode.BadInput, ExitCode.Precondition]);

type Outcome = { ok: true } | { ok: false; exitCode: number; message: string };

function outcomeOf(err: unknown): Outcome {
  if (!(err instanceof CliError)) return { ok: false, exitCode: ExitCode.Internal, message: String((err as Error)?.stack ?? err) };
  return { ok: false, exitCode: err.exitCode, message: err.message };
}

/** FakeCluster already holds every object of the valid archive and records every write. */
function fakeCluster(): RestorePorts & { writes: string[] } {
  const writes: string[] = [];
  const objects = new Set(
    Object.values(liveObjects)
      .flat()
      .map((object) => `${object.kind}/${object.metadata?.namespace ?? ''}/${object.metadata?.name}`),
  );
  return {
    writes,
    crds: {
      list: async () => liveCrds,
      get: async (name) => liveCrds.find((candidate) => candidate.metadata?.name === name),
      apply: async (object) => {
        writes.push(`apply crd ${object.metadata?.name}`);
        return object;
      },
    },
    namespaces: {
      get: async (name) => ({ metadata: { name } }),
      create: async (object) => {
        writes.push(`create namespace ${object.metadata?.name}`);
        return object;
      },
    },
    customObjects: {
      create: async (_gvr, object) => {
        const key = `${object.kind}/${object.metadata?.namespace ?? ''}/${object.metadata?.name}`;
        if (objects.has(key)) throw new ApiStatusError({ code: 409, reason: 'AlreadyExists', message: `${key} already exists` });
        writes.push(`create ${key}`);
        objects.add(key);
        return object;
      },
      get: async () => ({}),
      mergePatch: async (_gvr, name) => {
        writes.push(`patch ${name}`);
        return {};
      },
    },
  };
}

describe('hostile archives through verify and restore', function () {
  this.timeout(300_000);
  let dir: string;
  let valid: string;
  // Small limits, so that the generator's alias bomb and a big member meet them quickly.
  const limits: Partial<ArchiveLimits> = { maxExpandedNodes: 10_000 };

  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'meshbackup-hostile-'));
    valid = path.join(dir, 'valid.tar.gz');
    await saveArchive(
      { crds: { list: async () => liveCrds }, customObjects: { list: async (gvr) => ({ items: liveObjects[gvr.resource] ?? [] }) } },
      {
        groups: ['split.example.com', 'mesh.example.com'],
        target: valid,
        force: false,
        allowEmpty: false,
        includeStatus: false,
        tool: { name: 'kubectl-meshbackup', version: '0.0.0-test' },
        source: { context: 'c', server: 'https://x' },
        product: { profile: 'nginx-service-mesh' },
        now: () => new Date('2026-12-02T00:00:00Z'),
      },
    );
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  const verify = async (file: string, tempDir: string): Promise<Outcome> => {
    try {
      const archive = await openArchive(file, { limits, tempDir });
      try {
        await checkArchive(file, archive);
      } finally {
        await archive.close();
      }
      return { ok: true };
    } catch (err) {
      return outcomeOf(err);
    }
  };

  const restore = async (file: string, tempDir: string, ports: RestorePorts): Promise<Outcome> => {
    try {
      const archive = await openArchive(file, { limits, tempDir });
      try {
        await restoreArchive(ports, archive, {
          archiveFile: file,
          archiveId: 'hostile',
          dryRun: false,
          existing: 'skip',
          namespaceMap: {},
          kinds: [],
          includeStatus: false,
          concurrency: 2,
          restoreOrder: [],
          notRestored: [],
          retryTimeoutMs: 1000,
          crdTimeoutMs: 1000,
          sleep: async () => undefined,
        });
      } finally {
        await archive.close();
      }
      return { ok: true };
    } catch (err) {
      return outcomeOf(err);
    }
  };

  it('restores the valid archive into a cluster that holds it without writing anything (the baseline)', async () => {
    const cluster = fakeCluster();
    assert.deepEqual(await verify(valid, dir), { ok: true });
    assert.deepEqual(await restore(valid, dir, cluster), { ok: true });
    assert.deepEqual(cluster.writes, []);
  });

  it('refuses every hostile variant in one line with a documented exit code, the same in verify and restore, writing nothing', async () => {
    const members = await readMembers(valid, dir);
    const variants = hostileArchives(members);
    assert.ok(variants.length >= 300, `only ${variants.length} variants`);
    const temp = path.join(dir, 'temp');
    await fs.mkdir(temp);
    let refused = 0;
    const accepted: string[] = [];
    const problems: string[] = [];
    for (const [index, variant] of variants.entries()) {
      const file = path.join(dir, `variant-${index}.tar.gz`);
      await variant.write(file);
      const verdict = await verify(file, temp);
      const cluster = fakeCluster();
      const restored = await restore(file, temp, cluster);
      await fs.rm(file, { force: true });
      const say = (problem: string): void => {
        problems.push(`${variant.name}: ${problem}`);
      };
      for (const [what, outcome] of [
        ['verify', verdict],
        ['restore', restored],
      ] as const) {
        if (outcome.ok) continue;
        if (!documented.has(outcome.exitCode)) say(`${what} exits ${outcome.exitCode}: ${outcome.message}`);
        if (outcome.message.includes('\n')) say(`${what} prints more than one line: ${outcome.message}`);
        if (/TAR_|base256|YAMLException|undefined|\[object/.test(outcome.message)) say(`${what} speaks in internals: ${outcome.message}`);
      }
      if (!verdict.ok) {
        refused++;
        void 0;
        if (restored.ok || restored.exitCode !== verdict.exitCode)
          say(
            `verify refused (${verdict.message}) but restore ${restored.ok ? 'accepted it' : `exited ${restored.exitCode}: ${restored.message}`}`,
          );
      } else {
        accepted.push(variant.name);
      }
      if (verdict.ok && !restored.ok) {
        say(`verify accepted it but restore exited ${restored.exitCode}: ${restored.message}`);
      }
      if (cluster.writes.length > 0) say(`restore wrote ${cluster.writes.join(', ')}`);
    }
    assert.deepEqual(problems, []);
    // Most mutations break the archive; the rest are harmless: a descriptive field (source,
    // tool, sanitize) given another value, an edit that changes nothing (no namespace to drop
    // from a cluster-scoped object), a YAML directive, a second archive after the first's end.
    assert.ok(refused > variants.length * 0.7, `only ${refused} of ${variants.length} refused; accepted: ${accepted.join('; ')}`);
    assert.deepEqual(await fs.readdir(temp), [], 'every extracted copy removed');
  });
});
