/**
 * The defaults a real kube-apiserver fills into built-in objects (pkg/apis/<group>/v1/defaults.go
 * and the registry strategies) that clients read back: `kubectl rollout status` needs a
 * StatefulSet's updateStrategy, helm's three-way merge and `kubectl diff` see the defaulted
 * fields, and so on. defaultObject never mutates its input.
 */
import type { KubeObject, ResourceType } from '../api/types.js';
import { deepClone, isJsonObject, type JsonObject } from '../patch/json-value.js';

function obj(parent: JsonObject, key: string): JsonObject {
  if (!isJsonObject(parent[key])) parent[key] = {};
  return parent[key] as JsonObject;
}

function setDefault(target: JsonObject, key: string, value: unknown): void {
  if (target[key] === undefined || target[key] === null) target[key] = value;
}

/** imagePullPolicyFor: Always for `:latest` or an untagged image, IfNotPresent otherwise (SetDefaults_Container). */
export function imagePullPolicyFor(image: unknown): string {
  if (typeof image !== 'string') return 'IfNotPresent';
  if (image.includes('@')) return 'IfNotPresent';
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  const tag = lastSegment.includes(':') ? lastSegment.slice(lastSegment.lastIndexOf(':') + 1) : '';
  return tag === '' || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function defaultContainer(container: unknown): void {
  if (!isJsonObject(container)) return;
  setDefault(container, 'imagePullPolicy', imagePullPolicyFor(container.image));
  setDefault(container, 'terminationMessagePath', '/dev/termination-log');
  setDefault(container, 'terminationMessagePolicy', 'File');
  setDefault(container, 'resources', {});
  if (Array.isArray(container.ports)) for (const port of container.ports) if (isJsonObject(port)) setDefault(port, 'protocol', 'TCP');
  if (Array.isArray(container.env)) {
    for (const env of container.env) {
      const fieldRef = isJsonObject(env) && isJsonObject(env.valueFrom) ? env.valueFrom.fieldRef : undefined;
      if (isJsonObject(fieldRef)) setDefault(fieldRef, 'apiVersion', 'v1');
    }
  }
}

/** defaultPodSpec applies SetDefaults_PodSpec and its containers' and volumes' defaults. */
function defaultPodSpec(spec: JsonObject): void {
  setDefault(spec, 'restartPolicy', 'Always');
  setDefault(spec, 'dnsPolicy', 'ClusterFirst');
  setDefault(spec, 'terminationGracePeriodSeconds', 30);
  setDefault(spec, 'securityContext', {});
  setDefault(spec, 'schedulerName', 'default-scheduler');
  for (const list of ['containers', 'initContainers']) if (Array.isArray(spec[list])) (spec[list] as unknown[]).forEach(defaultContainer);
  if (Array.isArray(spec.volumes)) {
    for (const volume of spec.volumes) {
      if (!isJsonObject(volume)) continue;
      for (const source of ['secret', 'configMap', 'projected', 'downwardAPI'])
        if (isJsonObject(volume[source])) setDefault(volume[source] as JsonObject, 'defaultMode', 420);
    }
  }
}

function defaultTemplate(spec: JsonObject): void {
  const template = obj(spec, 'template');
  defaultPodSpec(obj(template, 'spec'));
}

// 10.96.0.0/12, the kubeadm default service CIDR; the first addresses are kept for kubernetes and kube-dns.
const serviceCidrBase = (10 << 24) | (96 << 16);
const serviceCidrSize = 1 << 20;

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619) >>> 0;
  return h;
}

