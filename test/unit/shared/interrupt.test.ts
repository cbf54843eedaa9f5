import assert from 'node:assert/strict';
import { Interrupt, exitCodeFor, throwIfAborted } from '../../../shared/cli/interrupt.js';
import { InterruptedError } from '../../../shared/errors/errors.js';

describe('Ctrl-C and SIGTERM (shared/cli/interrupt)', () => {
  it('exits at once while the command never looked at its signal', () => {
    const interrupt = new Interrupt();
    assert.equal(interrupt.receive('SIGINT'), 'exit');
  });

  it('aborts a command that reads its signal on the first Ctrl-C and exits on the second', () => {
    const interrupt = new Interrupt();
    const signal = interrupt.signal;
    assert.equal(interrupt.receive('SIGINT'), 'abort');
    assert.equal(signal.aborted, true);
    assert.throws(
      () => throwIfAborted(signal),
      (err: InterruptedError) => err.exitCode === 130,
    );
    assert.equal(interrupt.receive('SIGINT'), 'exit');
  });

  it('ends a command stopped by SIGTERM with 143, as Ctrl-C otherwise', () => {
    const interrupt = new Interrupt();
    const signal = interrupt.signal;
    assert.equal(interrupt.receive('SIGTERM'), 'abort');
    assert.throws(
      () => throwIfAborted(signal),
      (err: InterruptedError) => err.exitCode === 143 && err.message === 'terminated',
    );
    assert.equal(exitCodeFor('SIGTERM'), 143);
    assert.equal(exitCodeFor('SIGINT'), 130);
  });

  it('runs the registered cleanups before an immediate exit, except those already done, even when one fails', () => {
    const interrupt = new Interrupt();
    const ran: string[] = [];
    interrupt.onExit(() => {
      ran.push('a');
      throw new Error('gone already');
    });
    const forget = interrupt.onExit(() => ran.push('b'));
    interrupt.onExit(() => ran.push('c'));
    forget();
    interrupt.runCleanups();
    interrupt.runCleanups();
    assert.deepEqual(ran, ['a', 'c']);
  });
});
