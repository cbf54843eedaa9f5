import assert from 'node:assert/strict';
import { resolveKubeconfig, type KubeconfigEnvironment } from '../../../shared/kube/kubeconfig.js';

function kubeconfig(context: string, server: string, namespace?: string, current = context): string {
  return JSON.stringify({
    clusters: [{ name: context, cluster: { server, 'certificate-authority': 'ca.crt' } }],
    users: [{ name: context, user: { token: 't' } }],
    contexts: [{ name: context, context: { cluster: context, user: context, namespace } }],
    'current-context': current,
  });
}

function environment(files: Record<string, string>, env: Record<string, string> = {}, homeDir = '/home/u'): KubeconfigEnvironment {
  return { env, homeDir, readFile: (file) => files[file], pathListSeparator: ':' };
}

describe('resolveKubeconfig', () => {
  it('merges a KUBECONFIG list with the first file winning and skips missing files', () => {
    const env = environment(
      { '/a/config': kubeconfig('one', 'https://one', 'ns1'), '/b/config': kubeconfig('one', 'https://other', undefined, 'two') },
      { KUBECONFIG: '/missing:/a/config:/b/config' },
    );
    const resolved = resolveKubeconfig({}, env);
    assert.equal(resolved.contextName, 'one');
    assert.equal(resolved.cluster.server, 'https://one');
    assert.equal(resolved.namespace, 'ns1');
    assert.equal(resolved.cluster['certificate-authority'], '/a/ca.crt');
  });

  it('prefers --kubeconfig over KUBECONFIG and the flag namespace over the context', () => {
    const env = environment({ '/f': kubeconfig('f', 'https://f', 'ctx-ns') }, { KUBECONFIG: '/nothing' });
    const resolved = resolveKubeconfig({ kubeconfig: '/f', namespace: 'flag-ns' }, env);
    assert.equal(resolved.namespace, 'flag-ns');
    assert.equal(resolved.namespaceExplicit, true);
  });

  it('falls back to ~/.kube/config and then to "default"', () => {
    const resolved = resolveKubeconfig({}, environment({ '/home/u/.kube/config': kubeconfig('h', 'https://h') }));
    assert.equal(resolved.namespace, 'default');
  });

  it('uses the in-cluster service account when there is no kubeconfig', () => {
    const sa = '/var/run/secrets/kubernetes.io/serviceaccount';
    const env = environment(
      { [`${sa}/token`]: 'tok', [`${sa}/namespace`]: 'gloo-system\n' },
      {
        KUBERNETES_SERVICE_HOST: '10.0.0.1',
        KUBERNETES_SERVICE_PORT: '443',
      },
    );
    const resolved = resolveKubeconfig({}, env);
    assert.equal(resolved.cluster.server, 'https://10.0.0.1:443');
    assert.equal(resolved.namespace, 'gloo-system');
  });

  const failures: Array<[string, () => void, RegExp]> = [
    ['a missing --kubeconfig file', () => resolveKubeconfig({ kubeconfig: '/none' }, environment({})), /does not exist/],
    ['no kubeconfig anywhere', () => resolveKubeconfig({}, environment({})), /no kubeconfig found/],
    [
      'an unknown context',
      () => resolveKubeconfig({ context: 'nope' }, environment({ '/home/u/.kube/config': kubeconfig('h', 'https://h') })),
      /context "nope" does not exist/,
    ],
  ];
  for (const [title, run, message] of failures) {
    it(`refuses ${title} with exit 4`, () => {
      assert.throws(run, (err: Error & { exitCode?: number }) => message.test(err.message) && err.exitCode === 4);
    });
  }
});
