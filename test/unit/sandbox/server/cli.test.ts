/** `npm run sandbox`: serves in the foreground, exits 0 on SIGTERM, and 2 on a bad flag. */
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from '../../../support/paths.js';

const cli = join(repoRoot, 'dist', 'sandbox', 'cli.js');

function run(args: string[], onStderr?: (text: string, kill: () => void) => void): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      onStderr?.(stderr, () => child.kill('SIGTERM'));
    });
    child.on('error', reject);
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('the sandbox command', function () {
  this.timeout(20_000);
  let dir: string;

  beforeEach(function () {
    dir = mkdtempSync(join(tmpdir(), 'sandbox-cli-'));
  });

  afterEach(function () {
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints its URL and kubeconfig, and exits 0 on SIGTERM', async function () {
    const kubeconfig = join(dir, 'kubeconfig');
    let signalled = false;
    const result = await run(['--kubeconfig', kubeconfig, '--http', '--k8s-version', '1.29.4'], (text, kill) => {
      if (!signalled && text.includes('kubeconfig')) {
        signalled = true;
        assert.ok(existsSync(kubeconfig));
        kill();
      }
    });
    assert.equal(result.code, 0);
    assert.match(result.stderr, /^sandbox API server \(Kubernetes v1\.29\.4\) at http:\/\/127\.0\.0\.1:\d+; kubeconfig .*kubeconfig\n$/);
  });

  const badFlags: Array<[string[], RegExp]> = [
    [['--nope'], /Unknown option '--nope'/],
    [[], /--kubeconfig FILE is required/],
    [['--kubeconfig', 'x', '--faults', 'teapot'], /--faults: invalid fault rule "teapot"/],
    [['--kubeconfig', 'x', '--port', 'eighty'], /--port must be a port number/],
  ];
  for (const [args, message] of badFlags) {
    it(`exits 2 with one line for ${JSON.stringify(args)}`, async function () {
      const result = await run(args);
      assert.equal(result.code, 2);
      assert.match(result.stderr, message);
      assert.equal(result.stderr.trim().split('\n').length, 1);
    });
  }
});
