/**
 * Request targets and resource paths. Both parsers take a hand-written path for the common case,
 * so each is checked against the straightforward computation it replaces (URL, and a split of
 * the path) on explicit cases and on thousands of generated targets full of the characters URL
 * encodes, resolves or treats specially.
 */
import { strict as assert } from 'node:assert';
import { parseRequestTarget, parseResourcePath, type ResourceRoute } from '../../../../sandbox/server/router.js';
import { seededRandom } from '../../../support/random.js';

/** What the server computed before the fast path: URL's pathname, search without "?", and query pairs (or URL's error). */
function viaUrl(target: string): { pathname: string; search: string; pairs: string[][] } | string {
  try {
    const url = new URL(target, 'http://sandbox');
    return { pathname: url.pathname, search: url.search.replace(/^\?/, ''), pairs: [...url.searchParams] };
  } catch (error) {
    return String(error);
  }
}

function viaParser(target: string): { pathname: string; search: string; pairs: string[][] } | string {
  try {
    const got = parseRequestTarget(target);
    return { pathname: got.pathname, search: got.search, pairs: [...got.query] };
  } catch (error) {
    return String(error);
  }
}

/** The original resource-path parser: split, drop empty segments, decode each, then read the shape. */
function referenceRoute(pathname: string): ResourceRoute | undefined {
  const segments = pathname
    .split('/')
    .filter((s) => s.length > 0)
    .map(decodeURIComponent);
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === 'api' && segments.length >= 3) {
    group = '';
    version = segments[1] as string;
    rest = segments.slice(2);
  } else if (segments[0] === 'apis' && segments.length >= 4) {
    group = segments[1] as string;
    version = segments[2] as string;
    rest = segments.slice(3);
  } else return undefined;
  let watchPath = false;
  if (rest[0] === 'watch') {
    watchPath = true;
    rest = rest.slice(1);
  }
  let namespace: string | undefined;
  const namespaceSubresource =
    group === '' && rest[0] === 'namespaces' && rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize');
  if (rest[0] === 'namespaces' && rest.length >= 3 && !namespaceSubresource) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  if (rest.length === 0 || rest.length > 3) return undefined;
  const route: ResourceRoute = { group, version, resource: rest[0] as string, watchPath };
  if (namespace !== undefined) route.namespace = namespace;
  if (rest[1] !== undefined) route.name = rest[1];
  if (rest[2] !== undefined) route.subresource = rest[2];
  return route;
}

const pieces = [
  'api',
  'apis',
  'v1',
  'namespaces',
  'default',
  'pods',
  'watch',
  'status',
  'finalize',
  'apps',
  'a',
  'Z9',
  'x-y',
  'b.c',
  '_',
  '~',
  '/',
  '/',
  '/',
  '//',
  '?',
  '?',
  '&',
  '=',
  '#',
  '%',
  '%2F',
  '%2e',
  '%2E%2e',
  '%zz',
  '%41',
  '.',
  '..',
  '/./',
  '/../',
  ' ',
  '"',
  "'",
  '<',
  '>',
  '\\',
  '^',
  '`',
  '{',
  '|',
  '}',
  'é',
  '\t',
  '\n',
  '+',
  ':',
  '@',
  '!',
  '$',
  '(',
  ')',
  '*',
  ',',
  ';',
  '[',
  ']',
  'watch=true',
  'fieldManager=kubectl',
  'labelSelector=app%3Dweb',
  'limit=500',
];

function aTarget(next: () => number): string {
  const length = 1 + Math.floor(next() * 12);
  let target = next() < 0.9 ? '/' : '';
  for (let i = 0; i < length; i++) target += pieces[Math.floor(next() * pieces.length)];
  return target;
}

