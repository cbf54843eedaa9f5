/**
 * Hostile and careless input through the real plugin, as users run it (`kubectl meshbackup`):
 * a sample of the hostile-archive generator's variants through `verify` and `restore` (one line,
 * exit 3, no write request reaching the sandbox, nothing left in the temporary folder), `--kinds`
 * that matches nothing (exit 2), and `save --force` over a directory or a device (exit 9).
 * The unit tier runs every variant in process (test/unit/meshbackup/hostile-archives.test.ts).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { SandboxHandle } from '../../../sandbox/index.js';
import { ClientEnv, expectSuccess, type CommandResult, type TestCluster } from '../../support/cluster.js';
import { hostileArchives, readMembers } from '../../support/hostile-archives.js';
import { requireSandbox, startE2eCluster } from '../../support/target.js';

const sample = [
  /^manifest kinds\.0\.file a path out of the archive$/,
  /^manifest createdAt deleted$/,
  /^manifest kinds\.0 null$/,
  /^an unlisted member in the layout$/,
  /^resources\/trafficsplits\.split\.smi-spec\.io\.yaml a symbolic link out of the archive$/,
  /^resources\/trafficsplits\.split\.smi-spec\.io\.yaml unparsable, sha256 matching$/,
  /^resources\/trafficsplits\.split\.smi-spec\.io\.yaml an alias bomb, sha256 matching$/,
  /^a gzip of garbage$/,
  /^cut at /,
];

function oneLine(result: CommandResult): string {
  const lines = result.stderr.split('\n').filter(Boolean);
  assert.equal(lines.length, 1, result.stderr);
  return lines[0]!;
}

describe('kubectl meshbackup verify and restore of hostile archives, and careless flags', function () {
  this.timeout(300_000);
  let cluster: TestCluster & { sandbox?: SandboxHandle };
  let sandbox: SandboxHandle;
  let client: ClientEnv;
  let archive: string;
  let temp: string;

  before(async function () {
    cluster = await startE2eCluster({ installs: ['nginx-service-mesh@1.7.0'] });
    sandbox = requireSandbox(this, cluster, 'its audit log shows that nothing was written');
    // The plugin's temporary folder (TMPDIR) is the test's own, to see what it leaves there.
    client = new ClientEnv(cluster.kubeconfig);
    temp = path.join(client.home, 'tmp');
    await fs.mkdir(temp, { recursive: true });
    archive = path.join(client.home, 'nsm.tar.gz');
    expectSuccess(await client.kubectl(['meshbackup', 'save', '--profile', 'nginx-service-mesh', '-A', '-f', archive]), 'save');
  });
  after(async () => {
    client?.dispose();
    await cluster?.close();
  });

  it('refuses each sampled hostile archive in verify and restore: one line, exit 3, nothing written, nothing left in TMPDIR', async () => {
    const scratch = path.join(client.home, 'scratch');
    await fs.mkdir(scratch);
    const all = hostileArchives(await readMembers(archive, scratch));
    // The first variant matching each pattern.
    const variants = sample.flatMap((pattern) => all.find((variant) => pattern.test(variant.name)) ?? []);
    assert.equal(variants.length, sample.length, variants.map((variant) => variant.name).join(', '));
    for (const [index, variant] of variants.entries()) {
      const file = path.join(scratch, `hostile-${index}.tar.gz`);
      await variant.write(file);
      const before = sandbox.audit.entries().length;
      for (const verb of ['verify', 'restore']) {
        const result = await client.kubectl(['meshbackup', verb, '-f', file], { env: { TMPDIR: temp } });
        assert.equal(result.exitCode, 3, `${verb} of ${variant.name}: ${result.stderr}`);
        assert.match(oneLine(result), /^error: .*hostile-\d+\.tar\.gz: /, `${verb} of ${variant.name}`);
        assert.doesNotMatch(result.stderr, /TAR_|base256|^\s+at /m, `${verb} of ${variant.name}`);
      }
      const writes = sandbox.audit
        .entries()
        .slice(before)
        .filter((entry) => !['get', 'list', 'watch'].includes(entry.verb));
      assert.deepEqual(writes, [], `no write request for ${variant.name}`);
    }
    assert.deepEqual(await fs.readdir(temp), [], 'no extracted archive left in TMPDIR');
  });

  it('refuses --kinds naming a kind the archive does not hold (exit 2), writing nothing', async () => {
    const before = sandbox.audit.entries().length;
    const result = await client.kubectl(['meshbackup', 'restore', '-f', archive, '--kinds', 'TrafficSplitz']);
    assert.equal(result.exitCode, 2, result.stderr);
    assert.match(result.stderr, /--kinds TrafficSplitz matches no kind in the archive; it holds: .*TrafficSplit/);
    assert.deepEqual(
      sandbox.audit
        .entries()
        .slice(before)
        .filter((entry) => !['get', 'list', 'watch'].includes(entry.verb)),
      [],
    );
  });

  it('refuses save --force over a directory and over a device (exit 9, one line), leaving them alone', async () => {
    const folder = path.join(client.home, 'folder');
    await fs.mkdir(folder);
    for (const target of [folder, '/dev/null']) {
      const result = await client.kubectl(['meshbackup', 'save', '--profile', 'nginx-service-mesh', '-A', '-f', target, '--force']);
      assert.equal(result.exitCode, 9, result.stderr);
      assert.match(oneLine(result), /replaces only a regular file, even with --force/);
    }
    assert.ok((await fs.stat('/dev/null')).isCharacterDevice());
    assert.deepEqual(await fs.readdir(folder), []);
  });
});
