/**
 * fieldsV1Of builds a FieldsV1 tree in one walk; the field-set computation it replaces on creates
 * (fieldSetOf(...).toFieldsV1()) stays the reference. Both are compared as serialised JSON, so
 * key order counts as it does on the wire, over built-in kinds whose lists merge by key or as
 * sets, a CRD schema with map/set/atomic lists and atomic maps, and thousands of generated objects.
 */
import { strict as assert } from 'node:assert';
import type { JSONSchemaProps, KubeObject, ResourceType } from '../../../../sandbox/api/types.js';
import { FieldSet, fieldSetOf, fieldsV1Of, ListTypes } from '../../../../sandbox/patch/field-set.js';
import { recordUpdateManager, recordUpdateManagerInPlace } from '../../../../sandbox/patch/index.js';
import { aBuiltinType, aCustomType, aDeployment } from '../builders.js';
import { seededRandom } from '../../../support/random.js';

const schema: JSONSchemaProps = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        servers: {
          type: 'array',
          'x-kubernetes-list-type': 'map',
          'x-kubernetes-list-map-keys': ['port', 'name'],
          items: {
            type: 'object',
            properties: {
              port: { type: 'integer' },
              name: { type: 'string' },
              hosts: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
            },
          },
        },
        tags: { type: 'array', 'x-kubernetes-list-type': 'set', items: { type: 'string' } },
        order: { type: 'array', 'x-kubernetes-list-type': 'atomic', items: { type: 'string' } },
        plain: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        selector: { type: 'object', 'x-kubernetes-map-type': 'atomic', additionalProperties: { type: 'string' } },
        extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    },
    status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  },
};

const types: ResourceType[] = [
  aCustomType(schema),
  aCustomType(undefined, 'Loose'),
  aBuiltinType('Deployment'),
  aBuiltinType('Service'),
  aBuiltinType('ConfigMap'),
  aBuiltinType('Pod'),
  aBuiltinType('ValidatingWebhookConfiguration', { group: 'admissionregistration.k8s.io', namespaced: false }),
];

function reference(object: KubeObject, type: ResourceType, options: { includeMaps?: boolean; skipStatus?: boolean }): string {
  return JSON.stringify(fieldSetOf(object, new ListTypes(type), options).toFieldsV1());
}

function fast(object: KubeObject, type: ResourceType, options: { includeMaps?: boolean; skipStatus?: boolean }): string {
  return JSON.stringify(fieldsV1Of(object, new ListTypes(type), options));
}

const keys = [
  'name',
  'port',
  'protocol',
  'hosts',
  'servers',
  'tags',
  'order',
  'plain',
  'selector',
  'extra',
  'a',
  'b',
  'B',
  '.',
  'x.y',
  'ä',
  '',
  'containers',
  'ports',
  'env',
  'value',
  'uid',
  'labels',
  'template',
  'spec',
  'metadata',
  'matchLabels',
  'webhooks',
  'data',
];

function aValue(next: () => number, depth: number): unknown {
  const pick = next();
  if (depth > 4 || pick < 0.3) {
    const leaf = [() => 'text', () => '', () => Math.floor(next() * 5), () => next() < 0.5, () => null, () => 'TCP', () => 80][
      Math.floor(next() * 7)
    ] as () => unknown;
    return leaf();
  }
  if (pick < 0.55) return Array.from({ length: Math.floor(next() * 4) }, () => aValue(next, depth + 1));
  const object: Record<string, unknown> = {};
  const count = Math.floor(next() * 5);
  for (let i = 0; i < count; i++) object[keys[Math.floor(next() * keys.length)] as string] = aValue(next, depth + 1);
  return object;
}

