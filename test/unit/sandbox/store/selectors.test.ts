/** Label and field selectors as apimachinery parses and matches them. */
import { strict as assert } from 'node:assert';
import { ApiError } from '../../../../sandbox/api/status.js';
import type { KubeObject } from '../../../../sandbox/api/types.js';
import { fieldFilter, labelFilter, selectedName } from '../../../../sandbox/store/selectors.js';

function withLabels(labels: Record<string, string>, name = 'n', namespace = 'ns'): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace, labels } };
}

describe('label selectors', function () {
  const cases: Array<[string, Record<string, string>, boolean]> = [
    ['app=web', { app: 'web' }, true],
    ['app==web', { app: 'web' }, true],
    ['app=web', { app: 'db' }, false],
    ['app!=web', { app: 'db' }, true],
    ['app!=web', {}, true],
    ['app in (web, db)', { app: 'db' }, true],
    ['app in (web)', {}, false],
    ['app notin (web)', {}, true],
    ['app notin (web)', { app: 'web' }, false],
    ['app', { app: '' }, true],
    ['!app', { app: 'x' }, false],
    ['!app', {}, true],
    ['app=web,tier in (a,b)', { app: 'web', tier: 'b' }, true],
    ['app=web,tier in (a,b)', { app: 'web', tier: 'c' }, false],
  ];
  for (const [selector, labels, expected] of cases) {
    it(`${expected ? 'matches' : 'does not match'} ${JSON.stringify(labels)} with "${selector}"`, function () {
      assert.equal(labelFilter(selector)?.(withLabels(labels)), expected);
    });
  }

  it('rejects a malformed selector with 400', function () {
    assert.throws(
      () => labelFilter('app in web)'),
      (e: unknown) => e instanceof ApiError && e.code === 400,
    );
  });
});

describe('field selectors', function () {
  const cases: Array<[string, boolean]> = [
    ['metadata.name=n', true],
    ['metadata.name==n', true],
    ['metadata.name!=n', false],
    ['metadata.namespace=ns,metadata.name=n', true],
    ['metadata.namespace=other', false],
  ];
  for (const [selector, expected] of cases) {
    it(`${expected ? 'matches' : 'does not match'} ns/n with "${selector}"`, function () {
      assert.equal(fieldFilter(selector)?.(withLabels({})), expected);
    });
  }

  it('finds the name a selector pins, so lists by name skip the scan', function () {
    assert.equal(selectedName('metadata.namespace=a,metadata.name=b'), 'b');
    assert.equal(selectedName('metadata.name!=b'), undefined);
  });
});
