// CONTRACT STUB (owner: discovery/openapi helper) — replace the body, keep the signature.
import type { ResourceType } from '../api/types.js';

/** builtinResourceTypes lists the compiled-in resources the sandbox serves (see DEVELOPERS.md: namespaces … clusterrolebindings). */
export function builtinResourceTypes(): ResourceType[] {
  return [];
}