/** clusterIPFor allocates a stable address for a Service from 10.96.0.0/12 (derived from its namespace and name, so repeated defaulting agrees). */
export function clusterIPFor(namespace: string, name: string): string {
  const ip = serviceCidrBase + 16 + (hash(`${namespace}/${name}`) % (serviceCidrSize - 32));
  return [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join('.');
}

function defaultService(object: KubeObject, spec: JsonObject): void {
  setDefault(spec, 'type', 'ClusterIP');
  setDefault(spec, 'sessionAffinity', 'None');
  const type = spec.type;
  if (type !== 'ExternalName') {
    setDefault(spec, 'clusterIP', clusterIPFor(object.metadata.namespace ?? '', object.metadata.name ?? ''));
    setDefault(spec, 'clusterIPs', [spec.clusterIP]);
    if (spec.clusterIP !== 'None') {
      setDefault(spec, 'ipFamilies', ['IPv4']);
      setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
    }
    setDefault(spec, 'internalTrafficPolicy', 'Cluster');
  }
  if (type === 'NodePort' || type === 'LoadBalancer') {
    setDefault(spec, 'externalTrafficPolicy', 'Cluster');
    if (type === 'LoadBalancer') setDefault(spec, 'allocateLoadBalancerNodePorts', true);
  }
  if (Array.isArray(spec.ports)) {
    spec.ports.forEach((port, i) => {
      if (!isJsonObject(port)) return;
      setDefault(port, 'protocol', 'TCP');
      setDefault(port, 'targetPort', port.port);
      if (type === 'NodePort' || type === 'LoadBalancer')
        setDefault(port, 'nodePort', 30000 + (hash(`${object.metadata.namespace}/${object.metadata.name}/${i}`) % 2768));
    });
  }
  if (!isJsonObject(object.status)) object.status = { loadBalancer: {} };
}

function defaultJob(object: KubeObject, spec: JsonObject): void {
  // SetDefaults_Job: completions and parallelism default to 1 together.
  if (spec.completions === undefined && spec.parallelism === undefined) {
    spec.completions = 1;
    spec.parallelism = 1;
  }
  setDefault(spec, 'parallelism', 1);
  setDefault(spec, 'backoffLimit', 6);
  setDefault(spec, 'completionMode', 'NonIndexed');
  setDefault(spec, 'suspend', false);
  setDefault(spec, 'podReplacementPolicy', 'TerminatingOrFailed');
  defaultTemplate(spec);
  // The Job strategy generates the selector and labels from the uid unless manualSelector is set.
  const uid = object.metadata.uid;
  if (uid && spec.manualSelector !== true && spec.selector === undefined) {
    spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
    const labels = obj(obj(obj(spec, 'template'), 'metadata'), 'labels');
    Object.assign(labels, {
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': object.metadata.name ?? '',
      'controller-uid': uid,
      'job-name': object.metadata.name ?? '',
    });
  }
}

function defaultWebhooks(object: KubeObject, mutating: boolean): void {
  if (!Array.isArray(object.webhooks)) return;
  for (const webhook of object.webhooks) {
    if (!isJsonObject(webhook)) continue;
    setDefault(webhook, 'failurePolicy', 'Fail');
    setDefault(webhook, 'matchPolicy', 'Equivalent');
    setDefault(webhook, 'namespaceSelector', {});
    setDefault(webhook, 'objectSelector', {});
    setDefault(webhook, 'timeoutSeconds', 10);
    if (mutating) setDefault(webhook, 'reinvocationPolicy', 'Never');
    if (Array.isArray(webhook.rules)) for (const rule of webhook.rules) if (isJsonObject(rule)) setDefault(rule, 'scope', '*');
    const service = isJsonObject(webhook.clientConfig) ? webhook.clientConfig.service : undefined;
    if (isJsonObject(service)) setDefault(service, 'port', 443);
  }
}

/** defaultObject fills in the defaults a real server sets on built-ins (Deployment strategy/replicas/…, StatefulSet updateStrategy, …). Returns a new object. */
export function defaultObject(type: ResourceType, object: KubeObject): KubeObject {
  // Custom resources get their schema defaults in validateCustomResource, which copies them.
  if (!type.builtin) return object;
  const result = deepClone(object);
  const spec = (): JsonObject => obj(result, 'spec');
  switch (type.kind) {
    case 'Deployment': {
      const s = spec();
      setDefault(s, 'replicas', 1);
      const strategy = obj(s, 'strategy');
      setDefault(strategy, 'type', 'RollingUpdate');
      if (strategy.type === 'RollingUpdate') {
        const rolling = obj(strategy, 'rollingUpdate');
        setDefault(rolling, 'maxUnavailable', '25%');
        setDefault(rolling, 'maxSurge', '25%');
      }
      setDefault(s, 'revisionHistoryLimit', 10);
      setDefault(s, 'progressDeadlineSeconds', 600);
      defaultTemplate(s);
      break;
    }
    case 'StatefulSet': {
      const s = spec();
      setDefault(s, 'replicas', 1);
      setDefault(s, 'podManagementPolicy', 'OrderedReady');
      const strategy = obj(s, 'updateStrategy');
      setDefault(strategy, 'type', 'RollingUpdate');
      if (strategy.type === 'RollingUpdate') setDefault(obj(strategy, 'rollingUpdate'), 'partition', 0);
      setDefault(s, 'revisionHistoryLimit', 10);
      setDefault(s, 'persistentVolumeClaimRetentionPolicy', { whenDeleted: 'Retain', whenScaled: 'Retain' });
      if (Array.isArray(s.volumeClaimTemplates)) {
        for (const pvc of s.volumeClaimTemplates) {
          if (!isJsonObject(pvc)) continue;
          setDefault(pvc, 'apiVersion', 'v1');
          setDefault(pvc, 'kind', 'PersistentVolumeClaim');
          setDefault(obj(pvc, 'spec'), 'volumeMode', 'Filesystem');
        }
      }
      defaultTemplate(s);
      break;
    }
    case 'DaemonSet': {
      const s = spec();
      const strategy = obj(s, 'updateStrategy');
      setDefault(strategy, 'type', 'RollingUpdate');
      if (strategy.type === 'RollingUpdate') {
        const rolling = obj(strategy, 'rollingUpdate');
        setDefault(rolling, 'maxUnavailable', 1);
        setDefault(rolling, 'maxSurge', 0);
      }
      setDefault(s, 'revisionHistoryLimit', 10);
      defaultTemplate(s);
      break;
    }
    case 'ReplicaSet':
      setDefault(spec(), 'replicas', 1);
      defaultTemplate(spec());
      break;
    case 'Job':
      defaultJob(result, spec());
      break;
    case 'CronJob': {
      // SetDefaults_CronJob; the job template's pod spec gets the PodSpec defaults, not the Job's.
      const s = spec();
      setDefault(s, 'concurrencyPolicy', 'Allow');
      setDefault(s, 'suspend', false);
      setDefault(s, 'successfulJobsHistoryLimit', 3);
      setDefault(s, 'failedJobsHistoryLimit', 1);
      defaultTemplate(obj(obj(s, 'jobTemplate'), 'spec'));
      break;
    }
    case 'Pod':
      defaultPodSpec(spec());
      setDefault(spec(), 'enableServiceLinks', true);
      break;
    case 'Service':
      defaultService(result, spec());
      break;
    case 'Secret':
      setDefault(result, 'type', 'Opaque');
      break;
    case 'Namespace': {
      setDefault(spec(), 'finalizers', ['kubernetes']);
      setDefault(obj(result, 'status'), 'phase', 'Active');
      // The NamespaceDefaultLabelName feature (GA in 1.22) labels every namespace with its own name.
      if (result.metadata.name)
        result.metadata.labels = { ...(result.metadata.labels ?? {}), 'kubernetes.io/metadata.name': result.metadata.name };
      break;
    }
    case 'HorizontalPodAutoscaler':
      setDefault(spec(), 'minReplicas', 1);
      break;
    case 'ValidatingWebhookConfiguration':
    case 'MutatingWebhookConfiguration':
      defaultWebhooks(result, type.kind === 'MutatingWebhookConfiguration');
      break;
    case 'RoleBinding':
    case 'ClusterRoleBinding':
      if (Array.isArray(result.subjects)) {
        for (const subject of result.subjects) {
          if (isJsonObject(subject)) setDefault(subject, 'apiGroup', subject.kind === 'ServiceAccount' ? '' : 'rbac.authorization.k8s.io');
        }
      }
      break;
    case 'CustomResourceDefinition': {
      const s = spec();
      const names = obj(s, 'names');
      if (typeof names.kind === 'string') {
        setDefault(names, 'singular', names.kind.toLowerCase());
        setDefault(names, 'listKind', `${names.kind}List`);
      }
      setDefault(s, 'conversion', { strategy: 'None' });
      break;
    }
  }
  return result;
}
