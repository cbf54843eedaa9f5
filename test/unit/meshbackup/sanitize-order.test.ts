import assert from 'node:assert/strict';
import { orderKinds } from '../../../plugins/kubectl-meshbackup/backup/restore-order.js';
import { sanitize, serverOwnedMetadata } from '../../../plugins/kubectl-meshbackup/backup/sanitize.js';
import { nginxServiceMeshProfile } from '../../../shared/profiles/nginx-service-mesh.js';

describe('meshbackup sanitize', () => {
  const live = {
    apiVersion: 'split.smi-spec.io/v1alpha3',
    kind: 'TrafficSplit',
    metadata: {
      name: 'target-ts',
      namespace: 'default',
      uid: 'u-1',
      resourceVersion: '42',
      generation: 3,
      creationTimestamp: '2026-01-01T00:00:00Z',
      deletionTimestamp: '2026-01-02T00:00:00Z',
      deletionGracePeriodSeconds: 0,
      managedFields: [{ manager: 'kubectl' }],
      ownerReferences: [{ apiVersion: 'v1', kind: 'ConfigMap', name: 'x', uid: 'old' }],
      labels: { app: 'target' },
      annotations: { note: 'kept' },
    },
    spec: { service: 'target-svc' },
    status: { observed: true },
  };

  it('removes every server-owned metadata field and keeps labels, annotations and spec', () => {
    const clean = sanitize(live);
    for (const field of serverOwnedMetadata) assert.equal(clean.metadata?.[field], undefined, field);
    assert.deepEqual(clean.metadata, { name: 'target-ts', namespace: 'default', labels: { app: 'target' }, annotations: { note: 'kept' } });
    assert.deepEqual(clean.spec, { service: 'target-svc' });
  });

  it('drops status unless asked to keep it', () => {
    assert.equal(sanitize(live).status, undefined);
    assert.deepEqual(sanitize(live, { includeStatus: true }).status, { observed: true });
  });

  it('leaves the input object unchanged', () => {
    sanitize(live);
    assert.equal(live.metadata.uid, 'u-1');
    assert.deepEqual(live.status, { observed: true });
  });
});

describe('meshbackup restore order', () => {
  it('follows the profile order and puts unknown kinds last, sorted', () => {
    const keys = [
      'zzz.example.com',
      'ratelimits.specs.smi.nginx.com',
      'trafficsplits.split.smi-spec.io',
      'aaa.example.com',
      'traffictargets.access.smi-spec.io',
      'httproutegroups.specs.smi-spec.io',
    ];
    assert.deepEqual(orderKinds(keys, nginxServiceMeshProfile.restoreOrder), [
      'httproutegroups.specs.smi-spec.io',
      'traffictargets.access.smi-spec.io',
      'trafficsplits.split.smi-spec.io',
      'ratelimits.specs.smi.nginx.com',
      'aaa.example.com',
      'zzz.example.com',
    ]);
  });
});
