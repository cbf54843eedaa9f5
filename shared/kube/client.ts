/**
 * Builds the kube ports for a command. Resolution (files only) is synchronous and cheap; the
 * ports (rest-clients.ts over json-transport.ts) are imported the first time a command connects.
 * Credentials come from the kubeconfig's static material (static-credentials.ts), and only a
 * context with an exec plugin, an auth-provider or a proxy loads @kubernetes/client-node
 * (client-node-credentials.ts): loading it costs ~400 ms of CPU that `--help`, `version --client`,
 * usage errors and most real runs must not pay.
 */
import { LogLevel, silentLogger, type Logger } from '../log/logger.js';
import { parseRequestTimeout, type KubeFlagValues } from './config-flags.js';
import type { CredentialSource } from './json-transport.js';
import { resolveKubeconfig, type KubeconfigEnvironment, type ResolvedKubeconfig } from './kubeconfig.js';
import type { DryRun } from '../cli/flags.js';
import type { PlannedWrite } from './dry-run.js';
import type { KubeClients } from './ports.js';
import { defaultRetryPolicy, type RetryPolicy } from './retry.js';

/** KubeSession is a connected context: where commands act and the ports to act with. */
export interface KubeSession {
  readonly kubeconfig: ResolvedKubeconfig;
  /** namespace is the effective namespace (flag, else context, else "default"). */
  readonly namespace: string;
  readonly clients: KubeClients;
}

/** KubeConnector is what commands receive: resolve flags without connecting, or connect. */
export interface KubeConnector {
  /** resolve reads the kubeconfig only; no client library is loaded. */
  resolve(flags: KubeFlagValues): ResolvedKubeconfig;
  /** connect resolves, then builds the ports (loading client-node only for the credentials that need it). */
  connect(flags: KubeFlagValues, expect?: ConnectExpectations): Promise<KubeSession>;
}

/** ConnectExpectations tell the connector what a command is about to do, to pick its HTTP client. */
export interface ConnectExpectations {
  /** requests is about how many API requests the command will send (a restore: one per object). */
  readonly requests?: number;
  /**
   * dryRun makes the session's ports unable to write (client: answered from reads, refused in the
   * transport) or sends every write with dryRun=All (server); see dry-run.ts.
   */
  readonly dryRun?: DryRun;
  /** onPlannedWrite receives each write a client dry run did not send. */
  readonly onPlannedWrite?: (write: PlannedWrite) => void;
}

/**
 * bulkRequests is the number of requests from which the transport's undici pool pays for itself:
 * it saves ~11 µs of CPU per request and costs ~100 ms to load (json-transport.ts).
 */
export const bulkRequests = 10_000;

/** AdapterOptions configure the real ports; shared by client.ts and rest-clients.ts. */
export interface AdapterOptions {
  readonly logger: Logger;
  readonly retryPolicy: RetryPolicy;
  /** requestTimeoutMs bounds each request; undefined waits forever (kubectl's --request-timeout=0). */
  readonly requestTimeoutMs?: number;
  /** userAgent identifies the plugin in audit logs, like kubectl's "kubectl/v1.33.1 (linux/amd64)". */
  readonly userAgent: string;
  /** fieldManager is the default managedFields manager for writes. */
  readonly fieldManager: string;
  /** pooled sends requests over the transport's undici pool (a bulk run, see bulkRequests). */
  readonly pooled?: boolean;
  /** readOnly refuses every write request before it is sent (a client dry run). */
  readonly readOnly?: boolean;
}

/** KubeConnectorOptions are the real-world inputs main.ts supplies. */
export interface KubeConnectorOptions {
  readonly environment: KubeconfigEnvironment;
  readonly logger?: Logger;
  readonly retryPolicy?: RetryPolicy;
  /** toolName names the plugin in the User-Agent and as the field manager, e.g. "kubectl-meshbackup". */
  readonly toolName: string;
  readonly toolVersion: string;
  /**
   * flagDefaults fill connection flags the user did not give: helm plugins receive --kube-context
   * and -n as HELM_KUBECONTEXT and HELM_NAMESPACE because helm strips them from the arguments.
   */
  readonly flagDefaults?: { readonly context?: string; readonly namespace?: string };
}

/** createKubeConnector returns the real connector; only main.ts calls it. */
export function createKubeConnector(options: KubeConnectorOptions): KubeConnector {
  const logger = options.logger ?? silentLogger;
  const resolve = (flags: KubeFlagValues): ResolvedKubeconfig =>
    resolveKubeconfig(
      {
        kubeconfig: flags.kubeconfig,
        context: flags.context || options.flagDefaults?.context,
        namespace: flags.namespace,
        namespaceDefault: options.flagDefaults?.namespace,
      },
      options.environment,
    );
  return {
    resolve,
    async connect(flags, expect = {}) {
      const kubeconfig = resolve(flags);
      logger.v(LogLevel.Debug, `using context "${kubeconfig.contextName}" from ${kubeconfig.source}`);
      const adapterOptions: AdapterOptions = {
        logger,
        retryPolicy: options.retryPolicy ?? defaultRetryPolicy,
        requestTimeoutMs: parseRequestTimeout(flags.requestTimeout),
        userAgent: `${options.toolName}/v${options.toolVersion}`,
        fieldManager: options.toolName,
        pooled: (expect.requests ?? 0) >= bulkRequests,
        readOnly: expect.dryRun === 'client',
      };
      const [rest, staticCredentials, dryRun] = await Promise.all([
        import('./rest-clients.js'),
        import('./static-credentials.js'),
        import('./dry-run.js'),
      ]);
      const need = staticCredentials.clientNodeNeed(kubeconfig, options.environment.env);
      let credentials: CredentialSource;
      if (need) {
        logger.v(LogLevel.Debug, `loading @kubernetes/client-node for credentials: ${need.reason}`);
        const fallback = await import('./client-node-credentials.js');
        credentials = fallback.createClientNodeCredentials(kubeconfig, need.proxyUrl);
      } else {
        credentials = staticCredentials.createStaticCredentials(kubeconfig);
      }
      const clients = dryRun.dryRunClients(
        rest.createRestClients(rest.createTransport(credentials, adapterOptions), adapterOptions),
        expect.dryRun ?? 'none',
        expect.onPlannedWrite,
      );
      return { kubeconfig, namespace: kubeconfig.namespace, clients };
    },
  };
}