describe('sandbox request routing', function () {
  describe('parseRequestTarget', function () {
    const cases = [
      '/',
      '/api',
      '/api/v1/namespaces/default/pods',
      '/apis/bench.meshbackup.test/v1/namespaces/bench/alphas?fieldManager=kubectl-meshbackup&fieldValidation=Strict',
      '/api/v1/pods?watch=true&resourceVersion=12&allowWatchBookmarks=true',
      '/api/v1/namespaces/default/configmaps?labelSelector=app%3Dweb%2Ctier%21%3Ddb&limit=500',
      '/x?',
      '/x??a',
      '/x?a=b#frag',
      '/x#frag',
      '//host/path',
      '/a/./b',
      '/a/../b',
      '/a/..',
      '/a/.',
      '/a/.b/c..',
      '/a/%2e%2e/b',
      '/a b?c d',
      "/a?b='c'",
      '/a?b="c"',
      '/a?x=<y>',
      '/é?é=é',
      '/a\\b',
      '/a?b=%zz',
      '/apis/g/v1/namespaces/n/r/name:with:colons',
      '/openapi/v3/apis/apps/v1?hash=ABC',
      'relative',
      '',
      '?a=b',
    ];
    for (const target of cases) {
      it(`splits ${JSON.stringify(target)} as URL does`, function () {
        assert.deepEqual(viaParser(target), viaUrl(target));
      });
    }

    it('agrees with URL on 20,000 generated targets', function () {
      const next = seededRandom(20261121);
      for (let i = 0; i < 20_000; i++) {
        const target = aTarget(next);
        assert.deepEqual(viaParser(target), viaUrl(target), `target ${JSON.stringify(target)}`);
      }
    });
  });

  describe('parseResourcePath', function () {
    it('reads group, version, namespace, resource, name and subresource', function () {
      assert.deepEqual(parseResourcePath('/apis/apps/v1/namespaces/shop/deployments/web/scale'), {
        group: 'apps',
        version: 'v1',
        resource: 'deployments',
        namespace: 'shop',
        name: 'web',
        subresource: 'scale',
        watchPath: false,
      });
      assert.deepEqual(parseResourcePath('/api/v1/namespaces/gone/finalize'), {
        group: '',
        version: 'v1',
        resource: 'namespaces',
        name: 'gone',
        subresource: 'finalize',
        watchPath: false,
      });
      assert.deepEqual(parseResourcePath('/api/v1/watch/namespaces/default/pods'), {
        group: '',
        version: 'v1',
        resource: 'pods',
        namespace: 'default',
        watchPath: true,
      });
      assert.deepEqual(parseResourcePath('/api/v1/namespaces/a%2Fb/pods/p%20q'), {
        group: '',
        version: 'v1',
        resource: 'pods',
        namespace: 'a/b',
        name: 'p q',
        watchPath: false,
      });
      assert.equal(parseResourcePath('/apis/apps/v1'), undefined);
      assert.equal(parseResourcePath('/version'), undefined);
    });

    it('agrees with a plain split-and-decode on 20,000 generated paths', function () {
      const next = seededRandom(7);
      const words = [
        'api',
        'apis',
        'v1',
        'apps',
        'namespaces',
        'ns',
        'watch',
        'pods',
        'status',
        'finalize',
        'scale',
        'name',
        '',
        '',
        'a%2Fb',
        '%20',
        'x.y',
      ];
      for (let i = 0; i < 20_000; i++) {
        const count = Math.floor(next() * 9);
        let path = '';
        for (let j = 0; j < count; j++) path += `/${words[Math.floor(next() * words.length)]}`;
        if (next() < 0.2) path += '/';
        assert.deepEqual(parseResourcePath(path), referenceRoute(path), `path ${JSON.stringify(path)}`);
      }
    });

    it('fails on a malformed escape as decoding always did', function () {
      assert.throws(() => parseResourcePath('/api/v1/namespaces/%zz/pods'), URIError);
      assert.throws(() => referenceRoute('/api/v1/namespaces/%zz/pods'), URIError);
    });
  });
});
