/**
 * Kubeconfig resolution exactly like kubectl's clientcmd loading rules, without loading
 * @kubernetes/client-node (so `--help` and validation stay fast):
 *
 *  1. `--kubeconfig FILE`: only that file, which must exist;
 *  2. else `KUBECONFIG`: a ':'-separated list (';' on Windows) merged in order. Missing files are
 *     skipped, the first file to define a cluster/user/context name wins and the first
 *     current-context wins. client-node's loadFromDefault differs on all three (it throws on a
 *     missing file or a duplicate name and lets the last current-context win), so we merge here;
 *  3. else `~/.kube/config`;
 *  4. else in-cluster config from KUBERNETES_SERVICE_HOST/PORT and the service-account files.
 *
 * The namespace comes from the flag, else the context, else "default" (in a pod: the
 * service-account namespace file).
 */
import yaml from 'js-yaml';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { KubeconfigError } from '../errors/errors.js';

/** RawCluster is a kubeconfig cluster entry in kubectl's own field names. */
export interface RawCluster {
  server: string;
  'certificate-authority'?: string;
  'certificate-authority-data'?: string;
  'insecure-skip-tls-verify'?: boolean;
  'tls-server-name'?: string;
  'proxy-url'?: string;
  [key: string]: unknown;
}

/** RawContext is a kubeconfig context entry. */
export interface RawContext {
  cluster: string;
  user?: string;
  namespace?: string;
  [key: string]: unknown;
}

/** RawKubeconfig is a kubeconfig document (kubectl's YAML shape, paths made absolute). */
export interface RawKubeconfig {
  apiVersion: 'v1';
  kind: 'Config';
  clusters: Array<{ name: string; cluster: RawCluster }>;
  users: Array<{ name: string; user: Record<string, unknown> }>;
  contexts: Array<{ name: string; context: RawContext }>;
  'current-context'?: string;
}

/** ResolvedKubeconfig is the merged kubeconfig plus the context, cluster and namespace to use. */
export interface ResolvedKubeconfig {
  /** config is the merged kubeconfig, relative paths already resolved against their file. */
  readonly config: RawKubeconfig;
  readonly contextName: string;
  readonly context: RawContext;
  readonly cluster: RawCluster;
  /** namespace to use: the flag, else the context's, else "default". */
  readonly namespace: string;
  /** namespaceExplicit is true when the namespace came from -n/--namespace. */
  readonly namespaceExplicit: boolean;
  /** source says where the config came from, for -v logs and error messages. */
  readonly source: string;
}

/** KubeconfigEnvironment is what resolution reads from the outside world; injected for tests. */
export interface KubeconfigEnvironment {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** homeDir is the user's home directory (os.homedir()). */
  readonly homeDir: string | undefined;
  /** readFile returns a file's text, or undefined when it does not exist. */
  readFile(file: string): string | undefined;
  /** pathListSeparator is ':' (';' on Windows), as in KUBECONFIG. */
  readonly pathListSeparator?: string;
}

/** KubeconfigRequest carries the kubectl flags that influence resolution. */
export interface KubeconfigRequest {
  readonly kubeconfig?: string;
  readonly context?: string;
  readonly namespace?: string;
  /**
   * namespaceDefault sits between the flag and the context's namespace: helm passes its resolved
   * namespace to plugins as HELM_NAMESPACE and strips -n from their arguments.
   */
  readonly namespaceDefault?: string;
}

/** readTextFileIfExists reads a UTF-8 file, returning undefined when it does not exist (the real KubeconfigEnvironment.readFile). */
export function readTextFileIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw new KubeconfigError(`cannot read ${file}: ${(err as Error).message}`, { cause: err });
  }
}

/** serviceAccountDir is where Kubernetes mounts a pod's service-account token, CA and namespace. */
export const serviceAccountDir = '/var/run/secrets/kubernetes.io/serviceaccount';

function emptyConfig(): RawKubeconfig {
  return { apiVersion: 'v1', kind: 'Config', clusters: [], users: [], contexts: [] };
}

