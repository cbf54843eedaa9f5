import assert from 'node:assert/strict';
import yargs from 'yargs';
import { UsageError } from '../../../shared/errors/errors.js';
import { addKubeFlags, maxRequestTimeout, parseRequestTimeout } from '../../../shared/kube/config-flags.js';

describe('--request-timeout', () => {
  it("reads kubectl's forms: 0 (none), bare seconds, Go durations", () => {
    assert.equal(parseRequestTimeout('0'), undefined);
    assert.equal(parseRequestTimeout('30'), 30_000);
    assert.equal(parseRequestTimeout('1m30s'), 90_000);
    assert.equal(parseRequestTimeout('500ms'), 500);
    assert.equal(parseRequestTimeout(maxRequestTimeout), 24 * 3_600_000);
  });

  it('refuses values past 24h (past about 596h Node timers overflow, with a warning per request)', () => {
    for (const text of ['24h1s', '9999999h', '99999999999999999999999'])
      assert.throws(
        () => parseRequestTimeout(text),
        (err: unknown) =>
          err instanceof UsageError && err.message === `invalid argument "${text}" for "--request-timeout" flag: must be between 0 and 24h`,
      );
    assert.throws(
      () => parseRequestTimeout('1e9'),
      (err: unknown) =>
        err instanceof UsageError &&
        err.message === 'invalid argument "1e9" for "--request-timeout" flag: must be a number of seconds or a duration like 90s, 5m, 1h',
    );
  });

  it('is checked while the flags are parsed, before any command runs', async () => {
    const parse = async (value: string) => addKubeFlags(yargs().exitProcess(false).fail(false)).parseAsync(['--request-timeout', value]);
    assert.equal((await parse('2s')).requestTimeout, '2s');
    // yargs reports a coerce failure as its own error with the message; the skeleton prints it as a usage error (exit 2).
    await assert.rejects(parse('25h'), /invalid argument "25h" for "--request-timeout" flag: must be between 0 and 24h/);
  });
});
