/**
 * Objects the target server rejects, with the project's own fixture: Widgets saved while their
 * CRD validated nothing, restored after the CRD gained a schema two of them violate. The dry run
 * names both rejections and writes nothing; the restore reports each with the server's reason,
 * restores the rest and exits 7. (test/vendor/meshbackup-rejections.test.ts does the same with
 * the vendor's published RateLimit that real servers reject.)
 */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import yaml from 'js-yaml';
import type { SandboxHandle } from '../../../sandbox/index.js';
import { aCrd } from '../../fixtures/crd-builder.js';
import { ClientEnv, expectSuccess, type TestCluster } from '../../support/cluster.js';
import { requireSandbox, startE2eCluster } from '../../support/target.js';

const group = 'backup-e2e.example.test';
const laxCrd = aCrd()
  .forKind(group, 'Widget')
  .withVersion('v1', { schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } })
  .build();
// The "new version" of the CRD: spec.size an integer, spec.color one of red, green, blue.
const strictCrd = aCrd().forKind(group, 'Widget').withVersion('v1').build();
const widget = (name: string, spec: Record<string, unknown>): Record<string, unknown> => ({
  apiVersion: `${group}/v1`,
  kind: 'Widget',
  metadata: { name, namespace: 'default' },
  spec,
});
const widgets = [
  widget('small', { size: 1, color: 'red' }),
  widget('medium', { size: 5, color: 'green' }),
  widget('large', { size: 9, color: 'blue' }),
  widget('size-as-text', { size: 'big', color: 'red' }),
  widget('purple', { size: 2, color: 'purple' }),
];

const toYaml = (objects: unknown[]): string => objects.map((object) => `---\n${yaml.dump(object)}`).join('');

describe('kubectl meshbackup restore of objects the target CRD rejects (project fixture)', function () {
  this.timeout(120_000);
  let cluster: TestCluster & { sandbox?: SandboxHandle };
  let client: ClientEnv;
  let archive: string;
  let dryRunAudit: Array<{ verb: string; query: string; path: string }> = [];

  before(async () => {
    cluster = await startE2eCluster();
    client = new ClientEnv(cluster.kubeconfig);
    archive = path.join(client.home, 'widgets.tar.gz');
    const lax = path.join(client.home, 'lax.yaml');
    const objects = path.join(client.home, 'widgets.yaml');
    await fs.writeFile(lax, toYaml([laxCrd]));
    await fs.writeFile(objects, toYaml(widgets));
    expectSuccess(await client.kubectl(['apply', '-f', lax]), 'apply lax CRD');
    expectSuccess(await client.kubectl(['wait', '--for=condition=Established', `crd/widgets.${group}`, '--timeout=30s']), 'wait');
    expectSuccess(await client.kubectl(['create', '-f', objects]), 'create widgets');
    expectSuccess(await client.kubectl(['meshbackup', 'save', '--group', group, '-A', '-f', archive]), 'save');
    // The upgrade: the CRD goes (and its objects with it); the stricter CRD comes.
    expectSuccess(await client.kubectl(['delete', 'crd', `widgets.${group}`, '--wait=true']), 'delete CRD');
    const strict = path.join(client.home, 'strict.yaml');
    await fs.writeFile(strict, toYaml([strictCrd]));
    expectSuccess(await client.kubectl(['apply', '-f', strict]), 'apply strict CRD');
    expectSuccess(await client.kubectl(['wait', '--for=condition=Established', `crd/widgets.${group}`, '--timeout=30s']), 'wait');
  });
  after(async () => {
    await client?.kubectl(['delete', 'crd', `widgets.${group}`, '--ignore-not-found']);
    client?.dispose();
    await cluster?.close();
  });

  const widgetNames = async (): Promise<string[]> => {
    const listed = expectSuccess(
      await client.kubectl(['get', `widgets.${group}`, '-n', 'default', '-o', 'jsonpath={.items[*].metadata.name}']),
      'get widgets',
    );
    return listed.stdout.split(/\s+/).filter(Boolean).sort();
  };

  it('dry-run=server reports every object the server would reject (exit 7) and writes nothing', async () => {
    const before = cluster.sandbox?.audit.entries().length ?? 0;
    const dry = await client.kubectl(['meshbackup', 'restore', '-f', archive, '--dry-run=server']);
    dryRunAudit = cluster.sandbox?.audit.entries().slice(before) ?? [];
    assert.equal(dry.exitCode, 7, dry.stdout + dry.stderr);
    const failed = dry.stdout.split('\n').filter((line) => line.startsWith('FAILED '));
    assert.equal(failed.length, 2, dry.stdout);
    assert.deepEqual(failed, [...failed].sort(), 'failures are listed in a stable order');
    assert.match(dry.stdout, /^Dry run \(dryRun=All\): nothing was written\.$/m);
    assert.match(dry.stdout, /^FAILED widgets\.backup-e2e\.example\.test default\/size-as-text: .*spec\.size.*integer/m);
    assert.match(dry.stdout, /^FAILED widgets\.backup-e2e\.example\.test default\/purple: .*spec\.color.*"purple".*supported values/im);
    assert.match(dry.stdout, /^widgets\.backup-e2e\.example\.test\s+3\s+0\s+0\s+0\s+2$/m);
    assert.match(dry.stderr, /^error: 2 object\(s\) not restored \(dry run\)$/m);
    assert.doesNotMatch(dry.stderr, /\n\s+at /, 'no stack trace');
    assert.deepEqual(await widgetNames(), [], 'the dry run wrote nothing');
  });

  it('the dry run sent every write with dryRun=All (sandbox audit log)', function () {
    requireSandbox(this, cluster, 'the writes are read from its audit log');
    const writes = dryRunAudit.filter((entry) => ['create', 'update', 'patch', 'delete', 'deletecollection'].includes(entry.verb));
    assert.equal(writes.length, widgets.length);
    for (const entry of writes) assert.match(entry.query, /(^|&)dryRun=All(&|$)/, `${entry.verb} ${entry.path}?${entry.query}`);
  });

  it('restores the valid objects, reports each rejected one with the server’s reason, exit 7', async () => {
    const result = await client.kubectl(['meshbackup', 'restore', '-f', archive]);
    assert.equal(result.exitCode, 7, result.stdout + result.stderr);
    assert.match(result.stdout, /^FAILED widgets\.backup-e2e\.example\.test default\/size-as-text: .*spec\.size.*integer/m);
    assert.match(result.stdout, /^FAILED widgets\.backup-e2e\.example\.test default\/purple: .*spec\.color/m);
    assert.equal(
      result.stderr
        .trim()
        .split('\n')
        .filter((line) => line.startsWith('error:')).length,
      1,
      result.stderr,
    );
    assert.deepEqual(await widgetNames(), ['large', 'medium', 'small']);
    const diff = await client.kubectl(['meshbackup', 'diff', '-f', archive]);
    assert.equal(diff.exitCode, 1);
    assert.deepEqual(diff.stdout.split('\n').filter(Boolean).sort(), [
      `missing: widgets.${group} default/purple`,
      `missing: widgets.${group} default/size-as-text`,
    ]);
  });
});
