/**
 * The rehearsal's pure parts: the charts built from product facts (layout, namespace templating,
 * hooks, CRD origin), the repository index's digests, the Gloo Edge upgrade path over a repository's
 * versions, and how commands are printed.
 */
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import yaml from 'js-yaml';
import { repositoryIndex } from '../../../demo/charts/archive.js';
import { productChart, productCharts } from '../../../demo/charts/product-charts.js';
import { upgradeHops } from '../../../demo/procedures/gloo-edge.js';
import { commandLine } from '../../../demo/rehearsal.js';
import { chartCrdNames } from '../../../demo/seed.js';

/** members reads a plain ustar archive (the ones archive.ts writes) into name → text. */
function members(tgz: Buffer): Map<string, string> {
  const tar = gunzipSync(tgz);
  const files = new Map<string, string>();
  for (let offset = 0; offset + 512 <= tar.length;) {
    const name = tar
      .subarray(offset, offset + 100)
      .toString('utf8')
      .replace(/\0.*$/s, '');
    if (!name) break;
    const size = parseInt(
      tar
        .subarray(offset + 124, offset + 136)
        .toString('utf8')
        .replace(/\0.*$/s, '')
        .trim(),
      8,
    );
    files.set(name, tar.subarray(offset + 512, offset + 512 + size).toString('utf8'));
    offset += 512 + Math.ceil(size / 512) * 512;
  }
  return files;
}

describe('rehearsal charts', function () {
  it('lay out Chart.yaml, templates and crds/ under the chart name, with the chart version of the product version', function () {
    const chart = productChart('nginx-service-mesh@1.7.0', null);
    assert.equal(chart.name, 'nginx-service-mesh');
    assert.equal(chart.version, '0.7.0');
    assert.equal(chart.appVersion, '1.7.0');
    const files = members(chart.data);
    const chartYaml = yaml.load(files.get('nginx-service-mesh/Chart.yaml') ?? '') as Record<string, string>;
    assert.deepEqual(
      [chartYaml.name, chartYaml.version, chartYaml.appVersion, chartYaml.kubeVersion],
      ['nginx-service-mesh', '0.7.0', '1.7.0', '>= 1.22-0'],
    );
    assert.ok([...files.keys()].some((f) => f.startsWith('nginx-service-mesh/templates/')));
    assert.ok([...files.keys()].some((f) => f.startsWith('nginx-service-mesh/crds/')));
  });

  it('template every namespace as the release namespace', function () {
    const files = members(productChart('gloo-edge@1.16.27', null).data);
    const templates = [...files].filter(([f]) => f.includes('/templates/')).map(([, text]) => text);
    assert.ok(
      templates.every((t) => !t.includes('gloo-system')),
      'no literal namespace',
    );
    assert.ok(templates.some((t) => t.includes('namespace: {{ .Release.Namespace }}')));
  });

  it('ship the control plane with the vendor images of the version', function () {
    const text = [...members(productChart('gloo-edge@1.17.0', null).data).values()].join('\n');
    for (const image of ['quay.io/solo-io/gloo:1.17.0', 'quay.io/solo-io/discovery:1.17.0', 'quay.io/solo-io/gloo-envoy-wrapper:1.17.0'])
      assert.ok(text.includes(`image: ${image}`), image);
  });

  it("make Gloo Edge's Jobs hooks: gateway-certgen pre-install/pre-upgrade, the resource rollout post-install/post-upgrade", function () {
    const files = members(productChart('gloo-edge@1.16.27', null).data);
    const jobs = [...files]
      .filter(([f]) => f.includes('/templates/'))
      .flatMap(
        ([, text]) =>
          yaml.loadAll(text.replaceAll('{{ .Release.Namespace }}', 'ns')) as Array<{
            kind: string;
            metadata: { name: string; annotations?: Record<string, string> };
          }>,
      )
      .filter((o) => o?.kind === 'Job');
    const hooks = Object.fromEntries(jobs.map((j) => [j.metadata.name, j.metadata.annotations?.['helm.sh/hook']]));
    assert.deepEqual(hooks, { 'gateway-certgen': 'pre-install,pre-upgrade', 'gloo-resource-rollout': 'post-install,post-upgrade' });
    assert.ok(jobs.every((j) => j.metadata.annotations?.['helm.sh/hook-delete-policy'] === 'before-hook-creation'));
  });

  it('carry the synthetic CRDs without vendor fixtures, saying so', function () {
    const chart = productChart('gloo-edge@1.17.0', null);
    assert.equal(chart.crdOrigin, 'synthetic');
    assert.ok(chartCrdNames(chart).includes('listeneroptions.gateway.solo.io'), '1.17 brings ListenerOption');
    assert.ok(!chartCrdNames(productChart('gloo-edge@1.16.27', null)).includes('listeneroptions.gateway.solo.io'));
  });

  it("are indexed with each archive's sha256", function () {
    const charts = productCharts('gloo-mesh', null);
    const index = yaml.load(repositoryIndex(charts)) as {
      entries: Record<string, Array<{ version: string; digest: string; urls: string[] }>>;
    };
    assert.deepEqual(
      index.entries['gloo-mesh']?.map((e) => [e.version, e.digest, e.urls[0]]),
      charts.map((c) => [c.version, createHash('sha256').update(c.data).digest('hex'), `charts/gloo-mesh-${c.version}.tgz`]),
    );
  });
});

describe('the Gloo Edge upgrade path over a repository', function () {
  const cases: Array<[string, string, string[], string[]]> = [
    ['goes straight to the target when the current patch is the latest', '1.16.27', ['1.16.27', '1.17.0'], ['1.17.0']],
    ['goes to the latest patch of the current minor first', '1.16.27', ['1.16.27', '1.16.30', '1.17.0'], ['1.16.30', '1.17.0']],
    [
      'goes one minor at a time, to the latest patch of each',
      '1.15.2',
      ['1.15.2', '1.16.1', '1.16.27', '1.17.0', '1.17.3'],
      ['1.16.27', '1.17.0'],
    ],
    ['never hops through a pre-release', '1.16.27', ['1.16.28-beta1', '1.17.0'], ['1.17.0']],
  ];
  for (const [title, from, published, hops] of cases)
    it(title, function () {
      assert.deepEqual(upgradeHops(from, '1.17.0', published), hops);
    });
});

describe('printed commands', function () {
  it('quote what a shell would split or expand', function () {
    assert.equal(commandLine(['kubectl', 'get', 'a,b', '-o', 'jsonpath={.items[*]}']), "kubectl get a,b -o 'jsonpath={.items[*]}'");
    assert.equal(commandLine(['echo', "it's"]), `echo 'it'\\''s'`);
  });
});
