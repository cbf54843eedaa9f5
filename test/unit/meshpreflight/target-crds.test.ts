import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readTargetCrds } from '../../../plugins/kubectl-meshpreflight/crds/target-crds.js';
import { InputFileError } from '../../../shared/errors/errors.js';

const v1Crd = (name: string, served: Record<string, boolean>) =>
  JSON.stringify({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name },
    spec: {
      group: name.split('.').slice(1).join('.'),
      names: { kind: 'X', plural: name.split('.')[0] },
      scope: 'Namespaced',
      versions: Object.entries(served).map(([v, s], i) => ({
        name: v,
        served: s,
        storage: i === 0,
        schema: { openAPIV3Schema: { type: 'object' } },
      })),
    },
  });

describe('--crds-from, read with helm crdsync’s shared CRD readers', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'target-crds-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads a chart directory: its crds/ only, served versions only', async () => {
    mkdirSync(join(dir, 'chart', 'crds'), { recursive: true });
    mkdirSync(join(dir, 'chart', 'templates'));
    writeFileSync(join(dir, 'chart', 'Chart.yaml'), 'apiVersion: v2\nname: gloo\nversion: 1.17.0\n');
    writeFileSync(join(dir, 'chart', 'crds', 'gw.yaml'), v1Crd('gateways.gateway.solo.io', { v1: true, v0: false }));
    writeFileSync(join(dir, 'chart', 'templates', 'not-a-crd.yaml'), v1Crd('ignored.example.com', { v1: true }));
    assert.deepEqual(await readTargetCrds(join(dir, 'chart'), () => undefined), [
      { name: 'gateways.gateway.solo.io', servedVersions: ['v1'] },
    ]);
  });

  it('reads a folder of CRD files, converts a v1beta1 CRD, and warns about other documents', async () => {
    writeFileSync(
      join(dir, 'a.yaml'),
      `${v1Crd('routes.x.example.com', { v2: true, v1: true })}\n---\nkind: ConfigMap\nmetadata: {name: c}\n`,
    );
    writeFileSync(
      join(dir, 'b.yaml'),
      'apiVersion: apiextensions.k8s.io/v1beta1\nkind: CustomResourceDefinition\nmetadata: {name: meshes.discovery.mesh.gloo.solo.io}\nspec: {group: discovery.mesh.gloo.solo.io, version: v1alpha2, names: {kind: Mesh, plural: meshes}, scope: Namespaced}\n',
    );
    const warnings: string[] = [];
    const crds = await readTargetCrds(dir, (message) => warnings.push(message));
    assert.deepEqual(crds, [
      { name: 'routes.x.example.com', servedVersions: ['v2', 'v1'] },
      { name: 'meshes.discovery.mesh.gloo.solo.io', servedVersions: ['v1alpha2'] },
    ]);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /ConfigMap c/);
  });

  it('refuses a missing path, a folder without CRDs, and a CRD defined twice (exit 3)', async () => {
    const refused = (err: unknown) => err instanceof InputFileError && err.exitCode === 3;
    await assert.rejects(
      readTargetCrds(join(dir, 'nope'), () => undefined),
      (err: unknown) => refused(err) && /no such file or directory/.test(String(err)),
    );
    writeFileSync(join(dir, 'empty.yaml'), 'kind: ConfigMap\n');
    await assert.rejects(
      readTargetCrds(dir, () => undefined),
      (err: unknown) => refused(err) && /no CustomResourceDefinition found/.test(String(err)),
    );
    writeFileSync(join(dir, 'one.yaml'), v1Crd('routes.x.example.com', { v1: true }));
    writeFileSync(join(dir, 'two.yaml'), v1Crd('routes.x.example.com', { v1: true }));
    await assert.rejects(
      readTargetCrds(dir, () => undefined),
      (err: unknown) => refused(err) && /also defined in/.test(String(err)),
    );
  });
});
