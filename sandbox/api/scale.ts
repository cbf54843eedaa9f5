/**
 * The scale subresource: an autoscaling/v1 Scale view of any object whose type maps replicas
 * (Deployments, ReplicaSets, StatefulSets, and CRDs with `subresources.scale`), which is what
 * `kubectl scale` and HPAs read and write.
 */
import { ApiError, invalid } from './status.js';
import type { KubeObject, ResourceType, ScaleSubresource } from './types.js';

/** An autoscaling/v1 Scale. */
export interface Scale {
  kind: 'Scale';
  apiVersion: 'autoscaling/v1';
  metadata: Record<string, unknown>;
  spec: { replicas?: number };
  status: { replicas: number; selector?: string };
}

function segments(path: string): string[] {
  return path
    .replace(/^\./, '')
    .split('.')
    .filter((s) => s.length > 0);
}

/** valueAtPath reads a `.a.b` path of a CRD scale mapping. */
export function valueAtPath(object: unknown, path: string): unknown {
  let value = object;
  for (const segment of segments(path)) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[segment];
  }
  return value;
}

/** withValueAtPath returns a copy of `object` with `.a.b` set, copying only the objects along the path. */
export function withValueAtPath<T extends object>(object: T, path: string, value: unknown): T {
  const [head, ...rest] = segments(path);
  if (head === undefined) return object;
  const copy = { ...(object as Record<string, unknown>) };
  if (rest.length === 0) copy[head] = value;
  else {
    const child = copy[head];
    copy[head] = withValueAtPath(child !== null && typeof child === 'object' ? (child as object) : {}, `.${rest.join('.')}`, value);
  }
  return copy as T;
}

/** A LabelSelector as the string a Scale carries (`app=web,tier in (a,b)`), as metav1.FormatLabelSelector writes it. */
export function formatLabelSelector(selector: unknown): string {
  if (selector === null || typeof selector !== 'object') return '';
  const { matchLabels, matchExpressions } = selector as {
    matchLabels?: Record<string, string>;
    matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
  };
  const terms = Object.entries(matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    if (e.operator === 'In') terms.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') terms.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') terms.push(e.key);
    else if (e.operator === 'DoesNotExist') terms.push(`!${e.key}`);
  }
  return terms.join(',');
}

/** scaleMapping is the type's scale subresource, or 404 as for any subresource a type lacks. */
export function scaleMapping(type: ResourceType): ScaleSubresource {
  const scale = type.subresources.scale;
  if (!scale) throw new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  return scale;
}

/** scaleOf renders an object's Scale. */
export function scaleOf(type: ResourceType, object: KubeObject): Scale {
  const mapping = scaleMapping(type);
  const meta = object.metadata;
  const metadata: Record<string, unknown> = {
    name: meta.name,
    uid: meta.uid,
    resourceVersion: meta.resourceVersion,
    creationTimestamp: meta.creationTimestamp,
  };
  if (meta.namespace) metadata.namespace = meta.namespace;
  const specReplicas = valueAtPath(object, mapping.specReplicasPath);
  const statusReplicas = valueAtPath(object, mapping.statusReplicasPath);
  const scale: Scale = {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata,
    spec: typeof specReplicas === 'number' ? { replicas: specReplicas } : {},
    status: { replicas: typeof statusReplicas === 'number' ? statusReplicas : 0 },
  };
  // Built-ins hold a LabelSelector object; CRDs point labelSelectorPath at a string already.
  const selector = type.builtin
    ? formatLabelSelector((object.spec as Record<string, unknown> | undefined)?.selector)
    : mapping.labelSelectorPath
      ? valueAtPath(object, mapping.labelSelectorPath)
      : undefined;
  if (typeof selector === 'string' && selector) scale.status.selector = selector;
  return scale;
}

/** replicasFrom reads spec.replicas of a Scale sent by a client, 422 when it is not a non-negative integer. */
export function replicasFrom(scale: unknown, name: string): number {
  const replicas = (scale as { spec?: { replicas?: unknown } } | undefined)?.spec?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw invalid('autoscaling', 'Scale', name, [
      {
        reason: 'FieldValueInvalid',
        field: 'spec.replicas',
        message: `Invalid value: ${JSON.stringify(replicas ?? null)}: must be greater than or equal to 0`,
      },
    ]);
  }
  return replicas;
}
