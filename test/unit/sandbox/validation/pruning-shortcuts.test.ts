/**
 * Shortcuts in custom resource validation that rest on properties of pruning, checked here on
 * thousands of generated schemas and objects (defaults that carry unknown fields, nulls of
 * nullable and non-nullable fields, preserved and embedded objects, maps and lists):
 * - the second prune (of filled-in defaults) is skipped when no default was filled in, because
 *   pruning the result again must change nothing;
 * - the write pipeline skips looking for removed fields when pruning removed none and defaulting
 *   dropped no null, because then every field of the input is still there;
 * - pruneUnknownFields copies only what pruning keeps, in one walk, instead of copying everything
 *   and deleting: the result and the reported paths must be those of the copy-then-prune.
 */
import { strict as assert } from 'node:assert';
import type { JSONSchemaProps, KubeObject } from '../../../../sandbox/api/types.js';
import { prunedPaths } from '../../../../sandbox/api/unknown-fields.js';
import { pruneUnknownFields, validateCustomResource } from '../../../../sandbox/validation/index.js';
import { deepClone } from '../../../../sandbox/patch/json-value.js';
import { prune } from '../../../../sandbox/validation/schema-validation.js';
import { aCustomType } from '../builders.js';
import { seededRandom } from '../../../support/random.js';

const names = ['a', 'b', 'c', 'size', 'items', 'constructor', 'toString'];

/** A value's own fields and, for objects, what its prototype is (Object.prototype, null, or a described object). */
function described(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map(described);
  const prototype = Object.getPrototypeOf(value) as unknown;
  return {
    prototype: prototype === Object.prototype ? 'Object.prototype' : prototype === null ? null : described(prototype),
    own: Object.keys(value).map((key) => [key, described((value as Record<string, unknown>)[key])]),
  };
}

function aSchema(next: () => number, depth: number): JSONSchemaProps {
  const pick = next();
  const schema: JSONSchemaProps = {};
  if (depth > 3 || pick < 0.35) {
    schema.type = ['string', 'integer', 'boolean'][Math.floor(next() * 3)];
    if (next() < 0.3) schema.default = schema.type === 'string' ? 'd' : schema.type === 'integer' ? 7 : true;
  } else if (pick < 0.5) {
    schema.type = 'array';
    schema.items = aSchema(next, depth + 1);
  } else {
    schema.type = 'object';
    const properties: Record<string, JSONSchemaProps> = {};
    for (let i = Math.floor(next() * 4); i > 0; i--)
      properties[names[Math.floor(next() * names.length)] as string] = aSchema(next, depth + 1);
    schema.properties = properties;
    if (next() < 0.15) schema.additionalProperties = next() < 0.5 ? true : aSchema(next, depth + 1);
    if (next() < 0.15) schema['x-kubernetes-preserve-unknown-fields'] = true;
    if (next() < 0.1) schema['x-kubernetes-embedded-resource'] = true;
    // A default may carry fields the schema does not know, which the second prune removes.
    if (next() < 0.25) schema.default = { a: 1, unknown: { x: 1 }, size: null };
  }
  if (next() < 0.2) schema.nullable = true;
  return schema;
}

function aValue(next: () => number, depth: number): unknown {
  const pick = next();
  if (pick < 0.15) return null;
  if (depth > 4 || pick < 0.45) return [() => 's', () => 3, () => false][Math.floor(next() * 3)]?.();
  if (pick < 0.6) return Array.from({ length: Math.floor(next() * 3) }, () => aValue(next, depth + 1));
  const object: Record<string, unknown> = {};
  for (let i = Math.floor(next() * 5); i > 0; i--)
    object[[...names, 'unknown', 'apiVersion', 'kind', 'metadata'][Math.floor(next() * (names.length + 4))] as string] = aValue(
      next,
      depth + 1,
    );
  // JSON.parse makes "__proto__" an own key, which copies treat specially.
  if (next() < 0.05)
    Object.defineProperty(object, '__proto__', {
      value: next() < 0.5 ? { a: 1 } : 'x',
      enumerable: true,
      writable: true,
      configurable: true,
    });
  return object;
}

function aCase(next: () => number): { schema: JSONSchemaProps; object: KubeObject } {
  const spec = aSchema(next, 1);
  const schema: JSONSchemaProps = {
    type: 'object',
    properties: { spec, status: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
  };
  const object: KubeObject = {
    apiVersion: 'example.test/v1',
    kind: 'Widget',
    metadata: { name: 'w', namespace: 'default', ...(next() < 0.1 ? { nonsense: 1 } : {}) },
  };
  if (next() < 0.9) object.spec = aValue(next, 1);
  if (next() < 0.2) object.extra = 1;
  return { schema, object };
}

describe('custom resource pruning shortcuts', function () {
  it('leaves nothing for a further prune to remove, with or without defaults filled in', function () {
    const next = seededRandom(2026);
    let withDefaults = 0;
    for (let i = 0; i < 5_000; i++) {
      const { schema, object } = aCase(next);
      const result = validateCustomResource(aCustomType(schema), object);
      const again = pruneUnknownFields(schema, result.object);
      assert.deepEqual(again.pruned, [], JSON.stringify({ schema, object }));
      assert.equal(JSON.stringify(again.object), JSON.stringify(result.object));
      if (JSON.stringify(result.object).includes('"unknown":{"x":1}') === false && JSON.stringify(schema).includes('"default":{'))
        withDefaults++;
    }
    assert.ok(withDefaults > 100, `defaults with unknown fields exercised (${withDefaults})`);
  });

  it('has no removed field to report when nothing was pruned and no null dropped', function () {
    const next = seededRandom(77);
    let clean = 0;
    let reported = 0;
    for (let i = 0; i < 5_000; i++) {
      const { schema, object } = aCase(next);
      const result = validateCustomResource(aCustomType(schema), object);
      const removed = prunedPaths(object, result.object);
      if (result.pruned.length === 0 && result.nullsDropped === 0) {
        clean++;
        assert.deepEqual(removed, [], JSON.stringify({ schema, object }));
      } else if (removed.length > 0) reported++;
    }
    assert.ok(clean > 500 && reported > 500, `both cases generated (${clean} clean, ${reported} with removed fields)`);
  });

  it('prunes a copy in one walk exactly as copying everything and then pruning did', function () {
    const next = seededRandom(404);
    let withPruned = 0;
    for (let i = 0; i < 5_000; i++) {
      const { schema, object } = aCase(next);
      const reference = deepClone(object);
      const referencePaths: string[] = [];
      prune(reference, schema, '', referencePaths, true);
      const before = JSON.stringify(object);
      const got = pruneUnknownFields(schema, object);
      assert.equal(JSON.stringify(object), before, 'the input is left alone');
      assert.deepEqual(got.pruned, referencePaths, JSON.stringify({ schema, object }));
      assert.equal(JSON.stringify(got.object), JSON.stringify(reference), JSON.stringify({ schema, object }));
      assert.deepEqual(Object.keys(got.object), Object.keys(reference));
      // A "__proto__" key may have set a copy's prototype: compare those too.
      assert.deepEqual(described(got.object), described(reference));
      if (referencePaths.length > 0) withPruned++;
    }
    assert.ok(withPruned > 1000, `objects with unknown fields generated (${withPruned})`);
  });
});
