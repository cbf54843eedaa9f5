/**
 * --dry-run means the same in every writing verb, proven from the sandbox's audit log: a bare
 * --dry-run and --dry-run=client send no mutating request at all, and --dry-run=server sends
 * every mutating request with dryRun=All. A bare --dry-run once scaled Gloo Mesh to 0 and
 * deleted its discovery resources; this suite is what keeps that from coming back.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import type { AuditEntry } from '../../../sandbox/audit/audit-log.js';
import type { SandboxHandle } from '../../../sandbox/index.js';
import { ClientEnv, expectSuccess, type CommandResult, type TestCluster } from '../../support/cluster.js';
import { requireSandbox, startE2eCluster } from '../../support/target.js';
import { scaleGlooMeshTo } from '../meshscale/setup.js';
import { writeFileSync } from 'node:fs';
import { aChart } from '../../fixtures/chart-builder.js';
import { aCrd } from '../../fixtures/crd-builder.js';
import { helm3Path } from '../../support/tools.js';
import { installCrdsyncPlugin, type HelmHome } from '../crdsync/support.js';

const mutatingVerbs = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

/** writes are the audited requests that could change something (access reviews store nothing). */
function writes(entries: readonly AuditEntry[]): AuditEntry[] {
  return entries.filter((entry) => mutatingVerbs.has(entry.verb) && !/reviews$/.test(entry.path));
}

const modes: Array<{ title: string; flag: string; expect: 'no-writes' | 'dry-run-writes' }> = [
  { title: 'a bare --dry-run', flag: '--dry-run', expect: 'no-writes' },
  { title: '--dry-run=client', flag: '--dry-run=client', expect: 'no-writes' },
  { title: '--dry-run=server', flag: '--dry-run=server', expect: 'dry-run-writes' },
];

