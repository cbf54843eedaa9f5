/**
 * Gloo Edge / Gloo Gateway (solo-io/gloo). Kinds from install/helm/gloo/crds at v1.16.27 and
 * v1.17.0; workloads and chart from docs/control-planes.md §2.
 */
import { resourceKind } from './resource-kind.js';
import type { ProductProfile } from './types.js';

const v1 = ['v1'];

/** glooEdgeProfile describes the Gloo Edge control plane (gateway-proxy, the data plane, is never scaled). */
export const glooEdgeProfile: ProductProfile = {
  name: 'gloo-edge',
  displayName: 'Gloo Edge',
  namespace: 'gloo-system',
  kinds: [
    resourceKind('gloo.solo.io', v1, 'Settings', 'settings'),
    resourceKind('gloo.solo.io', v1, 'Upstream', 'upstreams'),
    resourceKind('gloo.solo.io', v1, 'UpstreamGroup', 'upstreamgroups'),
    resourceKind('gloo.solo.io', v1, 'Proxy', 'proxies', { restore: false, note: 'translated by gloo from Gateways and VirtualServices' }),
    resourceKind('enterprise.gloo.solo.io', v1, 'AuthConfig', 'authconfigs'),
    resourceKind('ratelimit.solo.io', ['v1alpha1'], 'RateLimitConfig', 'ratelimitconfigs'),
    resourceKind('graphql.gloo.solo.io', ['v1beta1'], 'GraphQLApi', 'graphqlapis'),
    resourceKind('gateway.solo.io', v1, 'VirtualHostOption', 'virtualhostoptions'),
    resourceKind('gateway.solo.io', v1, 'RouteOption', 'routeoptions'),
    resourceKind('gateway.solo.io', v1, 'ListenerOption', 'listeneroptions', { note: 'from 1.17', since: '1.17.0' }),
    resourceKind('gateway.solo.io', v1, 'HttpListenerOption', 'httplisteneroptions', { note: 'from 1.17', since: '1.17.0' }),
    resourceKind('gateway.solo.io', v1, 'RouteTable', 'routetables'),
    resourceKind('gateway.solo.io', v1, 'VirtualService', 'virtualservices'),
    resourceKind('gateway.solo.io', v1, 'MatchableHttpGateway', 'httpgateways'),
    resourceKind('gateway.solo.io', v1, 'MatchableTcpGateway', 'tcpgateways'),
    resourceKind('gateway.solo.io', v1, 'Gateway', 'gateways'),
    resourceKind('gateway.gloo.solo.io', ['v1alpha1'], 'GatewayParameters', 'gatewayparameters', { note: 'from 1.17', since: '1.17.0' }),
  ],
  // Gloo's validation webhook rejects references to objects it cannot find, so targets come
  // first: Settings, Upstreams and the policies/options VirtualServices and RouteTables point at;
  // RouteTables before the VirtualServices that delegate to them; Gateways last, because a
  // Gateway selects VirtualServices and starts serving as soon as it exists.
  restoreOrder: [
    'settings.gloo.solo.io',
    'upstreams.gloo.solo.io',
    'upstreamgroups.gloo.solo.io',
    'authconfigs.enterprise.gloo.solo.io',
    'ratelimitconfigs.ratelimit.solo.io',
    'graphqlapis.graphql.gloo.solo.io',
    'virtualhostoptions.gateway.solo.io',
    'routeoptions.gateway.solo.io',
    'listeneroptions.gateway.solo.io',
    'httplisteneroptions.gateway.solo.io',
    'routetables.gateway.solo.io',
    'virtualservices.gateway.solo.io',
    'httpgateways.gateway.solo.io',
    'tcpgateways.gateway.solo.io',
    'gateways.gateway.solo.io',
    'gatewayparameters.gateway.gloo.solo.io',
  ],
  discoveryGroups: [],
  workloads: [
    { kind: 'Deployment', name: 'gloo' },
    { kind: 'Deployment', name: 'gateway', versions: '<1.12.0-0' },
    { kind: 'Deployment', name: 'discovery', optional: true },
  ],
  // Down: discovery first (it writes Upstreams; stopping it freezes the inputs), then the legacy
  // gateway translator, then gloo (the xDS server) last so Envoy keeps a live config source as
  // long as possible. Up is the reverse: gloo serves xDS and the validation webhook the others'
  // writes go through. gateway-proxy (Envoy) keeps serving its last config and is never scaled.
  scaleDownOrder: ['discovery', 'gateway', 'gloo'],
  scaleUpOrder: ['gloo', 'gateway', 'discovery'],
  chart: {
    name: 'gloo',
    repository: 'https://storage.googleapis.com/solo-public-helm',
    alternateNames: ['gloo-ee'],
  },
  // Verified at v1.16.27 and v1.17.0. Up to v1.2.x the CRDs were a template
  // (install/helm/gloo/templates/100-crds.yaml); the exact release that moved them is unverified.
  crdSources: [
    { versions: '>=1.3.0-0', repository: 'solo-io/gloo', path: 'install/helm/gloo/crds', tagPrefix: 'v' },
    { versions: '<1.3.0-0', repository: 'solo-io/gloo', path: 'install/helm/gloo/templates/100-crds.yaml', tagPrefix: 'v' },
  ],
  cli: { name: 'glooctl', versionArgs: ['version', '-o', 'json'], versionFormat: 'json', versionPath: 'client.version' },
  versionDetection: {
    helmChartNames: ['gloo', 'gloo-ee'],
    chartVersionField: 'version',
    imageWorkload: { kind: 'Deployment', name: 'gloo', container: 'gloo' },
    // Enterprise images carry their own tag; this annotation holds the open-source version (glooctl does the same).
    ossVersionAnnotation: 'gloo.solo.io/oss-image-tag',
  },
  preflight: {
    // Solo's support matrix, "Supported versions" table (Gloo Gateway | Kubernetes | Envoy | Helm | Istio):
    // https://docs.solo.io/gloo-edge/main/reference/support/ — 1.17.x 1.25 - 1.29, 1.16.x 1.24 - 1.28,
    // 1.15.x 1.23 - 1.27, 1.14.x 1.23 - 1.25 (ranges inclusive of both minors). Checked for issue 11:
    // research/preflight.md has no Kubernetes ranges, and the gloo chart sets no kubeVersion, so the
    // vendor page is the only source. 1.18 is left out on purpose: docs.solo.io/gateway/latest/reference/versions
    // says 1.25 - 1.31 and docs.solo.io/gateway/main/reference/versions says 1.27 - 1.31. A Kubernetes
    // version of a product line not listed here is reported as unknown (a warning), not failed.
    kubernetes: [
      { versions: '>=1.17.0-0 <1.18.0-0', kubernetes: '>=1.25.0-0 <1.30.0-0', source: 'Gloo Edge support matrix' },
      { versions: '>=1.16.0-0 <1.17.0-0', kubernetes: '>=1.24.0-0 <1.29.0-0', source: 'Gloo Edge support matrix' },
      { versions: '>=1.15.0-0 <1.16.0-0', kubernetes: '>=1.23.0-0 <1.28.0-0', source: 'Gloo Edge support matrix' },
      { versions: '>=1.14.0-0 <1.15.0-0', kubernetes: '>=1.23.0-0 <1.26.0-0', source: 'Gloo Edge support matrix' },
    ],
    notes: [
      {
        at: '1.12.0',
        severity: 'warning',
        message: 'the gateway Deployment is folded into gloo: scripts and PodDisruptionBudgets naming deploy/gateway stop matching',
        link: 'https://docs.solo.io/gloo-edge/latest/operations/upgrading/',
      },
      {
        at: '1.17.0',
        severity: 'warning',
        message: 'new CRDs ListenerOption, HttpListenerOption and GatewayParameters: apply the 1.17 CRDs before helm upgrade',
        link: 'https://docs.solo.io/gloo-edge/latest/operations/upgrading/',
      },
    ],
    productImages: [
      'gloo',
      'gloo-ee',
      'discovery',
      'discovery-ee',
      'gateway',
      'gloo-envoy-wrapper',
      'gloo-ee-envoy-wrapper',
      'certgen',
      'sds',
      'access-logger',
    ],
    rbacHint:
      'ask a cluster admin to apply the CRDs (helm crdsync) and install with --set global.glooRbac.namespaced=true (--set gloo.global.glooRbac.namespaced=true on Enterprise)',
    upgradeGuide: 'https://docs.solo.io/gloo-edge/latest/operations/upgrading/',
    postUpgradeCheck: 'glooctl check (its -o json mode exits 0 even when it lists errors)',
    gatewayProxySelector: 'gloo=gateway-proxy',
    certgenJob: 'gateway-certgen',
    // docs/control-planes.md: EE charts are published at gloo-ee-helm.
    enterpriseChart: { name: 'gloo-ee', repository: 'https://storage.googleapis.com/gloo-ee-helm' },
  },
};
