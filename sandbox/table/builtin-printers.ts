/**
 * The `kubectl get` columns of the compiled-in kinds. A real apiserver computes these cells in Go
 * (pkg/printers/internalversion/printers.go): READY is `ready/desired`, PORT(S) joins ports,
 * a Job's DURATION is a time difference… none of which a JSONPath can express. Each printer keeps
 * its column definitions and its cell function together so they cannot drift apart.
 */
import type { KubeObject, PrinterColumn } from '../api/types.js';
import { humanDuration, timestampAge } from './human-duration.js';

/** The columns after Name, and how to fill them for one object. */
export interface BuiltinPrinter {
  columns: PrinterColumn[];
  cells(object: KubeObject, now: Date): unknown[];
}

type Json = Record<string, unknown>;

const ageColumn: PrinterColumn = {
  name: 'Age',
  type: 'string',
  jsonPath: '.metadata.creationTimestamp',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
};
const createdAtColumn: PrinterColumn = {
  name: 'Created At',
  type: 'date',
  jsonPath: '.metadata.creationTimestamp',
  description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
};

function column(name: string, type: PrinterColumn['type'], jsonPath: string, description: string, priority = 0): PrinterColumn {
  const c: PrinterColumn = { name, type, jsonPath, description };
  if (priority) c.priority = priority;
  return c;
}

function obj(value: unknown): Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : {};
}
function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
function int(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}
function str(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
function orNone(value: string): string {
  return value === '' ? '<none>' : value;
}
function age(o: KubeObject, now: Date): string {
  return timestampAge(o.metadata.creationTimestamp, now);
}
function createdAt(o: KubeObject): string {
  // The default table convertor prints the timestamp itself (UTC, RFC3339), not an age.
  const at = Date.parse(o.metadata.creationTimestamp ?? '');
  return Number.isNaN(at) ? '' : new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** formatLabelSelector renders a LabelSelector as metav1.FormatLabelSelector does (`<none>` when empty). */
export function formatLabelSelector(selector: unknown): string {
  const s = obj(selector);
  const parts = Object.entries(obj(s.matchLabels))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${str(v)}`);
  for (const expression of arr(s.matchExpressions).map(obj)) {
    const key = str(expression.key);
    const values = arr(expression.values).map(str).sort();
    switch (expression.operator) {
      case 'In':
        parts.push(`${key} in (${values.join(',')})`);
        break;
      case 'NotIn':
        parts.push(`${key} notin (${values.join(',')})`);
        break;
      case 'Exists':
        parts.push(key);
        break;
      case 'DoesNotExist':
        parts.push(`!${key}`);
        break;
    }
  }
  return orNone(parts.join(','));
}

function labelMap(value: unknown): string {
  return orNone(
    Object.entries(obj(value))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${k}=${str(v)}`)
      .join(','),
  );
}

const containerColumns = [
  column('Containers', 'string', '.spec.template.spec.containers[*].name', 'Names of each container in the template.', 1),
  column('Images', 'string', '.spec.template.spec.containers[*].image', 'Images referenced by each container in the template.', 1),
];
function containerCells(o: KubeObject): string[] {
  const containers = arr(obj(obj(obj(o.spec).template).spec).containers).map(obj);
  return [containers.map((c) => str(c.name)).join(','), containers.map((c) => str(c.image)).join(',')];
}
const selectorColumn = column('Selector', 'string', '.spec.selector', 'The label selector of the workload.', 1);

function podStatus(o: KubeObject): string {
  const status = obj(o.status);
  let reason = str(status.reason) || str(status.phase) || 'Pending';
  for (const cs of arr(status.containerStatuses).map(obj)) {
    const state = obj(cs.state);
    const waiting = obj(state.waiting);
    const terminated = obj(state.terminated);
    if (str(waiting.reason)) reason = str(waiting.reason);
    else if (str(terminated.reason)) reason = str(terminated.reason);
    else if (state.terminated) reason = `ExitCode:${int(terminated.exitCode)}`;
  }
  if (o.metadata.deletionTimestamp && reason !== 'NodeLost') reason = 'Terminating';
  return reason;
}