function anObject(next: () => number, type: ResourceType): KubeObject {
  const object: KubeObject = {
    apiVersion: type.group ? `${type.group}/${type.version}` : type.version,
    kind: type.kind,
    metadata: { name: 'x', namespace: 'default', uid: 'u', creationTimestamp: 't', generation: 1 },
  };
  if (next() < 0.6) object.metadata.labels = next() < 0.8 ? { app: 'web', tier: 'a' } : ({ app: 1 } as unknown as Record<string, string>);
  if (next() < 0.3) object.metadata.annotations = { note: 'n' };
  if (next() < 0.3) object.metadata.finalizers = ['a/b', 'a/b', 'c'];
  if (next() < 0.3)
    object.metadata.ownerReferences = [
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'o', uid: 'u1' },
      { apiVersion: 'v1', kind: 'ConfigMap', name: 'o', uid: 'u1' },
    ];
  for (const key of ['spec', 'status', 'data', 'webhooks', 'extra']) if (next() < 0.5) object[key] = aValue(next, 0);
  if (next() < 0.2) object.data = { a: '1', b: '' };
  if (next() < 0.5) {
    object.spec = {
      servers: [{ port: 80, name: 'http', hosts: ['a', 'b', 'a'] }, { port: 80, name: 'http', hosts: [] }, { port: 443 }, 'not-an-object'],
      tags: ['x', { y: 1 }, 'x'],
      order: ['b', 'a'],
      plain: [{ a: 1 }, {}],
      selector: { app: 'web' },
      extra: aValue(next, 1),
      template: {
        metadata: { labels: { app: 'web' }, finalizers: ['z'] },
        spec: {
          containers: [
            { name: 'app', ports: [{ containerPort: 80 }, { containerPort: 80, protocol: 'UDP' }], env: [{ name: 'A', value: '1' }] },
            { image: 'no-name' },
          ],
        },
      },
      ports: [{ port: 80 }, { port: 80, protocol: 'TCP' }, { port: 53, protocol: 'UDP' }],
    };
  }
  if (next() < 0.1) (object as Record<string, unknown>).metadata = next() < 0.5 ? null : 'odd';
  return object;
}

