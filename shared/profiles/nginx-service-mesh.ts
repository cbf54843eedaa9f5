/**
 * NGINX Service Mesh (nginxinc/nginx-service-mesh). Kinds from helm-chart/crds at v1.7.0 and
 * v2.0.0; workloads and chart from docs/control-planes.md §3.
 */
import { resourceKind } from './resource-kind.js';
import type { ProductProfile } from './types.js';

/** nginxServiceMeshProfile describes NGINX Service Mesh's control plane. */
export const nginxServiceMeshProfile: ProductProfile = {
  name: 'nginx-service-mesh',
  displayName: 'NGINX Service Mesh',
  namespace: 'nginx-mesh',
  kinds: [
    resourceKind('specs.smi-spec.io', ['v1alpha3'], 'HTTPRouteGroup', 'httproutegroups'),
    resourceKind('specs.smi-spec.io', ['v1alpha3'], 'TCPRoute', 'tcproutes'),
    resourceKind('access.smi-spec.io', ['v1alpha2'], 'TrafficTarget', 'traffictargets'),
    resourceKind('split.smi-spec.io', ['v1alpha3'], 'TrafficSplit', 'trafficsplits'),
    resourceKind('specs.smi.nginx.com', ['v1alpha2', 'v1alpha1'], 'RateLimit', 'ratelimits'),
    resourceKind('specs.smi.nginx.com', ['v1alpha1'], 'CircuitBreaker', 'circuitbreakers'),
    resourceKind('nsm.nginx.com', ['v1alpha2'], 'MeshConfig', 'meshconfigs', { restore: false, note: 'rendered by the chart (2.0)' }),
    resourceKind('nsm.nginx.com', ['v1alpha2'], 'MeshConfigClass', 'meshconfigclasses', {
      namespaced: false,
      restore: false,
      note: 'rendered by the chart (2.0)',
    }),
    resourceKind('spiffeid.spiffe.io', ['v1beta1'], 'SpiffeID', 'spiffeids', {
      restore: false,
      note: 'written by the SPIRE k8s-workload-registrar',
    }),
  ],
  // SMI: TrafficTargets and TrafficSplits name route groups, so routes come first; rate limits and
  // circuit breakers attach to the destinations those define.
  restoreOrder: [
    'httproutegroups.specs.smi-spec.io',
    'tcproutes.specs.smi-spec.io',
    'traffictargets.access.smi-spec.io',
    'trafficsplits.split.smi-spec.io',
    'ratelimits.specs.smi.nginx.com',
    'circuitbreakers.specs.smi.nginx.com',
  ],
  // SPIRE's registrar regenerates SpiffeIDs from the pods.
  discoveryGroups: ['spiffeid.spiffe.io'],
  workloads: [
    { kind: 'Deployment', name: 'nginx-mesh-api', versions: '<2.0.0-0' },
    { kind: 'Deployment', name: 'nginx-mesh-controller', versions: '>=2.0.0-0' },
    { kind: 'Deployment', name: 'nginx-mesh-metrics' },
    { kind: 'Deployment', name: 'nats-server' },
    // A StatefulSet by default; a Deployment when mtls.persistentStorage is "off".
    { kind: 'StatefulSet', name: 'spire-server', optional: true },
    { kind: 'Deployment', name: 'spire-server', optional: true },
  ],
  // Down: the API/controller first so no new config is pushed mid-way, then metrics, then NATS
  // (the bus that delivers config to sidecars), and SPIRE last so sidecars keep renewing their
  // mTLS certificates as long as possible. Up is the reverse: identities must be issuable before
  // the bus and the controller start handing out configuration.
  scaleDownOrder: ['nginx-mesh-api', 'nginx-mesh-controller', 'nginx-mesh-metrics', 'nats-server', 'spire-server'],
  scaleUpOrder: ['spire-server', 'nats-server', 'nginx-mesh-controller', 'nginx-mesh-api', 'nginx-mesh-metrics'],
  chart: { name: 'nginx-service-mesh', repository: 'https://helm.nginx.com/stable' },
  crdSources: [{ versions: '*', repository: 'nginxinc/nginx-service-mesh', path: 'helm-chart/crds', tagPrefix: 'v' }],
  cli: { name: 'nginx-meshctl', versionArgs: ['version'], versionFormat: 'text' },
  versionDetection: {
    helmChartNames: ['nginx-service-mesh'],
    // Chart 0.7.0 shipped mesh 1.7.0 (appVersion); chart 2.0.0 has no appVersion and equals the mesh version.
    chartVersionField: 'appVersion',
    // Present under the same name in 1.x and 2.x, tagged with the mesh version.
    imageWorkload: { kind: 'Deployment', name: 'nginx-mesh-metrics', container: 'nginx-mesh-metrics' },
  },
  // The injected data plane (configs/mesh-config.conf v1.7, configs/meshconfig.conf v2.0): the
  // proxy container and the init container that sets up traffic redirection; injection is
  // switched per pod template or namespace by this annotation ("enabled"/"disabled").
  dataPlane: {
    sidecarContainer: 'nginx-mesh-sidecar',
    initContainer: 'nginx-mesh-init',
    injectionAnnotation: 'injector.nsm.nginx.com/auto-inject',
  },
  preflight: {
    // The chart's own kubeVersion (helm-chart/Chart.yaml at v1.7.0 and v2.0.0); no upper bound published there.
    kubernetes: [{ versions: '>=1.7.0-0', kubernetes: '>=1.22.0-0', source: 'chart kubeVersion' }],
    notes: [
      {
        at: '1.7.0',
        severity: 'warning',
        message: 'tracing settings without OpenTelemetry are removed: move tracing to telemetry.exporters before upgrading',
        link: 'https://docs.nginx.com/nginx-service-mesh/guides/upgrade/',
      },
      {
        at: '1.7.0',
        severity: 'warning',
        message: 'on OpenShift the in-place upgrade is not supported: use the manual upgrade (back up, remove, redeploy, restore)',
        link: 'https://docs.nginx.com/nginx-service-mesh/guides/upgrade/',
      },
      {
        at: '2.0.0',
        severity: 'warning',
        message: 'mesh settings move to the MeshConfig resource (nsm.nginx.com/v1alpha2); nginx-mesh-api becomes nginx-mesh-controller',
        link: 'https://docs.nginx.com/nginx-service-mesh/guides/upgrade/',
      },
    ],
    productImages: ['nginx-mesh-*'],
    rbacHint: "ask a cluster admin to apply the CRDs (helm crdsync) and the chart's ClusterRoles; the mesh needs cluster-wide rights",
    upgradeGuide: 'https://docs.nginx.com/nginx-service-mesh/guides/upgrade/',
  },
};
