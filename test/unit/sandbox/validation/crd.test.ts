import { strict as assert } from 'node:assert';
import { invalid } from '../../../../sandbox/api/status.js';
import type { KubeObject } from '../../../../sandbox/api/types.js';
import { maintainStoredVersions, validateCrd } from '../../../../sandbox/validation/index.js';
import { aCrd } from '../../../fixtures/crd-builder.js';
import { loadVendorCrd } from './vendor-crds.js';

function withStoredVersions(crd: KubeObject, storedVersions: string[]): KubeObject {
  return { ...crd, status: { storedVersions } };
}

function messages(crd: KubeObject, old?: KubeObject): string[] {
  return validateCrd(crd, old).map((c) => `${c.field}: ${c.message}`);
}

describe('CustomResourceDefinition validation', function () {
  it('accepts a well-formed CRD', function () {
    assert.deepEqual(messages(aCrd().withVersion('v1').build()), []);
  });

  it("requires the name to be <plural>.<group>, in the real server's words", function () {
    const crd = aCrd().withVersion('v1').build();
    crd.metadata.name = 'widget.example.test';
    assert.deepEqual(messages(crd), ['metadata.name: Invalid value: "widget.example.test": must be spec.names.plural+"."+spec.group']);
  });

  it('requires exactly one storage version', function () {
    const crd = aCrd().withVersion('v1', { storage: true }).withVersion('v2', { storage: true }).build();
    const [message] = messages(crd);
    assert.match(
      message ?? '',
      /^spec\.versions: Invalid value: \[\]apiextensions\.CustomResourceDefinitionVersion\{apiextensions\.CustomResourceDefinitionVersion\{Name:"v1", Served:true, Storage:true, .*\}: must have exactly one version marked as storage version$/,
    );
  });

  const ruleCases: Array<{ title: string; mutate: (crd: KubeObject) => void; expected: string }> = [
    {
      title: 'rejects a version name that is not a DNS-1035 label',
      mutate: (crd) => {
        (crd.spec as { versions: Array<{ name: string }> }).versions[0]!.name = 'V1';
      },
      expected:
        "spec.versions[0].name: Invalid value: \"V1\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')",
    },
    {
      title: 'rejects an unknown scope',
      mutate: (crd) => {
        (crd.spec as Record<string, unknown>).scope = 'Global';
      },
      expected: 'spec.scope: Unsupported value: "Global": supported values: "Cluster", "Namespaced"',
    },
    {
      title: 'requires a group with a dot',
      mutate: (crd) => {
        (crd.spec as Record<string, unknown>).group = 'widgets';
        crd.metadata.name = 'widgets.widgets';
      },
      expected: 'spec.group: Invalid value: "widgets": should be a domain with at least one dot',
    },
    {
      title: 'requires a schema for every version',
      mutate: (crd) => {
        delete (crd.spec as { versions: Array<Record<string, unknown>> }).versions[0]!.schema;
      },
      expected: 'spec.versions[0].schema.openAPIV3Schema: Required value: schemas are required',
    },
    {
      title: 'forbids a listKind equal to the kind',
      mutate: (crd) => {
        (crd.spec as { names: Record<string, unknown> }).names.listKind = 'Widget';
      },
      expected: 'spec.names.listKind: Invalid value: "Widget": kind and listKind may not be the same',
    },
  ];
  for (const c of ruleCases) {
    it(c.title, function () {
      const crd = aCrd().withVersion('v1').build();
      c.mutate(crd);
      assert.deepEqual(messages(crd), [c.expected]);
    });
  }

  it('refuses to drop a version still in status.storedVersions', function () {
    const old = withStoredVersions(aCrd().withVersion('v1alpha1', { storage: false }).withVersion('v1', { storage: true }).build(), [
      'v1alpha1',
      'v1',
    ]);
    const next = aCrd().withVersion('v1', { storage: true }).build();
    const causes = validateCrd(next, old);
    assert.equal(
      invalid('apiextensions.k8s.io', 'CustomResourceDefinition', 'widgets.widgets.example.test', causes).message,
      'CustomResourceDefinition.apiextensions.k8s.io "widgets.widgets.example.test" is invalid: status.storedVersions[0]: Invalid value: "v1alpha1": must appear in spec.versions',
    );
  });

  it('allows dropping a version once storedVersions no longer lists it', function () {
    const old = withStoredVersions(aCrd().withVersion('v1alpha1', { storage: false }).withVersion('v1', { storage: true }).build(), ['v1']);
    assert.deepEqual(messages(aCrd().withVersion('v1', { storage: true }).build(), old), []);
  });

  it('accepts an apiextensions.k8s.io/v1beta1 CRD with a single spec.version and no schema', function () {
    const crd = aCrd().withVersion('v1alpha1').build();
    const spec = crd.spec as Record<string, unknown>;
    delete spec.versions;
    spec.version = 'v1alpha1';
    assert.deepEqual(messages({ ...crd, apiVersion: 'apiextensions.k8s.io/v1beta1' }), []);
  });

  it('accepts the real Gloo VirtualService CRD', function () {
    assert.deepEqual(
      messages(loadVendorCrd(this, 'gloo/v1.17.0/gateway.solo.io_v1_VirtualService.yaml', 'virtualservices.gateway.solo.io')),
      [],
    );
  });
});

describe('storedVersions bookkeeping', function () {
  it('starts with the storage version on create', function () {
    const crd = maintainStoredVersions(
      aCrd().withVersion('v1alpha1', { storage: false }).withVersion('v1', { storage: true }).build(),
      undefined,
    );
    assert.deepEqual((crd.status as Record<string, unknown>).storedVersions, ['v1']);
  });

  it('keeps old stored versions and adds a new storage version on update', function () {
    const old = withStoredVersions(aCrd().withVersion('v1alpha1').build(), ['v1alpha1']);
    const next = maintainStoredVersions(
      aCrd().withVersion('v1alpha1', { storage: false }).withVersion('v1', { storage: true }).build(),
      old,
    );
    assert.deepEqual((next.status as Record<string, unknown>).storedVersions, ['v1alpha1', 'v1']);
  });

  it('does not mutate the CRD it is given', function () {
    const crd = aCrd().withVersion('v1').build();
    maintainStoredVersions(crd, undefined);
    assert.equal(crd.status, undefined);
  });
});
