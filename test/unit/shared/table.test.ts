import assert from 'node:assert/strict';
import { renderTable } from '../../../shared/output/table.js';
import { colorEnabled } from '../../../shared/output/color.js';

describe('kubectl-style tables', () => {
  it('upper-cases headers, drops borders and separates columns by two spaces', () => {
    const text = renderTable(
      ['name', 'replicas'],
      [
        ['gloo', 1],
        ['discovery', 0],
      ],
    );
    assert.equal(text, 'NAME       REPLICAS\ngloo       1\ndiscovery  0\n');
  });

  it('prints a missing value as <none>', () => {
    assert.equal(renderTable(['a', 'b'], [['x', undefined]]), 'A  B\nx  <none>\n');
  });
});

describe('colour', () => {
  const cases: Array<[string, boolean, Record<string, string>, boolean]> = [
    ['is on for a terminal', true, {}, true],
    ['is off when stdout is piped', false, {}, false],
    ['is off with NO_COLOR set', true, { NO_COLOR: '1' }, false],
    ['stays on with an empty NO_COLOR', true, { NO_COLOR: '' }, true],
  ];
  for (const [title, outIsTTY, env, expected] of cases) {
    it(title, () => assert.equal(colorEnabled({ outIsTTY, env }), expected));
  }
});
