import { strict as assert } from 'node:assert';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findVendorFixtures } from '../../../../sandbox/products/vendor-fixtures.js';
import { crdToV1 } from '../../../../sandbox/products/vendor-files.js';

describe('finding the vendor fixtures', function () {
  let workspace: string;

  before(function () {
    workspace = mkdtempSync(join(tmpdir(), 'vendor-fixtures-'));
    mkdirSync(join(workspace, 'with', 'repo'), { recursive: true });
    mkdirSync(join(workspace, 'with', 'shared', 'fixtures'), { recursive: true });
    mkdirSync(join(workspace, 'without', 'repo'), { recursive: true });
  });

  after(function () {
    rmSync(workspace, { recursive: true, force: true });
  });

  const cases: Array<{ title: string; env: Record<string, string | undefined>; repo: string; expected: (w: string) => string | null }> = [
    {
      title: 'prefers MESH_VENDOR_FIXTURES when set',
      env: { MESH_VENDOR_FIXTURES: '/elsewhere/fixtures' },
      repo: 'with/repo',
      expected: () => '/elsewhere/fixtures',
    },
    {
      title: 'falls back to ../shared/fixtures beside the clone',
      env: {},
      repo: 'with/repo',
      expected: (w) => join(w, 'with', 'shared', 'fixtures'),
    },
    { title: 'answers null when neither exists', env: { MESH_VENDOR_FIXTURES: '' }, repo: 'without/repo', expected: () => null },
  ];
  for (const c of cases) {
    it(c.title, function () {
      assert.equal(findVendorFixtures(c.env, join(workspace, c.repo)), c.expected(workspace));
    });
  }
});

describe('converting a v1beta1 CRD to v1', function () {
  it('moves the top-level schema, subresources and printer columns into each version', function () {
    const converted = crdToV1({
      apiVersion: 'apiextensions.k8s.io/v1beta1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'meshes.discovery.mesh.gloo.solo.io' },
      spec: {
        group: 'discovery.mesh.gloo.solo.io',
        names: { kind: 'Mesh', plural: 'meshes' },
        scope: 'Namespaced',
        preserveUnknownFields: false,
        subresources: { status: {} },
        validation: { openAPIV3Schema: { type: 'object' } },
        additionalPrinterColumns: [{ name: 'Age', type: 'date', JSONPath: '.metadata.creationTimestamp' }],
        versions: [{ name: 'v1alpha2', served: true, storage: true }],
      },
    });
    assert.equal(converted.apiVersion, 'apiextensions.k8s.io/v1');
    assert.deepEqual(converted.spec, {
      group: 'discovery.mesh.gloo.solo.io',
      names: { kind: 'Mesh', plural: 'meshes' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1alpha2',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object' } },
          subresources: { status: {} },
          additionalPrinterColumns: [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }],
        },
      ],
    });
  });
});
