import assert from 'node:assert/strict';
import { ApiStatusError } from '../../../shared/errors/errors.js';
import { listItems } from '../../../shared/kube/pagination.js';
import { isRetryable, withRetry, type RetryClock } from '../../../shared/kube/retry.js';

function fakeClock(): RetryClock & { sleeps: number[] } {
  let now = 0;
  const sleeps: number[] = [];
  return { sleeps, now: () => now, random: () => 0.5, sleep: async (ms) => void (sleeps.push(ms), (now += ms)) };
}

const status = (code: number, retryAfterSeconds?: number) =>
  new ApiStatusError({ code, reason: 'x', message: `HTTP ${code}`, retryAfterSeconds });
const policy = { attempts: 4, maxElapsedMs: 60_000, baseDelayMs: 100, maxDelayMs: 5_000 };

function failing(errors: unknown[]): { call: () => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    call: async () => {
      const err = errors[calls++];
      if (err) throw err;
      return 'ok';
    },
    calls: () => calls,
  };
}

describe('withRetry', () => {
  it('retries 503 and a reset connection, then succeeds', async () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const attempt = failing([status(503), reset]);
    assert.equal(await withRetry(attempt.call, policy, { describe: 't', clock: fakeClock() }), 'ok');
    assert.equal(attempt.calls(), 3);
  });

  it('honours Retry-After on 429', async () => {
    const clock = fakeClock();
    await withRetry(failing([status(429, 2)]).call, policy, { describe: 't', clock });
    assert.deepEqual(clock.sleeps, [2000]);
  });

  for (const code of [400, 403, 404, 409, 422]) {
    it(`never retries ${code}`, async () => {
      const attempt = failing([status(code)]);
      await assert.rejects(withRetry(attempt.call, policy, { describe: 't', clock: fakeClock() }));
      assert.equal(attempt.calls(), 1);
    });
  }

  it('decides in one place what is retriable: throttling, 5xx gateways, broken connections; not refusals or bad requests', () => {
    const withCode = (code: string, message = code) => Object.assign(new Error(message), { code });
    const wrapped = (code: string) => Object.assign(new Error('request to https://x failed'), { cause: withCode(code) });
    const retriable: Array<[string, unknown]> = [
      ['429', status(429, 1)],
      ['500', status(500)],
      ['502', status(502)],
      ['503', status(503)],
      ['504', status(504)],
      ['ECONNRESET', withCode('ECONNRESET')],
      ['ECONNRESET as a cause', wrapped('ECONNRESET')],
      ['ETIMEDOUT', wrapped('ETIMEDOUT')],
      ['EPIPE', withCode('EPIPE')],
      ['socket hang up', new Error('socket hang up')],
    ];
    const final: Array<[string, unknown]> = [
      ['400', status(400)],
      ['401', status(401)],
      ['403', status(403)],
      ['404', status(404)],
      ['409', status(409)],
      ['422', status(422)],
      ['ECONNREFUSED', wrapped('ECONNREFUSED')],
      ['ENOTFOUND', wrapped('ENOTFOUND')],
      ["etcd's request limit", new ApiStatusError({ code: 500, reason: '', message: 'etcdserver: request is too large' })],
      ['a bug', new TypeError('x is undefined')],
    ];
    for (const [name, err] of retriable) assert.equal(isRetryable(err, {}), true, name);
    for (const [name, err] of final) assert.equal(isRetryable(err, {}), false, name);
  });

  it('retries 409 only when the caller opts in', async () => {
    const attempt = failing([status(409)]);
    await withRetry(attempt.call, { ...policy, retryConflicts: true }, { describe: 't', clock: fakeClock() });
    assert.equal(attempt.calls(), 2);
  });

  it('gives up after the configured attempts with the last error', async () => {
    const attempt = failing([status(500), status(500), status(500), status(502)]);
    await assert.rejects(withRetry(attempt.call, policy, { describe: 't', clock: fakeClock() }), /HTTP 502/);
    assert.equal(attempt.calls(), 4);
  });
});

describe('listItems', () => {
  it('fetches the next page only when the consumer gets there', async () => {
    const fetched: Array<string | undefined> = [];
    const pages = listItems(async (token) => {
      fetched.push(token);
      return token === undefined ? { items: [1, 2], continueToken: 'p2' } : { items: [3] };
    });
    const first = await pages.next();
    assert.equal(first.value, 1);
    assert.deepEqual(fetched, [undefined]);
    const rest: number[] = [];
    for await (const item of pages) rest.push(item);
    assert.deepEqual(rest, [2, 3]);
    assert.deepEqual(fetched, [undefined, 'p2']);
  });
});
