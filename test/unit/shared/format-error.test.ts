import assert from 'node:assert/strict';
import { ApiStatusError, ConnectionError, UsageError } from '../../../shared/errors/errors.js';
import { formatError, unauthorizedHint } from '../../../shared/errors/format-error.js';

const quiet = { verbosity: 0, debug: false };

describe('formatError', () => {
  it('prints a Forbidden Status like kubectl and exits 5', () => {
    const err = new ApiStatusError({ code: 403, reason: 'Forbidden', message: 'secrets is forbidden' });
    assert.deepEqual(formatError(err, quiet), { lines: ['Error from server (Forbidden): secrets is forbidden'], exitCode: 5 });
  });

  it('adds the credentials hint to a 401', () => {
    const err = new ApiStatusError({ code: 401, reason: 'Unauthorized', message: 'Unauthorized' });
    assert.equal(formatError(err, quiet).lines[0], `Error from server (Unauthorized): Unauthorized ${unauthorizedHint}`);
  });

  it('exits 6 for other API errors', () => {
    assert.equal(formatError(new ApiStatusError({ code: 404, reason: 'NotFound', message: 'x' }), quiet).exitCode, 6);
  });

  it('words a refused connection like kubectl and exits 4', () => {
    const cause = Object.assign(new Error('request to https://127.0.0.1:1/version failed, reason: connect ECONNREFUSED 127.0.0.1:1'), {
      code: 'ECONNREFUSED',
    });
    assert.deepEqual(formatError(cause, quiet), {
      lines: ['Unable to connect to the server: connect ECONNREFUSED 127.0.0.1:1'],
      exitCode: 4,
    });
    assert.equal(formatError(new ConnectionError('x'), quiet).exitCode, 4);
  });

  it('adds the help hint to usage errors and exits 2', () => {
    const result = formatError(new UsageError('bad'), { ...quiet, helpCommand: 'kubectl meshscale down' });
    assert.deepEqual(result.lines, ['error: bad', "See 'kubectl meshscale down --help' for usage."]);
    assert.equal(result.exitCode, 2);
  });

  it('treats an unknown error as a bug with exit 70 and shows the stack only at -v 6', () => {
    assert.deepEqual(formatError(new Error('boom'), quiet), { lines: ['error: boom'], exitCode: 70 });
    assert.ok(formatError(new Error('boom'), { verbosity: 6, debug: false }).lines.length > 1);
  });

  it('prints no parser excerpt and no credential in a stack trace, at -v 9 or with --debug', () => {
    // js-yaml quotes the lines around an error in its message, hence in its stack.
    const parserError = new Error('bad indentation of a mapping entry (5:10)\n\n 4 |     token: s3cr3t-token\n 5 |    broken: [\n-------^');
    const wrapped = new ConnectionError('cannot reach https://admin:pa55word@example.com', { cause: parserError });
    for (const options of [
      { verbosity: 9, debug: false },
      { verbosity: 0, debug: true },
    ]) {
      const text = formatError(wrapped, options).lines.join('\n');
      assert.match(text, /bad indentation of a mapping entry \(5:10\)/);
      assert.doesNotMatch(text, /s3cr3t-token|pa55word/);
      assert.match(text, /^\s+at /m, 'the frames are still there');
    }
    const header = new Error('request failed: Authorization: Bearer abc.def.ghi');
    assert.doesNotMatch(formatError(header, { verbosity: 9, debug: false }).lines.join('\n'), /abc\.def\.ghi/);
  });
});
