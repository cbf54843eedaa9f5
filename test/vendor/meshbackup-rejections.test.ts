/**
 * The vendor-fixture tier of restore rejections: NGINX Service Mesh's published RateLimits saved
 * while the RateLimit CRD validated nothing, then restored into the vendor's 2.0.0 CRDs, which
 * reject three of them as a real server does — `dest-svc-bursty` (spec.sources a map where the
 * schema wants a list) and the doc snippets `limit-1`/`limit-2` (no spec.name and spec.rate,
 * which the schema requires). The dry run names them and writes nothing; the restore reports
 * each with the server's reason, restores everything else and exits 7.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import yaml from 'js-yaml';
import type { SandboxHandle } from '../../sandbox/index.js';
import { ClientEnv, expectSuccess } from '../support/cluster.js';
import { startTestSandbox } from '../support/target.js';
import { requireVendorFixtures } from '../support/vendor.js';

interface ManifestView {
  crds: Array<{ name: string }>;
  kinds: Array<{ plural: string; group: string; count: number }>;
}

describe('kubectl meshbackup restore of vendor examples a real server rejects (vendor-fixture tier)', function () {
  this.timeout(180_000);
  let fixtures: string;
  let sandbox: SandboxHandle;
  let client: ClientEnv;
  let archive: string;
  let manifest: ManifestView;
  let restorable: ManifestView['kinds'];
  const ratelimits = 'ratelimits.specs.smi.nginx.com';
  const published = [
    'ratelimit-dest-svc-bursty.yaml',
    'ratelimit-dest-svc-default.yaml',
    'ratelimit-limit-1.yaml',
    'ratelimit-limit-2.yaml',
  ];

  before(async function () {
    fixtures = requireVendorFixtures(this);
    sandbox = await startTestSandbox({ vendorFixturesDir: fixtures, installs: ['nginx-service-mesh@1.7.0'] });
    client = new ClientEnv(sandbox.kubeconfigPath);
    archive = path.join(client.home, 'nsm.tar.gz');
    // A RateLimit CRD that validates nothing (as CRDs without a structural schema did): the
    // published examples all get in, the schema-invalid one too.
    const crd = yaml.load(readFileSync(path.join(fixtures, 'crds', 'nginx-service-mesh', 'v1.7.0', 'ratelimit.yaml'), 'utf8')) as {
      spec: { versions: Array<{ schema?: unknown }> };
    };
    for (const version of crd.spec.versions)
      version.schema = { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } };
    const lax = path.join(client.home, 'ratelimit-lax.yaml');
    await fs.writeFile(lax, yaml.dump(crd));
    expectSuccess(await client.kubectl(['replace', '-f', lax]), 'replace RateLimit CRD');
    for (const file of published) {
      expectSuccess(
        await client.kubectl(['create', '-f', path.join(fixtures, 'examples', 'nginx-service-mesh', 'v2.0.0', file)]),
        `create ${file}`,
      );
    }
    expectSuccess(await client.kubectl(['meshbackup', 'save', '--profile', 'nginx-service-mesh', '-A', '-f', archive]), 'save');
    manifest = JSON.parse(
      expectSuccess(await client.kubectl(['meshbackup', 'inspect', '-f', archive, '-o', 'json']), 'inspect').stdout,
    ) as ManifestView;
    restorable = manifest.kinds.filter((kind) => kind.group !== 'spiffeid.spiffe.io');
    // The upgrade: the mesh's CRDs go, and with them every resource; the 2.0.0 CRDs come.
    expectSuccess(await client.kubectl(['delete', 'crd', ...manifest.crds.map((entry) => entry.name), '--wait=true']), 'delete CRDs');
    expectSuccess(await client.kubectl(['apply', '-f', path.join(fixtures, 'crds', 'nginx-service-mesh', 'v2.0.0')]), 'apply 2.0.0 CRDs');
    expectSuccess(
      await client.kubectl([
        'wait',
        '--for=condition=Established',
        ...restorable.map((kind) => `crd/${kind.plural}.${kind.group}`),
        '--timeout=60s',
      ]),
      'wait',
    );
  });
  after(async () => {
    client?.dispose();
    await sandbox?.close();
  });

  const counts = async (): Promise<Record<string, number>> => {
    const result: Record<string, number> = {};
    for (const kind of restorable) {
      const listed = expectSuccess(await client.kubectl(['get', `${kind.plural}.${kind.group}`, '-A', '-o', 'name']), 'get');
      result[`${kind.plural}.${kind.group}`] = listed.stdout.split('\n').filter(Boolean).length;
    }
    return result;
  };
  const rejected = ['dest-svc-bursty', 'limit-1', 'limit-2'];
  const assertRejections = (stdout: string): void => {
    const failed = stdout.split('\n').filter((line) => line.startsWith('FAILED '));
    assert.deepEqual(
      failed.map((line) => /^FAILED \S+ default\/(\S+):/.exec(line)?.[1]),
      rejected,
      stdout,
    );
    assert.match(stdout, /^FAILED ratelimits\.specs\.smi\.nginx\.com default\/dest-svc-bursty: .*spec\.sources.* must be of type array/m);
    assert.match(
      stdout,
      /^FAILED ratelimits\.specs\.smi\.nginx\.com default\/limit-1: .*spec\.name: Required value, spec\.rate: Required value/m,
    );
  };

  it('saved the schema-invalid RateLimits with the valid ones', () => {
    assert.ok((manifest.kinds.find((kind) => `${kind.plural}.${kind.group}` === ratelimits)?.count ?? 0) >= published.length);
  });

  it('dry-run=server names each rejected RateLimit with the reason (exit 7) and writes nothing', async () => {
    const before = sandbox.audit.entries().length;
    const dry = await client.kubectl(['meshbackup', 'restore', '-f', archive, '--dry-run=server']);
    assert.equal(dry.exitCode, 7, dry.stdout + dry.stderr);
    assertRejections(dry.stdout);
    assert.match(dry.stderr, /^error: 3 object\(s\) not restored \(dry run\)$/m);
    const writes = sandbox.audit
      .entries()
      .slice(before)
      .filter((entry) => ['create', 'update', 'patch', 'delete'].includes(entry.verb));
    assert.ok(writes.length > 0);
    for (const entry of writes) assert.match(entry.query, /(^|&)dryRun=All(&|$)/, `${entry.verb} ${entry.path}`);
    assert.deepEqual(
      Object.values(await counts()).filter((n) => n > 0),
      [],
      'nothing was written',
    );
  });

  it('restores everything else, reports each rejected RateLimit with the server’s reason, exit 7', async () => {
    const result = await client.kubectl(['meshbackup', 'restore', '-f', archive]);
    assert.equal(result.exitCode, 7, result.stdout + result.stderr);
    assertRejections(result.stdout);
    const expected = Object.fromEntries(
      restorable.map((kind) => [
        `${kind.plural}.${kind.group}`,
        kind.count - (`${kind.plural}.${kind.group}` === ratelimits ? rejected.length : 0),
      ]),
    );
    assert.deepEqual(await counts(), expected);
    const diff = await client.kubectl(['meshbackup', 'diff', '-f', archive]);
    assert.equal(diff.exitCode, 1);
    assert.equal(diff.stdout, rejected.map((name) => `missing: ${ratelimits} default/${name}\n`).join(''));
  });
});
