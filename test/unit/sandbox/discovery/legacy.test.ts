import { strict as assert } from 'node:assert';
import { apiGroup, apiGroupList, apiResourceList, apiVersions } from '../../../../sandbox/discovery/legacy.js';
import { servedTypes } from './builders.js';

interface ApiResource {
  name: string;
  singularName: string;
  namespaced: boolean;
  kind: string;
  group?: string;
  version?: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
}
interface GroupEntry {
  name: string;
  versions: Array<{ groupVersion: string; version: string }>;
  preferredVersion: { groupVersion: string; version: string };
}

function resources(group: string, version: string): ApiResource[] {
  const list = apiResourceList(servedTypes(), group, version) as
    { kind: string; groupVersion: string; resources: ApiResource[] } | undefined;
  assert.ok(list, `${group}/${version} is served`);
  return list.resources;
}

describe('legacy discovery', () => {
  it('answers /api with the core version and a server address for every client network', () => {
    assert.deepEqual(apiVersions('10.0.0.1:6443'), {
      kind: 'APIVersions',
      versions: ['v1'],
      serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress: '10.0.0.1:6443' }],
    });
  });

  it('lists groups without the core group, built-ins before custom groups', () => {
    const list = apiGroupList(servedTypes()) as { kind: string; groups: GroupEntry[] };
    assert.equal(list.kind, 'APIGroupList');
    const names = list.groups.map((g) => g.name);
    assert.ok(!names.includes(''));
    assert.equal(names[0], 'apps');
    assert.equal(names[names.length - 1], 'example.test');
  });

  it('prefers the highest-priority version of a custom group, whatever the storage version', () => {
    const group = apiGroup(servedTypes(), 'example.test') as GroupEntry & { kind: string };
    assert.equal(group.kind, 'APIGroup');
    assert.deepEqual(
      group.versions.map((v) => v.groupVersion),
      ['example.test/v1', 'example.test/v1beta1', 'example.test/v1alpha1'],
    );
    assert.deepEqual(group.preferredVersion, { groupVersion: 'example.test/v1', version: 'v1' });
  });

  it('answers undefined for a group or group-version that is not served', () => {
    assert.equal(apiGroup(servedTypes(), 'nope.example'), undefined);
    assert.equal(apiResourceList(servedTypes(), 'apps', 'v1beta1'), undefined);
  });

  it('publishes deployments/scale as autoscaling/v1 Scale', () => {
    const scale = resources('apps', 'v1').find((r) => r.name === 'deployments/scale');
    assert.deepEqual(scale, {
      name: 'deployments/scale',
      singularName: '',
      namespaced: true,
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
      verbs: ['get', 'patch', 'update'],
    });
  });

  it('publishes deployments/status as a Deployment right after the scale subresource', () => {
    const names = resources('apps', 'v1').map((r) => r.name);
    const at = names.indexOf('deployments');
    assert.deepEqual(names.slice(at, at + 3), ['deployments', 'deployments/scale', 'deployments/status']);
  });

  it('lists the core resources with their short names, and leaves out empty lists', () => {
    const pods = resources('', 'v1').find((r) => r.name === 'pods');
    assert.deepEqual(pods, {
      name: 'pods',
      singularName: 'pod',
      namespaced: true,
      kind: 'Pod',
      verbs: ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'],
      shortNames: ['po'],
      categories: ['all'],
    });
    const secrets = resources('', 'v1').find((r) => r.name === 'secrets');
    assert.ok(secrets && !('shortNames' in secrets) && !('categories' in secrets));
  });

  it('lists a custom version with the group-version it was asked for', () => {
    const list = apiResourceList(servedTypes(), 'example.test', 'v1alpha1') as { groupVersion: string; resources: ApiResource[] };
    assert.equal(list.groupVersion, 'example.test/v1alpha1');
    assert.deepEqual(
      list.resources.map((r) => r.name),
      ['widgets'],
    );
  });
});
