import { strict as assert } from 'node:assert';
import { invalid } from '../../../../sandbox/api/status.js';
import type { JSONSchemaProps } from '../../../../sandbox/api/types.js';
import { validateCustomResource } from '../../../../sandbox/validation/index.js';
import { aCustomType, aWidget } from '../builders.js';
import { loadVendorCrd, storageSchemaOf } from './vendor-crds.js';

function schemaWithSpec(properties: Record<string, JSONSchemaProps>, extra: JSONSchemaProps = {}): JSONSchemaProps {
  return { type: 'object', properties: { spec: { type: 'object', properties, ...extra } } };
}

describe('custom resource schema validation', function () {
  const cases: Array<{ title: string; property: JSONSchemaProps; value: unknown; expected: Array<[string, string, string]> }> = [
    {
      title: 'rejects an integer field given a string',
      property: { type: 'integer' },
      value: 'three',
      expected: [['spec.x', 'FieldValueTypeInvalid', 'Invalid value: "string": spec.x in body must be of type integer: "string"']],
    },
    {
      title: 'rejects 1.5 for an integer field',
      property: { type: 'integer', format: 'int32' },
      value: 1.5,
      expected: [['spec.x', 'FieldValueTypeInvalid', 'Invalid value: "number": spec.x in body must be of type integer: "number"']],
    },
    { title: 'accepts an integer for a number field', property: { type: 'number' }, value: 2, expected: [] },
    {
      title: 'rejects a string for a boolean field',
      property: { type: 'boolean' },
      value: 'true',
      expected: [['spec.x', 'FieldValueTypeInvalid', 'Invalid value: "string": spec.x in body must be of type boolean: "string"']],
    },
    {
      title: 'rejects a value outside an enum',
      property: { type: 'string', enum: ['a', 'b'] },
      value: 'x',
      expected: [['spec.x', 'FieldValueNotSupported', 'Unsupported value: "x": supported values: "a", "b"']],
    },
    {
      title: 'rejects a number below the minimum',
      property: { type: 'integer', minimum: 1 },
      value: 0,
      expected: [['spec.x', 'FieldValueInvalid', 'Invalid value: 0: spec.x in body should be greater than or equal to 1']],
    },
    {
      title: 'rejects a number at an exclusive maximum',
      property: { type: 'integer', maximum: 10, exclusiveMaximum: true },
      value: 10,
      expected: [['spec.x', 'FieldValueInvalid', 'Invalid value: 10: spec.x in body should be less than 10']],
    },
    {
      title: 'rejects a string over maxLength',
      property: { type: 'string', maxLength: 3 },
      value: 'abcd',
      expected: [['spec.x', 'FieldValueTooLong', 'Too long: may not be longer than 3']],
    },
    {
      title: 'rejects a string under minLength',
      property: { type: 'string', minLength: 2 },
      value: 'a',
      expected: [['spec.x', 'FieldValueInvalid', 'Invalid value: "a": spec.x in body should be at least 2 chars long']],
    },
    {
      title: 'rejects a string that misses its pattern',
      property: { type: 'string', pattern: '^[a-z]+$' },
      value: 'A1',
      expected: [['spec.x', 'FieldValueInvalid', 'Invalid value: "A1": spec.x in body should match \'^[a-z]+$\'']],
    },
    {
      title: 'rejects too many items',
      property: { type: 'array', maxItems: 1, items: { type: 'string' } },
      value: ['a', 'b'],
      expected: [['spec.x', 'FieldValueTooMany', 'Too many: 2: must have at most 1 items']],
    },
    {
      title: 'rejects too few items',
      property: { type: 'array', minItems: 1, items: { type: 'string' } },
      value: [],
      expected: [['spec.x', 'FieldValueInvalid', 'Invalid value: 0: spec.x in body should have at least 1 items']],
    },
    {
      title: 'names the failing item by index',
      property: { type: 'array', items: { type: 'integer' } },
      value: [1, 'two'],
      expected: [['spec.x[1]', 'FieldValueTypeInvalid', 'Invalid value: "string": spec.x[1] in body must be of type integer: "string"']],
    },
    {
      title: 'reports a missing required field',
      property: { type: 'object', required: ['name'], properties: { name: { type: 'string' } } },
      value: {},
      expected: [['spec.x.name', 'FieldValueRequired', 'Required value']],
    },
    {
      title: 'validates map values against additionalProperties',
      property: { type: 'object', additionalProperties: { type: 'integer' } },
      value: { a: 1, b: 'x' },
      expected: [['spec.x.b', 'FieldValueTypeInvalid', 'Invalid value: "string": spec.x.b in body must be of type integer: "string"']],
    },
    {
      title: 'accepts an integer for x-kubernetes-int-or-string',
      property: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
      value: 8080,
      expected: [],
    },
    {
      title: 'accepts a string for x-kubernetes-int-or-string',
      property: { 'x-kubernetes-int-or-string': true, anyOf: [{ type: 'integer' }, { type: 'string' }] },
      value: '25%',
      expected: [],
    },
    {
      title: 'rejects a boolean for x-kubernetes-int-or-string',
      property: { 'x-kubernetes-int-or-string': true },
      value: true,
      expected: [['spec.x', 'FieldValueTypeInvalid', 'Invalid value: "boolean": spec.x in body must be of type integer,string: "boolean"']],
    },
    { title: 'accepts null for a nullable field', property: { type: 'string', nullable: true }, value: null, expected: [] },
    {
      title: 'rejects duplicate keys in an x-kubernetes-list-type map',
      property: {
        type: 'array',
        'x-kubernetes-list-type': 'map',
        'x-kubernetes-list-map-keys': ['name'],
        items: { type: 'object', properties: { name: { type: 'string' } } },
      },
      value: [{ name: 'a' }, { name: 'a' }],
      expected: [['spec.x[1]', 'FieldValueDuplicate', 'Duplicate value: map[string]interface {}{"name":"a"}']],
    },
  ];
  for (const c of cases) {
    it(c.title, function () {
      const { causes } = validateCustomResource(aCustomType(schemaWithSpec({ x: c.property })), aWidget({ x: c.value }));
      assert.deepEqual(
        causes.map((cause) => [cause.field, cause.reason, cause.message]),
        c.expected,
      );
    });
  }

  it('reads like the real 422 once wrapped', function () {
    const { causes } = validateCustomResource(
      aCustomType(schemaWithSpec({ replicas: { type: 'integer' } })),
      aWidget({ replicas: 'string' }),
    );
    assert.equal(
      invalid('example.test', 'Widget', 'w', causes).message,
      'Widget.example.test "w" is invalid: spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string"',
    );
  });

  it('prunes unknown fields unless x-kubernetes-preserve-unknown-fields', function () {
    const schema: JSONSchemaProps = {
      type: 'object',
      properties: {
        spec: {
          type: 'object',
          properties: {
            known: { type: 'string' },
            free: {
              type: 'object',
              'x-kubernetes-preserve-unknown-fields': true,
              properties: { typed: { type: 'object', properties: { a: { type: 'string' } } } },
            },
            items: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
          },
        },
      },
    };
    const { object, pruned, causes } = validateCustomResource(
      aCustomType(schema),
      aWidget(
        { known: 'k', unknown: 1, free: { anything: { deep: true }, typed: { a: 'x', b: 'pruned' } }, items: [{ name: 'n', extra: 1 }] },
        { status: { ignored: true }, metadata: { name: 'w', namespace: 'default', bogus: 'x' } },
      ),
    );
    assert.deepEqual(causes, []);
    assert.deepEqual(object.spec, { known: 'k', free: { anything: { deep: true }, typed: { a: 'x' } }, items: [{ name: 'n' }] });
    assert.equal(object.status, undefined);
    assert.deepEqual(object.metadata, { name: 'w', namespace: 'default' });
    assert.deepEqual(pruned.sort(), ['metadata.bogus', 'spec.free.typed.b', 'spec.items[0].extra', 'spec.unknown', 'status'].sort());
  });

  it('keeps the type fields and ObjectMeta of an x-kubernetes-embedded-resource', function () {
    const schema = schemaWithSpec({
      template: {
        type: 'object',
        'x-kubernetes-embedded-resource': true,
        properties: { spec: { type: 'object', properties: { a: { type: 'string' } } } },
      },
    });
    const { object, causes } = validateCustomResource(
      aCustomType(schema),
      aWidget({ template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', nonsense: 1 }, spec: { a: 'x', b: 'y' } } }),
    );
    assert.deepEqual(causes, []);
    assert.deepEqual((object.spec as Record<string, unknown>).template, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { a: 'x' },
    });
  });

  it('requires apiVersion and kind in an embedded resource', function () {
    const schema = schemaWithSpec({
      template: { type: 'object', 'x-kubernetes-embedded-resource': true, 'x-kubernetes-preserve-unknown-fields': true },
    });
    const { causes } = validateCustomResource(aCustomType(schema), aWidget({ template: { metadata: {} } }));
    assert.deepEqual(
      causes.map((c) => [c.field, c.message]),
      [
        ['spec.template.apiVersion', 'Required value: must not be empty'],
        ['spec.template.kind', 'Required value: must not be empty'],
      ],
    );
  });

  it('fills in schema defaults and drops nulls of non-nullable fields', function () {
    const schema = schemaWithSpec({
      mode: { type: 'string', default: 'strict' },
      size: { type: 'integer' },
      nested: { type: 'object', default: {}, properties: { level: { type: 'integer', default: 3 } } },
    });
    const { object } = validateCustomResource(aCustomType(schema), aWidget({ size: null }));
    assert.deepEqual(object.spec, { mode: 'strict', nested: { level: 3 } });
  });

  it('leaves objects alone when the version has no schema', function () {
    const widget = aWidget({ anything: 1 });
    assert.deepEqual(validateCustomResource(aCustomType(undefined), widget), { object: widget, causes: [], pruned: [], nullsDropped: 0 });
  });

  describe('with the real NGINX Service Mesh CircuitBreaker CRD', function () {
    let schema: JSONSchemaProps;
    before(function () {
      schema = storageSchemaOf(loadVendorCrd(this, 'nginx-service-mesh/v2.0.0/circuitbreaker.yaml', 'circuitbreakers.specs.smi.nginx.com'));
    });

    function breaker(spec: Record<string, unknown>): ReturnType<typeof aWidget> {
      return { apiVersion: 'specs.smi.nginx.com/v1alpha1', kind: 'CircuitBreaker', metadata: { name: 'cb', namespace: 'default' }, spec };
    }

    it('accepts a well-formed CircuitBreaker', function () {
      const { causes } = validateCustomResource(
        aCustomType(schema, 'CircuitBreaker'),
        breaker({ destination: { kind: 'Service', name: 'backend' }, errors: 3, timeoutSeconds: 30 }),
      );
      assert.deepEqual(causes, []);
    });

    it('reports the wrong type, an unsupported kind and a missing field as the real server does', function () {
      const { causes } = validateCustomResource(
        aCustomType(schema, 'CircuitBreaker'),
        breaker({ destination: { kind: 'Pod', name: 'backend' }, errors: 'three' }),
      );
      const lines = causes.map((c) => `${c.field}: ${c.message}`);
      assert.ok(lines.includes('spec.timeoutSeconds: Required value'), lines.join('\n'));
      assert.ok(lines.includes('spec.destination.kind: Unsupported value: "Pod": supported values: "Service"'), lines.join('\n'));
      assert.ok(
        lines.includes('spec.errors: Invalid value: "string": spec.errors in body must be of type integer: "string"'),
        lines.join('\n'),
      );
    });
  });
});
