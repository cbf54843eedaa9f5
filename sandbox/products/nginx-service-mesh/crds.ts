/**
 * NGINX Service Mesh CRDs for 1.7 and 2.0, as facts: the SMI kinds at the versions NSM serves
 * (TrafficSplit v1alpha3, TrafficTarget v1alpha2, HTTPRouteGroup/TCPRoute v1alpha3), NGINX's own
 * RateLimit (v1alpha1 and v1alpha2, stored at v1alpha2) and CircuitBreaker, SPIRE's SpiffeID,
 * and from 2.0 the MeshConfig/MeshConfigClass pair.
 */
import type { CrdFact } from '../synthetic-crd.js';

const labels = { 'app.kubernetes.io/part-of': 'nginx-service-mesh' };

function fact(group: string, kind: string, plural: string, version: string, extra: Partial<CrdFact> = {}): CrdFact {
  return { group, kind, plural, versions: [{ name: version }], labels, ...extra };
}

/** nginxServiceMeshCrdFacts lists the CRDs an NGINX Service Mesh version installs. */
export function nginxServiceMeshCrdFacts(version: string): CrdFact[] {
  const facts: CrdFact[] = [
    fact('specs.smi.nginx.com', 'CircuitBreaker', 'circuitbreakers', 'v1alpha1', { shortNames: ['cb'] }),
    fact('specs.smi-spec.io', 'HTTPRouteGroup', 'httproutegroups', 'v1alpha3', { shortNames: ['htr'], status: true }),
    fact('specs.smi.nginx.com', 'RateLimit', 'ratelimits', 'v1alpha2', {
      shortNames: ['rl'],
      versions: [{ name: 'v1alpha1' }, { name: 'v1alpha2', storage: true }],
    }),
    fact('spiffeid.spiffe.io', 'SpiffeID', 'spiffeids', 'v1beta1', { status: true }),
    fact('specs.smi-spec.io', 'TCPRoute', 'tcproutes', 'v1alpha3', { shortNames: ['tr'], status: true }),
    fact('split.smi-spec.io', 'TrafficSplit', 'trafficsplits', 'v1alpha3', { shortNames: ['ts'], status: true }),
    fact('access.smi-spec.io', 'TrafficTarget', 'traffictargets', 'v1alpha2', { shortNames: ['tt'], status: true }),
  ];
  if (version.startsWith('2.')) {
    facts.push(
      fact('nsm.nginx.com', 'MeshConfig', 'meshconfigs', 'v1alpha2', { status: true }),
      fact('nsm.nginx.com', 'MeshConfigClass', 'meshconfigclasses', 'v1alpha2', { status: true, scope: 'Cluster' }),
    );
  }
  return facts;
}