function servicePorts(spec: Json): string {
  const ports = arr(spec.ports)
    .map(obj)
    .map((p) => {
      const protocol = str(p.protocol) || 'TCP';
      return p.nodePort ? `${int(p.port)}:${int(p.nodePort)}/${protocol}` : `${int(p.port)}/${protocol}`;
    });
  return orNone(ports.join(','));
}

function serviceExternalIp(spec: Json, status: Json): string {
  const external = arr(spec.externalIPs).map(str);
  switch (str(spec.type) || 'ClusterIP') {
    case 'LoadBalancer': {
      const ingress = arr(obj(status.loadBalancer).ingress)
        .map(obj)
        .map((i) => str(i.ip) || str(i.hostname))
        .filter(Boolean);
      const all = [...ingress, ...external];
      return all.length ? all.join(',') : '<pending>';
    }
    case 'ExternalName':
      return str(spec.externalName);
    default:
      return orNone(external.join(','));
  }
}

function jobStatus(o: KubeObject): string {
  const conditions = arr(obj(o.status).conditions)
    .map(obj)
    .filter((c) => c.status === 'True');
  const has = (type: string) => conditions.some((c) => c.type === type);
  if (has('Complete')) return 'Complete';
  if (has('Failed')) return 'Failed';
  if (o.metadata.deletionTimestamp) return 'Terminating';
  if (has('FailureTarget')) return 'FailureTarget';
  if (has('SuccessCriteriaMet')) return 'SuccessCriteriaMet';
  if (has('Suspended')) return 'Suspended';
  return 'Running';
}

function jobCompletions(o: KubeObject): string {
  const spec = obj(o.spec);
  const succeeded = int(obj(o.status).succeeded);
  if (typeof spec.completions === 'number') return `${succeeded}/${spec.completions}`;
  const parallelism = typeof spec.parallelism === 'number' ? spec.parallelism : 0;
  return parallelism > 1 ? `${succeeded}/1 of ${parallelism}` : `${succeeded}/1`;
}

function jobDuration(o: KubeObject, now: Date): string {
  const status = obj(o.status);
  const start = Date.parse(str(status.startTime));
  if (Number.isNaN(start)) return '';
  const end = Date.parse(str(status.completionTime));
  return humanDuration((Number.isNaN(end) ? now.getTime() : end) - start);
}

function hpaTargets(o: KubeObject): string {
  const metrics = arr(obj(o.spec).metrics).map(obj);
  if (!metrics.length) return '<none>';
  const current = arr(obj(o.status).currentMetrics).map(obj);
  return metrics
    .map((m) => {
      const resource = obj(m.resource);
      const name = str(resource.name);
      const target = obj(resource.target);
      const now = current.map((c) => obj(c.resource)).find((r) => str(r.name) === name);
      const nowValue = now ? obj(now.current) : undefined;
      if (target.averageUtilization !== undefined) {
        const seen = nowValue?.averageUtilization !== undefined ? `${int(nowValue.averageUtilization)}%` : '<unknown>';
        return `${name}: ${seen}/${int(target.averageUtilization)}%`;
      }
      const wanted = str(target.averageValue) || str(target.value) || '<unknown>';
      const seen = str(nowValue?.averageValue) || str(nowValue?.value) || '<unknown>';
      return `${name || str(m.type).toLowerCase()}: ${seen}/${wanted}`;
    })
    .join(', ');
}

function bindingSubjects(o: KubeObject, kind: string): string {
  return arr(o.subjects)
    .map(obj)
    .filter((s) => s.kind === kind)
    .map((s) => (kind === 'ServiceAccount' ? `${str(s.namespace)}:${str(s.name)}` : str(s.name)))
    .join(', ');
}

