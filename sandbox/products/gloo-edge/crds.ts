/**
 * Gloo Edge (Gloo Gateway) CRDs for 1.16 and 1.17, as facts: solo-kit's v1 gateway and gloo kinds
 * (no status subresource: solo-kit writes status through the main resource), plus GraphQL and
 * rate-limit kinds; 1.17 adds listener options and the Kubernetes Gateway integration's
 * GatewayParameters.
 */
import type { CrdFact } from '../synthetic-crd.js';

function fact(group: string, kind: string, plural: string, shortNames: string[], extra: Partial<CrdFact> = {}): CrdFact {
  return { group, kind, plural, shortNames, versions: [{ name: 'v1' }], ...extra };
}

/** glooEdgeCrdFacts lists the CRDs a Gloo Edge version installs. */
export function glooEdgeCrdFacts(version: string): CrdFact[] {
  const facts: CrdFact[] = [
    fact('enterprise.gloo.solo.io', 'AuthConfig', 'authconfigs', ['ac', 'gac']),
    fact('gateway.solo.io', 'Gateway', 'gateways', ['gw', 'ggw']),
    fact('gateway.solo.io', 'MatchableHttpGateway', 'httpgateways', ['hgw', 'ghgw'], { singular: 'httpgateway' }),
    fact('gateway.solo.io', 'MatchableTcpGateway', 'tcpgateways', ['tgw', 'gtgw'], { singular: 'tcpgateway' }),
    fact('gateway.solo.io', 'RouteOption', 'routeoptions', ['rto', 'rtopts', 'grto']),
    fact('gateway.solo.io', 'RouteTable', 'routetables', ['rt', 'grt']),
    fact('gateway.solo.io', 'VirtualHostOption', 'virtualhostoptions', ['vho', 'vhopts', 'gvho']),
    fact('gateway.solo.io', 'VirtualService', 'virtualservices', ['vs', 'gvs']),
    fact('gloo.solo.io', 'Proxy', 'proxies', ['px', 'gpx']),
    fact('gloo.solo.io', 'Settings', 'settings', ['st', 'gst'], { labels: { gloo: 'settings' } }),
    fact('gloo.solo.io', 'Upstream', 'upstreams', ['us', 'gus']),
    fact('gloo.solo.io', 'UpstreamGroup', 'upstreamgroups', ['ug', 'gug']),
    fact('graphql.gloo.solo.io', 'GraphQLApi', 'graphqlapis', ['gql', 'ggql'], { versions: [{ name: 'v1beta1' }], status: true }),
    fact('ratelimit.solo.io', 'RateLimitConfig', 'ratelimitconfigs', ['rlc', 'grlc'], { versions: [{ name: 'v1alpha1' }], status: true }),
  ];
  if (!version.startsWith('1.16.')) {
    facts.push(
      fact('gateway.solo.io', 'HttpListenerOption', 'httplisteneroptions', ['hlisopts', 'ghlisopts']),
      fact('gateway.solo.io', 'ListenerOption', 'listeneroptions', ['lisopts', 'glisopts']),
      fact('gateway.gloo.solo.io', 'GatewayParameters', 'gatewayparameters', ['gwp'], {
        singular: 'gatewayparameters',
        categories: ['gloo-gateway'],
        versions: [{ name: 'v1alpha1' }],
        status: true,
        labels: { app: 'gloo-gateway', 'app.kubernetes.io/name': 'gloo-gateway' },
      }),
    );
  }
  return facts;
}
