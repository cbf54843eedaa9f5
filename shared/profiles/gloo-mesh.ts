/**
 * Gloo Mesh (open source, 0.10 – 1.x). Groups, versions and kinds are those of the CRDs in
 * solo-io/gloo-mesh install/helm/gloo-mesh/crds at v0.10.7 and v0.11.3; workloads and chart from
 * docs/control-planes.md §1.
 */
import { resourceKind } from './resource-kind.js';
import type { ProductProfile } from './types.js';

const v1alpha2 = ['v1alpha2'];

/** glooMeshProfile describes Gloo Mesh's management plane. */
export const glooMeshProfile: ProductProfile = {
  name: 'gloo-mesh',
  displayName: 'Gloo Mesh',
  namespace: 'gloo-mesh',
  kinds: [
    resourceKind('settings.mesh.gloo.solo.io', v1alpha2, 'Settings', 'settings'),
    resourceKind('multicluster.solo.io', ['v1alpha1'], 'KubernetesCluster', 'kubernetesclusters'),
    resourceKind('networking.mesh.gloo.solo.io', v1alpha2, 'VirtualMesh', 'virtualmeshes'),
    resourceKind('networking.mesh.gloo.solo.io', v1alpha2, 'TrafficPolicy', 'trafficpolicies'),
    resourceKind('networking.mesh.gloo.solo.io', v1alpha2, 'AccessPolicy', 'accesspolicies'),
    resourceKind('networking.mesh.gloo.solo.io', v1alpha2, 'FailoverService', 'failoverservices'),
    resourceKind('rbac.enterprise.mesh.gloo.solo.io', ['v1alpha1'], 'Role', 'roles', { note: 'Enterprise only' }),
    resourceKind('rbac.enterprise.mesh.gloo.solo.io', ['v1alpha1'], 'RoleBinding', 'rolebindings', { note: 'Enterprise only' }),
    resourceKind('networking.enterprise.mesh.gloo.solo.io', ['v1alpha1'], 'WasmDeployment', 'wasmdeployments', {
      note: 'Enterprise only',
    }),
    resourceKind('discovery.mesh.gloo.solo.io', v1alpha2, 'TrafficTarget', 'traffictargets', {
      restore: false,
      note: 'written by discovery',
    }),
    resourceKind('discovery.mesh.gloo.solo.io', v1alpha2, 'Workload', 'workloads', { restore: false, note: 'written by discovery' }),
    resourceKind('discovery.mesh.gloo.solo.io', v1alpha2, 'Mesh', 'meshes', { restore: false, note: 'written by discovery' }),
  ],
  // Settings first (both operators read it at start-up); the Enterprise RBAC webhook checks every
  // write against Roles, so Roles and RoleBindings precede what they guard; clusters before the
  // VirtualMeshes that group them; policies after the mesh they apply to.
  restoreOrder: [
    'settings.settings.mesh.gloo.solo.io',
    'roles.rbac.enterprise.mesh.gloo.solo.io',
    'rolebindings.rbac.enterprise.mesh.gloo.solo.io',
    'kubernetesclusters.multicluster.solo.io',
    'virtualmeshes.networking.mesh.gloo.solo.io',
    'trafficpolicies.networking.mesh.gloo.solo.io',
    'accesspolicies.networking.mesh.gloo.solo.io',
    'failoverservices.networking.mesh.gloo.solo.io',
    'wasmdeployments.networking.enterprise.mesh.gloo.solo.io',
  ],
  // The vendor's upgrade guide deletes these before upgrading: discovery rebuilds them from the clusters.
  discoveryGroups: ['discovery.mesh.gloo.solo.io'],
  workloads: [
    { kind: 'Deployment', name: 'networking' },
    { kind: 'Deployment', name: 'discovery' },
  ],
  // The vendor's upgrade procedure (docs/content/operations/upgrading.md): networking consumes what
  // discovery writes, so it stops first and starts last.
  scaleDownOrder: ['networking', 'discovery'],
  scaleUpOrder: ['discovery', 'networking'],
  chart: {
    name: 'gloo-mesh',
    repository: 'https://storage.googleapis.com/gloo-mesh/gloo-mesh',
    alternateNames: ['gloo-mesh-enterprise'],
  },
  // Verified at v0.10.7 and v0.11.3; from 1.0 the CRDs live in the gloo-mesh-crds dependency chart
  // (control-planes.md §1; research/crdsync.md "the v1beta1 wall").
  crdSources: [
    { versions: '>=0.10.0-0 <1.0.0-0', repository: 'solo-io/gloo-mesh', path: 'install/helm/gloo-mesh/crds', tagPrefix: 'v' },
    { versions: '>=1.0.0-0', repository: 'solo-io/gloo-mesh', path: 'install/helm/gloo-mesh-crds/crds', tagPrefix: 'v' },
  ],
  cli: { name: 'meshctl', versionArgs: ['version'], versionFormat: 'json', versionPath: 'client.version' },
  versionDetection: {
    helmChartNames: ['gloo-mesh', 'gloo-mesh-enterprise'],
    chartVersionField: 'version',
    imageWorkload: { kind: 'Deployment', name: 'networking', container: 'networking' },
  },
  preflight: {
    // Every Gloo Mesh CRD through 1.0.0 is apiextensions.k8s.io/v1beta1, which Kubernetes 1.22
    // stopped serving (project brief; solo-io/gloo-mesh install/helm/gloo-mesh/crds).
    kubernetes: [{ versions: '<=1.0.0', kubernetes: '<1.22.0-0', source: 'v1beta1 CRDs (removed in Kubernetes 1.22)' }],
    notes: [
      {
        at: '1.0.0',
        severity: 'warning',
        message: 'the API groups move from v1alpha2 to v1: rewrite networking resources, then re-register clusters',
        link: 'https://docs.solo.io/gloo-mesh/latest/operations/upgrading/',
      },
    ],
    productImages: ['gloo-mesh', 'cert-agent', 'enterprise-networking', 'enterprise-agent'],
    rbacHint: "ask a cluster admin to apply the CRDs (helm crdsync) and the chart's ClusterRoles; Gloo Mesh needs cluster-wide rights",
    upgradeGuide: 'https://docs.solo.io/gloo-mesh/latest/operations/upgrading/',
    enterpriseChart: {
      name: 'gloo-mesh-enterprise',
      repository: 'https://storage.googleapis.com/gloo-mesh-enterprise/gloo-mesh-enterprise',
    },
    postUpgradeCheck: 'meshctl check (exits 0 even when a check fails, solo-io/gloo-mesh#1724)',
  },
};
