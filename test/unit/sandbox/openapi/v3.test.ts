import { strict as assert } from 'node:assert';
import type { ResourceType } from '../../../../sandbox/api/types.js';
import { openApiV3Document, openApiV3Root, schemaName } from '../../../../sandbox/openapi/v3.js';
import { builtinResourceTypes } from '../../../../sandbox/resources/builtins.js';
import { resourceTypesFromCrd } from '../../../../sandbox/resources/crd.js';
import { aCrd } from '../../../fixtures/crd-builder.js';

type Json = Record<string, unknown>;
interface Operation {
  parameters: Array<{ name: string; in: string }>;
  'x-kubernetes-group-version-kind': Json;
  'x-kubernetes-action': string;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation | unknown>>;
  components: { schemas: Record<string, Json> };
}

function served(size = 'integer'): ResourceType[] {
  const crd = aCrd()
    .forKind('gateway.solo.io', 'Gateway')
    .withVersion('v1', {
      schema: { type: 'object', properties: { spec: { type: 'object', properties: { size: { type: size, description: 'How big.' } } } } },
    })
    .build();
  return [...builtinResourceTypes(), ...resourceTypesFromCrd(crd)];
}

function documentFor(types: ResourceType[], group: string, version: string): Document {
  const doc = openApiV3Document(types, group, version) as Document | undefined;
  assert.ok(doc, `${group}/${version} has a document`);
  return doc;
}

/** patchOperations finds the PATCH operations kubectl's field-validation verifier would match for a kind. */
function patchOperations(doc: Document, gvk: Json): Operation[] {
  return Object.values(doc.paths)
    .map((item) => item.patch as Operation | undefined)
    .filter((op): op is Operation => !!op && JSON.stringify(op['x-kubernetes-group-version-kind']) === JSON.stringify(gvk));
}

describe('/openapi/v3', () => {
  it('lists one path per served group-version with a content hash', () => {
    const root = openApiV3Root(served()) as { paths: Record<string, { serverRelativeURL: string }> };
    assert.ok(root.paths['api/v1']);
    assert.match(root.paths['apis/apps/v1']?.serverRelativeURL ?? '', /^\/openapi\/v3\/apis\/apps\/v1\?hash=[0-9A-F]{128}$/);
    assert.ok(root.paths['apis/gateway.solo.io/v1']);
  });

  it('changes the hash when the content changes, and only for that group-version', () => {
    const before = openApiV3Root(served('integer')) as { paths: Record<string, { serverRelativeURL: string }> };
    const after = openApiV3Root(served('string')) as { paths: Record<string, { serverRelativeURL: string }> };
    assert.notEqual(before.paths['apis/gateway.solo.io/v1']?.serverRelativeURL, after.paths['apis/gateway.solo.io/v1']?.serverRelativeURL);
    assert.equal(before.paths['apis/apps/v1']?.serverRelativeURL, after.paths['apis/apps/v1']?.serverRelativeURL);
  });

  it('answers undefined for a group-version that is not served', () => {
    assert.equal(openApiV3Document(served(), 'apps', 'v1beta1'), undefined);
  });

  const kinds: Array<[string, string, string]> = [
    ['', 'v1', 'ConfigMap'],
    ['apps', 'v1', 'Deployment'],
    ['apiextensions.k8s.io', 'v1', 'CustomResourceDefinition'],
    ['gateway.solo.io', 'v1', 'Gateway'],
  ];
  for (const [group, version, kind] of kinds) {
    it(`offers the fieldValidation parameter on PATCH for ${kind}`, () => {
      const ops = patchOperations(documentFor(served(), group, version), { group, version, kind });
      assert.ok(ops.length > 0, `a PATCH operation for ${kind}`);
      for (const op of ops) assert.ok(op.parameters.some((p) => p.name === 'fieldValidation' && p.in === 'query'));
    });
  }

  it('describes deployment.spec.replicas for kubectl explain', () => {
    const schema = documentFor(served(), 'apps', 'v1').components.schemas['io.k8s.api.apps.v1.Deployment'] as {
      properties: { spec: { properties: { replicas: Json } } };
      'x-kubernetes-group-version-kind': Json[];
    };
    assert.deepEqual(schema['x-kubernetes-group-version-kind'], [{ group: 'apps', version: 'v1', kind: 'Deployment' }]);
    assert.equal(schema.properties.spec.properties.replicas.type, 'integer');
    assert.match(String(schema.properties.spec.properties.replicas.description), /desired pods/);
  });

  it("serves a CRD's own schema with apiVersion, kind and a metadata reference added", () => {
    const doc = documentFor(served(), 'gateway.solo.io', 'v1');
    const schema = doc.components.schemas[schemaName({ group: 'gateway.solo.io', version: 'v1', kind: 'Gateway', builtin: false })] as {
      properties: Record<string, Json>;
      'x-kubernetes-group-version-kind': Json[];
    };
    assert.ok(schema, 'named io.solo.gateway.v1.Gateway');
    assert.deepEqual(schema['x-kubernetes-group-version-kind'], [{ group: 'gateway.solo.io', version: 'v1', kind: 'Gateway' }]);
    assert.deepEqual(Object.keys(schema.properties).sort(), ['apiVersion', 'kind', 'metadata', 'spec']);
    assert.equal((schema.properties.spec as { properties: { size: Json } }).properties.size.description, 'How big.');
    assert.deepEqual((schema.properties.metadata as { allOf: Json[] }).allOf, [
      { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' },
    ]);
    assert.ok(doc.components.schemas['io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta']);
  });

  it('resolves every $ref inside the document', () => {
    for (const [group, version] of [
      ['', 'v1'],
      ['apps', 'v1'],
      ['gateway.solo.io', 'v1'],
    ] as const) {
      const doc = documentFor(served(), group, version);
      const refs = JSON.stringify(doc).match(/"\$ref":"#\/components\/schemas\/[^"]+"/g) ?? [];
      for (const ref of new Set(refs)) {
        const name = ref.slice('"$ref":"#/components/schemas/'.length, -1);
        assert.ok(doc.components.schemas[name], `${group}/${version} defines ${name}`);
      }
    }
  });

  it('maps the scale subresource to autoscaling/v1 Scale', () => {
    const doc = documentFor(served(), 'apps', 'v1');
    const scale = doc.paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'];
    assert.deepEqual((scale?.patch as Operation)['x-kubernetes-group-version-kind'], {
      group: 'autoscaling',
      version: 'v1',
      kind: 'Scale',
    });
  });

  it('publishes only a create operation for selfsubjectaccessreviews', () => {
    const doc = documentFor(served(), 'authorization.k8s.io', 'v1');
    assert.deepEqual(Object.keys(doc.paths), ['/apis/authorization.k8s.io/v1/selfsubjectaccessreviews']);
    assert.deepEqual(Object.keys(doc.paths['/apis/authorization.k8s.io/v1/selfsubjectaccessreviews'] ?? {}).sort(), ['parameters', 'post']);
  });
});
