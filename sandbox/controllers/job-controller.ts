/**
 * The Job controller: one pod per Job, run for `jobMs`, then the pod Succeeded and the Job
 * Complete (with SuccessCriteriaMet first, as Kubernetes 1.31+ writes it); `kubectl wait
 * --for=condition=complete` and helm's hook wait read exactly these.
 */
import type { InternalApi, KubeObject, StoredEvent } from '../api/types.js';
import { QueueController } from './queue-controller.js';
import { newPod, podPhase, podTemplateOf, randomSuffix, runningPodStatus, succeededPodStatus } from './pods.js';
import { ownedPods } from './replicaset-controller.js';
import {
  controllerReference,
  isDeleting,
  isResource,
  jobsResource,
  nowTimestamp,
  objectKey,
  podsResource,
  sameJson,
  splitKey,
} from './resources.js';

interface JobStatus {
  startTime?: string;
  completionTime?: string;
  active?: number;
  succeeded?: number;
  conditions?: Array<{ type: string; status: string }>;
}

/** isJobComplete tells whether a Job has its Complete=True condition. */
export function isJobComplete(job: KubeObject): boolean {
  return ((job.status ?? {}) as JobStatus).conditions?.some((c) => c.type === 'Complete' && c.status === 'True') ?? false;
}

/** JobController runs each Job's single pod to success after a fixed time. */
export class JobController extends QueueController {
  readonly name = 'job-controller';
  private readonly started = new Map<string, number>();

  constructor(
    api: InternalApi,
    private readonly runMs: number,
  ) {
    super(api);
  }

  protected onEvent(event: StoredEvent): void {
    if (!isResource(event.groupResource, jobsResource)) return;
    if (event.type === 'DELETED') this.started.delete(event.object.metadata.uid ?? '');
    else if (!isJobComplete(event.object)) this.queue.enqueue(objectKey(event.object));
  }

  protected resync(): void {
    for (const job of this.api.list(jobsResource)) if (!isJobComplete(job)) this.queue.enqueue(objectKey(job));
  }

  protected reconcile(key: string): void {
    const { namespace, name } = splitKey(key);
    const job = this.api.get(jobsResource, namespace, name);
    if (!job || isDeleting(job) || isJobComplete(job)) return;
    if (((job.spec ?? {}) as { suspend?: boolean }).suspend) return;
    const uid = job.metadata.uid ?? '';
    const labels = {
      'batch.kubernetes.io/controller-uid': uid,
      'batch.kubernetes.io/job-name': name,
      'controller-uid': uid,
      'job-name': name,
    };
    let pod = ownedPods(this.api, job)[0];
    if (!pod) {
      pod = this.api.create(
        podsResource,
        newPod({
          name: `${name}-${randomSuffix()}`,
          namespace: namespace ?? 'default',
          template: podTemplateOf(job),
          owner: controllerReference(job),
          labels,
        }),
      );
      pod = this.api.updateStatus(podsResource, { ...pod, status: runningPodStatus(pod) });
    }
    const startedAt = this.started.get(uid) ?? Date.now();
    this.started.set(uid, startedAt);
    const previous = (job.status ?? {}) as JobStatus;
    const remaining = startedAt + this.runMs - Date.now();
    if (remaining > 0) {
      const status = { ...previous, startTime: previous.startTime ?? nowTimestamp(), active: 1, ready: 1, uncountedTerminatedPods: {} };
      if (!sameJson(status, job.status)) this.api.updateStatus(jobsResource, { ...job, status });
      this.queue.enqueueAfter(key, remaining);
      return;
    }
    if (podPhase(pod) !== 'Succeeded') this.api.updateStatus(podsResource, { ...pod, status: succeededPodStatus(pod) });
    const now = nowTimestamp();
    const completions = ((job.spec ?? {}) as { completions?: number }).completions ?? 1;
    const done = (type: string): Record<string, unknown> => ({
      type,
      status: 'True',
      lastProbeTime: now,
      lastTransitionTime: now,
      reason: 'CompletionsReached',
      message: 'Reached expected number of succeeded pods',
    });
    const status = {
      startTime: previous.startTime ?? now,
      completionTime: now,
      succeeded: completions,
      ready: 0,
      uncountedTerminatedPods: {},
      conditions: [done('SuccessCriteriaMet'), done('Complete')],
    };
    this.api.updateStatus(jobsResource, { ...job, status });
    this.started.delete(uid);
  }
}
