/**
 * The project's own Gloo Edge configuration examples (used when the vendor examples are absent):
 * the petstore hello-world Upstream and VirtualService, and a delegated RouteTable in an
 * application namespace.
 */
import type { KubeObject } from '../../api/types.js';

/** glooEdgeExamples returns an Upstream, a VirtualService and a RouteTable across two namespaces. */
export function glooEdgeExamples(namespace: string): KubeObject[] {
  return [
    {
      apiVersion: 'gloo.solo.io/v1',
      kind: 'Upstream',
      metadata: { name: 'default-petstore-8080', namespace },
      spec: { kube: { serviceName: 'petstore', serviceNamespace: 'default', servicePort: 8080 } },
    },
    {
      apiVersion: 'gateway.solo.io/v1',
      kind: 'VirtualService',
      metadata: { name: 'default', namespace },
      spec: {
        virtualHost: {
          domains: ['*'],
          routes: [{ matchers: [{ prefix: '/petstore' }], delegateAction: { selector: { namespaces: ['petstore'] } } }],
        },
      },
    },
    {
      apiVersion: 'gateway.solo.io/v1',
      kind: 'RouteTable',
      metadata: { name: 'petstore-routes', namespace: 'petstore' },
      spec: {
        routes: [
          {
            matchers: [{ prefix: '/petstore/api' }],
            routeAction: { single: { upstream: { name: 'default-petstore-8080', namespace } } },
            options: { prefixRewrite: '/api/pets' },
          },
        ],
      },
    },
  ];
}
