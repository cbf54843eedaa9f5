/**
 * demo benchmark: each `npm run demo` rehearsal (Helm 3) timed over its vendor steps (setup
 * excluded), on a sandbox whose simulated controllers take no time (rollouts, CRD establishment,
 * Jobs, discovery writes all at once), minus the one wait the suite itself imposes: meshscale up's
 * 5 s quiet period for Gloo Mesh discovery. Against it, the same procedure done with the vendor's
 * plain kubectl/helm commands, through the same runner, where the sandbox allows it: Gloo Mesh and
 * Gloo Edge (`kubectl get -o yaml` backup, `kubectl scale` and `rollout status`, `helm pull` plus
 * `kubectl apply` of crds/, `helm upgrade --wait`, `kubectl get` as the check). NGINX Service Mesh
 * has none: restoring `kubectl get -o yaml` output needs its server fields stripped first.
 */
import { performance } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import type { RehearsedProduct } from '../demo/charts/product-charts.js';
import { procedures } from '../demo/procedures/index.js';
import { chartRef, type Procedure, type ProcedureContext } from '../demo/procedures/procedure.js';
import { chartCrdNames } from '../demo/seed.js';
import { runDemo, type DemoResult } from '../demo/run-demo.js';
import { findVendorFixtures } from '../sandbox/products/vendor-fixtures.js';
import { glooMeshProfile } from '../shared/profiles/gloo-mesh.js';
import { repoRoot } from '../test/support/paths.js';

/** No simulated controller time: what remains is the tools' own. */
const delays = { rolloutMs: 0, crdEstablishMs: 0, jobMs: 0, discoveryStepMs: 0 };
/** meshscale up's default --quiet-period: discovery must stay unchanged this long (Gloo Mesh). */
const quietPeriodMs = 5_000;

/** installedKinds are the kinds the installed chart's CRDs serve (a plain `kubectl get` of an unserved one fails). */
function installedKinds(procedure: Procedure, context: ProcedureContext): string[] {
  const chart = context.charts.find((c) => c.version === procedure.from.chart);
  return chart ? chartCrdNames(chart) : [];
}

// The vendor's Gloo Mesh procedure with plain commands (meshctl's re-registration as in the rehearsal).
const plainGlooMesh: Procedure = {
  ...procedures['gloo-mesh'],
  async run(r, context) {
    const ns = ['-n', this.namespace];
    await r.step('versions', [['helm', 'search', 'repo', chartRef(this), '--versions']]);
    await r.step('backup', [['kubectl', 'get', installedKinds(this, context).join(','), '-A', '-o', 'yaml']]);
    await r.step('scale down', [
      ['kubectl', ...ns, 'scale', 'deployment/networking', '--replicas=0'],
      ['kubectl', ...ns, 'rollout', 'status', 'deployment/networking'],
      ['kubectl', ...ns, 'scale', 'deployment/discovery', '--replicas=0'],
      ['kubectl', ...ns, 'rollout', 'status', 'deployment/discovery'],
      [
        'kubectl',
        'delete',
        glooMeshProfile.discoveryGroups.flatMap((g) => installedKinds(this, context).filter((k) => k.endsWith(`.${g}`))).join(','),
        '-A',
        '--all',
      ],
    ]);
    await r.step('CRDs', [
      ['helm', 'pull', chartRef(this), '--version', this.to.chart, '--untar', '--untardir', 'new'],
      // Server-side: the sandbox (like this bench's 1.21) takes v1beta1 CRD patches only as server-side apply.
      ['kubectl', 'apply', '--server-side', '--force-conflicts', '-f', `new/${this.chartName}/crds/`],
    ]);
    await r.step('upgrade', [
      [
        'helm',
        'upgrade',
        this.release,
        chartRef(this),
        ...ns,
        '--version',
        this.to.chart,
        '--wait',
        ...(context.helmMajor === 4 ? ['--server-side=false'] : []),
      ],
    ]);
    await r.step('re-register', [['kubectl', 'apply', '-f', 'register-mgmt-cluster.yaml']]);
    await r.step('scale up', [
      ['kubectl', ...ns, 'scale', 'deployment/discovery', '--replicas=2'],
      ['kubectl', ...ns, 'rollout', 'status', 'deployment/discovery'],
      ['kubectl', ...ns, 'scale', 'deployment/networking', '--replicas=1'],
      ['kubectl', ...ns, 'rollout', 'status', 'deployment/networking'],
    ]);
    await r.step('check', [['kubectl', ...ns, 'get', 'deployments']]);
  },
};

