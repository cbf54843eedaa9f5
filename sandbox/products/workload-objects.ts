/**
 * Builders for the objects a chart renders (Deployments, StatefulSets, DaemonSets, Jobs, Services,
 * ServiceAccounts, ConfigMaps), in the shape `helm template` produces: explicit selectors and pod
 * labels, one replica unless stated, container ports named.
 */
import type { KubeObject } from '../api/types.js';

/** A container as a chart writes it (any extra fields pass through). */
export type Container = { name: string; image: string } & Record<string, unknown>;

/** What a workload template sets. */
export interface WorkloadOptions {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  /** spec.selector.matchLabels; also on the pod template. */
  selector: Record<string, string>;
  /** Extra pod-template labels beyond the selector. */
  podLabels?: Record<string, string>;
  podAnnotations?: Record<string, string>;
  containers: Container[];
  initContainers?: Container[];
  serviceAccountName?: string;
  replicas?: number;
  volumes?: unknown[];
}

function podTemplate(o: WorkloadOptions): Record<string, unknown> {
  const metadata: Record<string, unknown> = { labels: { ...o.selector, ...(o.podLabels ?? {}) } };
  if (o.podAnnotations) metadata.annotations = { ...o.podAnnotations };
  const spec: Record<string, unknown> = { containers: o.containers.map((c) => ({ imagePullPolicy: 'IfNotPresent', ...c })) };
  if (o.initContainers) spec.initContainers = o.initContainers.map((c) => ({ imagePullPolicy: 'IfNotPresent', ...c }));
  if (o.serviceAccountName) spec.serviceAccountName = o.serviceAccountName;
  if (o.volumes) spec.volumes = o.volumes;
  return { metadata, spec };
}

function meta(o: { name: string; namespace: string; labels: Record<string, string> }): KubeObject['metadata'] {
  return { name: o.name, namespace: o.namespace, labels: { ...o.labels } };
}

/** deployment renders an apps/v1 Deployment. */
export function deployment(o: WorkloadOptions): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: meta(o),
    spec: { replicas: o.replicas ?? 1, selector: { matchLabels: { ...o.selector } }, template: podTemplate(o) },
  };
}

/** statefulSet renders an apps/v1 StatefulSet with the OrderedReady, RollingUpdate defaults spelled out. */
export function statefulSet(o: WorkloadOptions & { serviceName: string }): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: meta(o),
    spec: {
      replicas: o.replicas ?? 1,
      serviceName: o.serviceName,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate' },
      selector: { matchLabels: { ...o.selector } },
      template: podTemplate(o),
    },
  };
}

/** daemonSet renders an apps/v1 DaemonSet. */
export function daemonSet(o: WorkloadOptions): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: meta(o),
    spec: { updateStrategy: { type: 'RollingUpdate' }, selector: { matchLabels: { ...o.selector } }, template: podTemplate(o) },
  };
}

/** job renders a batch/v1 Job that runs once (restartPolicy OnFailure, as hook jobs use). */
export function job(
  o: Omit<WorkloadOptions, 'selector'> & { annotations?: Record<string, string>; ttlSecondsAfterFinished?: number },
): KubeObject {
  const metadata = meta(o);
  if (o.annotations) metadata.annotations = { ...o.annotations };
  const spec: Record<string, unknown> = {
    backoffLimit: 1,
    completions: 1,
    parallelism: 1,
    template: podTemplate({ ...o, selector: o.labels }),
  };
  (spec.template as { spec: Record<string, unknown> }).spec.restartPolicy = 'OnFailure';
  if (o.ttlSecondsAfterFinished !== undefined) spec.ttlSecondsAfterFinished = o.ttlSecondsAfterFinished;
  return { apiVersion: 'batch/v1', kind: 'Job', metadata, spec };
}

/** A Service port. */
export interface ServicePort {
  name: string;
  port: number;
  targetPort?: number;
  protocol?: string;
}

/** service renders a v1 Service (ClusterIP unless stated). */
export function service(o: {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  selector: Record<string, string>;
  ports: ServicePort[];
  type?: string;
}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: meta(o),
    spec: {
      type: o.type ?? 'ClusterIP',
      selector: { ...o.selector },
      ports: o.ports.map((p) => ({ name: p.name, port: p.port, protocol: p.protocol ?? 'TCP', targetPort: p.targetPort ?? p.port })),
    },
  };
}

/** serviceAccount renders a v1 ServiceAccount. */
export function serviceAccount(o: { name: string; namespace: string; labels: Record<string, string> }): KubeObject {
  return { apiVersion: 'v1', kind: 'ServiceAccount', metadata: meta(o) };
}

/** configMap renders a v1 ConfigMap. */
export function configMap(o: {
  name: string;
  namespace: string;
  labels: Record<string, string>;
  data: Record<string, string>;
}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: meta(o), data: { ...o.data } };
}

/** podNamespaceEnv is the downward-API env var every control plane here reads its namespace from. */
export const podNamespaceEnv = { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } } };
