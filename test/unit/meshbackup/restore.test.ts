import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openArchive } from '../../../plugins/kubectl-meshbackup/backup/archive.js';
import {
  restoreArchive,
  restoredLabel,
  type RestorePorts,
  type RestoreRequest,
} from '../../../plugins/kubectl-meshbackup/backup/restore.js';
import { saveArchive } from '../../../plugins/kubectl-meshbackup/backup/save.js';
import { createHash } from 'node:crypto';
import { ApiStatusError, InputFileError, PreconditionError, UsageError } from '../../../shared/errors/errors.js';
import { packMembers, readMembers } from '../../support/hostile-archives.js';
import type { GroupVersionResource, KubeObject } from '../../../shared/kube/ports.js';
import { nginxServiceMeshProfile } from '../../../shared/profiles/nginx-service-mesh.js';

function crd(group: string, plural: string, kind: string, version: string): KubeObject {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${group}` },
    spec: { group, scope: 'Namespaced', names: { kind, plural }, versions: [{ name: version, served: true, storage: true }] },
    status: { conditions: [{ type: 'Established', status: 'True' }] },
  };
}
const crds = [
  crd('split.smi-spec.io', 'trafficsplits', 'TrafficSplit', 'v1alpha3'),
  crd('specs.smi-spec.io', 'httproutegroups', 'HTTPRouteGroup', 'v1alpha3'),
];
const objects: Record<string, KubeObject[]> = {
  trafficsplits: [
    {
      apiVersion: 'split.smi-spec.io/v1alpha3',
      kind: 'TrafficSplit',
      metadata: { name: 'ts', namespace: 'a', uid: '1' },
      spec: { service: 's' },
    },
  ],
  httproutegroups: ['bad', 'exists', 'good'].map((name) => ({
    apiVersion: 'specs.smi-spec.io/v1alpha3',
    kind: 'HTTPRouteGroup',
    metadata: { name, namespace: 'a', resourceVersion: '5' },
    spec: { matches: [] },
  })),
};

describe('meshbackup restore', () => {
  let dir: string;
  let archiveFile: string;
  before(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'meshbackup-restore-'));
    archiveFile = path.join(dir, 'b.tar.gz');
    await saveArchive(
      { crds: { list: async () => crds }, customObjects: { list: async (gvr) => ({ items: objects[gvr.resource] ?? [] }) } },
      {
        groups: ['split.smi-spec.io', 'specs.smi-spec.io'],
        target: archiveFile,
        force: false,
        allowEmpty: false,
        includeStatus: false,
        tool: { name: 't', version: '0' },
        source: { context: 'c', server: 'https://x' },
        product: { profile: 'nginx-service-mesh' },
        now: () => new Date('2026-11-21T00:00:00Z'),
      },
    );
  });
  after(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  const request = (extra: Partial<RestoreRequest> = {}): RestoreRequest => ({
    archiveFile,
    archiveId: 'id-1',
    dryRun: false,
    existing: 'skip',
    namespaceMap: { a: 'b' },
    kinds: [],
    includeStatus: false,
    concurrency: 2,
    restoreOrder: nginxServiceMeshProfile.restoreOrder,
    notRestored: [],
    retryTimeoutMs: 10_000,
    crdTimeoutMs: 1000,
    sleep: async () => undefined,
    ...extra,
  });

  type Recording = RestorePorts & {
    created: Array<{ gvr: GroupVersionResource; object: KubeObject }>;
    namespaceCreates: Array<{ object: KubeObject; dryRun: boolean }>;
    /** calls is every write in order: "namespace NAME" or "object NAME". */
    calls: string[];
  };

  function recordingPorts(
    liveCrds: KubeObject[],
    liveNamespaces: Record<string, KubeObject> = { b: { metadata: { name: 'b' } } },
  ): Recording {
    const created: Array<{ gvr: GroupVersionResource; object: KubeObject }> = [];
    const namespaceCreates: Array<{ object: KubeObject; dryRun: boolean }> = [];
    const calls: string[] = [];
    let flaky = 2;
    return {
      created,
      namespaceCreates,
      calls,
      crds: { list: async () => liveCrds, get: async () => undefined, apply: async (c) => c },
      namespaces: {
        get: async (name) => liveNamespaces[name],
        create: async (object, options) => {
          calls.push(`namespace ${object.metadata?.name}`);
          namespaceCreates.push({ object, dryRun: options?.dryRun ?? false });
          return object;
        },
      },
      customObjects: {
        create: async (gvr, object) => {
          const name = object.metadata?.name;
          if (name === 'bad') throw new ApiStatusError({ code: 422, reason: 'Invalid', message: 'spec.matches: Required value' });
          if (name === 'exists') throw new ApiStatusError({ code: 409, reason: 'AlreadyExists', message: 'exists' });
          if (name === 'good' && flaky-- > 0)
            throw new ApiStatusError({ code: 500, reason: 'InternalError', message: 'failed calling webhook' });
          calls.push(`object ${name}`);
          created.push({ gvr, object });
          return object;
        },
        get: async () => ({}),
        mergePatch: async () => ({}),
      },
    };
  }

  it('restores in the profile order, sanitized, labelled and namespace-mapped, reporting each rejected object', async () => {
    const archive = await openArchive(archiveFile);
    try {
      const ports = recordingPorts(crds);
      const result = await restoreArchive(ports, archive, request());
      assert.deepEqual(
        ports.created.map((entry) => entry.object.metadata?.name),
        ['good', 'ts'],
      );
      const first = ports.created[0]?.object;
      assert.equal(first?.metadata?.namespace, 'b');
      assert.equal(first?.metadata?.labels?.[restoredLabel], 'id-1');
      assert.equal(first?.metadata?.resourceVersion, undefined);
      assert.deepEqual(result.failures, [{ item: 'httproutegroups.specs.smi-spec.io b/bad', reason: 'spec.matches: Required value' }]);
      assert.deepEqual(
        result.summaries.map((s) => [s.kind, s.created, s.skipped, s.failed]),
        [
          ['httproutegroups.specs.smi-spec.io', 1, 1, 1],
          ['trafficsplits.split.smi-spec.io', 1, 0, 0],
        ],
      );
    } finally {
      await archive.close();
    }
  });

  /** withCrdsEstablishedAfter makes every CRD restore applies Established on its Nth read (never when Infinity). */
  function withCrdsEstablishedAfter(recording: Recording, reads: number): { ports: Recording; reads: string[] } {
    const applied = new Map<string, KubeObject>();
    const crdReads: string[] = [];
    const readsOf = new Map<string, number>();
    const crdStore: Recording['crds'] = {
      list: async () => [...applied.values()],
      apply: async (object) => {
        const name = object.metadata?.name ?? '';
        recording.calls.push(`crd ${name}`);
        applied.set(name, { ...object, status: { conditions: [] } });
        return object;
      },
      get: async (name) => {
        crdReads.push(name);
        const count = (readsOf.get(name) ?? 0) + 1;
        readsOf.set(name, count);
        const object = applied.get(name);
        if (object && count >= reads) applied.set(name, { ...object, status: { conditions: [{ type: 'Established', status: 'True' }] } });
        return applied.get(name);
      },
    };
    return { ports: { ...recording, crds: crdStore }, reads: crdReads };
  }

  it('creates missing CRDs, then writes objects only once every one of them is Established', async () => {
    const archive = await openArchive(archiveFile);
    try {
      const { ports, reads } = withCrdsEstablishedAfter(recordingPorts([]), 3);
      const result = await restoreArchive(ports, archive, request());
      assert.deepEqual(result.crdsCreated.sort(), ['httproutegroups.specs.smi-spec.io', 'trafficsplits.split.smi-spec.io']);
      // Both CRDs are polled in each round, three rounds, and no object is written before that.
      assert.equal(reads.length, 6);
      const firstObject = ports.calls.findIndex((call) => call.startsWith('object '));
      assert.deepEqual(
        ports.calls.slice(0, firstObject).map((call) => call.split(' ')[0]),
        ['crd', 'crd'],
      );
      assert.deepEqual(
        ports.created.map((entry) => entry.object.metadata?.name),
        ['good', 'ts'],
      );
    } finally {
      await archive.close();
    }
  });

  it('gives up on CRDs that never become Established, naming them, with no object written', async () => {
    const archive = await openArchive(archiveFile);
    try {
      const { ports } = withCrdsEstablishedAfter(recordingPorts([]), Infinity);
      let now = 0;
      const clock = Date.now;
      Date.now = () => now;
      try {
        await assert.rejects(
          restoreArchive(ports, archive, request({ sleep: async (ms) => void (now += ms) })),
          /CRD (httproutegroups\.specs\.smi-spec\.io, trafficsplits\.split\.smi-spec\.io|trafficsplits\.split\.smi-spec\.io, httproutegroups\.specs\.smi-spec\.io) did not become Established in time/,
        );
      } finally {
        Date.now = clock;
      }
      assert.deepEqual(ports.created, []);
    } finally {
      await archive.close();
    }
  });

  it('with --existing=fail, counts an object this archive already put there (a create whose answer was lost) as unchanged, any other as failed', async () => {
    const archive = await openArchive(archiveFile);
    try {
      const outcome = async (live: KubeObject) => {
        const ports = recordingPorts(crds);
        ports.customObjects.get = async () => live;
        const result = await restoreArchive(ports, archive, request({ existing: 'fail' }));
        const row = result.summaries.find((s) => s.kind === 'httproutegroups.specs.smi-spec.io');
        return { unchanged: row?.unchanged, failed: result.failures.map((failure) => failure.item).sort() };
      };
      const ours = { metadata: { name: 'exists', labels: { [restoredLabel]: 'id-1' } }, spec: { matches: [] } };
      assert.deepEqual(await outcome(ours), { unchanged: 1, failed: ['httproutegroups.specs.smi-spec.io b/bad'] });
      for (const other of [
        { ...ours, metadata: { name: 'exists', labels: { [restoredLabel]: 'another-archive' } } },
        { metadata: { name: 'exists' }, spec: { matches: [] } },
        { ...ours, spec: { matches: [{ name: 'edited' }] } },
      ]) {
        assert.deepEqual(await outcome(other), {
          unchanged: 0,
          failed: ['httproutegroups.specs.smi-spec.io b/bad', 'httproutegroups.specs.smi-spec.io b/exists'],
        });
      }
    } finally {
      await archive.close();
    }
  });

  it('refuses, before writing anything, a cluster whose CRD no longer serves a backed-up version', async () => {
    const archive = await openArchive(archiveFile);
    try {
      const ports = recordingPorts([crds[1] as KubeObject, crd('split.smi-spec.io', 'trafficsplits', 'TrafficSplit', 'v1alpha4')]);
      await assert.rejects(
        restoreArchive(ports, archive, request()),
        (err: unknown) => err instanceof PreconditionError && /trafficsplits.split.smi-spec.io/.test(err.message),
      );
      assert.deepEqual(ports.created, []);
    } finally {
      await archive.close();
    }
  });

  it('creates each missing target namespace (after --namespace-map) before any object, labelled with the archive', async () => {
    const archive = await openArchive(archiveFile);
    try {
      const ports = recordingPorts(crds, {});
      const progress: string[] = [];
      const result = await restoreArchive(ports, archive, request({ namespaceMap: { a: 'fresh' }, onProgress: (m) => progress.push(m) }));
      assert.deepEqual(result.namespacesCreated, ['fresh']);
      assert.deepEqual(ports.calls, ['namespace fresh', 'object good', 'object ts']);
      assert.deepEqual(ports.namespaceCreates, [
        {
          object: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'fresh', labels: { [restoredLabel]: 'id-1' } } },
          dryRun: false,
        },
      ]);
      assert.ok(progress.includes('namespace fresh: created'), progress.join('\n'));
      assert.ok(ports.created.every((entry) => entry.object.metadata?.namespace === 'fresh'));
    } finally {
      await archive.close();
    }
  });

  it('leaves existing namespaces alone and creates none', async () => {
    const archive = await openArchive(archiveFile);
    try {
      const ports = recordingPorts(crds, { a: { metadata: { name: 'a' } } });
      const result = await restoreArchive(ports, archive, request({ namespaceMap: {} }));
      assert.deepEqual(result.namespacesCreated, []);
      assert.deepEqual(ports.namespaceCreates, []);
      assert.deepEqual(
        ports.created.map((entry) => entry.object.metadata?.namespace),
        ['a', 'a'],
      );
    } finally {
      await archive.close();
    }
  });

  it('waits for a namespace still Terminating to go before creating it again', async () => {
    const archive = await openArchive(archiveFile);
    try {
      const ports = recordingPorts(crds, {});
      let gets = 0;
      ports.namespaces.get = async () =>
        gets++ < 3 ? { metadata: { name: 'b', deletionTimestamp: '2026-11-21T00:00:00Z' }, status: { phase: 'Terminating' } } : undefined;
      const result = await restoreArchive(ports, archive, request());
      assert.equal(gets, 4);
      assert.deepEqual(result.namespacesCreated, ['b']);
      assert.equal(ports.calls[0], 'namespace b');
    } finally {
      await archive.close();
    }
  });

  it('dry-run creates a missing namespace and does not dry-run its objects (the server would answer 404)', async () => {
    const archive = await openArchive(archiveFile);
    try {
      const ports = recordingPorts(crds, {});
      const result = await restoreArchive(ports, archive, request({ dryRun: true }));
      assert.deepEqual(
        ports.namespaceCreates.map((entry) => [entry.object.metadata?.name, entry.dryRun]),
        [['b', true]],
      );
      assert.deepEqual(ports.created, []);
      assert.deepEqual(result.namespacesCreated, ['b']);
      assert.deepEqual(
        result.summaries.map((s) => [s.kind, s.created, s.skipped, s.failed]),
        [
          ['httproutegroups.specs.smi-spec.io', 0, 3, 0],
          ['trafficsplits.split.smi-spec.io', 0, 1, 0],
        ],
      );
    } finally {
      await archive.close();
    }
  });

  it('goes on when the user may not read namespaces (403), and lets a 409 on create mean "exists"', async () => {
    const archive = await openArchive(archiveFile);
    try {
      const forbidden = recordingPorts(crds, {});
      forbidden.namespaces.get = async () => {
        throw new ApiStatusError({ code: 403, reason: 'Forbidden', message: 'namespaces "b" is forbidden' });
      };
      const progress: string[] = [];
      const first = await restoreArchive(forbidden, archive, request({ onProgress: (m) => progress.push(m) }));
      assert.deepEqual(first.namespacesCreated, []);
      assert.ok(progress.some((m) => /namespace b: cannot check .*forbidden/.test(m)));
      assert.equal(forbidden.created.length, 2);

      const raced = recordingPorts(crds, {});
      raced.namespaces.create = async () => {
        throw new ApiStatusError({ code: 409, reason: 'AlreadyExists', message: 'namespaces "b" already exists' });
      };
      const second = await restoreArchive(raced, archive, request());
      assert.deepEqual(second.namespacesCreated, []);
      assert.equal(raced.created.length, 2);
    } finally {
      await archive.close();
    }
  });

  it('lists a namespace among "Namespaces created" when its create answer was lost and the retry met 409', async () => {
    const archive = await openArchive(archiveFile);
    try {
      const ports = recordingPorts(crds, {});
      const stored: Record<string, KubeObject> = {};
      ports.namespaces.get = async (name) => stored[name];
      ports.namespaces.create = async (object) => {
        const name = object.metadata?.name ?? '';
        if (stored[name]) throw new ApiStatusError({ code: 409, reason: 'AlreadyExists', message: `namespaces "${name}" already exists` });
        // The server stores it, then the connection breaks before the answer.
        stored[name] = object;
        throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
      };
      const result = await restoreArchive(ports, archive, request());
      assert.deepEqual(result.namespacesCreated, ['b']);
    } finally {
      await archive.close();
    }
  });

  it('waits out five quick 503s on the CRD list, and names the list when it gives up', async () => {
    const archive = await openArchive(archiveFile);
    try {
      const flaky = recordingPorts(crds);
      let failures = 5;
      flaky.crds.list = async () => {
        if (failures-- > 0)
          throw new ApiStatusError({
            code: 503,
            reason: 'ServiceUnavailable',
            message: 'the server is currently unable to handle the request',
          });
        return crds;
      };
      const result = await restoreArchive(flaky, archive, request());
      assert.equal(result.failures.length, 1);

      const down = recordingPorts(crds);
      down.crds.list = async () => {
        throw new ApiStatusError({
          code: 503,
          reason: 'ServiceUnavailable',
          message: 'the server is currently unable to handle the request',
        });
      };
      await assert.rejects(restoreArchive(down, archive, request({ retryTimeoutMs: 0 })), (err: unknown) => {
        assert.ok(err instanceof ApiStatusError);
        assert.equal(err.exitCode, 6);
        assert.match(err.message, /^listing CustomResourceDefinitions: the server is currently unable/);
        return true;
      });
      assert.deepEqual(down.calls, []);
    } finally {
      await archive.close();
    }
  });

  it('refuses a concurrency or a retry timeout that is not a bounded number (exit 2), before writing anything', async () => {
    const archive = await openArchive(archiveFile);
    try {
      const ports = recordingPorts(crds);
      for (const extra of [
        { concurrency: 1e9 },
        { concurrency: 0 },
        { concurrency: Number.NaN },
        { retryTimeoutMs: Number.NaN },
        { retryTimeoutMs: -5000 },
      ]) {
        await assert.rejects(restoreArchive(ports, archive, request(extra)), UsageError, JSON.stringify(extra));
      }
      assert.deepEqual(ports.calls, []);
    } finally {
      await archive.close();
    }
  });

  it('refuses --kinds naming a kind the archive does not hold (exit 2), before writing anything', async () => {
    const archive = await openArchive(archiveFile);
    try {
      const ports = recordingPorts(crds);
      await assert.rejects(restoreArchive(ports, archive, request({ kinds: ['TrafficSplit', 'TrafficSplits'] })), (err: unknown) => {
        assert.ok(err instanceof UsageError);
        assert.match(
          err.message,
          /--kinds TrafficSplits matches no kind in the archive; it holds: HTTPRouteGroup \(httproutegroups\.specs\.smi-spec\.io\), TrafficSplit/,
        );
        return true;
      });
      assert.deepEqual(ports.calls, []);
    } finally {
      await archive.close();
    }
  });

  it('parses and checks every member before its first write: a bad last kind leaves the earlier kinds unrestored', async () => {
    // A consistent archive (sha256 recomputed) whose last kind in restore order does not parse.
    const edited = path.join(dir, 'bad-last.tar.gz');
    const members = await readMembers(archiveFile, dir);
    const member = 'resources/trafficsplits.split.smi-spec.io.yaml';
    const broken = Buffer.from(`${(members.get(member) as Buffer).toString('utf8')}spec: [unclosed\n`);
    const manifest = JSON.parse((members.get('manifest.json') as Buffer).toString('utf8')) as { files: Record<string, string> };
    manifest.files[member] = createHash('sha256').update(broken).digest('hex');
    members.set(member, broken);
    members.set('manifest.json', Buffer.from(JSON.stringify(manifest)));
    await packMembers(edited, members);
    const archive = await openArchive(edited);
    try {
      const ports = recordingPorts(crds, {});
      await assert.rejects(restoreArchive(ports, archive, request()), (err: unknown) => {
        assert.ok(err instanceof InputFileError);
        assert.match(err.message, /trafficsplits\.split\.smi-spec\.io\.yaml: YAML does not parse/);
        return true;
      });
      assert.deepEqual(ports.calls, [], 'no namespace, no HTTPRouteGroup written');
    } finally {
      await archive.close();
    }
  });
});
