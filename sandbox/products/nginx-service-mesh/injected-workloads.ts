/**
 * Application workloads as NGINX Service Mesh's injector leaves them, for `kubectl meshscale
 * reroll` to find: pods (and templates) carrying the `nginx-mesh-sidecar` container and the
 * `nginx-mesh-init` init container (images from configs/mesh-config.conf v1.7,
 * configs/meshconfig.conf v2.0), a Deployment, a StatefulSet and a DaemonSet, a bare pod (which
 * a restart cannot reach), and a Deployment that opted out of injection. Namespace `mesh-apps`.
 */
import type { KubeObject } from '../../api/types.js';
import { daemonSet, deployment, statefulSet, type Container } from '../workload-objects.js';

/** injectedAppsNamespace is where the injected application workloads live. */
export const injectedAppsNamespace = 'mesh-apps';

const injectionAnnotation = 'injector.nsm.nginx.com/auto-inject';

/** injectedWorkloads returns the namespace, then the workloads and the bare pod, for a mesh version. */
export function injectedWorkloads(version: string): KubeObject[] {
  const namespace = injectedAppsNamespace;
  const registry = 'docker-registry.nginx.com/nsm';
  const sidecar: Container = {
    name: 'nginx-mesh-sidecar',
    image: `${registry}/nginx-mesh-sidecar:${version}`,
    ports: [{ name: 'sidecar-metrics', containerPort: 8887 }],
  };
  const init: Container = { name: 'nginx-mesh-init', image: `${registry}/nginx-mesh-init:${version}` };
  const app = (name: string, image: string): Container => ({ name, image });
  const common = (name: string) => ({
    name,
    namespace,
    labels: { app: name },
    selector: { app: name },
    podAnnotations: { [injectionAnnotation]: 'enabled' },
  });
  const bare: KubeObject = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'debug-shell', namespace, labels: { app: 'debug-shell' }, annotations: { [injectionAnnotation]: 'enabled' } },
    spec: {
      initContainers: [{ ...init, imagePullPolicy: 'IfNotPresent' }],
      containers: [
        { name: 'shell', image: 'busybox:1.36', args: ['sleep', '86400'], imagePullPolicy: 'IfNotPresent' },
        { ...sidecar, imagePullPolicy: 'IfNotPresent' },
      ],
    },
  };
  return [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
    deployment({ ...common('web'), replicas: 2, initContainers: [init], containers: [app('web', 'nginx:1.25'), sidecar] }),
    statefulSet({ ...common('cache'), serviceName: 'cache', initContainers: [init], containers: [app('cache', 'redis:7'), sidecar] }),
    daemonSet({ ...common('log-agent'), initContainers: [init], containers: [app('log-agent', 'fluent/fluent-bit:2.2'), sidecar] }),
    deployment({
      name: 'no-mesh',
      namespace,
      labels: { app: 'no-mesh' },
      selector: { app: 'no-mesh' },
      podAnnotations: { [injectionAnnotation]: 'disabled' },
      containers: [app('no-mesh', 'nginx:1.25')],
    }),
    bare,
  ];
}
