/**
 * The README's exit-code table is a contract users script against: it must list every code the
 * plugins can return (shared/errors/exit-codes.ts is the source).
 */
import { strict as assert } from 'node:assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exitCodeTable } from '../../../shared/errors/exit-codes.js';
import { repoRoot } from '../../support/paths.js';

describe('the README exit-code table', function () {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');

  for (const row of exitCodeTable) {
    it(`documents exit code ${row.code} (${row.name})`, function () {
      assert.match(readme, new RegExp(`^\\| ${row.code} \\| `, 'm'));
    });
  }
});