const bindingPrinter: BuiltinPrinter = {
  columns: [
    column('Role', 'string', '.roleRef.name', 'Role', 0),
    ageColumn,
    column('Users', 'string', '.subjects', 'Users in the roleBinding', 1),
    column('Groups', 'string', '.subjects', 'Groups in the roleBinding', 1),
    column('ServiceAccounts', 'string', '.subjects', 'ServiceAccounts in the roleBinding', 1),
  ],
  cells: (o, now) => [
    `${str(obj(o.roleRef).kind)}/${str(obj(o.roleRef).name)}`,
    age(o, now),
    bindingSubjects(o, 'User'),
    bindingSubjects(o, 'Group'),
    bindingSubjects(o, 'ServiceAccount'),
  ],
};

const webhookPrinter: BuiltinPrinter = {
  columns: [column('Webhooks', 'integer', '.webhooks', 'Webhooks indicates the number of webhooks.'), ageColumn],
  cells: (o, now) => [arr(o.webhooks).length, age(o, now)],
};

/** The default convertor's columns (Name, Created At), used by kinds without a printer such as ClusterRoles. */
export const defaultPrinter: BuiltinPrinter = {
  columns: [createdAtColumn],
  cells: (o) => [createdAt(o)],
};

const printers: Record<string, BuiltinPrinter> = {
  '/namespaces': {
    columns: [column('Status', 'string', '.status.phase', 'The status of the namespace'), ageColumn],
    cells: (o, now) => [str(obj(o.status).phase), age(o, now)],
  },
  '/configmaps': {
    columns: [column('Data', 'string', '.data', 'Number of data in configmap'), ageColumn],
    cells: (o, now) => [Object.keys(obj(o.data)).length + Object.keys(obj(o.binaryData)).length, age(o, now)],
  },
  '/secrets': {
    columns: [
      column('Type', 'string', '.type', 'The type of the secret'),
      column('Data', 'string', '.data', 'The number of data keys in the secret'),
      ageColumn,
    ],
    cells: (o, now) => [str(o.type) || 'Opaque', Object.keys(obj(o.data)).length, age(o, now)],
  },
  '/services': {
    columns: [
      column('Type', 'string', '.spec.type', 'The type of the service.'),
      column('Cluster-IP', 'string', '.spec.clusterIP', 'The cluster IP of the service.'),
      column('External-IP', 'string', '.spec.externalIPs', 'The external IPs of the service.'),
      column('Port(s)', 'string', '.spec.ports', 'The ports of the service.'),
      ageColumn,
      column('Selector', 'string', '.spec.selector', 'The selector of the service.', 1),
    ],
    cells: (o, now) => {
      const spec = obj(o.spec);
      return [
        str(spec.type) || 'ClusterIP',
        orNone(str(spec.clusterIP)),
        serviceExternalIp(spec, obj(o.status)),
        servicePorts(spec),
        age(o, now),
        labelMap(spec.selector),
      ];
    },
  },
  '/serviceaccounts': {
    columns: [
      column(
        'Secrets',
        'string',
        '.secrets',
        'Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use.',
      ),
      ageColumn,
    ],
    cells: (o, now) => [arr(o.secrets).length, age(o, now)],
  },
  '/pods': {
    columns: [
      column('Ready', 'string', '.status.containerStatuses', 'The aggregate readiness state of this pod for accepting traffic.'),
      column('Status', 'string', '.status.phase', 'The aggregate status of the containers in this pod.'),
      column(
        'Restarts',
        'string',
        '.status.containerStatuses[*].restartCount',
        'The number of times the containers in this pod have been restarted.',
      ),
      ageColumn,
      column('IP', 'string', '.status.podIP', 'IP address allocated to the pod.', 1),
      column('Node', 'string', '.spec.nodeName', 'Name of the Node this pod is assigned to.', 1),
      column('Nominated Node', 'string', '.status.nominatedNodeName', 'Name of the Node this pod is nominated to.', 1),
      column('Readiness Gates', 'string', '.spec.readinessGates', 'Pod Readiness Gates.', 1),
    ],
    cells: (o, now) => {
      const spec = obj(o.spec);
      const status = obj(o.status);
      const statuses = arr(status.containerStatuses).map(obj);
      const ready = statuses.filter((s) => s.ready === true).length;
      const restarts = statuses.reduce((sum, s) => sum + int(s.restartCount), 0);
      return [
        `${ready}/${arr(spec.containers).length}`,
        podStatus(o),
        restarts,
        age(o, now),
        orNone(str(status.podIP)),
        orNone(str(spec.nodeName)),
        orNone(str(status.nominatedNodeName)),
        '<none>',
      ];
    },
  },
  'apps/deployments': {
    columns: [
      column('Ready', 'string', '.status.readyReplicas', 'Number of the pod with ready state'),
      column(
        'Up-to-date',
        'string',
        '.status.updatedReplicas',
        'Total number of non-terminated pods targeted by this deployment that have the desired template spec.',
      ),
      column(
        'Available',
        'string',
        '.status.availableReplicas',
        'Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.',
      ),
      ageColumn,
      ...containerColumns,
      selectorColumn,
    ],
    cells: (o, now) => {
      const status = obj(o.status);
      return [
        `${int(status.readyReplicas)}/${int(obj(o.spec).replicas)}`,
        int(status.updatedReplicas),
        int(status.availableReplicas),
        age(o, now),
        ...containerCells(o),
        formatLabelSelector(obj(o.spec).selector),
      ];
    },
  },
  'apps/replicasets': {
    columns: [
      column('Desired', 'integer', '.spec.replicas', 'Number of desired pods.'),
      column('Current', 'integer', '.status.replicas', 'Number of actual pods.'),
      column('Ready', 'integer', '.status.readyReplicas', 'Number of ready pods.'),
      ageColumn,
      ...containerColumns,
      selectorColumn,
    ],
    cells: (o, now) => {
      const status = obj(o.status);
      return [
        int(obj(o.spec).replicas),
        int(status.replicas),
        int(status.readyReplicas),
        age(o, now),
        ...containerCells(o),
        formatLabelSelector(obj(o.spec).selector),
      ];
    },
  },
  'apps/statefulsets': {
    columns: [column('Ready', 'string', '.status.readyReplicas', 'Number of the pod with ready state'), ageColumn, ...containerColumns],
    cells: (o, now) => [`${int(obj(o.status).readyReplicas)}/${int(obj(o.spec).replicas)}`, age(o, now), ...containerCells(o)],
  },
  'apps/daemonsets': {
    columns: [
      column('Desired', 'integer', '.status.desiredNumberScheduled', 'The total number of nodes that should be running the daemon pod.'),
      column('Current', 'integer', '.status.currentNumberScheduled', 'The number of nodes running at least one daemon pod.'),
      column('Ready', 'integer', '.status.numberReady', 'The number of nodes running the daemon pod with a Ready condition.'),
      column('Up-to-date', 'integer', '.status.updatedNumberScheduled', 'The total number of nodes running the updated daemon pod.'),
      column('Available', 'integer', '.status.numberAvailable', 'The number of nodes running the daemon pod with an available pod.'),
      column('Node Selector', 'string', '.spec.template.spec.nodeSelector', 'The node selector of the pod template.'),
      ageColumn,
      ...containerColumns,
      selectorColumn,
    ],
    cells: (o, now) => {
      const status = obj(o.status);
      const nodeSelector = obj(obj(obj(obj(o.spec).template).spec).nodeSelector);
      return [
        int(status.desiredNumberScheduled),
        int(status.currentNumberScheduled),
        int(status.numberReady),
        int(status.updatedNumberScheduled),
        int(status.numberAvailable),
        labelMap(nodeSelector),
        age(o, now),
        ...containerCells(o),
        formatLabelSelector(obj(o.spec).selector),
      ];
    },
  },
  'batch/jobs': {
    columns: [
      column('Status', 'string', '.status.conditions', 'Status of the job.'),
      column('Completions', 'string', '.status.succeeded', 'The completion status of the job.'),
      column('Duration', 'string', '.status.completionTime', 'Time required to complete the job.'),
      ageColumn,
      ...containerColumns,
      selectorColumn,
    ],
    cells: (o, now) => [
      jobStatus(o),
      jobCompletions(o),
      jobDuration(o, now),
      age(o, now),
      ...containerCells(o),
      formatLabelSelector(obj(o.spec).selector),
    ],
  },
  // printCronJob: the containers and selector are the job template's.
  'batch/cronjobs': {
    columns: [
      column('Schedule', 'string', '.spec.schedule', 'The schedule in Cron format.'),
      column('Timezone', 'string', '.spec.timeZone', 'The time zone name for the given schedule.'),
      column('Suspend', 'boolean', '.spec.suspend', 'This flag tells the controller to suspend subsequent executions.'),
      column('Active', 'integer', '.status.active', 'A list of pointers to currently running jobs.'),
      column(
        'Last Schedule',
        'string',
        '.status.lastScheduleTime',
        'Information when was the last time the job was successfully scheduled.',
      ),
      ageColumn,
      ...containerColumns,
      selectorColumn,
    ],
    cells: (o, now) => {
      const spec = obj(o.spec);
      const jobSpec = obj(obj(spec.jobTemplate).spec);
      const last = str(obj(o.status).lastScheduleTime);
      return [
        str(spec.schedule),
        orNone(str(spec.timeZone)),
        typeof spec.suspend === 'boolean' ? (spec.suspend ? 'True' : 'False') : '<unset>',
        arr(obj(o.status).active).length,
        last ? timestampAge(last, now) : '<none>',
        age(o, now),
        ...containerCells({ ...o, spec: jobSpec }),
        formatLabelSelector(jobSpec.selector),
      ];
    },
  },
  'autoscaling/horizontalpodautoscalers': {
    columns: [
      column('Reference', 'string', '.spec.scaleTargetRef', 'The reference to the scaled resource.'),
      column('Targets', 'string', '.spec.metrics', 'The current and target metric values.'),
      column('MinPods', 'string', '.spec.minReplicas', 'The lower limit for the number of pods.'),
      column('MaxPods', 'string', '.spec.maxReplicas', 'The upper limit for the number of pods.'),
      column('Replicas', 'string', '.status.currentReplicas', 'The current number of pods.'),
      ageColumn,
    ],
    cells: (o, now) => {
      const spec = obj(o.spec);
      const ref = obj(spec.scaleTargetRef);
      return [
        `${str(ref.kind)}/${str(ref.name)}`,
        hpaTargets(o),
        typeof spec.minReplicas === 'number' ? spec.minReplicas : 1,
        int(spec.maxReplicas),
        int(obj(o.status).currentReplicas),
        age(o, now),
      ];
    },
  },
  'policy/poddisruptionbudgets': {
    columns: [
      column('Min Available', 'string', '.spec.minAvailable', 'The minimum number of pods that must be available.'),
      column('Max Unavailable', 'string', '.spec.maxUnavailable', 'The maximum number of pods that may be unavailable.'),
      column(
        'Allowed Disruptions',
        'integer',
        '.status.disruptionsAllowed',
        'Calculated number of pods that may be disrupted at this time.',
      ),
      ageColumn,
    ],
    cells: (o, now) => {
      const spec = obj(o.spec);
      const show = (v: unknown) => (v === undefined || v === null ? 'N/A' : String(v));
      return [show(spec.minAvailable), show(spec.maxUnavailable), int(obj(o.status).disruptionsAllowed), age(o, now)];
    },
  },
  'admissionregistration.k8s.io/validatingwebhookconfigurations': webhookPrinter,
  'admissionregistration.k8s.io/mutatingwebhookconfigurations': webhookPrinter,
  'rbac.authorization.k8s.io/rolebindings': bindingPrinter,
  'rbac.authorization.k8s.io/clusterrolebindings': bindingPrinter,
};

/** builtinPrinter returns the printer of a compiled-in group/resource, or the default convertor's. */
export function builtinPrinter(group: string, resource: string): BuiltinPrinter {
  return printers[`${group}/${resource}`] ?? defaultPrinter;
}
