import { strict as assert } from 'node:assert';
import { invalid } from '../../../../sandbox/api/status.js';
import type { KubeObject } from '../../../../sandbox/api/types.js';
import { validateObjectMeta } from '../../../../sandbox/validation/index.js';
import { aBuiltinType, aCustomType } from '../builders.js';
import { aCrd } from '../../../fixtures/crd-builder.js';

function objectWith(metadata: Record<string, unknown>): KubeObject {
  return { apiVersion: 'v1', kind: 'Thing', metadata } as KubeObject;
}

describe('object metadata validation', function () {
  const cases: Array<{
    title: string;
    kind: string;
    metadata: Record<string, unknown>;
    create?: boolean;
    expected: Array<[string, RegExp | string]>;
  }> = [
    {
      title: 'accepts a DNS subdomain name for a Deployment',
      kind: 'Deployment',
      metadata: { name: 'gloo.proxy-1', namespace: 'gloo-system' },
      expected: [],
    },
    {
      title: 'requires a name unless generateName is set on create',
      kind: 'ConfigMap',
      metadata: { namespace: 'default' },
      expected: [['metadata.name', 'Required value: name or generateName is required']],
    },
    {
      title: 'accepts generateName with a trailing dash on create',
      kind: 'Pod',
      metadata: { generateName: 'job-', namespace: 'default' },
      expected: [],
    },
    {
      title: 'still requires a name on update even with generateName',
      kind: 'Pod',
      metadata: { generateName: 'job-', namespace: 'default' },
      create: false,
      expected: [['metadata.name', 'Required value: name or generateName is required']],
    },
    {
      title: 'rejects upper case in a subdomain name',
      kind: 'Secret',
      metadata: { name: 'Bad', namespace: 'default' },
      expected: [
        [
          'metadata.name',
          /^Invalid value: "Bad": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '\.', and must start and end with an alphanumeric character \(e\.g\. 'example\.com', regex used for validation is/,
        ],
      ],
    },
    {
      title: 'rejects a Service name that starts with a digit (DNS-1035)',
      kind: 'Service',
      metadata: { name: '1svc', namespace: 'default' },
      expected: [
        ['metadata.name', /a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character/],
      ],
    },
    {
      title: 'rejects a namespace name with dots (DNS-1123 label)',
      kind: 'Namespace',
      metadata: { name: 'a.b' },
      expected: [['metadata.name', 'Invalid value: "a.b": must not contain dots']],
    },
    {
      title: 'rejects a 64-character namespace name',
      kind: 'Namespace',
      metadata: { name: 'a'.repeat(64) },
      expected: [['metadata.name', /must be no more than 63 characters/]],
    },
    { title: 'allows upper case in RBAC names (path segments)', kind: 'ClusterRole', metadata: { name: 'system:Admin' }, expected: [] },
    {
      title: 'rejects a slash in an RBAC name',
      kind: 'Role',
      metadata: { name: 'a/b', namespace: 'default' },
      expected: [['metadata.name', `Invalid value: "a/b": may not contain '/'`]],
    },
    {
      title: 'rejects a boolean name, as YAML 1.1 makes of `name: y`',
      kind: 'ConfigMap',
      metadata: { name: true, namespace: 'default' },
      expected: [
        [
          'metadata.name',
          /^Invalid value: true: json: cannot unmarshal bool into Go struct field ObjectMeta\.metadata\.name of type string$/,
        ],
      ],
    },
    {
      title: 'requires a namespace for a namespaced kind',
      kind: 'ConfigMap',
      metadata: { name: 'c' },
      expected: [['metadata.namespace', 'Required value']],
    },
    {
      title: 'forbids a namespace on a cluster-scoped kind',
      kind: 'ClusterRole',
      metadata: { name: 'c', namespace: 'default' },
      expected: [['metadata.namespace', 'Forbidden: not allowed on this type']],
    },
    {
      title: 'rejects a label key with two slashes',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'd', labels: { 'a/b/c': 'v' } },
      expected: [['metadata.labels', /^Invalid value: "a\/b\/c": a qualified name must consist of/]],
    },
    {
      title: 'rejects a label value with a space',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'd', labels: { app: 'a b' } },
      expected: [
        [
          'metadata.labels',
          /^Invalid value: "a b": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '\.', and must start and end with an alphanumeric character \(e\.g\. 'MyValue', {2}or 'my_value', {2}or '12345', regex used/,
        ],
      ],
    },
    {
      title: 'rejects a 64-character label value',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'd', labels: { app: 'v'.repeat(64) } },
      expected: [['metadata.labels', /must be no more than 63 characters/]],
    },
    {
      title: 'accepts an empty label value and a prefixed key',
      kind: 'ConfigMap',
      metadata: { name: 'c', namespace: 'd', labels: { 'app.kubernetes.io/name': '' } },
      expected: [],
    },
  ];
  for (const c of cases) {
    it(c.title, function () {
      const causes = validateObjectMeta(aBuiltinType(c.kind), objectWith(c.metadata), c.create ?? true);
      assert.equal(causes.length, c.expected.length, JSON.stringify(causes));
      c.expected.forEach(([field, message], i) => {
        assert.equal(causes[i]?.field, field);
        if (typeof message === 'string') assert.equal(causes[i]?.message, message);
        else assert.match(causes[i]?.message ?? '', message);
      });
    });
  }

  it("rejects annotations over 256 KiB with the real server's Too long message", function () {
    // What client-side `kubectl apply` stores for a large CRD: its whole JSON as last-applied-configuration.
    const annotations = { 'kubectl.kubernetes.io/last-applied-configuration': 'x'.repeat(262144) };
    const crd = objectWith({ name: 'virtualservices.gateway.solo.io', annotations });
    const causes = validateObjectMeta(aBuiltinType('CustomResourceDefinition'), crd, true);
    assert.deepEqual(causes, [
      { reason: 'FieldValueTooLong', message: 'Too long: must have at most 262144 bytes', field: 'metadata.annotations' },
    ]);
    assert.equal(
      invalid('apiextensions.k8s.io', 'CustomResourceDefinition', 'virtualservices.gateway.solo.io', causes).message,
      'CustomResourceDefinition.apiextensions.k8s.io "virtualservices.gateway.solo.io" is invalid: metadata.annotations: Too long: must have at most 262144 bytes',
    );
  });

  it('refuses a CRD larger than 256 KiB carrying itself as last-applied-configuration, as client-side kubectl apply sends it', function () {
    const crd = aCrd().paddedTo(300_000).build();
    const withLastApplied = {
      ...crd,
      metadata: { ...crd.metadata, annotations: { 'kubectl.kubernetes.io/last-applied-configuration': JSON.stringify(crd) } },
    };
    assert.deepEqual(
      validateObjectMeta(aBuiltinType('CustomResourceDefinition'), withLastApplied, true).map((c) => `${c.field}: ${c.message}`),
      ['metadata.annotations: Too long: must have at most 262144 bytes'],
    );
  });

  it('accepts annotations of exactly 256 KiB, keys included', function () {
    const key = 'a';
    const causes = validateObjectMeta(
      aBuiltinType('ConfigMap'),
      objectWith({ name: 'c', namespace: 'd', annotations: { [key]: 'x'.repeat(262144 - key.length) } }),
      true,
    );
    assert.deepEqual(causes, []);
  });

  it('counts annotation size in bytes, not characters', function () {
    const causes = validateObjectMeta(
      aBuiltinType('ConfigMap'),
      objectWith({ name: 'c', namespace: 'd', annotations: { a: 'é'.repeat(131072) } }),
      true,
    );
    assert.equal(causes[0]?.message, 'Too long: must have at most 262144 bytes');
  });

  it('validates custom resource names as DNS subdomains', function () {
    const causes = validateObjectMeta(aCustomType(undefined), objectWith({ name: 'Upper', namespace: 'default' }), true);
    assert.equal(causes[0]?.field, 'metadata.name');
  });

  it('gives the same causes when the same labels and annotations come again (only valid strings are remembered)', function () {
    // A small deterministic generator (mulberry32).
    let state = 5;
    const next = (): number => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const parts = [
      'app',
      'App',
      'a.b',
      'x/y',
      'x/y/z',
      '/y',
      'x/',
      '-a',
      'a-',
      'a b',
      '',
      'é',
      'v'.repeat(64),
      'EXAMPLE.com/Name',
      'example.com/n_1',
    ];
    const aString = (): string =>
      Array.from({ length: 1 + Math.floor(next() * 2) }, () => parts[Math.floor(next() * parts.length)]).join('');
    const objects = Array.from({ length: 3_000 }, (_, i) => {
      const labels: Record<string, unknown> = {};
      const annotations: Record<string, unknown> = {};
      for (let j = Math.floor(next() * 4); j > 0; j--) labels[aString()] = next() < 0.1 ? 7 : aString();
      for (let j = Math.floor(next() * 3); j > 0; j--) annotations[aString()] = aString();
      return objectWith({ name: `o-${i}`, namespace: 'default', labels, annotations });
    });
    const first = objects.map((o) => JSON.stringify(validateObjectMeta(aBuiltinType('ConfigMap'), o, true)));
    assert.ok(
      first.some((causes) => causes !== '[]') && first.some((causes) => causes === '[]'),
      'both valid and invalid metadata generated',
    );
    const again = objects.map((o) => JSON.stringify(validateObjectMeta(aBuiltinType('ConfigMap'), o, true)));
    assert.deepEqual(again, first);
  });
});
