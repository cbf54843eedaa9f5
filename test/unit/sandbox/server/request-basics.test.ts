/**
 * Small per-request helpers with a shortcut for the common case: the audit time (formatted once
 * per millisecond), the media type of a Content-Type (plain application/json as is) and the
 * request body limit.
 */
import { strict as assert } from 'node:assert';
import { auditTime } from '../../../../sandbox/audit/audit-log.js';
import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { ApiError } from '../../../../sandbox/api/status.js';
import { maxRequestBodyBytes, mediaType, readBody } from '../../../../sandbox/server/body.js';

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

  describe('readBody', function () {
    /** request streams `chunks` as a request body, with a Content-Length header when given. */
    const request = (chunks: Buffer[], contentLength?: number): IncomingMessage => {
      const stream = Readable.from(chunks) as unknown as IncomingMessage;
      stream.headers = contentLength === undefined ? {} : { 'content-length': String(contentLength) };
      return stream;
    };
    const tooLarge = (limit: number) => (err: unknown) =>
      err instanceof ApiError &&
      err.code === 413 &&
      err.reason === 'RequestEntityTooLarge' &&
      err.message === `Request entity too large: limit is ${limit}`;

    it("has kube-apiserver's default limit, 3 MiB", function () {
      assert.equal(maxRequestBodyBytes, 3145728);
    });

    it('takes a body of exactly the limit, in any number of chunks', async function () {
      const body = await readBody(request([Buffer.alloc(6, 'a'), Buffer.alloc(4, 'b')]), 10);
      assert.equal(body.toString(), 'aaaaaabbbb');
    });

    it('refuses one byte more, whether the chunks or the Content-Length say so, after reading the rest', async function () {
      await assert.rejects(readBody(request([Buffer.alloc(6), Buffer.alloc(5)]), 10), tooLarge(10));
      const declared = request([Buffer.alloc(3)], 11);
      await assert.rejects(readBody(declared, 10), tooLarge(10));
      assert.equal(declared.readableEnded, true, 'the body was read to its end');
    });
  });
});
