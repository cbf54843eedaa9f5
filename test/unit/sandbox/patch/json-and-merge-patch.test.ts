import { strict as assert } from 'node:assert';
import { ApiError } from '../../../../sandbox/api/status.js';
import { applyJsonPatch, applyJsonPatchDocument, applyMergePatch, applyMergePatchDocument } from '../../../../sandbox/patch/index.js';
import { anObject } from '../builders.js';

function apiError(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiError) return err;
    throw err;
  }
  assert.fail('expected an ApiError');
}

describe('RFC 6902 JSON patch', function () {
  const cases: Array<{ title: string; doc: unknown; patch: unknown[]; expected: unknown }> = [
    {
      title: 'adds an object member',
      doc: { foo: 'bar' },
      patch: [{ op: 'add', path: '/baz', value: 'qux' }],
      expected: { foo: 'bar', baz: 'qux' },
    },
    {
      title: 'inserts into an array at an index',
      doc: { foo: ['bar', 'baz'] },
      patch: [{ op: 'add', path: '/foo/1', value: 'qux' }],
      expected: { foo: ['bar', 'qux', 'baz'] },
    },
    {
      title: 'appends to an array with "-"',
      doc: { foo: [1] },
      patch: [{ op: 'add', path: '/foo/-', value: 2 }],
      expected: { foo: [1, 2] },
    },
    {
      title: 'removes an object member',
      doc: { baz: 'qux', foo: 'bar' },
      patch: [{ op: 'remove', path: '/baz' }],
      expected: { foo: 'bar' },
    },
    {
      title: 'removes an array element',
      doc: { foo: ['bar', 'qux', 'baz'] },
      patch: [{ op: 'remove', path: '/foo/1' }],
      expected: { foo: ['bar', 'baz'] },
    },
    {
      title: 'replaces a value',
      doc: { baz: 'qux', foo: 'bar' },
      patch: [{ op: 'replace', path: '/baz', value: 'boo' }],
      expected: { baz: 'boo', foo: 'bar' },
    },
    {
      title: 'moves a value',
      doc: { foo: { bar: 'baz', waldo: 'fred' }, qux: { corge: 'grault' } },
      patch: [{ op: 'move', from: '/foo/waldo', path: '/qux/thud' }],
      expected: { foo: { bar: 'baz' }, qux: { corge: 'grault', thud: 'fred' } },
    },
    {
      title: 'moves an array element',
      doc: { foo: ['all', 'grass', 'cows', 'eat'] },
      patch: [{ op: 'move', from: '/foo/1', path: '/foo/3' }],
      expected: { foo: ['all', 'cows', 'eat', 'grass'] },
    },
    {
      title: 'copies a value',
      doc: { a: { b: 1 } },
      patch: [{ op: 'copy', from: '/a', path: '/c' }],
      expected: { a: { b: 1 }, c: { b: 1 } },
    },
    {
      title: 'passes a test that matches and applies what follows',
      doc: { baz: 'qux' },
      patch: [
        { op: 'test', path: '/baz', value: 'qux' },
        { op: 'add', path: '/x', value: 1 },
      ],
      expected: { baz: 'qux', x: 1 },
    },
    {
      title: 'unescapes ~1 and ~0 in pointers',
      doc: { 'a/b': 1, 'm~n': 2 },
      patch: [
        { op: 'replace', path: '/a~1b', value: 3 },
        { op: 'remove', path: '/m~0n' },
      ],
      expected: { 'a/b': 3 },
    },
    {
      title: 'adds a nested member holding an object',
      doc: { foo: 'bar' },
      patch: [{ op: 'add', path: '/child', value: { grandchild: {} } }],
      expected: { foo: 'bar', child: { grandchild: {} } },
    },
  ];
  for (const c of cases) {
    it(c.title, function () {
      assert.deepEqual(applyJsonPatchDocument(c.doc, c.patch), c.expected);
    });
  }

  const failures: Array<{ title: string; patch: unknown[] }> = [
    {
      title: 'rejects a failed test with 422 and the generic Invalid message',
      patch: [{ op: 'test', path: '/metadata/name', value: 'other' }],
    },
    { title: 'rejects removing a missing member with 422', patch: [{ op: 'remove', path: '/spec/missing' }] },
    { title: 'rejects replacing a missing member with 422', patch: [{ op: 'replace', path: '/spec/missing', value: 1 }] },
    { title: 'rejects adding below a missing parent with 422', patch: [{ op: 'add', path: '/nope/deeper', value: 1 }] },
    { title: 'rejects an array index past the end with 422', patch: [{ op: 'add', path: '/spec/items/5', value: 1 }] },
    { title: 'rejects an unknown operation with 422', patch: [{ op: 'frobnicate', path: '/spec' }] },
  ];
  for (const c of failures) {
    it(c.title, function () {
      const err = apiError(() => applyJsonPatch(anObject('v1', 'ConfigMap', { spec: { items: [] } }), c.patch));
      assert.equal(err.code, 422);
      assert.equal(err.reason, 'Invalid');
      assert.equal(err.message, 'the server rejected our request due to an error in our request');
    });
  }

  it('rejects a body that is an object rather than a list with 400 BadRequest', function () {
    const err = apiError(() => applyJsonPatch(anObject('v1', 'ConfigMap'), { op: 'add', path: '/a', value: 1 }));
    assert.equal(err.code, 400);
    assert.equal(err.reason, 'BadRequest');
    assert.equal(err.message, 'json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  });

  it('leaves the target object untouched', function () {
    const target = anObject('v1', 'ConfigMap', { data: { a: '1' } });
    applyJsonPatch(target, [{ op: 'replace', path: '/data/a', value: '2' }]);
    assert.deepEqual(target.data, { a: '1' });
  });
});

describe('RFC 7386 JSON merge patch', function () {
  // RFC 7386 Appendix A, every example.
  const vectors: Array<[unknown, unknown, unknown]> = [
    [{ a: 'b' }, { a: 'c' }, { a: 'c' }],
    [{ a: 'b' }, { b: 'c' }, { a: 'b', b: 'c' }],
    [{ a: 'b' }, { a: null }, {}],
    [{ a: 'b', b: 'c' }, { a: null }, { b: 'c' }],
    [{ a: ['b'] }, { a: 'c' }, { a: 'c' }],
    [{ a: 'c' }, { a: ['b'] }, { a: ['b'] }],
    [{ a: { b: 'c' } }, { a: { b: 'd', c: null } }, { a: { b: 'd' } }],
    [{ a: [{ b: 'c' }] }, { a: [1] }, { a: [1] }],
    [{ e: null }, { a: 1 }, { e: null, a: 1 }],
    [[1, 2], { a: 'b', c: null }, { a: 'b' }],
    [{}, { a: { bb: { ccc: null } } }, { a: { bb: {} } }],
  ];
  vectors.forEach(([target, patch, expected], i) => {
    it(`merges RFC 7386 appendix A example ${i + 1}`, function () {
      assert.deepEqual(applyMergePatchDocument(target, patch), expected);
    });
  });

  it('replaces lists wholesale, as kubectl scale and label patches rely on', function () {
    const patched = applyMergePatch(
      anObject('apps/v1', 'Deployment', { spec: { replicas: 3, template: { spec: { containers: [{ name: 'a' }, { name: 'b' }] } } } }),
      { spec: { replicas: 0, template: { spec: { containers: [{ name: 'c' }] } } } },
    );
    assert.deepEqual(patched.spec, { replicas: 0, template: { spec: { containers: [{ name: 'c' }] } } });
  });

  it('rejects a null patch with 400 "Invalid JSON Patch"', function () {
    const err = apiError(() => applyMergePatch(anObject('v1', 'ConfigMap'), null));
    assert.equal(err.code, 400);
    assert.equal(err.message, 'Invalid JSON Patch');
  });
});