describe('FieldsV1 of a whole object in one walk', function () {
  it('equals the field set serialised, for a Deployment with and without maps recorded', function () {
    const deployment = aDeployment().withReplicas(3).build();
    for (const options of [{}, { includeMaps: true }, { skipStatus: true }, { includeMaps: true, skipStatus: true }]) {
      assert.equal(fast(deployment, aBuiltinType('Deployment'), options), reference(deployment, aBuiltinType('Deployment'), options));
    }
    assert.match(
      fast(deployment, aBuiltinType('Deployment'), { includeMaps: true }),
      /"f:spec":\{"f:replicas":\{\},"f:selector":\{\},"f:template":/,
    );
  });

  it('records string maps themselves only below the top level, as Update entries do', function () {
    const configMap: KubeObject = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'a', labels: { app: 'web' } },
      data: { a: '1', b: '2' },
    };
    const fields = fast(configMap, aBuiltinType('ConfigMap'), { includeMaps: true });
    assert.equal(fields, reference(configMap, aBuiltinType('ConfigMap'), { includeMaps: true }));
    assert.equal(fields, '{"f:data":{"f:a":{},"f:b":{}},"f:metadata":{"f:labels":{".":{},"f:app":{}}}}');
  });

  it('records nothing for an object that sets only untracked fields', function () {
    const bare: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'default', uid: 'u' } };
    assert.equal(fast(bare, aBuiltinType('ConfigMap'), { includeMaps: true }), '{}');
    assert.equal(reference(bare, aBuiltinType('ConfigMap'), { includeMaps: true }), '{}');
  });

  it('equals the field set serialised on 5,000 generated objects of seven kinds', function () {
    const next = seededRandom(42);
    for (let i = 0; i < 5_000; i++) {
      const type = types[i % types.length] as ResourceType;
      const object = anObject(next, type);
      const options = { includeMaps: next() < 0.7, skipStatus: next() < 0.3 };
      assert.equal(
        fast(object, type, options),
        reference(object, type, options),
        `${type.kind} ${JSON.stringify(object)} ${JSON.stringify(options)}`,
      );
    }
  });

  it('gives a create the single Update entry of every field it set', function () {
    const next = seededRandom(9);
    for (let i = 0; i < 500; i++) {
      const type = types[i % types.length] as ResourceType;
      const object = anObject(next, type);
      if (object.metadata === null || typeof object.metadata !== 'object') continue;
      const fieldsV1 = fieldSetOf(object, new ListTypes(type), { includeMaps: true }).toFieldsV1();
      const expected =
        Object.keys(fieldsV1).length > 0
          ? {
              ...object,
              metadata: {
                ...object.metadata,
                managedFields: [
                  { manager: 'm', operation: 'Update', apiVersion: object.apiVersion, time: 'now', fieldsType: 'FieldsV1', fieldsV1 },
                ],
              },
            }
          : object;
      assert.equal(
        JSON.stringify(recordUpdateManager(type, undefined, object, 'm', 'now')),
        JSON.stringify(expected),
        JSON.stringify(object),
      );
    }
  });

  it('serialises any field set in the order the comparator sort gave, "." first, whatever the keys', function () {
    // The FieldsV1 serialisation as it was: a tree from the paths, collapsed with a comparator sort.
    const collapse = (node: Record<string, unknown>): Record<string, unknown> => {
      const names = Object.keys(node).sort((a, b) => (a === '.' ? -1 : b === '.' ? 1 : a < b ? -1 : a > b ? 1 : 0));
      if (names.length === 1 && names[0] === '.') return {};
      const out: Record<string, unknown> = {};
      for (const name of names) out[name] = name === '.' ? {} : collapse(node[name] as Record<string, unknown>);
      return out;
    };
    const serialised = (set: FieldSet): string => {
      const root: Record<string, unknown> = {};
      for (const path of set.paths()) {
        let node = root;
        for (const element of path) node = (node[element] ??= {}) as Record<string, unknown>;
        node['.'] = {};
      }
      return JSON.stringify(collapse(root));
    };
    const next = seededRandom(3);
    // Client-sent managedFields reach toFieldsV1 through fromFieldsV1, so keys need not be f:/k:/v:/i: elements.
    const names = ['f:a', 'f:b', 'f:B', 'k:{"name":"x"}', 'v:1', 'i:0', '-', '!', ' ', '', '1', '10', '2', '.x', 'a', 'Z', 'é', '~'];
    const aTree = (depth: number): Record<string, unknown> => {
      const tree: Record<string, unknown> = {};
      const count = depth > 3 ? 0 : Math.floor(next() * 5);
      for (let i = 0; i < count; i++) tree[names[Math.floor(next() * names.length)] as string] = aTree(depth + 1);
      if (next() < 0.3) tree['.'] = {};
      return tree;
    };
    for (let i = 0; i < 3_000; i++) {
      const set = FieldSet.fromFieldsV1(aTree(0));
      assert.equal(JSON.stringify(set.toFieldsV1()), serialised(set));
    }
    for (let i = 0; i < 1_000; i++) {
      const type = types[i % types.length] as ResourceType;
      const set = fieldSetOf(anObject(next, type), new ListTypes(type), { includeMaps: true });
      assert.equal(JSON.stringify(set.toFieldsV1()), serialised(set));
    }
  });

  it('records in place exactly what the copying version returns, for creates and updates', function () {
    const next = seededRandom(17);
    for (let i = 0; i < 2_000; i++) {
      const type = types[i % types.length] as ResourceType;
      const after = anObject(next, type);
      if (after.metadata === null || typeof after.metadata !== 'object') continue;
      const pick = next();
      // Sent managedFields: none, an empty list (the key stays or goes), or a list to replace the live one.
      // Sent first, so a key that moved to the end would show.
      if (pick < 0.2) after.metadata = { managedFields: [], ...after.metadata };
      else if (pick < 0.3)
        after.metadata = {
          managedFields: [
            {
              manager: 'other',
              operation: 'Update',
              apiVersion: after.apiVersion,
              fieldsType: 'FieldsV1',
              fieldsV1: { 'f:spec': {}, 'f:metadata': { 'f:labels': { '.': {} } } },
            },
          ],
          ...after.metadata,
        };
      const before = next() < 0.5 ? undefined : recordUpdateManager(type, undefined, anObject(next, type), 'first', 't0');
      const subresource = next() < 0.2 ? 'status' : undefined;
      const copied = JSON.stringify(recordUpdateManager(type, before, after, 'm', 'now', subresource));
      const unchanged = JSON.stringify(after);
      assert.equal(
        JSON.stringify(recordUpdateManager(type, before, after, 'm', 'now', subresource)),
        copied,
        'the copying version leaves its input alone',
      );
      assert.equal(JSON.stringify(after), unchanged);
      assert.equal(
        JSON.stringify(recordUpdateManagerInPlace(type, before, after, 'm', 'now', subresource)),
        copied,
        JSON.stringify({ before, after: JSON.parse(unchanged) }),
      );
    }
  });
});
