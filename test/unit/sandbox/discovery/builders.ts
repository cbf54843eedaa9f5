import type { ResourceType } from '../../../../sandbox/api/types.js';
import { builtinResourceTypes } from '../../../../sandbox/resources/builtins.js';
import { resourceTypesFromCrd } from '../../../../sandbox/resources/crd.js';
import { aCrd } from '../../../fixtures/crd-builder.js';

/** servedTypes returns the built-ins plus a custom group with v1alpha1, v1 and v1beta1 (storage) versions. */
export function servedTypes(): ResourceType[] {
  const crd = aCrd()
    .forKind('example.test', 'Widget')
    .withVersion('v1alpha1', { storage: false })
    .withVersion('v1', { storage: false })
    .withVersion('v1beta1', { storage: true })
    .build();
  return [...builtinResourceTypes(), ...resourceTypesFromCrd(crd)];
}
