/**
 * The checks run before an upgrade, in report order. Each is a pure function of what was gathered
 * (cluster facts, the installed version, the version list, the vendor CLI and helm probes, the
 * target CRDs), so unit tests judge them without a cluster. The vendor facts behind each one are
 * in research/preflight.md and the project brief.
 */
import type { HelmRelease } from '../../../shared/helm/release.js';
import type { KubeObject } from '../../../shared/kube/ports.js';
import { kindKey, workloadsFor, type ProductProfile } from '../../../shared/profiles/index.js';
import {
  compareVersions,
  formatMinorLine,
  latestPatch,
  minorLineOf,
  parseVersion,
  sameMinorLine,
  satisfiesRange,
  type VendorVersion,
} from '../../../shared/version/semver.js';
import type { ClusterFacts, Fetched } from '../cluster/facts.js';
import type { UpgradePlan } from '../path/plan.js';
import type { TargetCrd } from '../crds/target-crds.js';
import { imageMatches, parseImage, type InstalledVersion } from '../versions/installed.js';
import type { VersionList } from '../versions/version-list.js';
import type { Check, CheckResult } from './check.js';

/** CliProbe is what running the vendor CLI's `version` told. */
export type CliProbe =
  | { readonly state: 'found'; readonly path: string; readonly version: VendorVersion }
  | { readonly state: 'missing' }
  | { readonly state: 'unusable'; readonly path: string; readonly reason: string };

/** HelmProbe is what `helm version --short` told. */
export type HelmProbe =
  | { readonly state: 'found'; readonly version: VendorVersion }
  | { readonly state: 'missing' }
  | { readonly state: 'unusable'; readonly reason: string };

/** PreflightInput is everything the checks judge. */
export interface PreflightInput {
  readonly profile: ProductProfile;
  readonly facts: ClusterFacts;
  readonly installed: InstalledVersion;
  /** current is the version the plan starts from (--from, else the detected one). */
  readonly current?: VendorVersion;
  readonly target: VendorVersion;
  readonly plan?: UpgradePlan;
  readonly versionList: VersionList;
  readonly cli: CliProbe;
  readonly helm: HelmProbe;
  /** targetCrds are the target's CRDs from --crds-from; undefined when not given. */
  readonly targetCrds?: readonly TargetCrd[];
  /** crdsCommand renders the CRD step for a version. */
  readonly crdsCommand: (version: string) => string;
}

type Outcome = Omit<CheckResult, 'id' | 'category'>;

const ok = (message: string, details?: string[]): Outcome => ({ status: 'ok', message, ...(details?.length ? { details } : {}) });
const warn = (message: string, hint?: string, details?: string[]): Outcome => ({
  status: 'warn',
  message,
  ...(hint ? { hint } : {}),
  ...(details?.length ? { details } : {}),
});
const fail = (message: string, hint?: string, details?: string[]): Outcome => ({
  status: 'fail',
  message,
  ...(hint ? { hint } : {}),
  ...(details?.length ? { details } : {}),
});
const skipped = (message: string): Outcome => ({ status: 'skip', message });

function forbidden<T>(value: Fetched<T>, what: string): Outcome | undefined {
  return value.error
    ? warn(`cannot read ${what}: ${value.error.message}`, 'run the preflight with rights to read it, or --skip this check')
    : undefined;
}

function condition(object: KubeObject, type: string): string | undefined {
  const conditions = (object.status as { conditions?: Array<{ type: string; status: string }> } | undefined)?.conditions ?? [];
  return conditions.find((c) => c.type === type)?.status;
}

interface Container {
  name: string;
  image?: string;
  readinessProbe?: unknown;
  livenessProbe?: unknown;
}
function containers(deployment: KubeObject): Container[] {
  return ((deployment.spec as { template?: { spec?: { containers?: Container[] } } } | undefined)?.template?.spec?.containers ??
    []) as Container[];
}

/** deploymentAvailable says why a Deployment is not serving, or undefined when it is. */
export function deploymentProblem(deployment: KubeObject): string | undefined {
  const spec = deployment.spec as { replicas?: number } | undefined;
  const status = (deployment.status ?? {}) as { availableReplicas?: number };
  if ((spec?.replicas ?? 1) === 0) return 'scaled to 0';
  if (condition(deployment, 'Available') !== 'True') return 'not Available';
  if ((status.availableReplicas ?? 0) < 1) return 'no available replica';
  return undefined;
}

