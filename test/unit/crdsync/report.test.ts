import assert from 'node:assert/strict';
import { sourceDescription } from '../../../plugins/helm-crdsync/sync/report.js';

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