// The file references clientcmd resolves against the kubeconfig's directory (GetClusterFileReferences,
// GetAuthInfoFileReferences); "token-file" is client-node's spelling of kubectl's "tokenFile".
const pathFields = {
  cluster: ['certificate-authority'],
  user: ['client-certificate', 'client-key', 'tokenFile', 'token-file'],
};

function absolute(baseDir: string, value: unknown): unknown {
  return typeof value === 'string' && value !== '' && !path.isAbsolute(value) ? path.resolve(baseDir, value) : value;
}

/**
 * withAbsoluteExecCommand resolves an exec plugin's command against the kubeconfig's directory when
 * it names a path ("./bin/get-token"), as clientcmd does; a bare name is looked up on PATH.
 */
function withAbsoluteExecCommand(baseDir: string, exec: unknown): unknown {
  if (!(exec instanceof Object) || Array.isArray(exec)) return exec;
  const command = (exec as { command?: unknown }).command;
  if (typeof command !== 'string' || !command.includes(path.sep)) return exec;
  return { ...exec, command: absolute(baseDir, command) };
}

function asArray(value: unknown): Array<Record<string, unknown>> {
  return Array.isArray(value) ? value.filter((item): item is Record<string, unknown> => item instanceof Object) : [];
}

/** parseKubeconfigFile parses one kubeconfig file, making its relative paths absolute as kubectl does. */
export function parseKubeconfigFile(file: string, text: string): RawKubeconfig {
  let doc: unknown;
  try {
    doc = yaml.load(text);
  } catch (err) {
    // No cause: js-yaml's message (and so its stack, printed at -v 6 and --debug) quotes the
    // lines around the error, which in a kubeconfig are tokens, passwords and keys. Its first
    // line ("bad indentation of a mapping entry (5:10)") says where without quoting.
    throw new KubeconfigError(`invalid kubeconfig ${file}: ${(err as Error).message.split('\n')[0]}`);
  }
  const config = emptyConfig();
  if (doc === null || doc === undefined) return config;
  if (!(doc instanceof Object) || Array.isArray(doc)) throw new KubeconfigError(`invalid kubeconfig ${file}: not a mapping`);
  const record = doc as Record<string, unknown>;
  const baseDir = path.dirname(file);
  for (const entry of asArray(record.clusters)) {
    const cluster = { ...(entry.cluster as RawCluster) };
    for (const field of pathFields.cluster) cluster[field] = absolute(baseDir, cluster[field]);
    config.clusters.push({ name: String(entry.name), cluster });
  }
  for (const entry of asArray(record.users)) {
    const user = { ...((entry.user as Record<string, unknown>) ?? {}) };
    for (const field of pathFields.user) if (field in user) user[field] = absolute(baseDir, user[field]);
    if ('exec' in user) user.exec = withAbsoluteExecCommand(baseDir, user.exec);
    config.users.push({ name: String(entry.name), user });
  }
  for (const entry of asArray(record.contexts)) {
    config.contexts.push({ name: String(entry.name), context: { ...(entry.context as RawContext) } });
  }
  if (typeof record['current-context'] === 'string' && record['current-context'] !== '') {
    config['current-context'] = record['current-context'];
  }
  return config;
}

/** mergeKubeconfigs merges in order with kubectl's rule: the first definition of each name wins. */
export function mergeKubeconfigs(configs: readonly RawKubeconfig[]): RawKubeconfig {
  const merged = emptyConfig();
  const firstWins = <E extends { name: string }>(target: E[], entries: readonly E[]): void => {
    for (const entry of entries) if (!target.some((existing) => existing.name === entry.name)) target.push(entry);
  };
  for (const config of configs) {
    firstWins(merged.clusters, config.clusters);
    firstWins(merged.users, config.users);
    firstWins(merged.contexts, config.contexts);
    merged['current-context'] ??= config['current-context'];
  }
  return merged;
}

