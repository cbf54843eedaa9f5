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
    sandbox = await startTestSandbox({
      vendorFixturesDir: fixtures,
      installs: ['gloo-edge@1.16.27', 'gloo-mesh@0.10.7', 'nginx-service-mesh@1.7.0'],
    });
    client = new ClientEnv(sandbox.kubeconfigPath);
  });

  after(async function () {
    client?.dispose();
    await sandbox?.close();
  });

  it('applies the Gloo 1.17.0 CRDs over 1.16.27 client-side, as the Gloo Edge upgrade does before helm upgrade', async function () {
    const out = expectSuccess(
      await client.kubectl(['apply', '-f', join(fixtures, 'crds', 'gloo', 'v1.17.0')]),
      'kubectl apply gloo 1.17.0 CRDs',
    );
    assert.match(out.stdout, /customresourcedefinition\.apiextensions\.k8s\.io\/virtualservices\.gateway\.solo\.io configured/);
    assert.match(out.stdout, /customresourcedefinition\.apiextensions\.k8s\.io\/listeneroptions\.gateway\.solo\.io created/);
    const established = expectSuccess(
      await client.kubectl([
        'wait',
        '--for=condition=Established',
        'crd/listeneroptions.gateway.solo.io',
        'crd/gatewayparameters.gateway.gloo.solo.io',
        '--timeout=30s',
      ]),
      'wait',
    );
    assert.match(established.stdout, /condition met/);
    const vs = expectSuccess(await client.kubectl(['get', 'virtualservices.gateway.solo.io', '-A', '-o', 'name']), 'get vs');
    assert.ok(vs.stdout.trim().length > 0, 'the install created example VirtualServices that survive the CRD update');
  });

  it('refuses the Gloo Mesh 0.11.3 CRDs (apiextensions.k8s.io/v1beta1) as a 1.22+ server does', async function () {
    // Gloo Mesh pre-1.0 ships v1beta1 CRDs, which Kubernetes stopped serving in 1.22: the runbook's
    // "apply the new version's CRDs" step fails on a current cluster exactly like this.
    const out = await client.kubectl(['apply', '-f', join(fixtures, 'crds', 'gloo-mesh', 'v0.11.3')]);
    assert.equal(out.exitCode, 1);
    assert.match(out.stderr, /no matches for kind "CustomResourceDefinition" in version "apiextensions\.k8s\.io\/v1beta1"/);
  });

  it('rejects the published RateLimit whose spec.sources is a map, as a real server does', async function () {
    // The apiserver prunes keys under a schema without properties (sources is an array), so with
    // kubectl's default --validate=strict they are unknown fields (400); with validation off, the
    // pruned {} then fails the schema's type (422).
    const file = join(fixtures, 'examples', 'nginx-service-mesh', 'v2.0.0', 'ratelimit-dest-svc-bursty.yaml');
    const strict = await client.kubectl(['create', '-f', file]);
    assert.equal(strict.exitCode, 1);
    assert.match(
      strict.stderr,
      /Error from server \(BadRequest\): error when creating ".*ratelimit-dest-svc-bursty\.yaml": RateLimit in version "v1alpha2" cannot be handled as a RateLimit: strict decoding error: unknown field "spec\.sources\.kind"/,
    );
    const lax = await client.kubectl(['create', '--validate=false', '-f', file]);
    assert.equal(lax.exitCode, 1);
    assert.match(
      lax.stderr,
      /The RateLimit "dest-svc-bursty" is invalid: spec\.sources: Invalid value: "object": spec\.sources in body must be of type array: "object"/,
    );
  });

  it('accepts the published RateLimit that names no sources', async function () {
    const file = join(fixtures, 'examples', 'nginx-service-mesh', 'v2.0.0', 'ratelimit-dest-svc-default.yaml');
    const out = await client.kubectl(['create', '-f', file]);
    assert.ok(out.exitCode === 0 || /AlreadyExists/.test(out.stderr), out.stderr);
  });
});
