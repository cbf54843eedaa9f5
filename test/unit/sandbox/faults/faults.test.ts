/** The fault-injection language and the per-request decisions it leads to. */
import { strict as assert } from 'node:assert';
import { FaultInjector } from '../../../../sandbox/faults/fault-injector.js';
import { FaultSpecError, parseFaultSpec } from '../../../../sandbox/faults/fault-spec.js';

describe('fault specs', function () {
  it('parses every kind with its parameters', function () {
    const rules = parseFaultSpec(
      '429:rate=0.1,retry-after=2;500:rate=0.05,path=^/apis/split;503:rate=0.02;reset:rate=0.01,count=3;latency:ms=50;drop-watch:after=2000,verb=watch;reset-after:verb=create',
    );
    assert.deepEqual(
      rules.map((r) => r.kind),
      ['429', '500', '503', 'reset', 'latency', 'drop-watch', 'reset-after'],
    );
    assert.equal(rules[0]?.retryAfterSeconds, 2);
    assert.equal(rules[1]?.path?.source, '^\\/apis\\/split');
    assert.equal(rules[3]?.count, 3);
    assert.equal(rules[4]?.ms, 50);
    assert.equal(rules[5]?.afterMs, 2000);
    assert.equal(rules[2]?.rate, 0.02);
    assert.equal(rules[6]?.verb, 'create');
  });

  it('treats an empty spec as no faults', function () {
    assert.deepEqual(parseFaultSpec(' ; '), []);
  });

  const bad: Array<[string, RegExp]> = [
    ['418', /unknown kind "418"/],
    ['429:rate=2', /rate must be a number from 0 to 1/],
    ['latency', /latency needs ms=/],
    ['drop-watch:ms=5', /drop-watch does not take "ms"/],
    ['500:path=(', /path is not a valid regular expression/],
    ['503:count=-1', /count must be a non-negative integer/],
    ['reset:rate', /expected key=value/],
  ];
  for (const [spec, message] of bad) {
    it(`rejects "${spec}" with one clear line`, function () {
      assert.throws(
        () => parseFaultSpec(spec),
        (e: unknown) => e instanceof FaultSpecError && message.test(e.message) && !e.message.includes('\n'),
      );
    });
  }
});

describe('the fault injector', function () {
  const target = { path: '/api/v1/namespaces', verb: 'list', method: 'GET' };

  it('applies a rule at most count times', function () {
    const faults = new FaultInjector('503:count=2');
    const hits = [1, 2, 3].map(() => faults.decide(target).error?.kind);
    assert.deepEqual(hits, ['503', '503', undefined]);
  });

  it('applies a rule only to matching paths and verbs', function () {
    const faults = new FaultInjector('500:path=^/apis/;429:verb=create');
    assert.equal(faults.decide(target).error, undefined);
    assert.equal(faults.decide({ ...target, path: '/apis/apps/v1/deployments' }).error?.kind, '500');
    assert.equal(faults.decide({ ...target, verb: 'create', method: 'POST' }).error?.kind, '429');
  });

  it('draws against the rate', function () {
    const draws = [0.05, 0.5];
    const faults = new FaultInjector('500:rate=0.1', () => draws.shift() ?? 1);
    assert.equal(faults.decide(target).error?.kind, '500');
    assert.equal(faults.decide(target).error, undefined);
  });

  it('adds latency and limits only watches with drop-watch', function () {
    const faults = new FaultInjector('latency:ms=20;latency:ms=5;drop-watch:after=100');
    const list = faults.decide(target);
    assert.equal(list.latencyMs, 25);
    assert.equal(list.dropWatchAfterMs, undefined);
    assert.equal(faults.decide({ ...target, verb: 'watch' }).dropWatchAfterMs, 100);
  });

  it('keeps the old rules when a new spec does not parse', function () {
    const faults = new FaultInjector('503');
    assert.throws(() => faults.set('bogus'));
    assert.equal(faults.spec(), '503');
  });
});
