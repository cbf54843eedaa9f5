/**
 * The defaulting helpers behind the defaults a real kube-apiserver fills into built-in objects
 * (pkg/apis/<group>/v1/defaults.go) that clients read back: `kubectl rollout status` needs a
 * StatefulSet's updateStrategy, helm's three-way merge and `kubectl diff` see the defaulted
 * fields, and so on. Each resource's strategy (sandbox/strategies/) applies the ones of its kind;
 * defaultObject (strategies/registry.ts) never mutates its input.
 */
import type { KubeObject } from '../api/types.js';
import { isJsonObject, type JsonObject } from '../patch/json-value.js';

/** obj is parent[key] as an object, made empty when it is not one. */
export function obj(parent: JsonObject, key: string): JsonObject {
  if (!isJsonObject(parent[key])) parent[key] = {};
  return parent[key] as JsonObject;
}

/** setDefault sets target[key] when it is missing or null, as the Go defaulters do for nil fields. */
export function setDefault(target: JsonObject, key: string, value: unknown): void {
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
export function defaultPodSpec(spec: JsonObject): void {
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

/** defaultTemplate defaults the pod template of a workload spec in place. */
export function defaultTemplate(spec: JsonObject): void {
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

/** defaultService fills a Service's spec in place: type, ports, cluster IP, session affinity, policies. */
export function defaultService(object: KubeObject, spec: JsonObject): void {
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

/** defaultJob fills a Job in place: parallelism, completions, backoff, selector and template labels. */
export function defaultJob(object: KubeObject, spec: JsonObject): void {
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

/** defaultWebhooks fills each webhook of a (Mutating|Validating)WebhookConfiguration in place. */
export function defaultWebhooks(object: KubeObject, mutating: boolean): void {
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
