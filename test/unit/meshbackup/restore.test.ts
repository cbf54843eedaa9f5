import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openArchive } from '../../../plugins/kubectl-meshbackup/backup/archive.js';
import { restoreArchive, restoredLabel, type RestorePorts, type RestoreRequest } from '../../../plugins/kubectl-meshbackup/backup/restore.js';
import { saveArchive } from '../../../plugins/kubectl-meshbackup/backup/save.js';
import { ApiStatusError, PreconditionError } from '../../../shared/errors/errors.js';
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
const crds = [crd('split.smi-spec.io', 'trafficsplits', 'TrafficSplit', 'v1alpha3'), crd('specs.smi-spec.io', 'httproutegroups', 'HTTPRouteGroup', 'v1alpha3')];
const objects: Record<string, KubeObject[]> = {
  trafficsplits: [{ apiVersion: 'split.smi-spec.io/v1alpha3', kind: 'TrafficSplit', metadata: { name: 'ts', namespace: 'a', uid: '1' }, spec: { service: 's' } }],
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

  function recordingPorts(liveCrds: KubeObject[]): RestorePorts & { created: Array<{ gvr: GroupVersionResource; object: KubeObject }> } {
    const created: Array<{ gvr: GroupVersionResource; object: KubeObject }> = [];
    let flaky = 2;
    return {
      created,
      crds: { list: async () => liveCrds, get: async () => undefined, apply: async (c) => c },
      customObjects: {
        create: async (gvr, object) => {
          const name = object.metadata?.name;
          if (name === 'bad') throw new ApiStatusError({ code: 422, reason: 'Invalid', message: 'spec.matches: Required value' });
          if (name === 'exists') throw new ApiStatusError({ code: 409, reason: 'AlreadyExists', message: 'exists' });
          if (name === 'good' && flaky-- > 0) throw new ApiStatusError({ code: 500, reason: 'InternalError', message: 'failed calling webhook' });
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

  it('refuses, before writing anything, a cluster whose CRD no longer serves a backed-up version', async () => {
    const archive = await openArchive(archiveFile);
    try {
      const ports = recordingPorts([crds[1] as KubeObject, crd('split.smi-spec.io', 'trafficsplits', 'TrafficSplit', 'v1alpha4')]);
      await assert.rejects(restoreArchive(ports, archive, request()), (err: unknown) => err instanceof PreconditionError && /trafficsplits.split.smi-spec.io/.test(err.message));
      assert.deepEqual(ports.created, []);
    } finally {
      await archive.close();
    }
  });
});
