/**
 * `kubectl meshpreflight check`: after `helm upgrade`, what `glooctl check` and `meshctl check`
 * look at — the control plane rolled out at the expected version (every product image), the
 * release deployed, CRDs Established, the product's own resources accepted
 * (status.state, observedGeneration == generation), nothing stuck terminating — with an exit code
 * that means something (meshctl check always exits 0, solo-io/gloo-mesh#1724; glooctl check -o json
 * exits 0 with errors listed).
 */
import type { KubeObject } from '../../../shared/kube/ports.js';
import { workloadsFor, kindKey, type ProductProfile, type ResourceKind } from '../../../shared/profiles/index.js';
import { compareVersions, parseVersion, type VendorVersion } from '../../../shared/version/semver.js';
import type { ClusterFacts, Fetched } from '../cluster/facts.js';
import { imageMatches, parseImage, type InstalledVersion } from '../versions/installed.js';
import type { Check, CheckResult } from './check.js';
import { preflightChecks, type PreflightInput } from './preflight-checks.js';

/** KindObjects are the objects of one product kind, or why they could not be listed. */
export interface KindObjects {
  readonly kind: ResourceKind;
  readonly objects: Fetched<KubeObject[]>;
}

/** PostUpgradeInput is everything `check` judges. */
export interface PostUpgradeInput {
  readonly profile: ProductProfile;
  readonly facts: ClusterFacts;
  readonly installed: InstalledVersion;
  /** expect is --expect, else the release's version. */
  readonly expect?: VendorVersion;
  readonly resources: readonly KindObjects[];
  readonly pods: Fetched<KubeObject[]>;
  readonly crdsCommand: (version: string) => string;
}

type Outcome = Omit<CheckResult, 'id' | 'category'>;

function reuse(id: string): Check<PostUpgradeInput> {
  const check = preflightChecks.find((c) => c.id === id);
  if (!check) throw new Error(`no preflight check ${id}`);
  return {
    id,
    category: check.category,
    // After an upgrade the expected version is the one whose CRDs must be there.
    run: (input) => check.run({ ...input, current: input.expect ?? input.installed.version } as unknown as PreflightInput),
  };
}

