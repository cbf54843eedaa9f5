/**
 * `kubectl meshscale down` and `up` on a flaky API server: the sandbox answers some requests with
 * 409 (a conflicting write), 429 (Retry-After), 500 and 503, resets some connections without an answer, and ends every watch
 * stream shortly after it starts. Both commands must still end in the right state and exit 0.
 */
import assert from 'node:assert/strict';
import { ClientEnv, expectSuccess, type TestCluster } from '../../support/cluster.js';
import { requireSandbox, startE2eCluster } from '../../support/target.js';
import type { SandboxHandle } from '../../../sandbox/index.js';
import { scaleGlooMeshTo } from './setup.js';

// Only API paths are faulted: the kubectl dispatcher's /version probe is not the plugin's business.
// Counted rules make sure every error class really hits each run (the first patches, lists, gets,
// and deletes or watches: down --purge-discovery always deletes, up always watches while discovery
// settles); rated ones spread more of them over the rest; watches end 250 ms after they start.
const faults = [
  '409:verb=patch,count=2,path=^/apis?/',
  '429:verb=patch,count=2,retry-after=1,path=^/apis?/',
  '500:verb=list,count=2,path=^/apis?/',
  'reset:verb=get,count=2,path=^/apis?/',
  'reset:verb=patch,count=1,path=^/apis?/',
  '503:verb=delete,count=2,path=^/apis?/',
  '503:verb=watch,count=2,path=^/apis?/',
  '429:rate=0.05,retry-after=1,path=^/apis?/',
  '500:rate=0.05,path=^/apis?/',
  '503:rate=0.05,path=^/apis?/',
  'reset:rate=0.05,path=^/apis?/',
  'drop-watch:after=250',
].join(';');

describe('kubectl meshscale down and up while the API server fails requests and drops watches', function () {
  this.timeout(180_000);
  let cluster: TestCluster & { sandbox?: SandboxHandle };
  let sandbox: SandboxHandle;
  let client: ClientEnv;

  const jsonpath = async (ref: string, path: string): Promise<string> =>
    expectSuccess(await client.kubectl(['-n', 'gloo-mesh', 'get', ref, '-o', `jsonpath=${path}`]), `get ${ref}`).stdout.trim();

  /** underFaults runs `action` under the fault rules and returns which fault classes hit it. */
  const underFaults = async (action: () => Promise<void>): Promise<Set<string>> => {
    sandbox.audit.clear();
    sandbox.faults.set(faults);
    try {
      await action();
    } finally {
      sandbox.faults.clear();
    }
    return new Set(sandbox.audit.entries().flatMap((e) => (e.fault ? e.fault.split(',') : [])));
  };

  before(async function () {
    cluster = await startE2eCluster({ installs: ['gloo-mesh@0.10.7'], delays: { podTerminationMs: 300 } });
    sandbox = requireSandbox(this, cluster, 'it injects faults');
    client = new ClientEnv(cluster.kubeconfig);
    await scaleGlooMeshTo(client, 2);
  });
  after(async () => {
    client?.dispose();
    await cluster?.close();
  });

  it('down --purge-discovery records the counts, scales to zero with no pods left and purges, exit 0', async () => {
    const seen = await underFaults(async () => {
      expectSuccess(
        await client.kubectl(['meshscale', 'down', '--profile', 'gloo-mesh', '--purge-discovery', '--timeout', '90s']),
        'down under faults',
      );
    });
    // (Whether down needs a watch at all depends on timing: its waits may find their state reached.)
    for (const fault of ['409', '429', '500', '503', 'reset']) assert.ok(seen.has(fault), `the run met a ${fault}`);
    for (const name of ['networking', 'discovery']) {
      assert.equal(await jsonpath(`deploy/${name}`, '{.spec.replicas}'), '0');
      assert.equal(await jsonpath(`deploy/${name}`, '{.metadata.annotations.meshscale\\.mesh-upgrade\\.io/original-replicas}'), '2');
    }
    const pods = expectSuccess(await client.kubectl(['-n', 'gloo-mesh', 'get', 'pods', '-o', 'name']), 'get pods');
    assert.deepEqual(
      pods.stdout.split('\n').filter((l) => /networking|discovery/.test(l)),
      [],
    );
    for (const plural of ['meshes', 'workloads', 'traffictargets']) {
      const listed = expectSuccess(await client.kubectl(['get', `${plural}.discovery.mesh.gloo.solo.io`, '-A', '-o', 'name']), 'get');
      assert.equal(listed.stdout.trim(), '', plural);
    }
  });

  it('up restores the counts after discovery settled and removes the records, exit 0', async () => {
    let stderr = '';
    const seen = await underFaults(async () => {
      const up = expectSuccess(
        await client.kubectl([
          'meshscale',
          'up',
          '--profile',
          'gloo-mesh',
          '--quiet-period',
          '600ms',
          '--timeout',
          '90s',
          '--settle-timeout',
          '90s',
        ]),
        'up under faults',
      );
      stderr = up.stderr;
    });
    for (const fault of ['409', '429', '500', '503', 'reset', 'drop-watch']) assert.ok(seen.has(fault), `the run met a ${fault}`);
    // Watches kept ending every 250 ms, so settling rested on relists finding nothing new.
    assert.match(stderr, /discovery settled: TrafficTarget=6 Workload=6 Mesh=2\n/);
    for (const name of ['networking', 'discovery']) {
      assert.equal(await jsonpath(`deploy/${name}`, '{.spec.replicas}'), '2');
      assert.equal(await jsonpath(`deploy/${name}`, '{.status.availableReplicas}'), '2');
      assert.equal(await jsonpath(`deploy/${name}`, '{.metadata.annotations.meshscale\\.mesh-upgrade\\.io/original-replicas}'), '');
    }
  });
});
