/**
 * The project's own Gloo Mesh configuration examples (used when the vendor examples are absent):
 * the policies an operator writes for bookinfo, in the management namespace.
 */
import type { KubeObject } from '../../api/types.js';

/** glooMeshExamples returns a TrafficPolicy, an AccessPolicy and a VirtualMesh. */
export function glooMeshExamples(namespace: string): KubeObject[] {
  const networking = 'networking.mesh.gloo.solo.io/v1alpha2';
  const reviews = { kubeServiceRefs: { services: [{ name: 'reviews', namespace: 'bookinfo', clusterName: 'mgmt-cluster' }] } };
  return [
    {
      apiVersion: networking,
      kind: 'TrafficPolicy',
      metadata: { name: 'mgmt-reviews-outlier', namespace },
      spec: { destinationSelector: [reviews], policy: { outlierDetection: { consecutiveErrors: 1 } } },
    },
    {
      apiVersion: networking,
      kind: 'AccessPolicy',
      metadata: { name: 'productpage', namespace },
      spec: {
        sourceSelector: [
          {
            kubeServiceAccountRefs: {
              serviceAccounts: [{ name: 'istio-ingressgateway-service-account', namespace: 'istio-system', clusterName: 'mgmt-cluster' }],
            },
          },
        ],
        destinationSelector: [{ kubeServiceMatcher: { namespaces: ['bookinfo'], labels: { service: 'productpage' } } }],
      },
    },
    {
      apiVersion: networking,
      kind: 'VirtualMesh',
      metadata: { name: 'virtual-mesh', namespace },
      spec: {
        mtlsConfig: { autoRestartPods: true, shared: { rootCertificateAuthority: { generated: {} } } },
        federation: {},
        meshes: [
          { name: 'istiod-istio-system-mgmt-cluster', namespace },
          { name: 'istiod-istio-system-remote-cluster', namespace },
        ],
      },
    },
  ];
}