// The vendor's Gloo Edge procedure with plain commands.
const plainGlooEdge: Procedure = {
  ...procedures['gloo-edge'],
  async run(r, context) {
    const ns = ['-n', this.namespace];
    await r.step('versions', [['helm', 'search', 'repo', chartRef(this), '--versions']]);
    await r.step('backup', [['kubectl', 'get', installedKinds(this, context).join(','), '-A', '-o', 'yaml']]);
    await r.step('certgen', [['kubectl', ...ns, 'delete', 'job', 'gateway-certgen', '--ignore-not-found']]);
    await r.step('CRDs', [
      ['helm', 'pull', chartRef(this), '--version', this.to.chart, '--untar', '--untardir', 'new'],
      ['kubectl', 'apply', '--server-side', '--force-conflicts', '-f', `new/${this.chartName}/crds/`],
    ]);
    await r.step('upgrade', [['helm', 'upgrade', this.release, chartRef(this), ...ns, '--version', this.to.chart, '--wait']]);
    await r.step('check', [['kubectl', ...ns, 'get', 'deployments']]);
  },
};

const plain: Partial<Record<RehearsedProduct, Procedure>> = { 'gloo-mesh': plainGlooMesh, 'gloo-edge': plainGlooEdge };

async function rehearse(product: RehearsedProduct, procedure?: Procedure): Promise<DemoResult> {
  let output = '';
  const sink = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      output = (output + chunk.toString('utf8')).slice(-4000);
      done();
    },
  });
  const result = await runDemo({
    product,
    helm: 3,
    ...(procedure ? { procedure } : {}),
    fixturesDir: findVendorFixtures(process.env, repoRoot),
    delays,
    env: process.env,
    out: sink,
  });
  if (result.exitCode !== 0)
    throw new Error(
      `${procedure ? 'plain' : 'demo'} ${product}: step ${result.failed?.number ?? '?'} exited ${result.exitCode}\n${output}`,
    );
  return result;
}

function stepsMs(result: DemoResult): number {
  return result.steps.reduce((sum, s) => sum + s.ms, 0);
}

/** benchDemo prints each rehearsal's time over its vendor steps, and the plain route's where there is one. */
export async function benchDemo(): Promise<void> {
  console.log('demo (Helm 3; vendor steps only, setup excluded; sandbox controllers without delays)');
  for (const product of Object.keys(procedures) as RehearsedProduct[]) {
    const t0 = performance.now();
    const demo = await rehearse(product);
    const waitsMs = product === 'gloo-mesh' ? quietPeriodMs : 0;
    const demoMs = stepsMs(demo) - waitsMs;
    const steps = demo.steps.length;
    let line = `  ${product.padEnd(20)} demo ${(demoMs / 1000).toFixed(1).padStart(5)} s (${steps} steps${waitsMs ? `, minus the ${waitsMs / 1000} s quiet period` : ''})`;
    const plainProcedure = plain[product];
    if (plainProcedure) {
      const baseline = stepsMs(await rehearse(product, plainProcedure));
      line += `   plain kubectl/helm ${(baseline / 1000).toFixed(1).padStart(5)} s   ${(demoMs / baseline).toFixed(2)}x`;
    } else line += '   plain kubectl/helm: none (its restore needs server fields stripped)';
    console.log(`${line}   [${((performance.now() - t0) / 1000).toFixed(0)} s with setup]`);
    console.log(`    demo steps (s): ${demo.steps.map((s) => `${s.number}. ${(s.ms / 1000).toFixed(1)}`).join('  ')}`);
  }
}