describe('--dry-run in every writing verb, judged by the audit log', function () {
  this.timeout(180_000);
  let cluster: TestCluster & { sandbox?: SandboxHandle };
  let sandbox: SandboxHandle;
  let client: ClientEnv;
  let archive: string;

  before(async function () {
    cluster = await startE2eCluster({ installs: ['gloo-mesh@0.10.7', 'nginx-service-mesh@1.7.0'] });
    sandbox = requireSandbox(this, cluster, 'what was sent is read from its audit log');
    client = new ClientEnv(cluster.kubeconfig);
    await scaleGlooMeshTo(client, 2);
    archive = path.join(client.home, 'nsm.tar.gz');
    expectSuccess(await client.kubectl(['meshbackup', 'save', '--profile', 'nginx-service-mesh', '-A', '-f', archive]), 'save');
    // Something for a restore to create: the traffic splits are gone.
    expectSuccess(await client.kubectl(['delete', 'trafficsplits.split.smi-spec.io', '--all', '-A']), 'delete trafficsplits');
  });
  after(async () => {
    helmHome?.dispose();
    client?.dispose();
    await cluster?.close();
  });

  let helmHome: HelmHome | undefined;
  let chart: string;
  before(async () => {
    helmHome = await installCrdsyncPlugin(helm3Path());
    // A chart of the project's own: one new CRD, one the cluster has with a version added.
    chart = path.join(client.home, 'acme-1.1.0.tgz');
    const widget = aCrd().forKind('acme.example.com', 'Widget').withVersion('v1').withVersion('v2', { storage: false }).build();
    const gadget = aCrd().forKind('acme.example.com', 'Gadget').build();
    writeFileSync(chart, aChart().named('acme', '1.1.0').withCrdFile('crds.yaml', [widget, gadget]).build());
    const before = aCrd().forKind('acme.example.com', 'Widget').withVersion('v1').build();
    expectSuccess(await client.kubectl(['apply', '--server-side', '-f', '-'], { input: JSON.stringify(before) }), 'apply widget CRD');
  });

  /** run runs a plugin command and returns its result and what it sent. */
  async function run(args: string[]): Promise<{ result: CommandResult; sent: AuditEntry[] }> {
    sandbox.audit.clear();
    const result = await client.kubectl(args);
    return { result, sent: writes(sandbox.audit.entries()) };
  }

  function judge(mode: (typeof modes)[number], sent: AuditEntry[], what: string): void {
    if (mode.expect === 'no-writes') {
      assert.deepEqual(
        sent.map((entry) => `${entry.verb} ${entry.path}`),
        [],
        `${what} with ${mode.title} sent mutating requests`,
      );
      return;
    }
    assert.ok(sent.length > 0, `${what} with ${mode.title} sent no write at all: nothing was checked by the server`);
    for (const entry of sent) assert.match(entry.query, /(^|&)dryRun=All(&|$)/, `${entry.verb} ${entry.path} without dryRun=All`);
  }

  for (const mode of modes) {
    describe(mode.title, () => {
      it('helm crdsync plans the CRD changes without storing any (through helm plugin install)', async () => {
        sandbox.audit.clear();
        const result = await client.run('helm', ['crdsync', chart, mode.flag, '-o', 'json'], {
          env: { ...helmHome!.env, PATH: `${path.dirname(helm3Path())}:${process.env.PATH ?? ''}` },
        });
        expectSuccess(result, `helm crdsync ${mode.flag}`);
        const sent = writes(sandbox.audit.entries());
        // crdsync compares against what the server would store, as kubectl diff does: its
        // comparisons are applies with dryRun=All, which store nothing. Nothing else is sent.
        for (const entry of sent) assert.match(entry.query, /(^|&)dryRun=All(&|$)/, `${entry.verb} ${entry.path} without dryRun=All`);
        if (mode.expect === 'dry-run-writes') assert.ok(sent.length > 0, 'the server dry-ran the applies');
        const plan = JSON.parse(result.stdout) as { crds: Array<{ name: string; action: string }>; applied: string[] };
        assert.deepEqual(plan.crds.map((crd) => `${crd.name}=${crd.action}`).sort(), [
          'gadgets.acme.example.com=create',
          'widgets.acme.example.com=update',
        ]);
        const gadgets = await client.kubectl(['get', 'crd', 'gadgets.acme.example.com']);
        assert.notEqual(gadgets.exitCode, 0, 'the new CRD was not created');
      });

      it('meshbackup restore plans the restore without writing', async () => {
        const { result, sent } = await run(['meshbackup', 'restore', '-f', archive, mode.flag]);
        expectSuccess(result, `restore ${mode.flag}`);
        judge(mode, sent, 'restore');
        // The plan says what would be created: the deleted traffic splits.
        const row = result.stdout.split('\n').find((line) => line.startsWith('trafficsplits.split.smi-spec.io'));
        assert.ok(row, result.stdout);
        assert.notEqual(row.split(/\s+/)[1], '0', `a dry run plans to create the deleted traffic splits: ${row}`);
        const splits = expectSuccess(await client.kubectl(['get', 'trafficsplits.split.smi-spec.io', '-A', '-o', 'name']), 'get');
        assert.equal(splits.stdout.trim(), '', 'nothing was restored');
      });

      it('meshscale down --purge-discovery prints the plan without scaling or deleting', async () => {
        const { result, sent } = await run(['meshscale', 'down', '--profile', 'gloo-mesh', '--purge-discovery', mode.flag]);
        expectSuccess(result, `down ${mode.flag}`);
        judge(mode, sent, 'down --purge-discovery');
        assert.match(result.stdout, /nothing was changed; "down" in gloo-mesh would:/);
        assert.match(result.stdout, /then delete the discovery\.mesh\.gloo\.solo\.io resources: /);
        const replicas = expectSuccess(
          await client.kubectl(['-n', 'gloo-mesh', 'get', 'deploy', 'networking', 'discovery', '-o', 'jsonpath={.items[*].spec.replicas}']),
          'get',
        );
        assert.equal(replicas.stdout.trim(), '2 2');
      });

      it('meshscale down without --purge-discovery writes nothing either', async () => {
        const { result, sent } = await run(['meshscale', 'down', '--profile', 'gloo-mesh', mode.flag]);
        expectSuccess(result, `down ${mode.flag}`);
        judge(mode, sent, 'down');
      });
    });
  }

  describe('meshscale up after a real down', () => {
    before(async () => {
      expectSuccess(await client.kubectl(['meshscale', 'down', '--profile', 'gloo-mesh', '--timeout', '60s']), 'down');
    });
    after(async () => {
      expectSuccess(
        await client.kubectl(['meshscale', 'up', '--profile', 'gloo-mesh', '--quiet-period', '300ms', '--timeout', '60s']),
        'up',
      );
    });

    for (const mode of modes) {
      it(`${mode.title}: up prints what it would restore and leaves the workloads at 0`, async () => {
        const { result, sent } = await run(['meshscale', 'up', '--profile', 'gloo-mesh', mode.flag]);
        expectSuccess(result, `up ${mode.flag}`);
        judge(mode, sent, 'up');
        assert.match(result.stdout, /nothing was changed; "up" in gloo-mesh would:/);
        const replicas = expectSuccess(
          await client.kubectl(['-n', 'gloo-mesh', 'get', 'deploy', 'networking', 'discovery', '-o', 'jsonpath={.items[*].spec.replicas}']),
          'get',
        );
        assert.equal(replicas.stdout.trim(), '0 0');
      });
    }
  });

  it('prints the plan as JSON with -o json, for a script', async () => {
    const { result, sent } = await run(['meshbackup', 'restore', '-f', archive, '--dry-run', '-o', 'json']);
    expectSuccess(result, 'restore --dry-run -o json');
    assert.deepEqual(sent, []);
    const plan = JSON.parse(result.stdout) as { dryRun: string; kinds: Array<{ kind: string; created: number }>; failures: unknown[] };
    assert.equal(plan.dryRun, 'client');
    assert.ok((plan.kinds.find((kind) => kind.kind === 'trafficsplits.split.smi-spec.io')?.created ?? 0) > 0, result.stdout);
    assert.deepEqual(plan.failures, []);
  });

  it('refuses a --dry-run value kubectl would refuse, with exit 2 and nothing sent', async () => {
    const { result, sent } = await run(['meshscale', 'down', '--profile', 'gloo-mesh', '--dry-run=maybe']);
    assert.equal(result.exitCode, 2, result.stderr);
    assert.deepEqual(result.stderr.split('\n').filter(Boolean), [
      'error: Invalid dry-run value (maybe). Must be "none", "server", or "client".',
      "See 'kubectl meshscale down --help' for usage.",
    ]);
    assert.deepEqual(sent, []);
  });
});
