/**
 * A reader that goes away before the plugin writes (`kubectl meshscale status | head -1`, `| true`):
 * the plugin's stdout pipe is closed. Node reports that as an unhandled EPIPE with a stack trace
 * and exit 1; kubectl (SIGPIPE) prints nothing. Each plugin is run as users run it, through
 * kubectl's plugin discovery, with the read end of its stdout closed before it starts writing:
 * help from the build-time texts, and commands that read the cluster and print data.
 */
import assert from 'node:assert/strict';
import { ClientEnv, type TestCluster } from '../../support/cluster.js';
import { brokenPipeTrace, runWithClosedStdout } from '../../support/closed-stdout.js';
import { startE2eCluster } from '../../support/target.js';

describe('a closed stdout pipe (`| head`): no stack trace, the exit code of the work', function () {
  this.timeout(120_000);
  let cluster: TestCluster;
  let client: ClientEnv;

  before(async () => {
    cluster = await startE2eCluster({ installs: ['gloo-mesh@0.10.7'] });
    client = new ClientEnv(cluster.kubeconfig);
  });
  after(async () => {
    client?.dispose();
    await cluster?.close();
  });

  for (const args of [
    ['meshscale', '--help'],
    ['meshbackup', 'restore', '--help'],
    ['meshpreflight', '--help'],
    ['meshscale', 'status', '--profile', 'gloo-mesh', '-o', 'yaml'],
    ['meshscale', 'down', '--profile', 'gloo-mesh', '--dry-run'],
    ['meshpreflight', 'check', '--profile', 'gloo-mesh', '--expect', '0.10.7', '-o', 'json'],
  ]) {
    it(`kubectl ${args.join(' ')}`, async () => {
      const result = await runWithClosedStdout('kubectl', args, { env: client.env, cwd: client.home });
      assert.equal(brokenPipeTrace(result.stderr), undefined, result.stderr);
      assert.equal(result.code, 0, result.stderr);
    });
  }
});
