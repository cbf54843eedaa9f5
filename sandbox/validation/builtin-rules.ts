/**
 * The validation rules of built-in kinds that clients and upgrade tooling actually run into
 * (pkg/apis/<group>/validation): selectors that must match the template and never change, a
 * Job's immutable template (why a leftover `gateway-certgen` Job breaks a Gloo upgrade), the
 * StatefulSet fields that cannot be updated, immutable Secrets/ConfigMaps and Service cluster IPs.
 */
import type { StatusCause } from '../api/status.js';
import type { KubeObject } from '../api/types.js';
import { deepEqual, isJsonObject, type JsonObject } from '../patch/json-value.js';
import { forbidden, invalidJson, invalidValue, notSupported, requiredValue } from './field-errors.js';
import { goLabelSelector, goQuote, goStringMap, goStruct } from './go-syntax.js';

/** apivalidation.FieldImmutableErrorMsg. */
export const fieldImmutable = 'field is immutable';

function asObject(value: unknown): JsonObject {
  return isJsonObject(value) ? value : {};
}

/** selectorMatches evaluates a LabelSelector against labels (matchLabels and matchExpressions). */
export function selectorMatches(selector: JsonObject, labels: JsonObject): boolean {
  for (const [key, value] of Object.entries(asObject(selector.matchLabels))) if (labels[key] !== value) return false;
  for (const raw of Array.isArray(selector.matchExpressions) ? selector.matchExpressions : []) {
    const expr = asObject(raw);
    const key = String(expr.key ?? '');
    const values = Array.isArray(expr.values) ? expr.values : [];
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (expr.operator) {
      case 'In':
        if (!has || !values.includes(labels[key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

function isEmptySelector(selector: JsonObject): boolean {
  const labels = asObject(selector.matchLabels);
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  return Object.keys(labels).length === 0 && expressions.length === 0;
}

/** validatePodSpec checks a pod spec at path (containers, names, ports). */
export function validatePodSpec(spec: JsonObject, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const containers = spec.containers;
  if (!Array.isArray(containers) || containers.length === 0) return [requiredValue(`${path}.containers`)];
  const seen = new Set<string>();
  containers.forEach((raw, i) => {
    const container = asObject(raw);
    const at = `${path}.containers[${i}]`;
    if (!container.name) causes.push(requiredValue(`${at}.name`));
    else if (seen.has(String(container.name)))
      causes.push({ reason: 'FieldValueDuplicate', message: `Duplicate value: ${goQuote(String(container.name))}`, field: `${at}.name` });
    else seen.add(String(container.name));
    if (!container.image) causes.push(requiredValue(`${at}.image`));
  });
  return causes;
}

/** validateWorkload checks a Deployment, ReplicaSet, StatefulSet or DaemonSet: selector vs template labels, immutable fields. */
export function validateWorkload(kind: string, object: KubeObject, old: KubeObject | undefined): StatusCause[] {
  const causes: StatusCause[] = [];
  const spec = asObject(object.spec);
  const template = asObject(spec.template);
  const labels = asObject(asObject(template.metadata).labels);
  if (typeof spec.replicas === 'number' && spec.replicas < 0)
    causes.push(invalidJson('spec.replicas', spec.replicas, 'must be greater than or equal to 0'));
  if (spec.selector === undefined || spec.selector === null) {
    causes.push(requiredValue('spec.selector'));
  } else {
    const selector = asObject(spec.selector);
    if (isEmptySelector(selector))
      causes.push(
        invalidValue(
          'spec.selector',
          goLabelSelector(selector),
          `empty selector is invalid for ${kind === 'ReplicaSet' ? 'replicaset' : kind.toLowerCase()}`,
        ),
      );
    else if (!selectorMatches(selector, labels))
      causes.push(invalidValue('spec.template.metadata.labels', goStringMap(labels), '`selector` does not match template `labels`'));
    const oldSelector = old ? asObject(old.spec).selector : undefined;
    // apps/v1 made selectors immutable: changing one would orphan the old pods.
    if (old && oldSelector !== undefined && !deepEqual(oldSelector, spec.selector))
      causes.push(invalidValue('spec.selector', goLabelSelector(selector), fieldImmutable));
  }
  causes.push(...validatePodSpec(asObject(template.spec), 'spec.template.spec'));
  if (kind === 'StatefulSet' && old) {
    // ValidateStatefulSetUpdate: everything but these fields is frozen after creation.
    const mutable = ['replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy', 'minReadySeconds'];
    const strip = (s: JsonObject): JsonObject => Object.fromEntries(Object.entries(s).filter(([k]) => !mutable.includes(k)));
    if (!deepEqual(strip(spec), strip(asObject(old.spec)))) {
      causes.push(
        forbidden(
          'spec',
          "updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden",
        ),
      );
    }
  }
  return causes;
}

/** validateJob checks a Job: its selector and template, immutable once created. */
export function validateJob(object: KubeObject, old: KubeObject | undefined): StatusCause[] {
  const causes: StatusCause[] = [];
  const spec = asObject(object.spec);
  const template = asObject(spec.template);
  const podSpec = asObject(template.spec);
  causes.push(...validatePodSpec(podSpec, 'spec.template.spec'));
  const restartPolicy = podSpec.restartPolicy;
  if (restartPolicy !== 'OnFailure' && restartPolicy !== 'Never') {
    causes.push(
      restartPolicy === undefined
        ? requiredValue('spec.template.spec.restartPolicy', 'valid values: "OnFailure", "Never"')
        : notSupported('spec.template.spec.restartPolicy', restartPolicy, ['OnFailure', 'Never']),
    );
  }
  if (old) {
    const oldSpec = asObject(old.spec);
    if (oldSpec.selector !== undefined && !deepEqual(oldSpec.selector, spec.selector))
      causes.push(invalidValue('spec.selector', goLabelSelector(spec.selector), fieldImmutable));
    // ValidateJobSpecUpdate: the pod template of a Job cannot change once it exists.
    if (!deepEqual(oldSpec.template, spec.template))
      causes.push(invalidValue('spec.template', goStruct('core.PodTemplateSpec', spec.template), fieldImmutable));
    for (const field of ['completionMode', 'podFailurePolicy']) {
      if (oldSpec[field] !== undefined && !deepEqual(oldSpec[field], spec[field]))
        causes.push(invalidJson(`spec.${field}`, spec[field], fieldImmutable));
    }
  }
  return causes;
}

/** ValidateCronJob, in part: a schedule, and a job template whose pods may run to completion. */
export function validateCronJob(object: KubeObject): StatusCause[] {
  const causes: StatusCause[] = [];
  const spec = asObject(object.spec);
  if (typeof spec.schedule !== 'string' || spec.schedule === '') causes.push(requiredValue('spec.schedule'));
  const podSpec = asObject(asObject(asObject(asObject(spec.jobTemplate).spec).template).spec);
  causes.push(...validatePodSpec(podSpec, 'spec.jobTemplate.spec.template.spec'));
  const restartPolicy = podSpec.restartPolicy;
  if (restartPolicy !== 'OnFailure' && restartPolicy !== 'Never') {
    const path = 'spec.jobTemplate.spec.template.spec.restartPolicy';
    causes.push(
      restartPolicy === undefined
        ? requiredValue(path, 'valid values: "OnFailure", "Never"')
        : notSupported(path, restartPolicy, ['OnFailure', 'Never']),
    );
  }
  return causes;
}

/** validateImmutableData refuses changes to an immutable Secret's or ConfigMap's data. */
export function validateImmutableData(kind: 'Secret' | 'ConfigMap', object: KubeObject, old: KubeObject | undefined): StatusCause[] {
  if (!old) return [];
  const causes: StatusCause[] = [];
  if (kind === 'Secret' && old.type !== undefined && object.type !== old.type)
    causes.push(invalidJson('type', object.type, fieldImmutable));
  if (old.immutable === true) {
    // ValidateSecretUpdate / ValidateConfigMapUpdate.
    if (object.immutable !== true) causes.push(forbidden('immutable', 'field is immutable when `immutable` is set'));
    const fields = kind === 'Secret' ? ['data'] : ['data', 'binaryData'];
    for (const field of fields) {
      if (!deepEqual(object[field] ?? {}, old[field] ?? {})) causes.push(forbidden(field, 'field is immutable when `immutable` is set'));
    }
  }
  return causes;
}

/** validateService checks a Service's type, ports and its cluster IP, fixed for life. */
export function validateService(object: KubeObject, old: KubeObject | undefined): StatusCause[] {
  const causes: StatusCause[] = [];
  const spec = asObject(object.spec);
  const type = spec.type ?? 'ClusterIP';
  const types = ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'];
  if (!types.includes(String(type))) causes.push(notSupported('spec.type', type, types));
  const headless = spec.clusterIP === 'None';
  if (type !== 'ExternalName' && !headless && (!Array.isArray(spec.ports) || spec.ports.length === 0))
    causes.push(requiredValue('spec.ports'));
  if (type === 'ExternalName' && !spec.externalName) causes.push(requiredValue('spec.externalName'));
  if (old) {
    const oldIP = asObject(old.spec).clusterIP;
    // A Service keeps its address for life; an update that leaves it empty keeps the old one.
    if (oldIP && spec.clusterIP && spec.clusterIP !== oldIP && type !== 'ExternalName') {
      const ips = Array.isArray(spec.clusterIPs) ? spec.clusterIPs : [spec.clusterIP];
      causes.push(
        invalidValue('spec.clusterIPs[0]', `[]string{${ips.map((ip) => goQuote(String(ip))).join(', ')}}`, 'may not change once set'),
      );
    }
  }
  return causes;
}
