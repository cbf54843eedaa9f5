/**
 * prunedPaths names the fields pruning removed, for fieldValidation's warnings and Strict errors.
 * It now appends to one list instead of concatenating lists per level; the concatenating version
 * stays here as the reference, and the two must list the same paths in the same order.
 */
import { strict as assert } from 'node:assert';
import { prunedPaths } from '../../../../sandbox/api/unknown-fields.js';
import { seededRandom } from '../../../support/random.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function reference(before: unknown, after: unknown, prefix = ''): string[] {
  if (Array.isArray(before) && Array.isArray(after)) return before.flatMap((item, i) => reference(item, after[i], `${prefix}[${i}]`));
  if (!isObject(before) || !isObject(after)) return [];
  const out: string[] = [];
  for (const key of Object.keys(before)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (!(key in after)) out.push(path);
    else out.push(...reference(before[key], after[key], path));
  }
  return out;
}

const keys = ['spec', 'a', 'b', 'items', 'x.y', '0', '1', ''];

function aValue(next: () => number, depth: number): unknown {
  const pick = next();
  if (depth > 4 || pick < 0.3) return pick < 0.1 ? null : 'v';
  if (pick < 0.5) return Array.from({ length: Math.floor(next() * 4) }, () => aValue(next, depth + 1));
  const object: Record<string, unknown> = {};
  for (let i = Math.floor(next() * 5); i > 0; i--) object[keys[Math.floor(next() * keys.length)] as string] = aValue(next, depth + 1);
  return object;
}

/** A pruned copy: some keys and array items dropped, some values replaced by other shapes. */
function pruned(next: () => number, value: unknown): unknown {
  if (Array.isArray(value)) return value.filter(() => next() < 0.8).map((item) => pruned(next, item));
  if (!isObject(value)) return next() < 0.1 ? { a: 'v' } : value;
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) if (next() < 0.7) out[key] = pruned(next, child);
  return out;
}

describe('prunedPaths', function () {
  it('names dropped fields with dots and list indexes', function () {
    const before = { spec: { kept: 1, gone: 2, items: [{ a: 1, b: 2 }, { a: 1 }] }, status: { x: 1 } };
    const after = { spec: { kept: 1, items: [{ a: 1 }, { a: 1 }] } };
    assert.deepEqual(prunedPaths(before, after), ['spec.gone', 'spec.items[0].b', 'status']);
  });

  it('lists what the concatenating version listed, in its order, on 10,000 generated pairs', function () {
    const next = seededRandom(11);
    for (let i = 0; i < 10_000; i++) {
      const before = aValue(next, 0);
      const after = pruned(next, before);
      assert.deepEqual(prunedPaths(before, after), reference(before, after), JSON.stringify({ before, after }));
    }
  });
});
