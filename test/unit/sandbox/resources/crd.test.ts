import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import { isCrdEstablished, resourceTypesFromCrd } from '../../../../sandbox/resources/crd.js';
import type { KubeObject } from '../../../../sandbox/api/types.js';
import { aCrd } from '../../../fixtures/crd-builder.js';
import { requireVendorFixtures } from '../../../support/vendor.js';

type Version = Record<string, unknown>;

function withVersionFields(crd: KubeObject, fields: Record<string, Version>): KubeObject {
  const versions = (crd.spec as { versions: Version[] }).versions;
  for (const v of versions) Object.assign(v, fields[v.name as string] ?? {});
  return crd;
}

describe('resource types from a CRD', () => {
  it('publishes one resource type per served version, with the storage flag and schema', () => {
    const crd = aCrd()
      .forKind('example.test', 'Widget')
      .withVersion('v1beta1', { storage: false })
      .withVersion('v1', { storage: true })
      .withVersion('v1alpha1', { served: false, storage: false })
      .build();
    const types = resourceTypesFromCrd(crd);
    assert.deepEqual(
      types.map((t) => [t.version, t.storage]),
      [
        ['v1beta1', false],
        ['v1', true],
      ],
    );
    const v1 = types[1];
    assert.ok(v1);
    assert.equal(v1.resource, 'widgets');
    assert.equal(v1.kind, 'Widget');
    assert.equal(v1.listKind, 'WidgetList');
    assert.equal(v1.singular, 'widget');
    assert.equal(v1.namespaced, true);
    assert.equal(v1.builtin, false);
    assert.equal(v1.crdName, 'widgets.example.test');
    assert.equal((v1.schema as { type?: string }).type, 'object');
  });

  it('marks a Cluster-scoped CRD as not namespaced', () => {
    const [type] = resourceTypesFromCrd(aCrd().clusterScoped().withVersion('v1').build());
    assert.equal(type?.namespaced, false);
  });

  it('gives a version without printer columns only the implicit Age column', () => {
    const [type] = resourceTypesFromCrd(aCrd().withVersion('v1').build());
    assert.deepEqual(type?.printerColumns, [
      {
        name: 'Age',
        type: 'date',
        jsonPath: '.metadata.creationTimestamp',
        description: 'CreationTimestamp is a timestamp representing the server time when this object was created.',
      },
    ]);
  });

  it('keeps declared printer columns, subresources, short names and categories', () => {
    const crd = withVersionFields(aCrd().withVersion('v1').build(), {
      v1: {
        subresources: {
          status: {},
          scale: { specReplicasPath: '.spec.size', statusReplicasPath: '.status.size', labelSelectorPath: '.status.selector' },
        },
        additionalPrinterColumns: [
          { name: 'Size', type: 'integer', jsonPath: '.spec.size', priority: 1 },
          { name: 'Ready', type: 'string', jsonPath: '.status.conditions[?(@.type=="Ready")].status' },
        ],
      },
    });
    Object.assign((crd.spec as { names: object }).names, { shortNames: ['wd'], categories: ['all', 'widgets'] });
    const [type] = resourceTypesFromCrd(crd);
    assert.ok(type);
    assert.deepEqual(type.subresources, {
      status: true,
      scale: { specReplicasPath: '.spec.size', statusReplicasPath: '.status.size', labelSelectorPath: '.status.selector' },
    });
    assert.deepEqual(
      type.printerColumns.map((c) => [c.name, c.priority ?? 0]),
      [
        ['Size', 1],
        ['Ready', 0],
      ],
    );
    assert.deepEqual(type.shortNames, ['wd']);
    assert.deepEqual(type.categories, ['all', 'widgets']);
  });

  it('tells an Established CRD from one still waiting for its names', () => {
    const crd = aCrd().withVersion('v1').build();
    assert.equal(isCrdEstablished(crd), false);
    crd.status = {
      conditions: [
        { type: 'NamesAccepted', status: 'True' },
        { type: 'Established', status: 'False' },
      ],
    };
    assert.equal(isCrdEstablished(crd), false);
    crd.status = {
      conditions: [
        { type: 'NamesAccepted', status: 'True' },
        { type: 'Established', status: 'True' },
      ],
    };
    assert.equal(isCrdEstablished(crd), true);
  });

  describe('with the vendor CRDs in ../shared/fixtures/crds (vendor-fixture tier)', () => {
    function crdFiles(dir: string): string[] {
      return readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? crdFiles(path) : /\.ya?ml$/.test(name) ? [path] : [];
      });
    }

    it('serves every served version of every vendor CRD with its kind and printer columns', function () {
      const root = join(requireVendorFixtures(this), 'crds');
      let count = 0;
      for (const file of crdFiles(root)) {
        for (const doc of yaml.loadAll(readFileSync(file, 'utf8'))) {
          const crd = doc as KubeObject | null;
          if (crd?.kind !== 'CustomResourceDefinition') continue;
          const spec = crd.spec as {
            names: { kind: string };
            versions: Array<{ name: string; served: boolean; additionalPrinterColumns?: unknown[] }>;
          };
          const types = resourceTypesFromCrd(crd);
          assert.deepEqual(
            types.map((t) => t.version),
            spec.versions.filter((v) => v.served).map((v) => v.name),
            file,
          );
          for (const type of types) {
            assert.equal(type.kind, spec.names.kind);
            const declared = spec.versions.find((v) => v.name === type.version)?.additionalPrinterColumns?.length ?? 0;
            assert.equal(type.printerColumns.length, declared || 1, `${file} ${type.version}`);
          }
          count++;
        }
      }
      assert.ok(count > 10, `read ${count} vendor CRDs`);
    });
  });
});