function inClusterConfig(environment: KubeconfigEnvironment): { config: RawKubeconfig; namespace?: string } | undefined {
  const host = environment.env.KUBERNETES_SERVICE_HOST;
  const port = environment.env.KUBERNETES_SERVICE_PORT;
  if (!host || !port) return undefined;
  const tokenFile = path.posix.join(serviceAccountDir, 'token');
  if (environment.readFile(tokenFile) === undefined) return undefined;
  const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const config: RawKubeconfig = {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'in-cluster', cluster: { server, 'certificate-authority': path.posix.join(serviceAccountDir, 'ca.crt') } }],
    users: [{ name: 'in-cluster', user: { tokenFile } }],
    contexts: [{ name: 'in-cluster', context: { cluster: 'in-cluster', user: 'in-cluster' } }],
    'current-context': 'in-cluster',
  };
  const namespace = environment.readFile(path.posix.join(serviceAccountDir, 'namespace'))?.trim();
  return { config, namespace: namespace || undefined };
}

function loadConfigs(
  request: KubeconfigRequest,
  environment: KubeconfigEnvironment,
): { config: RawKubeconfig; source: string; inClusterNamespace?: string } {
  if (request.kubeconfig) {
    const text = environment.readFile(request.kubeconfig);
    if (text === undefined) throw new KubeconfigError(`kubeconfig ${request.kubeconfig} (from --kubeconfig) does not exist`);
    return { config: parseKubeconfigFile(request.kubeconfig, text), source: request.kubeconfig };
  }
  const list = environment.env.KUBECONFIG;
  if (list) {
    const files = list.split(environment.pathListSeparator ?? path.delimiter).filter((file) => file !== '');
    const found = files.flatMap((file) => {
      const text = environment.readFile(file);
      return text === undefined ? [] : [parseKubeconfigFile(file, text)];
    });
    if (found.length === 0) throw new KubeconfigError(`none of the files in KUBECONFIG exist: ${files.join(', ')}`);
    return { config: mergeKubeconfigs(found), source: `KUBECONFIG=${list}` };
  }
  if (environment.homeDir) {
    const file = path.join(environment.homeDir, '.kube', 'config');
    const text = environment.readFile(file);
    if (text !== undefined) return { config: parseKubeconfigFile(file, text), source: file };
  }
  const inCluster = inClusterConfig(environment);
  if (inCluster) return { config: inCluster.config, source: 'in-cluster service account', inClusterNamespace: inCluster.namespace };
  throw new KubeconfigError(
    'no kubeconfig found: pass --kubeconfig, set KUBECONFIG, or create ~/.kube/config (or run in a pod with a service account)',
  );
}

/**
 * resolveKubeconfig loads and merges the kubeconfig and picks the context, cluster and namespace.
 * Missing or invalid kubeconfig, an unknown context or a context without a cluster throw
 * KubeconfigError (exit 4: there is no cluster to talk to).
 */
export function resolveKubeconfig(request: KubeconfigRequest, environment: KubeconfigEnvironment): ResolvedKubeconfig {
  const { config, source, inClusterNamespace } = loadConfigs(request, environment);
  const contextName = request.context || config['current-context'];
  if (!contextName) {
    throw new KubeconfigError(`no current context is set in ${source}: pass --context or run kubectl config use-context`);
  }
  const context = config.contexts.find((entry) => entry.name === contextName)?.context;
  // kubectl: error: context "foo" does not exist
  if (!context) throw new KubeconfigError(`context "${contextName}" does not exist in ${source}`);
  const cluster = config.clusters.find((entry) => entry.name === context.cluster)?.cluster;
  if (!cluster?.server) {
    throw new KubeconfigError(`cluster "${context.cluster}" of context "${contextName}" has no server in ${source}`);
  }
  const namespace = request.namespace || request.namespaceDefault || context.namespace || inClusterNamespace || 'default';
  return {
    config: { ...config, 'current-context': contextName },
    contextName,
    context,
    cluster,
    namespace,
    namespaceExplicit: Boolean(request.namespace),
    source,
  };
}
