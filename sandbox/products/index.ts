// CONTRACT STUB (owner: controllers/products helper) — replace the bodies, keep the signatures.
import type { InternalApi } from '../api/types.js';

/** Where product installs find the real vendor CRDs and examples; null when ../shared/fixtures is absent. */
export interface InstallOptions {
  vendorFixturesDir: string | null;
}

/** supportedInstalls lists the PRODUCT@VERSION specs `--install` accepts. */
export const supportedInstalls: readonly string[] = ['gloo-mesh@0.10.7', 'gloo-mesh@0.11.3', 'gloo-edge@1.16.27', 'gloo-edge@1.17.0', 'nginx-service-mesh@1.7.0', 'nginx-service-mesh@2.0.0'];

/** installProduct creates a product's namespace, CRDs, control plane, Helm release Secret and example resources; resolves once its CRDs are Established and everything is created. */
export async function installProduct(_api: InternalApi, _spec: string, _options: InstallOptions): Promise<void> {
  throw new Error('installProduct not implemented');
}
