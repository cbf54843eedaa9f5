import assert from 'node:assert/strict';
import { compareCrds, type CrdChange } from '../../../shared/crds/compatibility.js';
import { convertCrdToV1 } from '../../../shared/crds/convert-v1beta1.js';
import { planCrdSync, specSubset, storedVersionMessage, type CrdObservation } from '../../../shared/crds/plan.js';
import type { KubeObject } from '../../../shared/kube/ports.js';
import { aCrd } from '../../fixtures/crd-builder.js';

type Json = Record<string, unknown>;

/** widget builds a one-version Widget CRD whose spec schema is `specProps`. */
function widget(specProps: Json, options: { required?: string[]; version?: string } = {}): KubeObject {
  return aCrd()
    .withVersion(options.version ?? 'v1', {
      schema: {
        type: 'object',
        properties: { spec: { type: 'object', properties: specProps, ...(options.required ? { required: options.required } : {}) } },
      },
    })
    .build() as KubeObject;
}

function only(changes: CrdChange[], kind: string): CrdChange {
  const found = changes.filter((change) => change.kind === kind);
  assert.equal(found.length, 1, `expected one ${kind} in ${JSON.stringify(changes)}`);
  return found[0] as CrdChange;
}

describe('crdsync: v1beta1 → v1 conversion as the API server does it', () => {
  const v1beta1: KubeObject = {
    apiVersion: 'apiextensions.k8s.io/v1beta1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'settings.settings.mesh.gloo.solo.io', labels: { app: 'gloo-mesh' } },
    spec: {
      group: 'settings.mesh.gloo.solo.io',
      names: { kind: 'Settings', plural: 'settings' },
      preserveUnknownFields: false,
      subresources: { status: {} },
      validation: { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object' } } } },
      additionalPrinterColumns: [{ name: 'Age', type: 'date', JSONPath: '.metadata.creationTimestamp' }],
      versions: [
        { name: 'v1alpha2', served: true, storage: true },
        { name: 'v1alpha1', served: false, storage: false },
      ],
    },
  };

  it('moves the top-level schema, subresources and printer columns into every version', () => {
    const { crd, notes } = convertCrdToV1(v1beta1);
    const spec = crd.spec as Json;
    assert.equal(crd.apiVersion, 'apiextensions.k8s.io/v1');
    assert.equal(spec.validation, undefined);
    assert.equal(spec.subresources, undefined);
    assert.equal(spec.additionalPrinterColumns, undefined);
    assert.equal(spec.preserveUnknownFields, undefined);
    assert.equal(spec.scope, 'Namespaced');
    const versions = spec.versions as Json[];
    assert.equal(versions.length, 2);
    for (const version of versions) {
      assert.deepEqual(version.schema, { openAPIV3Schema: { type: 'object', properties: { spec: { type: 'object' } } } });
      assert.deepEqual(version.subresources, { status: {} });
      assert.deepEqual(version.additionalPrinterColumns, [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp' }]);
    }
    assert.deepEqual(notes, []);
    assert.equal((v1beta1.spec as Json).validation !== undefined, true, 'the input is not modified');
  });

  it('turns a single spec.version into one served storage version', () => {
    const { crd } = convertCrdToV1({
      ...v1beta1,
      spec: { group: 'g.example', names: { kind: 'A', plural: 'as' }, version: 'v2', preserveUnknownFields: false },
    });
    assert.deepEqual((crd.spec as Json).versions, [
      {
        name: 'v2',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
      },
    ]);
  });

  it('keeps unknown fields per schema when preserveUnknownFields was left at its v1beta1 default', () => {
    const spec = { ...(v1beta1.spec as Json) };
    delete spec.preserveUnknownFields;
    const { crd, notes } = convertCrdToV1({ ...v1beta1, spec });
    const schema = ((crd.spec as { versions: Json[] }).versions[0]?.schema as Json).openAPIV3Schema as Json;
    assert.equal(schema['x-kubernetes-preserve-unknown-fields'], true);
    assert.equal((crd.spec as Json).preserveUnknownFields, undefined);
    assert.match(notes.join(' '), /preserveUnknownFields was true/);
  });

  it('moves a conversion webhook client config under conversion.webhook', () => {
    const { crd } = convertCrdToV1({
      ...v1beta1,
      spec: {
        ...(v1beta1.spec as Json),
        conversion: { strategy: 'Webhook', webhookClientConfig: { service: { name: 'hook', namespace: 'ns' } } },
      },
    });
    assert.deepEqual((crd.spec as Json).conversion, {
      strategy: 'Webhook',
      webhook: { clientConfig: { service: { name: 'hook', namespace: 'ns' } }, conversionReviewVersions: ['v1beta1'] },
    });
  });

  it('returns a v1 CRD unchanged', () => {
    const v1 = aCrd().build() as KubeObject;
    assert.equal(convertCrdToV1(v1).crd, v1);
  });
});

describe('crdsync: change classification (OLM CRD upgrade-safety rules)', () => {
  const base = {
    size: { type: 'integer', format: 'int32', minimum: 0, maximum: 10 },
    color: { type: 'string', enum: ['red', 'green'] },
    name: { type: 'string' },
  };
  const cases: Array<{ title: string; after: Json; required?: string[]; kind: string; severity: 'safe' | 'breaking' }> = [
    { title: 'a new field is safe', after: { ...base, extra: { type: 'string' } }, kind: 'field-added', severity: 'safe' },
    { title: 'a removed field is breaking', after: { size: base.size, color: base.color }, kind: 'field-removed', severity: 'breaking' },
    { title: 'a type change is breaking', after: { ...base, name: { type: 'integer' } }, kind: 'type-changed', severity: 'breaking' },
    {
      title: 'a new enum value is safe',
      after: { ...base, color: { type: 'string', enum: ['red', 'green', 'blue'] } },
      kind: 'enum-value-added',
      severity: 'safe',
    },
    {
      title: 'a removed enum value is breaking',
      after: { ...base, color: { type: 'string', enum: ['red'] } },
      kind: 'enum-value-removed',
      severity: 'breaking',
    },
    {
      title: 'a new enum restriction is breaking',
      after: { ...base, name: { type: 'string', enum: ['a'] } },
      kind: 'enum-added',
      severity: 'breaking',
    },
    {
      title: 'a new default is breaking',
      after: { ...base, name: { type: 'string', default: 'x' } },
      kind: 'default-changed',
      severity: 'breaking',
    },
    {
      title: 'a raised minimum is breaking',
      after: { ...base, size: { type: 'integer', minimum: 1, maximum: 10 } },
      kind: 'minimum-changed',
      severity: 'breaking',
    },
    {
      title: 'a raised maximum is safe',
      after: { ...base, size: { type: 'integer', minimum: 0, maximum: 20 } },
      kind: 'maximum-changed',
      severity: 'safe',
    },
    {
      title: 'a removed maximum is safe',
      after: { ...base, size: { type: 'integer', minimum: 0 } },
      kind: 'maximum-changed',
      severity: 'safe',
    },
    { title: 'a new required field is breaking', after: base, required: ['name'], kind: 'required-added', severity: 'breaking' },
    {
      title: 'a removed format is safe',
      after: { ...base, size: { type: 'integer', minimum: 0, maximum: 10 } },
      kind: 'format-changed',
      severity: 'safe',
    },
    {
      title: 'a format change is breaking',
      after: { ...base, name: { type: 'string', format: 'date-time' } },
      kind: 'format-changed',
      severity: 'breaking',
    },
  ];
  for (const testCase of cases) {
    it(testCase.title, () => {
      const change = only(compareCrds(widget(base), widget(testCase.after, { required: testCase.required })), testCase.kind);
      assert.equal(change.severity, testCase.severity);
      assert.equal(change.version, 'v1');
    });
  }

  it('reports nothing for an identical CRD', () => {
    assert.deepEqual(compareCrds(widget(base), widget(base)), []);
  });

  it('names the path of a nested change', () => {
    const before = widget({ routes: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' } } } } });
    const after = widget({ routes: { type: 'array', items: { type: 'object', properties: {} } } });
    assert.equal(only(compareCrds(before, after), 'field-removed').path, '.spec.routes[*].path');
  });

  it('classes removing a served version and unserving a version as breaking, adding one as safe', () => {
    const live = aCrd().withVersion('v1').withVersion('v1beta1', { storage: false }).build() as KubeObject;
    const dropped = compareCrds(live, aCrd().withVersion('v1').build() as KubeObject);
    assert.equal(only(dropped, 'version-removed').severity, 'breaking');
    const unserved = compareCrds(
      live,
      aCrd().withVersion('v1').withVersion('v1beta1', { storage: false, served: false }).build() as KubeObject,
    );
    assert.equal(only(unserved, 'version-unserved').severity, 'breaking');
    const added = compareCrds(aCrd().withVersion('v1').build() as KubeObject, live);
    assert.equal(only(added, 'version-added').severity, 'safe');
  });

  it('treats schema changes of an unserved version as safe', () => {
    const live = aCrd().withVersion('v2').withVersion('v1', { storage: false, served: false }).build() as KubeObject;
    const next = aCrd()
      .withVersion('v2')
      .withVersion('v1', { storage: false, served: false, schema: { type: 'object' } })
      .build() as KubeObject;
    assert.ok(compareCrds(live, next).every((change) => change.severity === 'safe'));
  });

  it('classes a scope change as breaking', () => {
    const change = only(compareCrds(aCrd().build() as KubeObject, aCrd().clusterScoped().build() as KubeObject), 'scope-changed');
    assert.equal(change.severity, 'breaking');
  });
});

describe('crdsync: the plan', () => {
  const live = (crd: KubeObject, storedVersions: string[]): KubeObject => ({
    ...crd,
    metadata: { ...crd.metadata, uid: 'u', resourceVersion: '7' },
    status: { storedVersions },
  });

  it('classes CRDs as create, update and unchanged and keeps CRDs the source no longer ships', () => {
    const same = aCrd().forKind('a.example', 'Same').build() as KubeObject;
    const changed = aCrd().forKind('a.example', 'Changed').build() as KubeObject;
    const created = aCrd().forKind('a.example', 'Fresh').build() as KubeObject;
    const gone = aCrd().forKind('a.example', 'Gone').build() as KubeObject;
    const other = aCrd().forKind('b.example', 'Other').build() as KubeObject;
    const changedNext = aCrd()
      .forKind('a.example', 'Changed')
      .withVersion('v1')
      .withVersion('v2', { storage: false })
      .build() as KubeObject;
    const observations = new Map<string, CrdObservation>([
      ['sames.a.example', { live: live(same, ['v1']) }],
      ['changeds.a.example', { live: live(changed, ['v1']), objectCount: 3 }],
    ]);
    const plan = planCrdSync(
      [same, changedNext, created].map((crd) => ({ crd, file: 'crds/x.yaml' })),
      observations,
      [same, changed, gone, other],
    );
    assert.deepEqual(
      plan.entries.map((entry) => [entry.name, entry.action]),
      [
        ['sames.a.example', 'unchanged'],
        ['changeds.a.example', 'update'],
        ['freshs.a.example', 'create'],
      ],
    );
    assert.deepEqual(plan.kept, ['gones.a.example']);
    assert.deepEqual(plan.breaking, []);
    assert.equal(plan.entries[1]?.objectCount, 3);
  });

  it('does not see server defaults as a change', () => {
    const incoming = aCrd().build() as KubeObject;
    const defaulted = structuredClone(incoming);
    (defaulted.spec as Json).conversion = { strategy: 'None' };
    ((defaulted.spec as { versions: Json[] }).versions[0] as Json).deprecated = undefined;
    assert.equal(specSubset(incoming.spec, defaulted.spec), true);
    const plan = planCrdSync(
      [{ crd: incoming, file: 'f' }],
      new Map([[incoming.metadata?.name ?? '', { live: live(defaulted, ['v1']), dryRun: live(defaulted, ['v1']) }]]),
      [],
    );
    assert.equal(plan.entries[0]?.action, 'unchanged');
  });

  it('refuses to drop a version still in status.storedVersions, naming it and the objects stored in it', () => {
    const before = aCrd().withVersion('v1alpha1').withVersion('v1', { storage: false }).build() as KubeObject;
    const after = aCrd().withVersion('v1').build() as KubeObject;
    const plan = planCrdSync(
      [{ crd: after, file: 'f' }],
      new Map([['widgets.widgets.example.test', { live: live(before, ['v1alpha1']), objectCount: 12 }]]),
      [],
    );
    assert.deepEqual(plan.storedVersionRefusals, [
      { crd: 'widgets.widgets.example.test', version: 'v1alpha1', objectCount: 12, only: true },
    ]);
    const message = storedVersionMessage(plan.storedVersionRefusals[0] as never);
    assert.match(message, /refusing to drop version v1alpha1 of widgets\.widgets\.example\.test/);
    assert.match(message, /12 object\(s\) are stored in it/);
    assert.match(message, /migrate first/);
  });

  it('allows dropping an unserved version that was never stored', () => {
    const before = aCrd().withVersion('v1').withVersion('v0', { storage: false, served: false }).build() as KubeObject;
    const plan = planCrdSync(
      [{ crd: aCrd().withVersion('v1').build() as KubeObject, file: 'f' }],
      new Map([['widgets.widgets.example.test', { live: live(before, ['v1']) }]]),
      [],
    );
    assert.deepEqual(plan.storedVersionRefusals, []);
    assert.deepEqual(plan.breaking, []);
    assert.equal(plan.entries[0]?.action, 'update');
  });
});
