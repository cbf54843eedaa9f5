/** Shared set-up of the meshscale e2e suites. */
import { type ClientEnv, expectSuccess } from '../../support/cluster.js';

/** scaleGlooMeshTo scales networking and discovery (ns gloo-mesh) to `replicas` with kubectl and waits for the rollouts. */
export async function scaleGlooMeshTo(client: ClientEnv, replicas: number): Promise<void> {
  for (const name of ['networking', 'discovery']) {
    expectSuccess(await client.kubectl(['-n', 'gloo-mesh', 'scale', `deploy/${name}`, `--replicas=${replicas}`]), 'kubectl scale');
    expectSuccess(await client.kubectl(['-n', 'gloo-mesh', 'rollout', 'status', `deploy/${name}`, '--timeout=60s']), 'rollout status');
  }
}
