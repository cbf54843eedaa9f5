/**
 * Gloo Mesh OSS CRDs (0.10.x / 0.11.x), as facts: the groups and kinds its skv2-generated CRDs
 * declare, every one with the status subresource. 0.11 adds the enterprise networking (Wasm) and
 * RBAC groups to the same chart.
 */
import type { CrdFact } from '../synthetic-crd.js';

const labels = { app: 'gloo-mesh', 'app.kubernetes.io/name': 'gloo-mesh' };

function fact(group: string, kind: string, plural: string, version: string, extra: Partial<CrdFact> = {}): CrdFact {
  return { group, kind, plural, versions: [{ name: version }], status: true, labels, ...extra };
}

/** glooMeshCrdFacts lists the CRDs a Gloo Mesh version installs. */
export function glooMeshCrdFacts(version: string): CrdFact[] {
  const facts: CrdFact[] = [
    fact('discovery.mesh.gloo.solo.io', 'TrafficTarget', 'traffictargets', 'v1alpha2'),
    fact('discovery.mesh.gloo.solo.io', 'Workload', 'workloads', 'v1alpha2'),
    fact('discovery.mesh.gloo.solo.io', 'Mesh', 'meshes', 'v1alpha2'),
    fact('multicluster.solo.io', 'KubernetesCluster', 'kubernetesclusters', 'v1alpha1', {
      labels: { app: 'skv2', 'app.kubernetes.io/name': 'skv2' },
    }),
    fact('networking.mesh.gloo.solo.io', 'TrafficPolicy', 'trafficpolicies', 'v1alpha2'),
    fact('networking.mesh.gloo.solo.io', 'AccessPolicy', 'accesspolicies', 'v1alpha2'),
    fact('networking.mesh.gloo.solo.io', 'VirtualMesh', 'virtualmeshes', 'v1alpha2'),
    fact('networking.mesh.gloo.solo.io', 'FailoverService', 'failoverservices', 'v1alpha2'),
    fact('settings.mesh.gloo.solo.io', 'Settings', 'settings', 'v1alpha2', { singular: 'settings' }),
  ];
  if (version.startsWith('0.11.')) {
    facts.push(
      fact('networking.enterprise.mesh.gloo.solo.io', 'WasmDeployment', 'wasmdeployments', 'v1alpha1'),
      fact('rbac.enterprise.mesh.gloo.solo.io', 'Role', 'roles', 'v1alpha1', { shortNames: ['gmrole', 'gmroles'] }),
      fact('rbac.enterprise.mesh.gloo.solo.io', 'RoleBinding', 'rolebindings', 'v1alpha1', {
        shortNames: ['gmrolebinding', 'gmrolebindings'],
      }),
    );
  }
  return facts;
}
