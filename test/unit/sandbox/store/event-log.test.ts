/** The bounded change history watches replay from, and its "too old" horizon. */
import { strict as assert } from 'node:assert';
import type { StoredEvent } from '../../../../sandbox/api/types.js';
import { EventLog } from '../../../../sandbox/store/event-log.js';

function anEvent(resourceVersion: number): StoredEvent {
  return {
    type: 'ADDED',
    groupResource: { group: '', resource: 'configmaps' },
    object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${resourceVersion}` } },
    resourceVersion,
  };
}

describe('the event log', function () {
  it('replays exactly the events newer than a resourceVersion', function () {
    const log = new EventLog(100);
    for (let rv = 2; rv <= 10; rv++) log.append(anEvent(rv));
    assert.deepEqual(
      log.since(7)?.map((e) => e.resourceVersion),
      [8, 9, 10],
    );
    assert.deepEqual(log.since(10), []);
  });

  it('no longer replays from a resourceVersion older than what it kept', function () {
    const log = new EventLog(8);
    for (let rv = 1; rv <= 20; rv++) log.append(anEvent(rv));
    assert.equal(log.since(1), undefined);
    assert.deepEqual(
      log.since(19)?.map((e) => e.resourceVersion),
      [20],
    );
    assert.ok(log.oldest() > 1);
  });
});
