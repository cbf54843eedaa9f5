/**
 * A stand-in for Gloo Mesh's `discovery` pod (OSS 0.10/0.11): while the `discovery` Deployment
 * (image soloio/gloo-mesh) has an available replica, it writes the discovery.mesh.gloo.solo.io
 * resources it would find in a two-cluster Istio + bookinfo fleet — one object every
 * `discoveryStepMs`, so that "discovery has settled" is something a tool has to wait for — and
 * rewrites any that are deleted. Scaled to zero, it writes nothing (what it wrote stays), which is
 * why an upgrade procedure scales it down before taking a backup.
 */
import type { GroupVersionResource, InternalApi, KubeObject, StoredEvent } from '../api/types.js';
import { QueueController } from './queue-controller.js';
import { deploymentsResource, isDeleting, isResource, objectKey, splitKey } from './resources.js';

/** The API group Gloo Mesh discovery writes. */
export const discoveryGroup = 'discovery.mesh.gloo.solo.io';
const discoveryVersion = 'v1alpha2';

/** The clusters and bookinfo services the simulated fleet holds. */
const clusters = ['mgmt-cluster', 'remote-cluster'] as const;
const services: Array<{ name: string; versions: string[]; clusters: readonly string[] }> = [
  { name: 'productpage', versions: ['v1'], clusters: ['mgmt-cluster'] },
  { name: 'details', versions: ['v1'], clusters: ['mgmt-cluster'] },
  { name: 'reviews', versions: ['v1', 'v2'], clusters: ['mgmt-cluster', 'remote-cluster'] },
  { name: 'ratings', versions: ['v1'], clusters: ['mgmt-cluster', 'remote-cluster'] },
];

/** A discovered object: where it goes and what it holds. */
export interface DiscoveredObject {
  resource: GroupVersionResource;
  object: KubeObject;
}

function discovered(
  resource: string,
  kind: string,
  namespace: string,
  name: string,
  cluster: string,
  spec: Record<string, unknown>,
): DiscoveredObject {
  return {
    resource: { group: discoveryGroup, version: discoveryVersion, resource },
    object: {
      apiVersion: `${discoveryGroup}/${discoveryVersion}`,
      kind,
      metadata: {
        name,
        namespace,
        // The labels real discovery puts on what it writes (see the Mesh example in the Gloo Mesh docs).
        labels: {
          'cluster.discovery.mesh.gloo.solo.io': cluster,
          'cluster.multicluster.solo.io': '',
          'owner.discovery.mesh.gloo.solo.io': namespace,
        },
      },
      spec,
    },
  };
}

/**
 * discoveryTargets is the fixed set discovery converges to in `namespace`: 2 meshes, 6 traffic
 * targets and 6 workloads, in the order they are written (meshes first, as discovery finds istiod
 * before it can attribute services to a mesh).
 */
export function discoveryTargets(namespace: string): DiscoveredObject[] {
  const meshName = (cluster: string): string => `istiod-istio-system-${cluster}`;
  const meshes = clusters.map((cluster) =>
    discovered('meshes', 'Mesh', namespace, meshName(cluster), cluster, {
      agentInfo: { agentNamespace: namespace },
      istio: {
        citadelInfo: { citadelServiceAccount: 'istiod-service-account', trustDomain: 'cluster.local' },
        installation: { cluster, namespace: 'istio-system', podLabels: { istio: 'pilot' }, version: '1.8.1' },
      },
    }),
  );
  const targets: DiscoveredObject[] = [];
  const workloads: DiscoveredObject[] = [];
  for (const service of services) {
    for (const cluster of service.clusters) {
      const mesh = { name: meshName(cluster), namespace };
      targets.push(
        discovered('traffictargets', 'TrafficTarget', namespace, `${service.name}-bookinfo-${cluster}`, cluster, {
          kubeService: {
            ref: { name: service.name, namespace: 'bookinfo', clusterName: cluster },
            workloadSelectorLabels: { app: service.name },
            labels: { app: service.name, service: service.name },
            ports: [{ port: 9080, name: 'http', protocol: 'TCP' }],
            subsets: { version: { values: service.versions } },
          },
          mesh,
        }),
      );
      const version = cluster === 'remote-cluster' && service.versions.length > 1 ? service.versions[1] : service.versions[0];
      workloads.push(
        discovered('workloads', 'Workload', namespace, `${service.name}-${version}-bookinfo-${cluster}-deployment`, cluster, {
          kubernetes: {
            controller: { name: `${service.name}-${version}`, namespace: 'bookinfo', clusterName: cluster },
            podLabels: { app: service.name, version },
            serviceAccountName: `bookinfo-${service.name}`,
          },
          mesh,
        }),
      );
    }
  }
  return [...meshes, ...targets, ...workloads];
}

/** isGlooMeshDiscovery recognises the Gloo Mesh discovery Deployment by name and image. */
export function isGlooMeshDiscovery(deployment: KubeObject): boolean {
  if (deployment.metadata.name !== 'discovery') return false;
  const containers =
    (deployment.spec as { template?: { spec?: { containers?: Array<{ image?: string }> } } } | undefined)?.template?.spec?.containers ?? [];
  return containers.some((c) => /(^|\/)gloo-mesh:/.test(c.image ?? ''));
}

/** GlooMeshDiscoverySimulator writes discovery resources progressively while `discovery` is available. */
export class GlooMeshDiscoverySimulator extends QueueController {
  readonly name = 'gloo-mesh-discovery';

  constructor(
    api: InternalApi,
    private readonly stepMs: number,
  ) {
    super(api);
  }

  protected onEvent(event: StoredEvent): void {
    if (isResource(event.groupResource, deploymentsResource)) {
      if (isGlooMeshDiscovery(event.object)) this.queue.enqueue(objectKey(event.object));
    } else if (event.type === 'DELETED' && event.groupResource.group === discoveryGroup && event.object.metadata.namespace) {
      // Deleted discovery output is rewritten on the next step, as the real reconciler recreates it.
      this.queue.enqueueAfter(`${event.object.metadata.namespace}/discovery`, this.stepMs);
    } else if (
      isResource(event.groupResource, { group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions' }) &&
      (event.object.spec as { group?: string } | undefined)?.group === discoveryGroup
    ) {
      // Newly served discovery CRDs give discovery somewhere to write.
      for (const deployment of this.api.list(deploymentsResource))
        if (isGlooMeshDiscovery(deployment)) this.queue.enqueueAfter(objectKey(deployment), this.stepMs);
    }
  }

  protected resync(): void {
    for (const deployment of this.api.list(deploymentsResource))
      if (isGlooMeshDiscovery(deployment)) this.queue.enqueue(objectKey(deployment));
  }

  protected reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const deployment = this.api.get(deploymentsResource, namespace, name);
    if (!deployment || !namespace || isDeleting(deployment) || !isGlooMeshDiscovery(deployment)) return;
    const available = ((deployment.status ?? {}) as { availableReplicas?: number }).availableReplicas ?? 0;
    if (available < 1) return;
    const missing = discoveryTargets(namespace).filter(
      (t) => this.api.resourceType(t.resource) && !this.api.get(t.resource, namespace, t.object.metadata.name ?? ''),
    );
    const next = missing[0];
    if (!next) return;
    this.api.create(next.resource, next.object);
    if (missing.length > 1) this.queue.enqueueAfter(key, this.stepMs);
  }
}
