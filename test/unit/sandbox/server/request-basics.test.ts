/**
 * Small per-request helpers with a shortcut for the common case: the audit time (formatted once
 * per millisecond) and the media type of a Content-Type (plain application/json as is).
 */
import { strict as assert } from 'node:assert';
import { auditTime } from '../../../../sandbox/audit/audit-log.js';
import { mediaType } from '../../../../sandbox/server/body.js';

describe('sandbox request basics', function () {
  describe('auditTime', function () {
    const realNow = Date.now;
    afterEach(function () {
      Date.now = realNow;
    });

    it('is new Date().toISOString() of the current millisecond, reformatted when the millisecond changes', function () {
      let clock = Date.UTC(2026, 10, 21, 5, 59, 59, 998);
      Date.now = () => clock;
      assert.equal(auditTime(), '2026-11-21T05:59:59.998Z');
      assert.equal(auditTime(), '2026-11-21T05:59:59.998Z');
      clock += 1;
      assert.equal(auditTime(), '2026-11-21T05:59:59.999Z');
      clock += 1;
      assert.equal(auditTime(), '2026-11-21T06:00:00.000Z');
      clock = Date.UTC(2030, 0, 1);
      assert.equal(auditTime(), new Date(clock).toISOString());
    });
  });

  describe('mediaType', function () {
    const cases: Array<[string | undefined, string]> = [
      ['application/json', 'application/json'],
      ['application/json; charset=utf-8', 'application/json'],
      ['Application/JSON', 'application/json'],
      [' application/json ;x=y', 'application/json'],
      ['application/apply-patch+yaml', 'application/apply-patch+yaml'],
      ['', ''],
      [undefined, ''],
    ];
    for (const [header, expected] of cases) {
      it(`reads ${JSON.stringify(header)} as ${JSON.stringify(expected)}`, function () {
        assert.equal(mediaType(header), expected);
      });
    }
  });
});
