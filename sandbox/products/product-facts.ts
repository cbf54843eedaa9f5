/**
 * What each supported product install is, in facts a test or plugin can rely on: namespace, Helm
 * release and chart, the control-plane workloads and the order a control plane is quiesced in.
 * Sources: ../shared/docs/control-planes.md (read from the charts at each tag).
 */

/** The products the sandbox can install. */
export type ProductName = 'gloo-mesh' | 'gloo-edge' | 'nginx-service-mesh';

/** A control-plane workload. */
export interface WorkloadFact {
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  name: string;
  /**
   * Position in the order the control plane is scaled down before an upgrade (1 first; scale-up
   * goes the other way): writers of derived state before what they feed. null for what cannot be
   * scaled (a DaemonSet runs one pod per node).
   */
  scaleOrder: number | null;
}

/** Chart.yaml metadata as Helm stores it in a release. */
export interface ChartFact {
  apiVersion: 'v1' | 'v2';
  name: string;
  version: string;
  appVersion?: string;
  kubeVersion?: string;
}

/** One PRODUCT@VERSION install. */
export interface ProductFact {
  product: ProductName;
  version: string;
  namespace: string;
  releaseName: string;
  chart: ChartFact;
  workloads: WorkloadFact[];
  /** Folder names under the vendor fixtures: crds/<crdsDir>/v<version>, examples/<examplesDir>/v<version>. */
  crdsDir: string;
  examplesDir: string;
  /** Where examples without a namespace go (NGINX's SMI objects live beside the applications). */
  exampleNamespace: string;
}

function glooMesh(version: string): ProductFact {
  return {
    product: 'gloo-mesh',
    version,
    namespace: 'gloo-mesh',
    releaseName: 'gloo-mesh',
    chart: { apiVersion: 'v1', name: 'gloo-mesh', version },
    // discovery first: once it stops, its output (meshes, traffic targets, workloads) stops changing.
    workloads: [
      { kind: 'Deployment', name: 'discovery', scaleOrder: 1 },
      { kind: 'Deployment', name: 'networking', scaleOrder: 2 },
    ],
    crdsDir: 'gloo-mesh',
    examplesDir: 'gloo-mesh',
    exampleNamespace: 'gloo-mesh',
  };
}

function glooEdge(version: string): ProductFact {
  return {
    product: 'gloo-edge',
    version,
    namespace: 'gloo-system',
    releaseName: 'gloo',
    chart: { apiVersion: 'v2', name: 'gloo', version },
    // discovery writes Upstreams, gloo translates config into Proxies, gateway-proxy serves traffic.
    workloads: [
      { kind: 'Deployment', name: 'discovery', scaleOrder: 1 },
      { kind: 'Deployment', name: 'gloo', scaleOrder: 2 },
      { kind: 'Deployment', name: 'gateway-proxy', scaleOrder: 3 },
    ],
    crdsDir: 'gloo',
    examplesDir: 'gloo-edge',
    exampleNamespace: 'gloo-system',
  };
}

function nginxServiceMesh(version: string): ProductFact {
  const v2 = version.startsWith('2.');
  const chart: ChartFact = v2
    ? { apiVersion: 'v2', name: 'nginx-service-mesh', version: '2.0.0', kubeVersion: '>= 1.22-0' }
    : { apiVersion: 'v2', name: 'nginx-service-mesh', version: '0.7.0', appVersion: '1.7.0', kubeVersion: '>= 1.22-0' };
  return {
    product: 'nginx-service-mesh',
    version,
    namespace: 'nginx-mesh',
    releaseName: 'nsm',
    chart,
    workloads: [
      { kind: 'Deployment', name: v2 ? 'nginx-mesh-controller' : 'nginx-mesh-api', scaleOrder: 1 },
      { kind: 'Deployment', name: 'nginx-mesh-metrics', scaleOrder: 2 },
      { kind: 'Deployment', name: 'nats-server', scaleOrder: 3 },
      { kind: 'StatefulSet', name: 'spire-server', scaleOrder: 4 },
      { kind: 'DaemonSet', name: 'spire-agent', scaleOrder: null },
    ],
    crdsDir: 'nginx-service-mesh',
    examplesDir: 'nginx-service-mesh',
    exampleNamespace: 'default',
  };
}

/** productFacts holds every supported install, keyed by its PRODUCT@VERSION spec. */
export const productFacts: Readonly<Record<string, ProductFact>> = {
  'gloo-mesh@0.10.7': glooMesh('0.10.7'),
  'gloo-mesh@0.11.3': glooMesh('0.11.3'),
  'gloo-edge@1.16.27': glooEdge('1.16.27'),
  'gloo-edge@1.17.0': glooEdge('1.17.0'),
  'nginx-service-mesh@1.7.0': nginxServiceMesh('1.7.0'),
  'nginx-service-mesh@2.0.0': nginxServiceMesh('2.0.0'),
};
