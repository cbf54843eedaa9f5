import assert from 'node:assert/strict';
import { testStreams } from '../../../../shared/io/streams.js';
import { createProgressReporter, describeProgress } from '../../../../shared/output/progress.js';

describe('the progress reporter', () => {
  it('says count, rate and time left in one line', () => {
    assert.equal(
      describeProgress('restore', 1200, { total: 60_000, unit: 'objects' }, 500),
      'restore: 1,200/60,000 objects (2,400/s, about 25s left)',
    );
    assert.equal(describeProgress('save', 0, { unit: 'objects' }, 0), 'save: 0 objects');
  });

  it('writes a plain line every interval when stderr is not a terminal', () => {
    const io = testStreams();
    let now = 0;
    const task = createProgressReporter(io, { intervalMs: 5000, now: () => now }).task('restore', { total: 100, unit: 'objects' });
    task.tick(10);
    now = 4999;
    task.tick(10);
    assert.equal(io.err.text(), '', 'nothing before the interval');
    now = 5000;
    task.tick(10);
    task.log('gateways.gateway.solo.io: 4 created');
    task.done('restored 30 objects');
    assert.deepEqual(io.err.text().split('\n'), [
      'restore: 30/100 objects (6/s, about 12s left)',
      'gateways.gateway.solo.io: 4 created',
      'restored 30 objects',
      '',
    ]);
  });

  it('is silent with -q', () => {
    const io = testStreams({ errIsTTY: true });
    const task = createProgressReporter(io, { quiet: true }).task('restore', { total: 3 });
    task.tick();
    task.log('x');
    task.done('y');
    assert.equal(io.err.text(), '');
  });

  it('draws a live line on a terminal, with logged lines above it, and clears it when done', async () => {
    const io = testStreams({ errIsTTY: true });
    const task = createProgressReporter(io).task('restore', { total: 4, unit: 'objects' });
    // cli-progress is loaded on the first task: wait for it to draw.
    await new Promise((resolve) => setTimeout(resolve, 300));
    task.tick(2);
    task.log('a line above the bar');
    task.done('done: 2 objects');
    const text = io.err.text();
    assert.match(text, /restore \[.*\] \d\/4 objects/);
    assert.match(text, /a line above the bar\n/);
    assert.match(text, /done: 2 objects\n$/);
  });
});
