/**
 * Starting what a test talks to: the sandbox API server with delays short enough for tests,
 * or (for the e2e tier) the real cluster named by E2E_KUBECONFIG.
 */
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../../sandbox/index.js';
import { realClusterKubeconfig, type TestCluster } from './cluster.js';

/** testDelays keep simulated rollouts real (asynchronous, observable) but quick. */
export const testDelays = { rolloutMs: 150, crdEstablishMs: 80, jobMs: 150, discoveryStepMs: 60 };

/** startTestSandbox starts a sandbox with test delays; options override them. */
export function startTestSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  return startSandbox({ ...options, delays: { ...testDelays, ...options.delays } });
}

/**
 * startE2eCluster is the e2e tier's target: E2E_KUBECONFIG's cluster when set (products must
 * already be installed there), else a fresh sandbox with `installs`.
 */
export async function startE2eCluster(options: SandboxOptions = {}): Promise<TestCluster & { sandbox?: SandboxHandle }> {
  const real = realClusterKubeconfig();
  if (real) return { kubeconfig: real, isSandbox: false, close: async () => undefined };
  const sandbox = await startTestSandbox(options);
  return { kubeconfig: sandbox.kubeconfigPath, isSandbox: true, sandbox, close: () => sandbox.close() };
}

/**
 * sandboxOnly skips the calling suite, saying why in one line, when it runs against a real cluster
 * (E2E_KUBECONFIG): for suites that start their own sandbox, such as the rehearsals, which install
 * and remove the product themselves. CI sets no E2E_KUBECONFIG, so it runs them all.
 */
export function sandboxOnly(context: Mocha.Context, why: string): void {
  if (!realClusterKubeconfig()) return;
  process.stderr.write(`skipped against E2E_KUBECONFIG (needs the sandbox: ${why}): ${context.test?.parent?.title ?? ''}\n`);
  context.skip();
}

/**
 * requireSandbox skips the calling suite, saying why in one line, when it runs against a real
 * cluster (E2E_KUBECONFIG) but needs what only the sandbox has (its audit log, faults, or a
 * simulator). CI always runs such suites, on the sandbox.
 */
export function requireSandbox(context: Mocha.Context, cluster: { sandbox?: SandboxHandle }, why: string): SandboxHandle {
  if (cluster.sandbox) return cluster.sandbox;
  process.stderr.write(`skipped against E2E_KUBECONFIG (needs the sandbox: ${why}): ${context.test?.parent?.title ?? ''}\n`);
  context.skip();
}