function condition(object: KubeObject, type: string): string | undefined {
  return ((object.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? []).find(
    (c) => c.type === type,
  )?.status;
}

/** rolloutProblem says why a Deployment has not finished rolling out, or undefined. */
export function rolloutProblem(deployment: KubeObject): string | undefined {
  const generation = deployment.metadata?.generation ?? 0;
  const spec = (deployment.spec ?? {}) as { replicas?: number };
  const status = (deployment.status ?? {}) as {
    observedGeneration?: number;
    replicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
  };
  const desired = spec.replicas ?? 1;
  if (desired === 0) return 'scaled to 0';
  if ((status.observedGeneration ?? 0) < generation) return 'the new spec is not observed yet';
  if ((status.updatedReplicas ?? 0) < desired) return `${status.updatedReplicas ?? 0}/${desired} replicas updated`;
  if ((status.replicas ?? 0) > (status.updatedReplicas ?? 0))
    return `${(status.replicas ?? 0) - (status.updatedReplicas ?? 0)} old replica(s) still running`;
  if ((status.availableReplicas ?? 0) < desired) return `${status.availableReplicas ?? 0}/${desired} replicas available`;
  if (condition(deployment, 'Available') !== 'True') return 'not Available';
  return undefined;
}

const acceptedStates = new Set(['accepted', '1']);
const rejectedStates = new Set(['rejected', 'invalid', 'failed', '2']);

/**
 * resourceState reads a product resource's acceptance: Gloo Mesh `status.state` (ACCEPTED …),
 * Gloo Edge `status.statuses.<namespace>.state` (Accepted/Rejected/Warning; numbers before 1.8),
 * or none (NGINX's SMI resources have no status).
 */
export function resourceState(object: KubeObject): { state?: string; reason?: string; observedGeneration?: number } {
  const status = object.status as
    | { state?: unknown; reason?: string; observedGeneration?: number; statuses?: Record<string, { state?: unknown; reason?: string }> }
    | undefined;
  if (!status) return {};
  if (status.state !== undefined)
    return { state: String(status.state), reason: status.reason, observedGeneration: status.observedGeneration };
  const reporters = Object.values(status.statuses ?? {});
  const worst =
    reporters.find((r) => rejectedStates.has(String(r.state).toLowerCase())) ??
    reporters.find((r) => !acceptedStates.has(String(r.state).toLowerCase())) ??
    reporters[0];
  return worst
    ? { state: String(worst.state), reason: worst.reason, observedGeneration: status.observedGeneration }
    : { observedGeneration: status.observedGeneration };
}

function describe(object: KubeObject, kind: ResourceKind): string {
  return `${kind.kind} ${object.metadata?.namespace ? `${object.metadata.namespace}/` : ''}${object.metadata?.name ?? ''}`;
}

/** postUpgradeChecks lists every check of `kubectl meshpreflight check`, in report order. */
export const postUpgradeChecks: readonly Check<PostUpgradeInput>[] = [
  reuse('product-installed'),
  {
    id: 'control-plane-rolled-out',
    category: 'Product',
    run({ profile, facts, installed }): Outcome {
      if (facts.deployments.error) return { status: 'warn', message: `cannot read deployments: ${facts.deployments.error.message}` };
      const problems: string[] = [];
      for (const workload of workloadsFor(profile, installed.version)) {
        if (workload.kind !== 'Deployment') continue;
        const deployment = (facts.deployments.value ?? []).find((d) => d.metadata?.name === workload.name);
        if (!deployment) {
          if (!workload.optional) problems.push(`deployment/${workload.name}: missing`);
          continue;
        }
        const problem = rolloutProblem(deployment);
        if (problem) problems.push(`deployment/${workload.name}: ${problem}`);
      }
      if (problems.length > 0)
        return {
          status: 'fail',
          message: `the control plane has not rolled out: ${problems.join('; ')}`,
          hint: `kubectl -n ${facts.namespace} rollout status deployment/NAME`,
          details: problems,
        };
      return { status: 'ok', message: 'every control-plane Deployment rolled out and available' };
    },
  },
  {
    id: 'control-plane-version',
    category: 'Product',
    run({ profile, facts, installed, expect }): Outcome {
      if (!expect)
        return { status: 'fail', message: 'no expected version: no Helm release and no --expect', hint: 'pass --expect VERSION' };
      const patterns = profile.preflight?.productImages ?? [];
      const wrong: string[] = [];
      const digestOnly: string[] = [];
      let count = 0;
      for (const deployment of facts.deployments.value ?? []) {
        const containers =
          (deployment.spec as { template?: { spec?: { containers?: Array<{ name: string; image?: string }> } } } | undefined)?.template
            ?.spec?.containers ?? [];
        for (const container of containers) {
          const ref = parseImage(container.image ?? '');
          if (!imageMatches(patterns, ref.name)) continue;
          count++;
          const where = `deployment/${deployment.metadata?.name ?? ''} ${container.image ?? ''}`;
          const version = ref.tag ? parseVersion(ref.tag) : undefined;
          if (!version) digestOnly.push(where);
          else if (compareVersions(version, expect) !== 0) wrong.push(where);
        }
      }
      const fromRelease = installed.version;
      const releaseWrong =
        installed.release && fromRelease && compareVersions(fromRelease, expect) !== 0
          ? [`${installed.source} is ${fromRelease.original}`]
          : [];
      if (wrong.length > 0 || releaseWrong.length > 0) {
        return {
          status: 'fail',
          message: `not everything runs ${expect.original}`,
          hint: 'finish the upgrade (helm upgrade … --version) or roll back (helm rollback)',
          details: [...releaseWrong, ...wrong],
        };
      }
      if (count === 0) return { status: 'warn', message: `no ${profile.displayName} image found to compare with ${expect.original}` };
      // A digest has no version: the release (checked above) vouches for those images.
      const note = digestOnly.length > 0 ? ` (${digestOnly.length} pinned by digest, vouched for by the release)` : '';
      return { status: 'ok', message: `${count} control-plane image(s) run ${expect.original}${note}` };
    },
  },
  reuse('helm-release'),
  reuse('crds-established'),
  {
    id: 'resources-accepted',
    category: 'Resources',
    run({ resources }): Outcome {
      const rejected: string[] = [];
      const pending: string[] = [];
      const unreadable: string[] = [];
      let count = 0;
      for (const { kind, objects } of resources) {
        if (objects.error) {
          // A kind this version does not serve (404) is not a problem of the upgrade.
          if ((objects.error as { code?: number }).code !== 404) unreadable.push(`${kindKey(kind)}: ${objects.error.message}`);
          continue;
        }
        const list = objects.value ?? [];
        const reportsStatus = list.some((o) => resourceState(o).state !== undefined);
        for (const object of list) {
          count++;
          const { state, reason, observedGeneration } = resourceState(object);
          if (state !== undefined && rejectedStates.has(state.toLowerCase()))
            rejected.push(`${describe(object, kind)}: ${state}${reason ? ` (${reason})` : ''}`);
          else if (reportsStatus && state === undefined) pending.push(`${describe(object, kind)}: no status yet`);
          else if (state !== undefined && !acceptedStates.has(state.toLowerCase()))
            pending.push(`${describe(object, kind)}: ${state}${reason ? ` (${reason})` : ''}`);
          else if (observedGeneration !== undefined && observedGeneration !== object.metadata?.generation)
            pending.push(
              `${describe(object, kind)}: observedGeneration ${observedGeneration} ≠ generation ${object.metadata?.generation ?? '?'}`,
            );
        }
      }
      if (rejected.length > 0)
        return {
          status: 'fail',
          message: `${rejected.length} resource(s) rejected`,
          hint: 'fix them for the new version (the vendor upgrade notes list API changes)',
          details: [...rejected, ...pending],
        };
      if (pending.length > 0 || unreadable.length > 0)
        return {
          status: 'warn',
          message: `${pending.length} resource(s) not (yet) accepted${unreadable.length ? `, ${unreadable.length} kind(s) unreadable` : ''}`,
          details: [...pending, ...unreadable],
        };
      return { status: 'ok', message: `${count} resource(s) accepted or without status` };
    },
  },
  {
    id: 'nothing-terminating',
    category: 'Resources',
    run({ resources, pods, facts }): Outcome {
      const stuck: string[] = [];
      for (const { kind, objects } of resources) {
        for (const object of objects.value ?? []) {
          if (object.metadata?.deletionTimestamp)
            stuck.push(
              `${describe(object, kind)} since ${String(object.metadata.deletionTimestamp)} (finalizers: ${(object.metadata.finalizers ?? []).join(', ') || 'none'})`,
            );
        }
      }
      for (const pod of pods.value ?? []) {
        if (pod.metadata?.deletionTimestamp)
          stuck.push(`pod ${facts.namespace}/${pod.metadata.name ?? ''} since ${String(pod.metadata.deletionTimestamp)}`);
      }
      if (stuck.length > 0)
        return {
          status: 'fail',
          message: `${stuck.length} object(s) terminating`,
          hint: 'see what holds them: kubectl get OBJECT -o jsonpath={.metadata.finalizers}',
          details: stuck,
        };
      if (pods.error) return { status: 'warn', message: `cannot read pods: ${pods.error.message}` };
      return { status: 'ok', message: 'nothing terminating' };
    },
  },
];
