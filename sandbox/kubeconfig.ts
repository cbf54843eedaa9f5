/**
 * The kubeconfig a sandbox writes: context `sandbox` (admin, current) and `sandbox-restricted`,
 * namespace default. Over plain HTTP the cluster says `insecure-skip-tls-verify: true`, because
 * client-node refuses http:// servers otherwise (apiserver-surface.md §4).
 */
import { writeFileSync, chmodSync } from 'node:fs';
import yaml from 'js-yaml';

/** What goes into the kubeconfig. */
export interface KubeconfigContent {
  server: string;
  /** The CA in PEM for HTTPS; undefined for HTTP. */
  caPem?: string;
  adminToken: string;
  restrictedToken: string;
}

/** kubeconfigYaml renders the kubeconfig. */
export function kubeconfigYaml(content: KubeconfigContent): string {
  const cluster: Record<string, unknown> = { server: content.server };
  if (content.caPem) cluster['certificate-authority-data'] = Buffer.from(content.caPem, 'utf8').toString('base64');
  else cluster['insecure-skip-tls-verify'] = true;
  return yaml.dump(
    {
      apiVersion: 'v1',
      kind: 'Config',
      preferences: {},
      clusters: [{ name: 'sandbox', cluster }],
      users: [
        { name: 'sandbox-admin', user: { token: content.adminToken } },
        { name: 'sandbox-restricted', user: { token: content.restrictedToken } },
      ],
      contexts: [
        { name: 'sandbox', context: { cluster: 'sandbox', user: 'sandbox-admin', namespace: 'default' } },
        { name: 'sandbox-restricted', context: { cluster: 'sandbox', user: 'sandbox-restricted', namespace: 'default' } },
      ],
      'current-context': 'sandbox',
    },
    { lineWidth: -1 },
  );
}

/** writeKubeconfig writes the file with mode 0600, as kubectl itself does (it warns about group-readable kubeconfigs). */
export function writeKubeconfig(path: string, content: KubeconfigContent): void {
  writeFileSync(path, kubeconfigYaml(content), { mode: 0o600 });
  chmodSync(path, 0o600);
}
