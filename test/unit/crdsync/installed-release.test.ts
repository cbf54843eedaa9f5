import assert from 'node:assert/strict';
import { encodeHelmReleaseSecret, type HelmRelease } from '../../../sandbox/products/helm-release.js';
import { impliedChartName } from '../../../plugins/helm-crdsync/commands/sync-options.js';
import { findInstalledRelease } from '../../../plugins/helm-crdsync/sync/release.js';
import { ApiStatusError } from '../../../shared/errors/errors.js';
import type { KubeObject, ListOptions, SecretStore } from '../../../shared/kube/ports.js';
import { builtinProfiles } from '../../../shared/profiles/index.js';

function aRelease(name: string, namespace: string, chart: string, version: string): KubeObject {
  const release: HelmRelease = {
    name,
    namespace,
    version: 1,
    info: { first_deployed: '', last_deployed: '', deleted: '', description: 'Install complete', status: 'deployed' },
    chart: { metadata: { name: chart, version, apiVersion: 'v2' } as HelmRelease['chart']['metadata'], templates: [], values: {} },
    config: {},
    manifest: '',
    hooks: [],
  };
  return encodeHelmReleaseSecret(release) as unknown as KubeObject;
}

/** secretsIn answers lists by namespace (undefined: all), refusing the namespaces in `forbidden`. */
function secretsIn(secrets: KubeObject[], forbidden: string[] = []): SecretStore & { asked: Array<string | undefined> } {
  const asked: Array<string | undefined> = [];
  return {
    asked,
    list: async (options: ListOptions) => {
      asked.push(options.namespace);
      if (options.namespace && forbidden.includes(options.namespace))
        throw new ApiStatusError({ code: 403, reason: 'Forbidden', message: 'secrets is forbidden' });
      return { items: secrets.filter((s) => options.namespace === undefined || s.metadata?.namespace === options.namespace) };
    },
  };
}

describe('crdsync: the installed release a CHART is checked against', () => {
  it("finds the chart's product in the profile's namespace after the given one, without --release", async () => {
    const secrets = secretsIn([aRelease('gloo', 'gloo-system', 'gloo', '1.16.27')]);
    const found = await findInstalledRelease(secrets, 'gloo', builtinProfiles, { namespace: 'default' });
    assert.equal(found?.release.chart.version, '1.16.27');
    assert.match(found?.where ?? '', /release gloo in namespace gloo-system \(chart gloo 1\.16\.27\)/);
    assert.deepEqual(secrets.asked, ['default', 'gloo-system']);
  });

  it('takes the highest version of several releases of the chart: CRDs are cluster-wide', async () => {
    const secrets = secretsIn([aRelease('a', 'team-a', 'widgets', '2.1.0'), aRelease('b', 'team-b', 'widgets', '2.10.0')]);
    const found = await findInstalledRelease(secrets, 'widgets', builtinProfiles, { namespace: 'default' });
    assert.equal(found?.release.name, 'b');
    assert.match(found?.where ?? '', /the highest of 2 releases/);
  });

  it('skips namespaces it may not read and answers undefined when nothing is installed', async () => {
    const secrets = secretsIn([aRelease('other', 'default', 'other-chart', '1.0.0')], ['default']);
    assert.equal(await findInstalledRelease(secrets, 'widgets', builtinProfiles, { namespace: 'default' }), undefined);
    assert.deepEqual(secrets.asked, ['default', undefined]);
  });

  it('warns that nothing was checked when no namespace lets it list release Secrets', async () => {
    const warnings: string[] = [];
    const forbidden: SecretStore = {
      list: async () => {
        throw new ApiStatusError({ code: 403, reason: 'Forbidden', message: 'secrets is forbidden' });
      },
    };
    const found = await findInstalledRelease(forbidden, 'gloo', builtinProfiles, { namespace: 'default', warn: (l) => warnings.push(l) });
    assert.equal(found, undefined);
    assert.deepEqual(warnings.length, 1);
    assert.match(warnings[0] ?? '', /cannot list Helm release Secrets \(forbidden\): gloo's version is not checked/);
  });

  it('reads the chart name CHART implies before fetching it', () => {
    const cases: Array<[string, boolean, string | undefined]> = [
      ['gloo', true, 'gloo'],
      ['gloo/gloo', false, 'gloo'],
      ['oci://registry.example.com/charts/gloo', false, 'gloo'],
      ['oci://127.0.0.1:5000/charts/gloo:1.17.0', false, 'gloo'],
      ['./gloo-1.17.0.tgz', false, undefined],
      ['/tmp/charts/gloo-1.17.0.tgz', false, undefined],
    ];
    for (const [chart, withRepo, name] of cases) assert.equal(impliedChartName(chart, withRepo), name, chart);
  });
});
