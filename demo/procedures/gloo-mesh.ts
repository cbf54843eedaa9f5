/**
 * Gloo Mesh 0.10.7 → 0.11.3, the pre-1.0 procedure (README, Runbooks: Gloo Mesh): preflight,
 * backup, scale down with the discovery purge, the CRDs by helm crdsync, helm upgrade,
 * re-registration (meshctl, simulated), scale up with the discovery settle, check.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { chartRef, crdUndo, kubeContextFlags, type Procedure } from './procedure.js';

const registrationFile = 'register-mgmt-cluster.yaml';

// What `meshctl cluster register --cluster-name mgmt-cluster` writes in the management cluster's
// gloo-mesh namespace: the KubernetesCluster and the Secret holding the cluster's kubeconfig (here
// without credentials: the rehearsal has one cluster, which the control plane does not dial).
function registration(namespace: string): string {
  const kubeconfig = yaml.dump({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'mgmt-cluster', cluster: { server: 'https://kubernetes.default.svc' } }],
    contexts: [{ name: 'mgmt-cluster', context: { cluster: 'mgmt-cluster', user: 'mgmt-cluster' } }],
    users: [{ name: 'mgmt-cluster', user: {} }],
    'current-context': 'mgmt-cluster',
  });
  return [
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'mgmt-cluster', namespace },
      type: 'solo.io/kubeconfig',
      stringData: { 'mgmt-cluster': kubeconfig },
    },
    {
      apiVersion: 'multicluster.solo.io/v1alpha1',
      kind: 'KubernetesCluster',
      metadata: { name: 'mgmt-cluster', namespace },
      spec: { secretName: 'mgmt-cluster', clusterDomain: 'cluster.local' },
    },
  ]
    .map((doc) => `---\n${yaml.dump(doc, { lineWidth: -1 })}`)
    .join('');
}

/** glooMesh rehearses the Gloo Mesh (pre-1.0) upgrade. */
export const glooMesh: Procedure = {
  product: 'gloo-mesh',
  title: 'Gloo Mesh 0.10.7 → 0.11.3 (pre-1.0 upgrade)',
  profile: 'gloo-mesh',
  namespace: 'gloo-mesh',
  release: 'gloo-mesh',
  repoName: 'gloo-mesh',
  chartName: 'gloo-mesh',
  from: { product: '0.10.7', chart: '0.10.7' },
  to: { product: '0.11.3', chart: '0.11.3' },
  // Every Gloo Mesh CRD up to 1.0 is apiextensions.k8s.io/v1beta1, which Kubernetes 1.22 stopped serving.
  k8sVersion: '1.21.14',

  async prepare(r) {
    // A count the chart does not set: kubectl meshscale must bring back 2, not the chart's 1.
    await r.setup("the users' own scaling: discovery at 2 replicas", [
      'kubectl',
      '-n',
      this.namespace,
      'scale',
      'deployment/discovery',
      '--replicas=2',
    ]);
    writeFileSync(join(r.workDir, registrationFile), registration(this.namespace));
    await r.setup('register the management cluster, as `meshctl cluster register --cluster-name mgmt-cluster` did at install', [
      'kubectl',
      'apply',
      '-f',
      registrationFile,
    ]);
  },

  async run(r, context) {
    const profile = ['--profile', this.profile];
    const to = this.to;
    await r.step('Check versions, upgrade path, Kubernetes (v1beta1 CRDs: < 1.22), Helm and rights', [
      ['kubectl', 'meshpreflight', ...profile, '--to', to.product, '--versions-from', context.indexUrl],
    ]);
    await r.step('Keep a copy of the custom resources', [['kubectl', 'meshbackup', 'save', ...profile, '-A', '-f', 'gm-before.tar.gz']]);
    r.rollback(
      'kubectl meshscale up --profile gloo-mesh   # the old control plane, at the recorded replica counts; discovery rewrites what was purged',
    );
    await r.step('Scale networking, then discovery, to 0; delete every resource in discovery.mesh.gloo.solo.io', [
      ['kubectl', 'meshscale', 'down', ...profile, '--purge-discovery'],
    ]);
    r.rollback(crdUndo(''), 'kubectl meshscale up --profile gloo-mesh');
    const crds = await r.step("Apply the new version's CRDs (Helm never upgrades crds/)", [
      ['helm', 'crdsync', chartRef(this), '--version', to.chart, ...kubeContextFlags(context)],
    ]);
    // Set before the upgrade: a helm upgrade that fails midway leaves a failed revision to roll back.
    r.rollback(
      `helm rollback ${this.release} -n ${this.namespace} --wait`,
      crdUndo(crds.output),
      'kubectl meshscale up --profile gloo-mesh',
    );
    // Helm 4 upgrades with server-side apply (the release's method): applying the chart's
    // `replicas: 1` conflicts with kubectl-meshscale, which owns .spec.replicas since the scale-down,
    // and --force-conflicts would start both Deployments before discovery has settled. A client-side
    // upgrade (Helm 3's three-way merge) leaves the replicas alone, as the vendor procedure needs.
    const clientSide = context.helmMajor === 4 ? ['--server-side=false'] : [];
    await r.step(
      'Upgrade',
      [['helm', 'upgrade', this.release, chartRef(this), '-n', this.namespace, '--version', to.chart, '--wait', ...clientSide]],
      {
        ...(clientSide.length
          ? {
              note: 'Helm 4: --server-side=false, or its server-side apply takes .spec.replicas back from kubectl meshscale (a conflict; forced, it would start the control plane out of order)',
            }
          : {}),
      },
    );
    await r.simulated(
      'Re-register the clusters',
      'meshctl cluster register --cluster-name mgmt-cluster --mgmt-context sandbox --remote-context sandbox',
      'meshctl is not part of the suite; for the one cluster here it writes the KubernetesCluster and its kubeconfig Secret',
      [['kubectl', 'apply', '-f', registrationFile]],
    );
    await r.step('Scale discovery up and wait until its resources are written; then networking', [
      ['kubectl', 'meshscale', 'up', ...profile],
    ]);
    await r.step('Check', [['kubectl', 'meshpreflight', 'check', ...profile, '--expect', to.product]]);
  },
};
