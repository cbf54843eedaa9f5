/**
 * Everything the checks read from the cluster, fetched once and in parallel: each resource is
 * listed at most once (the benchmark counts requests in the audit log), and a list the user may
 * not read becomes a "forbidden" fact the checks that need it report, not a failed run.
 * Unreachable clusters and bad credentials do fail the run (exit 4/5): nothing can be checked.
 */
import { ApiStatusError, ConnectionError } from '../../../shared/errors/errors.js';
import { decodeReleaseSecret, releaseLabelSelector, type HelmRelease } from '../../../shared/helm/release.js';
import { listItems, type FetchPage } from '../../../shared/kube/pagination.js';
import type { AccessQuestion, KubeClients, KubeObject, ServerVersion } from '../../../shared/kube/ports.js';
import type { ProductProfile } from '../../../shared/profiles/index.js';

/** Fetched is a value, or why it could not be read (403, a release that does not decode …). */
export type Fetched<T> = { readonly value: T; readonly error?: undefined } | { readonly value?: undefined; readonly error: Error };

/** AccessAnswer pairs a can-i question with its answer. */
export interface AccessAnswer {
  readonly question: AccessQuestion;
  readonly answer: Fetched<{ allowed: boolean; reason?: string }>;
}

/** ClusterFacts are the cluster's answers the checks judge. */
export interface ClusterFacts {
  readonly namespace: string;
  readonly serverVersion: ServerVersion;
  readonly deployments: Fetched<KubeObject[]>;
  /** releases are the decoded Helm 3 records of the profile's charts in the namespace, every revision. */
  readonly releases: Fetched<HelmRelease[]>;
  /** undecodable names release Secrets that could not be read, with why. */
  readonly undecodable: readonly string[];
  /** tiller holds Helm 2 release ConfigMaps (label OWNER=TILLER) anywhere in the cluster. */
  readonly tiller: Fetched<KubeObject[]>;
  readonly jobs: Fetched<KubeObject[]>;
  readonly access: readonly AccessAnswer[];
  readonly crds: Fetched<KubeObject[]>;
}

/** installRights are the cluster-scoped writes a chart upgrade needs and non-admins often lack. */
export const installRights: readonly AccessQuestion[] = [
  { verb: 'create', group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' },
  { verb: 'update', group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' },
  { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'clusterroles' },
  { verb: 'create', group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings' },
];

const jobsResource = { group: 'batch', version: 'v1', resource: 'jobs' };
const configMapsResource = { group: '', version: 'v1', resource: 'configmaps' };

/** fatal errors stop the run: nothing else can be read either. */
function isFatal(err: unknown): boolean {
  return err instanceof ConnectionError || (err instanceof ApiStatusError && err.code === 401);
}

async function fetched<T>(read: () => Promise<T>): Promise<Fetched<T>> {
  try {
    return { value: await read() };
  } catch (err) {
    if (isFatal(err) || !(err instanceof Error)) throw err;
    return { error: err };
  }
}

/** listAll collects every item of a paginated list (a namespace holds few of these: memory is not a concern). */
export async function listAll(fetchPage: FetchPage<KubeObject>): Promise<KubeObject[]> {
  const items: KubeObject[] = [];
  for await (const item of listItems(fetchPage)) items.push(item);
  return items;
}

const none: Promise<Fetched<KubeObject[]>> = Promise.resolve({ value: [] });

/** gatherFacts reads what the checks need from `namespace`, one request per resource; Tiller, Jobs and rights only before an upgrade. */
export async function gatherFacts(
  clients: KubeClients,
  profile: ProductProfile,
  namespace: string,
  options: { readonly preUpgrade: boolean },
): Promise<ClusterFacts> {
  // /version first, alone: an unreachable cluster or a bad token fails here with one clear error.
  const serverVersion = await clients.discovery.serverVersion();
  const chartNames = new Set(profile.versionDetection.helmChartNames);
  const undecodable: string[] = [];
  const [deployments, releases, tiller, jobs, crds, ...answers] = await Promise.all([
    fetched(() => listAll((continueToken) => clients.workloads.list('Deployment', { namespace, continueToken }))),
    fetched(async () => {
      const secrets = await listAll((continueToken) =>
        clients.secrets.list({ namespace, labelSelector: releaseLabelSelector(), continueToken }),
      );
      return secrets.flatMap((secret) => {
        try {
          const release = decodeReleaseSecret(secret);
          return chartNames.has(release.chart.name) ? [release] : [];
        } catch (err) {
          undecodable.push(`${secret.metadata?.name ?? ''}: ${(err as Error).message}`);
          return [];
        }
      });
    }),
    // Helm 2 kept releases as ConfigMaps labelled OWNER=TILLER in Tiller's namespace (usually kube-system).
    options.preUpgrade
      ? fetched(() =>
          listAll((continueToken) => clients.customObjects.list(configMapsResource, { labelSelector: 'OWNER=TILLER', continueToken })),
        )
      : none,
    options.preUpgrade
      ? fetched(() => listAll((continueToken) => clients.customObjects.list(jobsResource, { namespace, continueToken })))
      : none,
    fetched(() => clients.crds.list()),
    ...(options.preUpgrade ? installRights : []).map((question) => fetched(() => clients.access.canI(question))),
  ]);
  return {
    namespace,
    serverVersion,
    deployments,
    releases,
    undecodable,
    tiller,
    jobs,
    crds,
    access: (options.preUpgrade ? installRights : []).map((question, index) => ({
      question,
      answer: answers[index] as AccessAnswer['answer'],
    })),
  };
}
