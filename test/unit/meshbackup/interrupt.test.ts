import assert from 'node:assert/strict';
import { Interrupt } from '../../../plugins/kubectl-meshbackup/commands/interrupt.js';

describe('meshbackup Ctrl-C', () => {
  it('exits at once outside a graceful section', () => {
    const interrupt = new Interrupt();
    assert.equal(interrupt.onSigint(), 'exit');
    assert.equal(interrupt.signal.aborted, false);
  });

  it('aborts a graceful section on the first Ctrl-C and exits on the second', async () => {
    const interrupt = new Interrupt();
    const answers: string[] = [];
    await interrupt.gracefully(async (signal) => {
      answers.push(interrupt.onSigint());
      assert.equal(signal.aborted, true);
      answers.push(interrupt.onSigint());
    });
    assert.deepEqual(answers, ['abort', 'exit']);
    assert.equal(interrupt.onSigint(), 'exit');
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
