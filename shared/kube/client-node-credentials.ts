/**
 * The fallback credential source: @kubernetes/client-node's KubeConfig, for what we do not
 * re-implement — exec credential plugins, auth-providers (their token refresh and caching) and
 * proxies (HTTP(S) and SOCKS agents). This is the only file that imports client-node; client.ts
 * imports it with `await import()` only when clientNodeNeed (static-credentials.ts) says a
 * context needs it, because loading client-node costs ~400 ms of CPU.
 *
 * client-node facts this file works around (research/apiserver-surface.md §4):
 *  - an http:// server throws unless the cluster sets insecure-skip-tls-verify (kubectl does not
 *    care), so we set it for plain-http servers;
 *  - it reads the token file as "token-file", kubectl's kubeconfig calls it "tokenFile";
 *  - it ignores HTTPS_PROXY/HTTP_PROXY/NO_PROXY; we pass the proxy kubectl would use as the
 *    cluster's proxy-url.
 */
import { KubeConfig } from '@kubernetes/client-node';
import { KubeconfigError } from '../errors/errors.js';
import type { CredentialSource } from './json-transport.js';
import type { ResolvedKubeconfig } from './kubeconfig.js';

/** clientNodeKubeConfig builds client-node's KubeConfig for the resolved context, as we use it. */
export function clientNodeKubeConfig(resolved: ResolvedKubeconfig, proxyUrl?: string): KubeConfig {
  const config = structuredClone(resolved.config);
  for (const entry of config.clusters) {
    const { cluster } = entry;
    if (cluster.server.startsWith('http://')) cluster['insecure-skip-tls-verify'] = true;
    if (proxyUrl && entry.name === resolved.context.cluster) cluster['proxy-url'] = proxyUrl;
  }
  for (const { user } of config.users) {
    if (typeof user.tokenFile === 'string' && user['token-file'] === undefined) user['token-file'] = user.tokenFile;
  }
  const kc = new KubeConfig();
  kc.loadFromString(JSON.stringify(config));
  kc.setCurrentContext(resolved.contextName);
  return kc;
}

/**
 * createClientNodeCredentials returns client-node's KubeConfig as the transport's credential
 * source. A plugin or provider that fails (not installed, exits non-zero, prints no credential)
 * becomes one KubeconfigError line (exit 4), as kubectl reports "getting credentials: …".
 */
export function createClientNodeCredentials(resolved: ResolvedKubeconfig, proxyUrl?: string): CredentialSource {
  const kc = clientNodeKubeConfig(resolved, proxyUrl);
  return {
    getCurrentCluster: () => kc.getCurrentCluster(),
    async applyToHTTPSOptions(options) {
      try {
        await kc.applyToHTTPSOptions(options);
      } catch (err) {
        const message = (err instanceof Error ? err.message : String(err)).split('\n')[0] ?? '';
        throw new KubeconfigError(`getting credentials for user "${resolved.context.user ?? ''}" (${resolved.source}): ${message}`, {
          cause: err,
        });
      }
    },
  };
}
