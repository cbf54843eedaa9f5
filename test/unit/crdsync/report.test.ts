import assert from 'node:assert/strict';
import { sourceDescription, updateWithoutSchemaChange } from '../../../plugins/helm-crdsync/sync/report.js';
import { planCrdSync, type PlanEntry } from '../../../shared/crds/plan.js';
import type { KubeObject } from '../../../shared/kube/ports.js';
import { aCrd } from '../../fixtures/crd-builder.js';

describe('crdsync: the source annotation', () => {
  const cases: Array<[string, Parameters<typeof sourceDescription>[0], string]> = [
    [
      'a repository chart names its URL and digest',
      {
        kind: 'repository',
        reference: 'https://charts.example/gloo-1.17.0.tgz',
        chart: 'gloo',
        version: '1.17.0',
        digest: 'ab'.repeat(32),
      },
      `chart gloo 1.17.0 from https://charts.example/gloo-1.17.0.tgz (sha256 ${'ab'.repeat(32)})`,
    ],
    [
      'a chart pulled by helm names the reference as typed',
      { kind: 'helm', reference: 'oci://registry.example/charts/gloo', chart: 'gloo', version: '1.17.0' },
      'chart gloo 1.17.0 from oci://registry.example/charts/gloo',
    ],
    [
      'a GitHub folder names repository, ref and path',
      { kind: 'github', reference: 'solo-io/gloo-mesh@v0.11.3:install/helm/gloo-mesh/crds', version: '0.11.3' },
      'github solo-io/gloo-mesh@v0.11.3:install/helm/gloo-mesh/crds',
    ],
  ];
  for (const [what, source, expected] of cases) it(what, () => assert.equal(sourceDescription(source), expected));
});

describe('crdsync: an update with no change to list says what it alters', () => {
  const name = 'widgets.widgets.example.test';
  const withStatus = (crd: KubeObject): KubeObject => ({ ...crd, status: { storedVersions: ['v1'] } });
  function entryFor(live: KubeObject, dryRun: KubeObject) {
    const plan = planCrdSync([{ crd: dryRun, file: 'f' }], new Map([[name, { live: withStatus(live), dryRun }]]), []);
    return plan.entries[0] as PlanEntry;
  }
  const base = aCrd().build() as KubeObject;

  it('the source annotation alone: metadata only', () => {
    const annotated = structuredClone(base);
    annotated.metadata = { ...annotated.metadata, annotations: { 'crdsync.mesh-upgrade.io/source': 'chart x 1.0.0 from ./x' } };
    const entry = entryFor(base, annotated);
    assert.equal(entry.action, 'update');
    assert.deepEqual(entry.changedParts, ['annotations']);
    assert.equal(updateWithoutSchemaChange(entry), 'metadata only (annotations)');
  });

  it('a description no rule classes: points at --diff', () => {
    const described = structuredClone(base);
    const version = (described.spec as { versions: Array<{ schema: { openAPIV3Schema: Record<string, unknown> } }> }).versions[0];
    if (version) version.schema.openAPIV3Schema.description = 'A widget.';
    const entry = entryFor(base, described);
    assert.equal(entry.action, 'update');
    assert.deepEqual(entry.changes, []);
    assert.equal(updateWithoutSchemaChange(entry), 'spec text no rule lists differs, e.g. descriptions (--diff)');
  });

  it('nothing to say for an unchanged CRD or one whose changes are listed', () => {
    assert.equal(updateWithoutSchemaChange(entryFor(base, structuredClone(base))), undefined);
    const dropped = aCrd().withVersion('v1').withVersion('v2', { storage: false }).build() as KubeObject;
    const entry = entryFor(dropped, base);
    assert.ok(entry.changes.length > 0);
    assert.equal(updateWithoutSchemaChange(entry), undefined);
  });
});
