import assert from 'node:assert/strict';
import { crdBodyToV1, crdToV1beta1, servesCrdV1beta1 } from '../../../sandbox/resources/crd-v1beta1.js';
import type { KubeObject } from '../../../sandbox/api/types.js';
import { aCrd } from '../../fixtures/crd-builder.js';

describe('sandbox: apiextensions.k8s.io/v1beta1 CRDs before 1.22', () => {
  it('is served below 1.22 only, as the real server was', () => {
    assert.deepEqual(['1.16.15', '1.21.14', '1.22.0', '1.33.1'].map(servesCrdV1beta1), [true, true, false, false]);
  });

  it('answers a stored v1 CRD as v1beta1 and takes it back unchanged', () => {
    const v1 = aCrd().withVersion('v1').build() as KubeObject;
    ((v1.spec as { versions: Array<Record<string, unknown>> }).versions[0] as Record<string, unknown>).additionalPrinterColumns = [
      { name: 'Size', type: 'integer', jsonPath: '.spec.size' },
    ];
    const legacy = crdToV1beta1(v1);
    assert.equal(legacy.apiVersion, 'apiextensions.k8s.io/v1beta1');
    const spec = legacy.spec as {
      version: string;
      preserveUnknownFields: boolean;
      versions: Array<{ additionalPrinterColumns: unknown[] }>;
    };
    assert.equal(spec.version, 'v1');
    assert.equal(spec.preserveUnknownFields, false);
    assert.deepEqual(spec.versions[0]?.additionalPrinterColumns, [{ name: 'Size', type: 'integer', JSONPath: '.spec.size' }]);
    const back = crdBodyToV1(legacy) as KubeObject;
    assert.equal(back.apiVersion, 'apiextensions.k8s.io/v1');
    assert.deepEqual((back.spec as { versions: unknown }).versions, (v1.spec as { versions: unknown }).versions);
  });
});
