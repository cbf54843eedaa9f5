/**
 * The vendor-fixture tier: the real CRDs and examples of Gloo Edge, Gloo Mesh and NGINX
 * Service Mesh (read from ../shared/fixtures, never committed) run through the real kubectl
 * against the sandbox, as the vendor procedures use them.
 */
import { strict as assert } from 'node:assert';
import { join } from 'node:path';
import type { SandboxHandle } from '../../sandbox/index.js';
import { ClientEnv, expectSuccess } from '../support/cluster.js';
import { startTestSandbox } from '../support/target.js';
import { requireVendorFixtures } from '../support/vendor.js';

describe('vendor CRDs and examples through kubectl (vendor-fixture tier)', function () {
  this.timeout(180_000);
  let fixtures: string;
  let sandbox: SandboxHandle;
  let client: ClientEnv;

  before(async function () {
    fixtures = requireVendorFixtures(this);
    sandbox = await startTestSandbox({ vendorFixturesDir: fixtures, installs: ['gloo-edge@1.16.27', 'gloo-mesh@0.10.7', 'nginx-service-mesh@1.7.0'] });
    client = new ClientEnv(sandbox.kubeconfigPath);
  });

  after(async function () {
    client?.dispose();
    await sandbox?.close();
  });

  it('applies the Gloo 1.17.0 CRDs over 1.16.27 client-side, as the Gloo Edge upgrade does before helm upgrade', async function () {
    const out = expectSuccess(await client.kubectl(['apply', '-f', join(fixtures, 'crds', 'gloo', 'v1.17.0')]), 'kubectl apply gloo 1.17.0 CRDs');
    assert.match(out.stdout, /customresourcedefinition\.apiextensions\.k8s\.io\/virtualservices\.gateway\.solo\.io configured/);
    assert.match(out.stdout, /customresourcedefinition\.apiextensions\.k8s\.io\/listeneroptions\.gateway\.solo\.io created/);
    const established = expectSuccess(await client.kubectl(['wait', '--for=condition=Established', 'crd/listeneroptions.gateway.solo.io', 'crd/gatewayparameters.gateway.gloo.solo.io', '--timeout=30s']), 'wait');
    assert.match(established.stdout, /condition met/);
    const vs = expectSuccess(await client.kubectl(['get', 'virtualservices.gateway.solo.io', '-A', '-o', 'name']), 'get vs');
    assert.ok(vs.stdout.trim().length > 0, 'the install created example VirtualServices that survive the CRD update');
  });

  it('applies the Gloo Mesh 0.11.3 CRDs server-side over 0.10.7', async function () {
    const out = expectSuccess(await client.kubectl(['apply', '--server-side', '--force-conflicts', '-f', join(fixtures, 'crds', 'gloo-mesh', 'v0.11.3')]), 'apply --server-side');
    assert.match(out.stdout, /serverside-applied/);
    expectSuccess(await client.kubectl(['wait', '--for=condition=Established', 'crd', '--all', '--timeout=30s']), 'wait all');
  });

  it('rejects the published RateLimit whose spec.sources is a map, with the schema error a real server gives', async function () {
    const file = join(fixtures, 'examples', 'nginx-service-mesh', 'v2.0.0', 'ratelimit-dest-svc-bursty.yaml');
    const out = await client.kubectl(['create', '-f', file]);
    assert.equal(out.exitCode, 1);
    assert.match(out.stderr, /RateLimit\.specs\.smi\.nginx\.com "dest-svc-bursty" is invalid: spec\.sources: Invalid value: "object": spec\.sources in body must be of type array: "object"/);
  });

  it('accepts the published RateLimit that names no sources', async function () {
    const file = join(fixtures, 'examples', 'nginx-service-mesh', 'v2.0.0', 'ratelimit-dest-svc-default.yaml');
    const out = await client.kubectl(['create', '-f', file]);
    assert.ok(out.exitCode === 0 || /AlreadyExists/.test(out.stderr), out.stderr);
  });
});
