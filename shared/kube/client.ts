/**
 * Builds the kube ports for a command. Resolution (files only) is synchronous and cheap; the
 * adapter over @kubernetes/client-node is imported with `await import()` the first time a command
 * connects, because loading client-node costs ~400 ms that `--help`, `version --client` and every
 * usage error must not pay.
 */
import { LogLevel, silentLogger, type Logger } from '../log/logger.js';
import { parseRequestTimeout, type KubeFlagValues } from './config-flags.js';
import { resolveKubeconfig, type KubeconfigEnvironment, type ResolvedKubeconfig } from './kubeconfig.js';
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
  /** connect resolves, then loads the client adapter and builds the ports. */
  connect(flags: KubeFlagValues): Promise<KubeSession>;
}

/** AdapterOptions configure the real adapter; shared by client.ts and client-node-adapter.ts. */
export interface AdapterOptions {
  readonly logger: Logger;
  readonly retryPolicy: RetryPolicy;
  /** requestTimeoutMs bounds each request; undefined waits forever (kubectl's --request-timeout=0). */
  readonly requestTimeoutMs?: number;
  /** userAgent identifies the plugin in audit logs, like kubectl's "kubectl/v1.33.1 (linux/amd64)". */
  readonly userAgent: string;
  /** fieldManager is the default managedFields manager for writes. */
  readonly fieldManager: string;
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
    async connect(flags) {
      const kubeconfig = resolve(flags);
      logger.v(LogLevel.Debug, `using context "${kubeconfig.contextName}" from ${kubeconfig.source}`);
      const adapter = await import('./client-node-adapter.js');
      const clients = adapter.createClientNodeClients(kubeconfig, {
        logger,
        retryPolicy: options.retryPolicy ?? defaultRetryPolicy,
        requestTimeoutMs: parseRequestTimeout(flags.requestTimeout),
        userAgent: `${options.toolName}/v${options.toolVersion}`,
        fieldManager: options.toolName,
      });
      return { kubeconfig, namespace: kubeconfig.namespace, clients };
    },
  };
}