function selectorMatches(selector: string, labels: Record<string, string> | undefined): boolean {
  return selector.split(',').every((term) => {
    const [key, value] = term.split('=', 2);
    return key !== undefined && labels?.[key.trim()] === value?.trim();
  });
}

function latestRevision(releases: readonly HelmRelease[]): HelmRelease | undefined {
  return [...releases].sort((a, b) => b.revision - a.revision)[0];
}

/** preflightChecks lists every check of `kubectl meshpreflight`, in report order. */
export const preflightChecks: readonly Check<PreflightInput>[] = [
  {
    id: 'product-installed',
    category: 'Product',
    run({ profile, facts, installed }) {
      const deployments = facts.deployments.value ?? [];
      const names = new Set(profile.workloads.map((w) => w.name));
      const found = deployments.some((d) => names.has(d.metadata?.name ?? ''));
      if (!installed.release && !found) {
        return fail(
          `${profile.displayName} is not installed in namespace ${facts.namespace}: no Helm release of ${profile.versionDetection.helmChartNames.join('/')} and none of its workloads`,
          `pass -n NAMESPACE if it is installed elsewhere`,
        );
      }
      const version = installed.version ? installed.version.original : 'an unknown version';
      return ok(
        `${profile.displayName}${installed.enterprise ? ' Enterprise' : ''} ${version} in ${facts.namespace}, from ${installed.source}`,
        [
          ...(installed.image ? [`image ${installed.image}`] : []),
          ...(installed.ossVersion
            ? [`open-source version ${installed.ossVersion} (${profile.versionDetection.ossVersionAnnotation ?? ''})`]
            : []),
        ],
      );
    },
  },
  {
    id: 'control-plane-available',
    category: 'Product',
    run({ profile, facts, installed }) {
      const cannot = forbidden(facts.deployments, `deployments in ${facts.namespace}`);
      if (cannot) return cannot;
      const deployments = facts.deployments.value ?? [];
      const problems: string[] = [];
      const checked: string[] = [];
      for (const workload of workloadsFor(profile, installed.version)) {
        if (workload.kind !== 'Deployment') continue;
        const deployment = deployments.find((d) => d.metadata?.name === workload.name);
        if (!deployment) {
          if (!workload.optional) problems.push(`deployment/${workload.name}: missing`);
          continue;
        }
        checked.push(workload.name);
        const problem = deploymentProblem(deployment);
        if (problem) problems.push(`deployment/${workload.name}: ${problem}`);
      }
      if (problems.length > 0) {
        return fail(
          `the control plane is not available: ${problems.join('; ')}`,
          'bring it back before upgrading: kubectl meshscale up --profile ' + profile.name,
          problems,
        );
      }
      return ok(`control plane available (${checked.map((n) => `deployment/${n}`).join(', ')})`);
    },
  },
  {
    id: 'version-consistency',
    category: 'Product',
    run({ profile, facts, installed }) {
      const images = profile.preflight?.productImages ?? [];
      const seen = new Map<string, string[]>();
      for (const deployment of facts.deployments.value ?? []) {
        for (const container of containers(deployment)) {
          const ref = parseImage(container.image ?? '');
          const version = ref.tag ? parseVersion(ref.tag) : undefined;
          if (!version || !imageMatches(images, ref.name)) continue;
          const key = version.normalized;
          seen.set(key, [...(seen.get(key) ?? []), `deployment/${deployment.metadata?.name ?? ''} ${container.image ?? ''}`]);
        }
      }
      const problems: string[] = [];
      if (seen.size > 1)
        problems.push(`control-plane images run ${seen.size} versions: ${[...seen.keys()].sort(compareVersions).join(', ')}`);
      if (installed.drift) problems.push(installed.drift);
      if (problems.length > 0) {
        return warn(
          problems.join('; '),
          'finish or roll back the half-done upgrade (helm history, kubectl rollout status) before starting another',
          [...seen.values()].flat(),
        );
      }
      return ok(
        seen.size === 1 ? `every control-plane image runs ${[...seen.keys()][0] ?? ''}` : 'no versioned control-plane image to compare',
      );
    },
  },
  {
    id: 'cli-version',
    category: 'Versions',
    run({ profile, cli, target }) {
      const name = profile.cli.name;
      const line = formatMinorLine(minorLineOf(target));
      const install =
        name === 'glooctl' ? `glooctl upgrade --release v${line}.x` : `install ${name} ${line}.x and put it on PATH (or pass --cli)`;
      if (cli.state === 'missing') return warn(`${name} not found on PATH: the upgrade steps and the post-upgrade check need it`, install);
      if (cli.state === 'unusable') return warn(`${cli.path}: ${cli.reason}`, install);
      if (!sameMinorLine(cli.version, target)) {
        return fail(
          `${name} ${cli.version.original} (${cli.path}) does not match the target ${line}: the vendor supports a CLI of the same minor only`,
          install,
        );
      }
      if (compareVersions(cli.version, target) !== 0) {
        return warn(`${name} ${cli.version.original} is on the target's minor but not ${target.original} (patch drift)`, install);
      }
      return ok(`${name} ${cli.version.original} matches the target`);
    },
  },
  {
    id: 'version-list',
    category: 'Versions',
    run({ versionList }) {
      if (!versionList.versions)
        return warn(
          versionList.warning ?? `no version list from ${versionList.source}`,
          'pass --versions-from with a chart index.yaml or a file of versions (one a line)',
        );
      return ok(`${versionList.versions.length} published versions from ${versionList.source}`);
    },
  },
  {
    id: 'latest-patch',
    category: 'Versions',
    run({ current, versionList }) {
      if (!current) return skipped('the installed version is unknown');
      if (!versionList.versions)
        return warn(
          `cannot tell whether ${current.original} is the latest patch of ${formatMinorLine(minorLineOf(current))}: no version list`,
        );
      const latest = latestPatch(
        versionList.versions.map((v) => v.version),
        minorLineOf(current),
      );
      if (!latest) return warn(`${formatMinorLine(minorLineOf(current))} has no stable release in the version list`);
      if (compareVersions(latest, current) > 0) {
        return warn(
          `${current.original} is not the latest patch of ${formatMinorLine(minorLineOf(current))}: upgrade to ${latest.original} first (the plan's first hop)`,
        );
      }
      return ok(`${current.original} is the latest patch of ${formatMinorLine(minorLineOf(current))}`);
    },
  },
  {
    id: 'upgrade-path',
    category: 'Versions',
    run({ plan, profile }) {
      if (!plan) return fail('the installed version is unknown: the path cannot be planned', 'pass --from VERSION');
      if (plan.outcome === 'downgrade')
        return fail(plan.problems.join('; '), `restore a backup taken before the upgrade: kubectl meshbackup restore`);
      if (plan.outcome === 'up-to-date') return ok(`${plan.from} is already ${plan.to}: nothing to upgrade`);
      const route = [plan.from, ...plan.hops.map((h) => h.to)].join(' → ');
      const notPublished = plan.problems.filter((p) => p.includes('is not in the version list'));
      if (notPublished.length > 0) return fail(notPublished.join('; '), 'pick a published version (see --versions-from)');
      const breaking = plan.hops.filter((h) => h.breaking);
      if (breaking.length > 0) {
        return warn(
          `${plan.hops.length} hop(s): ${route}; may break: ${breaking.map((h) => `${h.from} → ${h.to} (${h.kind === 'major' ? 'a new major version' : 'pre-1.0, every minor'})`).join(', ')}; the vendor recommends a fresh install`,
          profile.preflight?.upgradeGuide,
          [...plan.problems],
        );
      }
      if (plan.problems.length > 0) return warn(`${plan.hops.length} hop(s): ${route}; ${plan.problems.join('; ')}`);
      return ok(`${plan.hops.length} hop(s): ${route}`);
    },
  },
  {
    id: 'version-notes',
    category: 'Versions',
    run({ plan }) {
      const notes = (plan?.hops ?? []).flatMap((hop) => hop.notes.map((note) => ({ hop, note })));
      if (notes.length === 0) return ok('no version notes on the path');
      const details = notes.map(({ hop, note }) => `${hop.from} → ${hop.to}: ${note.message}${note.link ? ` (${note.link})` : ''}`);
      const blockers = notes.filter(({ note }) => note.severity === 'blocker');
      if (blockers.length > 0) return fail(`${blockers.length} version note(s) block the upgrade until handled`, undefined, details);
      return warn(`${notes.length} version note(s) on the path`, undefined, details);
    },
  },
  {
    id: 'kubernetes-version',
    category: 'Kubernetes and Helm',
    run({ profile, facts, target, versionList }) {
      const gitVersion = facts.serverVersion.gitVersion;
      const server = parseVersion(gitVersion);
      if (!server) return warn(`cannot read the Kubernetes version "${gitVersion}"`);
      const support = profile.preflight?.kubernetes.find((entry) => satisfiesRange(target, entry.versions));
      const published = versionList.versions?.find((v) => compareVersions(v.version, target) === 0)?.kubeVersion;
      const range = support?.kubernetes ?? published;
      const source = support?.source ?? 'the chart index kubeVersion';
      if (!range)
        return warn(
          `Kubernetes ${gitVersion}: the supported range of ${profile.displayName} ${target.original} is unknown`,
          profile.preflight?.upgradeGuide,
        );
      if (!satisfiesRange(server, range)) {
        return fail(
          `Kubernetes ${gitVersion} is outside ${profile.displayName} ${target.original}'s supported range ${range} (${source})`,
          'upgrade Kubernetes (or pick a product version that supports it) first',
        );
      }
      return ok(`Kubernetes ${gitVersion} is within ${range} (${source})`);
    },
  },
  {
    id: 'helm-client',
    category: 'Kubernetes and Helm',
    run({ helm }) {
      if (helm.state === 'missing')
        return warn('helm not found on PATH: the upgrade needs Helm 3 or later', 'install Helm 3: https://helm.sh/docs/intro/install/');
      if (helm.state === 'unusable') return warn(`helm version: ${helm.reason}`);
      if (helm.version.major < 3)
        return fail(
          `helm ${helm.version.original} is Helm 2, which the vendors no longer support`,
          'install Helm 3 and migrate releases with the helm-2to3 plugin',
        );
      return ok(`helm ${helm.version.original}`);
    },
  },
  {
    id: 'helm-tiller',
    category: 'Kubernetes and Helm',
    run({ facts }) {
      const cannot = forbidden(facts.tiller, 'configmaps labelled OWNER=TILLER');
      if (cannot) return cannot;
      const records = facts.tiller.value ?? [];
      if (records.length > 0) {
        return fail(
          `${records.length} Helm 2 (Tiller) release record(s) remain`,
          'migrate them with helm 2to3 convert, then helm 2to3 cleanup',
          records.map((r) => `configmap ${r.metadata?.namespace ?? ''}/${r.metadata?.name ?? ''}`),
        );
      }
      return ok('no Helm 2 (Tiller) release records');
    },
  },
  {
    id: 'helm-release',
    category: 'Kubernetes and Helm',
    run({ facts, profile }) {
      const cannot = forbidden(facts.releases, `Helm release Secrets in ${facts.namespace}`);
      if (cannot) return cannot;
      const releases = facts.releases.value ?? [];
      const details = [...facts.undecodable];
      if (releases.length === 0)
        return warn(
          `no Helm release of ${profile.versionDetection.helmChartNames.join('/')} in ${facts.namespace}: the upgrade steps assume one`,
          undefined,
          details,
        );
      const byName = new Map<string, HelmRelease[]>();
      for (const release of releases) byName.set(release.name, [...(byName.get(release.name) ?? []), release]);
      const problems: string[] = [];
      const warnings: string[] = [];
      let hint: string | undefined;
      for (const [name, history] of byName) {
        const latest = latestRevision(history);
        const deployed = history.filter((r) => r.status === 'deployed').sort((a, b) => b.revision - a.revision);
        if (latest && latest.status.startsWith('pending-')) {
          problems.push(`release ${name} revision ${latest.revision} is stuck in ${latest.status} ("another operation is in progress")`);
          hint = deployed[0]
            ? `helm rollback ${name} ${deployed[0].revision} -n ${facts.namespace}`
            : `helm uninstall ${name} -n ${facts.namespace} (no deployed revision to roll back to)`;
        } else if (latest?.status === 'failed') {
          problems.push(`release ${name} revision ${latest.revision} failed`);
          hint = deployed[0] ? `helm rollback ${name} ${deployed[0].revision} -n ${facts.namespace}` : undefined;
        }
        if (deployed.length > 1)
          warnings.push(
            `release ${name} has ${deployed.length} deployed revisions (${deployed.map((r) => r.revision).join(', ')}); Helm uses the latest`,
          );
      }
      if (problems.length > 0) return fail(problems.join('; '), hint, [...warnings, ...details]);
      if (warnings.length > 0 || details.length > 0) return warn([...warnings, ...details].join('; '));
      return ok(`release ${[...byName.keys()].join(', ')} deployed`);
    },
  },
  {
    id: 'certgen-job',
    category: 'Upgrade hazards',
    applies: ({ profile }) => profile.preflight?.certgenJob !== undefined,
    run({ facts, profile, installed }) {
      const name = profile.preflight?.certgenJob ?? '';
      const cannot = forbidden(facts.jobs, `jobs in ${facts.namespace}`);
      if (cannot) return cannot;
      const job = (facts.jobs.value ?? []).find((j) => j.metadata?.name === name);
      if (!job) return ok(`no leftover ${name} Job`);
      const finished = condition(job, 'Complete') === 'True' || condition(job, 'Failed') === 'True';
      if (!finished)
        return warn(`Job ${name} is still running`, `wait for it: kubectl -n ${facts.namespace} wait --for=condition=complete job/${name}`);
      // Helm deletes a hook Job first only under before-hook-creation; a plain template Job (or a
      // hook without that policy) meets "field is immutable" or "already exists" on helm upgrade.
      const annotations = job.metadata?.annotations ?? {};
      const recorded = installed.release?.hooks?.find((h) => h.kind === 'Job' && h.name === name);
      // The live object says how the chart rendered it: without helm.sh/hook it is a plain release
      // resource (Gloo's certGenJob.runOnUpdate=false) that helm upgrade patches.
      const isHook = annotations['helm.sh/hook'] !== undefined;
      const policies = [...(annotations['helm.sh/hook-delete-policy'] ?? '').split(','), ...(recorded?.deletePolicies ?? [])].map((p) =>
        p.trim(),
      );
      if (isHook && policies.includes('before-hook-creation')) return ok(`Job ${name} is a hook Helm deletes before re-creating it`);
      const ttl = (job.spec as { ttlSecondsAfterFinished?: number } | undefined)?.ttlSecondsAfterFinished;
      return fail(
        `completed Job ${name} would break helm upgrade (its spec.template is immutable)${ttl !== undefined ? `; its ttlSecondsAfterFinished=${ttl} was not honoured` : ''}`,
        `kubectl -n ${facts.namespace} delete job ${name}`,
      );
    },
  },
  {
    id: 'gateway-proxy-probes',
    category: 'Upgrade hazards',
    applies: ({ profile }) => profile.preflight?.gatewayProxySelector !== undefined,
    run({ facts, profile, installed }) {
      const selector = profile.preflight?.gatewayProxySelector ?? '';
      const cannot = forbidden(facts.deployments, `deployments in ${facts.namespace}`);
      if (cannot) return cannot;
      const proxies = (facts.deployments.value ?? []).filter((d) =>
        selectorMatches(
          selector,
          (d.spec as { template?: { metadata?: { labels?: Record<string, string> } } } | undefined)?.template?.metadata?.labels,
        ),
      );
      if (proxies.length === 0) return skipped(`no gateway proxy Deployment (${selector}) in ${facts.namespace}`);
      const missing: string[] = [];
      for (const proxy of proxies) {
        for (const container of containers(proxy)) {
          const lacks = [
            container.readinessProbe ? undefined : 'readinessProbe',
            container.livenessProbe ? undefined : 'livenessProbe',
          ].filter(Boolean);
          if (lacks.length > 0)
            missing.push(`deployment/${proxy.metadata?.name ?? ''} container ${container.name}: no ${lacks.join(', no ')}`);
        }
      }
      if (missing.length > 0) {
        const prefix = installed.enterprise ? 'gloo.' : '';
        return warn(
          `gateway proxies without probes drop traffic while pods roll: ${missing.join('; ')}`,
          `helm upgrade … --set ${prefix}gatewayProxies.gatewayProxy.podTemplate.probes=true`,
          missing,
        );
      }
      return ok(`${proxies.length} gateway proxy Deployment(s) have readiness and liveness probes`);
    },
  },
  ...(['customresourcedefinitions', 'clusterroles'] as const).map((resource): Check<PreflightInput> => ({
    id: resource === 'customresourcedefinitions' ? 'rbac-crds' : 'rbac-cluster-roles',
    category: 'Permissions',
    run({ facts, profile }) {
      const relevant = facts.access.filter((a) =>
        resource === 'customresourcedefinitions' ? a.question.resource === resource : a.question.resource.startsWith('clusterrole'),
      );
      const denied: string[] = [];
      const unknown: string[] = [];
      for (const { question, answer } of relevant) {
        const what = `${question.verb} ${question.resource}`;
        if (answer.error) unknown.push(`${what}: ${answer.error.message}`);
        else if (!answer.value.allowed) denied.push(what);
      }
      if (denied.length > 0) return fail(`you may not ${denied.join(', ')}`, profile.preflight?.rbacHint);
      if (unknown.length > 0) return warn(`cannot ask the API server: ${unknown.join('; ')}`);
      return ok(`you may ${relevant.map((a) => `${a.question.verb} ${a.question.resource}`).join(', ')}`);
    },
  })),
  {
    id: 'crds-established',
    category: 'CRDs',
    run({ facts, profile, current, crdsCommand }) {
      const cannot = forbidden(facts.crds, 'customresourcedefinitions');
      if (cannot) return cannot;
      const crds = productCrds(facts.crds.value ?? [], profile);
      if (crds.length === 0)
        return fail(`no ${profile.displayName} CRDs in the cluster`, current ? crdsCommand(current.original) : undefined);
      const notEstablished = crds.filter((crd) => condition(crd, 'Established') !== 'True');
      if (notEstablished.length > 0)
        return fail(
          `${notEstablished.length} CRD(s) not Established: ${notEstablished.map((crd) => crd.metadata?.name ?? '').join(', ')}`,
          'kubectl get crd NAME -o yaml shows why (status.conditions)',
          notEstablished.map(whyNotEstablished),
        );
      // Kinds the running version's chart brings (Helm never upgrades crds/): missing ones mean the CRD step was skipped.
      const present = new Set(crds.map((crd) => crd.metadata?.name ?? ''));
      const missing = current
        ? profile.kinds
            .filter((kind) => kind.since !== undefined && compareVersions(kind.since, current) <= 0 && !present.has(kindKey(kind)))
            .map(kindKey)
        : [];
      if (missing.length > 0 && current) {
        return fail(
          `${missing.length} CRD(s) of ${profile.displayName} ${current.original} missing: ${missing.join(', ')}`,
          crdsCommand(current.original),
        );
      }
      return ok(`${crds.length} ${profile.displayName} CRDs Established`);
    },
  },
  {
    id: 'crds-stored-versions',
    category: 'CRDs',
    run({ facts, profile, targetCrds }) {
      if (!targetCrds) return skipped('give --crds-from with the target CRDs to compare stored versions');
      const cannot = forbidden(facts.crds, 'customresourcedefinitions');
      if (cannot) return cannot;
      const problems: string[] = [];
      const dropped: string[] = [];
      for (const crd of productCrds(facts.crds.value ?? [], profile)) {
        const name = crd.metadata?.name ?? '';
        const target = targetCrds.find((t) => t.name === name);
        if (!target) {
          dropped.push(name);
          continue;
        }
        const stored = (crd.status as { storedVersions?: string[] } | undefined)?.storedVersions ?? [];
        const lost = stored.filter((version) => !target.servedVersions.includes(version));
        if (lost.length > 0)
          problems.push(
            `${name}: objects stored as ${lost.join(', ')}, which the target no longer serves (serves ${target.servedVersions.join(', ')})`,
          );
      }
      if (problems.length > 0) {
        return fail(
          `${problems.length} CRD(s) have objects stored in versions the target drops`,
          'migrate storage first: re-write every object at a version the target serves, then remove the old version from status.storedVersions',
          problems,
        );
      }
      if (dropped.length > 0) return warn(`${dropped.length} CRD(s) in the cluster are not in the target CRDs: ${dropped.join(', ')}`);
      return ok(`every stored version is served by the ${targetCrds.length} target CRDs`);
    },
  },
];

/** productCrds are the cluster's CRDs in the profile's API groups. */
/**
 * whyNotEstablished names a CRD's failing conditions: a name another CRD of the group already
 * accepted (NamesAccepted=False, e.g. KindConflict) keeps it from ever being Established.
 */
export function whyNotEstablished(crd: KubeObject): string {
  const conditions =
    (crd.status as { conditions?: Array<{ type: string; status: string; reason?: string; message?: string }> } | undefined)?.conditions ??
    [];
  const failing = conditions
    .filter((c) => (c.type === 'NamesAccepted' || c.type === 'Established') && c.status !== 'True')
    .map((c) => `${c.type}=${c.status}${c.reason ? ` (${c.reason}${c.message ? `: ${c.message}` : ''})` : ''}`);
  return `${crd.metadata?.name ?? ''}: ${failing.join('; ') || 'no conditions yet'}`;
}

export function productCrds(crds: readonly KubeObject[], profile: ProductProfile): KubeObject[] {
  const groups = new Set(profile.kinds.map((kind) => kind.group));
  return crds.filter((crd) => groups.has((crd.spec as { group?: string } | undefined)?.group ?? ''));
}
