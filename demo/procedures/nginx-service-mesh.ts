/**
 * NGINX Service Mesh 1.7.0 → 2.0.0, the manual upgrade (README, Runbooks: NGINX Service Mesh):
 * backup, verify against the new CRDs, remove (nginx-meshctl remove, simulated by helm uninstall and
 * the CRD deletion it does), install the new version, restore (server dry run first), diff, re-roll
 * the sidecar workloads, check.
 */
import type { ProductChart } from '../charts/product-charts.js';
import { chartCrdNames } from '../seed.js';
import { chartRef, kubeContextFlags, type Procedure } from './procedure.js';

function crdNames(charts: readonly ProductChart[], version: string): string[] {
  const chart = charts.find((c) => c.version === version);
  return chart ? chartCrdNames(chart) : [];
}

/** nginxServiceMesh rehearses the NGINX Service Mesh manual upgrade. */
export const nginxServiceMesh: Procedure = {
  product: 'nginx-service-mesh',
  title: 'NGINX Service Mesh 1.7.0 → 2.0.0 (manual upgrade)',
  profile: 'nginx-service-mesh',
  namespace: 'nginx-mesh',
  release: 'nsm',
  repoName: 'nginx-stable',
  chartName: 'nginx-service-mesh',
  from: { product: '1.7.0', chart: '0.7.0' },
  to: { product: '2.0.0', chart: '2.0.0' },
  k8sVersion: '1.29.14',

  async run(r, context) {
    const profile = ['--profile', this.profile];
    const ns = ['-n', this.namespace];
    await r.step('Versions and path (N-1 → N only), Kubernetes, Helm, rights', [
      ['kubectl', 'meshpreflight', ...profile, '--to', this.to.product, '--versions-from', context.indexUrl],
    ]);
    await r.step('Back up trafficsplits, traffictargets, httproutegroups, tcproutes, ratelimits, circuitbreakers', [
      ['kubectl', 'meshbackup', 'save', ...profile, '-A', '-f', 'nsm.tar.gz'],
    ]);
    await r.step('Check the backup against the new CRDs before destroying anything', [
      ['helm', 'pull', chartRef(this), '--version', this.to.chart, '--untar', '--untardir', 'new-chart'],
      ['kubectl', 'meshbackup', 'verify', '-f', 'nsm.tar.gz', '--crds-from', `new-chart/${this.chartName}/crds`],
    ]);
    r.rollback(
      `helm install ${this.release} ${chartRef(this)} -n ${this.namespace} --create-namespace --version ${this.from.chart} --wait   # the old mesh back`,
      'kubectl meshbackup restore -f nsm.tar.gz   # then the custom resources as backed up',
      'kubectl meshscale reroll --profile nginx-service-mesh -A',
    );
    await r.simulated(
      'Remove the mesh (deletes every SMI/NSM custom resource)',
      'nginx-meshctl remove -y',
      'nginx-meshctl is not part of the suite; it uninstalls the release and deletes the mesh CRDs, and with them every custom resource',
      [
        ['helm', 'uninstall', this.release, ...ns],
        ['kubectl', 'delete', 'crd', ...crdNames(context.charts, this.from.chart)],
      ],
    );
    r.rollback(
      `helm uninstall ${this.release} -n ${this.namespace}   # a failed install, if one is left`,
      `helm install ${this.release} ${chartRef(this)} -n ${this.namespace} --create-namespace --version ${this.from.chart} --wait   # the old mesh back`,
      'kubectl meshbackup restore -f nsm.tar.gz   # then the custom resources as backed up',
      'kubectl meshscale reroll --profile nginx-service-mesh -A',
    );
    await r.step('Redeploy', [
      [
        'helm',
        'install',
        this.release,
        chartRef(this),
        ...ns,
        '--create-namespace',
        '--version',
        this.to.chart,
        '--wait',
        ...kubeContextFlags(context),
      ],
    ]);
    r.rollback(
      'kubectl meshbackup restore -f nsm.tar.gz   # the custom resources as backed up, into the new mesh',
      'kubectl meshscale reroll --profile nginx-service-mesh -A',
    );
    await r.step('See what the new control plane would reject', [
      ['kubectl', 'meshbackup', 'restore', '-f', 'nsm.tar.gz', '--dry-run=server'],
    ]);
    await r.step('Restore', [['kubectl', 'meshbackup', 'restore', '-f', 'nsm.tar.gz']]);
    await r.step('Confirm the cluster matches the backup', [['kubectl', 'meshbackup', 'diff', '-f', 'nsm.tar.gz']]);
    await r.step('Re-roll the workloads so they get the new sidecar', [['kubectl', 'meshscale', 'reroll', ...profile, '-A']]);
    await r.step('Check', [['kubectl', 'meshpreflight', 'check', ...profile, '--expect', this.to.product]]);
  },
};
