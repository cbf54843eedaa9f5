/**
 * The project's own NGINX Service Mesh examples (used when the vendor examples are absent): SMI
 * traffic splits, access targets and route groups, and NGINX rate limits and circuit breakers,
 * living beside the applications in two namespaces, as NSM's own examples do.
 */
import type { KubeObject } from '../../api/types.js';

function routeGroup(name: string, namespace: string): KubeObject {
  return {
    apiVersion: 'specs.smi-spec.io/v1alpha3',
    kind: 'HTTPRouteGroup',
    metadata: { name, namespace },
    spec: { matches: [{ name: 'everything', pathRegex: '.*', methods: ['*'] }] },
  };
}

function trafficTarget(name: string, namespace: string, destination: string, source: string): KubeObject {
  return {
    apiVersion: 'access.smi-spec.io/v1alpha2',
    kind: 'TrafficTarget',
    metadata: { name, namespace },
    spec: {
      destination: { kind: 'ServiceAccount', name: destination, namespace },
      sources: [{ kind: 'ServiceAccount', name: source, namespace }],
      rules: [{ kind: 'HTTPRouteGroup', name: `${namespace}-routes`, matches: ['everything'] }],
    },
  };
}

function trafficSplit(name: string, namespace: string, service: string): KubeObject {
  return {
    apiVersion: 'split.smi-spec.io/v1alpha3',
    kind: 'TrafficSplit',
    metadata: { name, namespace },
    spec: {
      service,
      backends: [
        { service: `${service}-v1`, weight: 90 },
        { service: `${service}-v2`, weight: 10 },
      ],
    },
  };
}

/** nginxExampleNamespaces are the application namespaces the examples live in. */
export const nginxExampleNamespaces = ['bookstore', 'bookinfo'];

/** nginxServiceMeshExamples returns 9 SMI and NGINX policy objects across two application namespaces. */
export function nginxServiceMeshExamples(): KubeObject[] {
  return [
    routeGroup('bookstore-routes', 'bookstore'),
    routeGroup('bookinfo-routes', 'bookinfo'),
    trafficTarget('book-buyer-target', 'bookstore', 'bookstore', 'bookbuyer'),
    trafficTarget('productpage-target', 'bookinfo', 'reviews', 'productpage'),
    trafficSplit('bookstore-split', 'bookstore', 'bookstore'),
    trafficSplit('reviews-split', 'bookinfo', 'reviews'),
    {
      apiVersion: 'specs.smi-spec.io/v1alpha3',
      kind: 'TCPRoute',
      metadata: { name: 'bookstore-tcp', namespace: 'bookstore' },
      spec: { matches: { ports: [3306] } },
    },
    {
      apiVersion: 'specs.smi.nginx.com/v1alpha2',
      kind: 'RateLimit',
      metadata: { name: 'bookstore-ratelimit', namespace: 'bookstore' },
      spec: {
        destination: { kind: 'Service', name: 'bookstore', namespace: 'bookstore' },
        sources: [{ kind: 'Deployment', name: 'bookbuyer', namespace: 'bookstore' }],
        name: '10rm',
        rate: '10r/m',
        burst: 0,
        delay: 'nodelay',
      },
    },
    {
      apiVersion: 'specs.smi.nginx.com/v1alpha1',
      kind: 'CircuitBreaker',
      metadata: { name: 'reviews-breaker', namespace: 'bookinfo' },
      spec: {
        destination: { kind: 'Service', name: 'reviews', namespace: 'bookinfo' },
        errors: 3,
        timeoutSeconds: 30,
        fallback: { service: 'bookinfo/fallback-svc', port: 8080 },
      },
    },
  ];
}
