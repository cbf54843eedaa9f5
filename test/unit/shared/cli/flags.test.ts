import assert from 'node:assert/strict';
import { checkDuration, checkInteger, formatDuration, parseDryRun, parseDuration } from '../../../../shared/cli/flags.js';
import { normalizeArgs } from '../../../../shared/cli/run-plugin.js';
import { UsageError } from '../../../../shared/errors/errors.js';

describe('shared flags', () => {
  describe('--dry-run, read as kubectl reads it', () => {
    const cases: Array<[unknown, string]> = [
      ['', 'client'],
      ['client', 'client'],
      ['true', 'client'],
      ['server', 'server'],
      ['none', 'none'],
      ['false', 'none'],
      [undefined, 'none'],
    ];
    for (const [value, expected] of cases) {
      it(`reads ${JSON.stringify(value)} as ${expected}`, () => assert.equal(parseDryRun(value), expected));
    }
    it("refuses anything else with kubectl's sentence", () => {
      assert.throws(
        () => parseDryRun('maybe'),
        (err: UsageError) => err.exitCode === 2 && err.message === 'Invalid dry-run value (maybe). Must be "none", "server", or "client".',
      );
    });
  });

  describe('normalizeArgs, pflag habits yargs lacks', () => {
    it('turns a bare --dry-run into --dry-run=client without swallowing the next argument', () => {
      assert.deepEqual(normalizeArgs(['restore', '--dry-run', '-f', 'a.tgz']), ['restore', '--dry-run=client', '-f', 'a.tgz']);
      assert.deepEqual(normalizeArgs(['crdsync', '--dry-run', 'gloo/gloo']), ['crdsync', '--dry-run=client', 'gloo/gloo']);
    });
    it('keeps --dry-run=server as written', () => assert.deepEqual(normalizeArgs(['--dry-run=server']), ['--dry-run=server']));
    it('passes a negative value to its flag instead of reading it as flags', () => {
      assert.deepEqual(normalizeArgs(['up', '--timeout', '-5s']), ['up', '--timeout=-5s']);
    });
    it('leaves everything after -- alone', () => assert.deepEqual(normalizeArgs(['--', '--dry-run']), ['--', '--dry-run']));
  });

  describe('durations in Go form', () => {
    const cases: Array<[string, number | undefined]> = [
      ['90s', 90_000],
      ['5m', 300_000],
      ['1h30m', 5_400_000],
      ['1.5h', 5_400_000],
      ['500ms', 500],
      ['0', 0],
      ['abc', undefined],
      ['5', undefined],
      ['-5s', undefined],
      ['5 m', undefined],
    ];
    for (const [text, ms] of cases) it(`reads ${text} as ${String(ms)}`, () => assert.equal(parseDuration(text), ms));
    it('reads a bare number as seconds where the flag took seconds before', () =>
      assert.equal(parseDuration('120', { bareSeconds: true }), 120_000));
    it('bounds a duration flag, naming the flag and the range', () => {
      const flag = { min: '1s', max: '24h' };
      assert.equal(checkDuration('timeout', '5m', flag), 300_000);
      assert.throws(
        () => checkDuration('timeout', '999999h', flag),
        /invalid argument "999999h" for "--timeout" flag: must be between 1s and 24h/,
      );
      assert.throws(() => checkDuration('timeout', '-5s', flag), /invalid argument "-5s" for "--timeout" flag: must be a duration/);
      assert.throws(
        () => checkDuration('retry-timeout', 'abc', { ...flag, bareSeconds: true }),
        /must be a number of seconds or a duration/,
      );
    });
    it('prints durations short', () => {
      assert.equal(formatDuration(5_400_000), '1h30m');
      assert.equal(formatDuration(90_000), '1m30s');
      assert.equal(formatDuration(500), '500ms');
      assert.equal(formatDuration(0), '0ms');
    });
  });

  describe('whole numbers with a range', () => {
    it('accepts the bounds', () => {
      assert.equal(checkInteger('concurrency', '1', { min: 1, max: 64 }), 1);
      assert.equal(checkInteger('concurrency', 64, { min: 1, max: 64 }), 64);
    });
    for (const bad of ['1e9', '0', '65', 'abc', '2.5', '', '-1']) {
      it(`refuses ${JSON.stringify(bad)} with one usage line`, () => {
        assert.throws(
          () => checkInteger('concurrency', bad, { min: 1, max: 64 }),
          (err: UsageError) => err.exitCode === 2 && /must be a whole number from 1 to 64/.test(err.message),
        );
      });
    }
  });
});

describe("the suite's labels", () => {
  it('reads which archive restored an object under the current key, else the older one', async () => {
    const { restoredFrom, restoredFromLabel, legacyRestoredFromLabel } = await import('../../../../shared/labels.js');
    assert.equal(restoredFrom({ [restoredFromLabel]: 'a', [legacyRestoredFromLabel]: 'b' }), 'a');
    assert.equal(restoredFrom({ [legacyRestoredFromLabel]: 'b' }), 'b');
    assert.equal(restoredFrom(undefined), undefined);
    assert.match(restoredFromLabel, /^[a-z]+\.mesh-upgrade\.io\//);
  });
});

describe('sizes', () => {
  it('reads Kubernetes-style quantities of bytes', async () => {
    const { parseSize } = await import('../../../../shared/cli/flags.js');
    assert.equal(parseSize('128Mi'), 128 * 1024 * 1024);
    assert.equal(parseSize('1Gi'), 1024 ** 3);
    assert.equal(parseSize('500M'), 500_000_000);
    assert.equal(parseSize('1048576'), 1_048_576);
    assert.equal(parseSize('1Ti'), undefined);
    assert.equal(parseSize('-1Mi'), undefined);
    assert.equal(parseSize('lots'), undefined);
  });

  it('raises both byte caps of an archive read from --max-archive-size', async () => {
    const { archiveLimits } = await import('../../../../plugins/kubectl-meshbackup/commands/with-archive.js');
    assert.deepEqual(archiveLimits(1024 ** 3), { maxExpandedBytes: 1024 ** 3, maxMemberBytes: 1024 ** 3 });
    assert.deepEqual(archiveLimits(undefined), {});
  });
});
