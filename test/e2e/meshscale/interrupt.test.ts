/**
 * Ctrl-C in the middle of `kubectl meshscale down`: the terminal sends SIGINT to the whole
 * foreground process group (kubectl and the plugin it runs), the plugin stops waiting and exits
 * 130, and running `down` (or `up`) again ends in the right state.
 */
import assert from 'node:assert/strict';
import { execa } from 'execa';
import { ClientEnv, expectSuccess, type TestCluster } from '../../support/cluster.js';
import { startE2eCluster } from '../../support/target.js';
import type { SandboxHandle } from '../../../sandbox/index.js';
import { scaleGlooMeshTo } from './setup.js';

describe('kubectl meshscale after Ctrl-C in the middle of down', function () {
  this.timeout(180_000);
  let cluster: TestCluster & { sandbox?: SandboxHandle };
  let client: ClientEnv;

  const jsonpath = async (ref: string, path: string): Promise<string> =>
    expectSuccess(await client.kubectl(['-n', 'gloo-mesh', 'get', ref, '-o', `jsonpath=${path}`]), `get ${ref}`).stdout.trim();
  const recorded = (name: string): Promise<string> =>
    jsonpath(`deploy/${name}`, '{.metadata.annotations.meshscale\\.mesh-upgrade\\.io/original-replicas}');

  /** interruptedDown starts down, presses Ctrl-C once networking is being scaled, and returns its result. */
  async function interruptedDown(): Promise<{ exitCode: number | undefined; stderr: string }> {
    // detached: its own process group, which a terminal's Ctrl-C signals as a whole.
    const child = execa('kubectl', ['meshscale', 'down', '--profile', 'gloo-mesh', '--timeout', '60s'], {
      env: client.env,
      extendEnv: true,
      cwd: client.home,
      reject: false,
      stripFinalNewline: false,
      detached: true,
    });
    let stderr = '';
    await new Promise<void>((resolve, reject) => {
      child.stderr!.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        if (/deployment\/networking: recorded 2, scaling 2 -> 0/.test(stderr)) resolve();
      });
      void child.then(() => reject(new Error(`down ended before networking was scaled:\n${stderr}`)));
    });
    process.kill(-child.pid!, 'SIGINT');
    const result = await child;
    return { exitCode: result.exitCode, stderr: String(result.stderr) };
  }

  before(async function () {
    // Pods take 2 s to terminate, so the Ctrl-C lands while down waits for networking's pods.
    cluster = await startE2eCluster({ installs: ['gloo-mesh@0.10.7'], delays: { podTerminationMs: 2000 } });
    client = new ClientEnv(cluster.kubeconfig);
    await scaleGlooMeshTo(client, 2);
  });
  after(async () => {
    client?.dispose();
    await cluster?.close();
  });

  it('exits 130 with one line, leaving networking recorded and discovery untouched; down again finishes', async () => {
    const interrupted = await interruptedDown();
    assert.equal(interrupted.exitCode, 130, interrupted.stderr);
    assert.match(interrupted.stderr, /\nerror: interrupted: re-run the same command \(or the opposite one\) to converge\n$/);
    assert.deepEqual([await jsonpath('deploy/networking', '{.spec.replicas}'), await recorded('networking')], ['0', '2']);
    assert.deepEqual([await jsonpath('deploy/discovery', '{.spec.replicas}'), await recorded('discovery')], ['2', '']);

    expectSuccess(await client.kubectl(['meshscale', 'down', '--profile', 'gloo-mesh', '--timeout', '60s']), 'down again');
    for (const name of ['networking', 'discovery']) {
      assert.deepEqual([await jsonpath(`deploy/${name}`, '{.spec.replicas}'), await recorded(name)], ['0', '2'], name);
    }
    const pods = expectSuccess(await client.kubectl(['-n', 'gloo-mesh', 'get', 'pods', '-o', 'name']), 'get pods');
    assert.deepEqual(
      pods.stdout.split('\n').filter((l) => /networking|discovery/.test(l)),
      [],
    );
  });

  it('up after an interrupted down restores the original counts', async () => {
    expectSuccess(await client.kubectl(['meshscale', 'up', '--profile', 'gloo-mesh', '--quiet-period', '300ms', '--timeout', '60s']), 'up');
    // Interrupt a second down and go straight back up: networking was recorded, discovery never touched.
    const interrupted = await interruptedDown();
    assert.equal(interrupted.exitCode, 130, interrupted.stderr);
    expectSuccess(
      await client.kubectl(['meshscale', 'up', '--profile', 'gloo-mesh', '--quiet-period', '300ms', '--timeout', '60s']),
      'up after interrupt',
    );
    for (const name of ['networking', 'discovery']) {
      assert.deepEqual([await jsonpath(`deploy/${name}`, '{.spec.replicas}'), await recorded(name)], ['2', ''], name);
    }
  });
});
