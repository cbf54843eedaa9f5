import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fetchFromGitHub } from '../../../shared/charts/sources/github.js';
import { checkScheme, type HttpAnswer, type HttpGet } from '../../../shared/charts/sources/http.js';
import { fetchFromRepository, nearestVersions, resolveChartUrl } from '../../../shared/charts/sources/repository.js';
import { readChartArchive, readLocalChart } from '../../../shared/charts/chart-files.js';
import { readCrds } from '../../../shared/crds/read-crds.js';
import { CliError, InputFileError, UsageError } from '../../../shared/errors/errors.js';
import { ExitCode } from '../../../shared/errors/exit-codes.js';
import type { KubeObject } from '../../../shared/kube/ports.js';
import { repositoryIndex, tarGz } from '../../../demo/charts/archive.js';
import { aChart } from '../../fixtures/chart-builder.js';
import { aCrd } from '../../fixtures/crd-builder.js';

const widget = aCrd().build() as KubeObject;
const gadget = aCrd().forKind('other.example', 'Gadget').build() as KubeObject;

async function refusal(promise: Promise<unknown>): Promise<CliError> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof CliError, `expected a CliError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected a refusal');
}

describe('crdsync: reading charts safely', () => {
  it('reads the crds/ files of a packaged chart and of its subcharts', async () => {
    const sub = aChart().named('sub', '0.1.0').withCrdFile('gadget.yaml', [gadget]).build();
    const chart = aChart()
      .named('gloo', '1.17.0')
      .withCrdFile('widget.yaml', [widget])
      .withMember({ name: 'gloo/charts/sub-0.1.0.tgz', content: sub })
      .build();
    const read = await readChartArchive('gloo-1.17.0.tgz', chart);
    assert.equal(read.name, 'gloo');
    assert.equal(read.version, '1.17.0');
    assert.deepEqual(
      read.crdFiles.map((f) => f.path),
      ['charts/sub-0.1.0/crds/gadget.yaml', 'crds/widget.yaml'],
    );
  });

  const hostile: Array<[string, Parameters<ReturnType<typeof aChart>['withMember']>[0], RegExp]> = [
    ['a ".." path (zip-slip)', { name: 'gloo/crds/../../../etc/evil.yaml', content: 'x' }, /has a "\.\." path/],
    ['an absolute path', { name: '/etc/evil.yaml', content: 'x' }, /has an absolute path/],
    ['a symbolic link out of the tree', { name: 'gloo/crds/link.yaml', type: '2', linkname: '/etc/passwd' }, /is a link/],
    ['a hard link', { name: 'gloo/crds/hard.yaml', type: '1', linkname: 'gloo/Chart.yaml' }, /is a link/],
    ['a device', { name: 'gloo/crds/dev', type: '3' }, /only files and directories/],
  ];
  for (const [what, member, message] of hostile) {
    it(`refuses a chart with ${what} (exit 3)`, async () => {
      const err = await refusal(readChartArchive('evil.tgz', aChart().named('gloo', '1.0.0').withMember(member).build()));
      assert.equal(err.exitCode, ExitCode.BadInput);
      assert.match(err.message, message);
    });
  }

  it('refuses a member over the size cap before reading it', async () => {
    const chart = aChart().named('gloo', '1.0.0').withCrdFile('big.yaml', 'x'.repeat(5000)).build();
    const err = await refusal(
      readChartArchive('big.tgz', chart, { archiveBytes: 1 << 20, memberBytes: 4096, totalBytes: 1 << 20, members: 100, depth: 2 }),
    );
    assert.match(err.message, /over the 4096-byte cap/);
  });

  it('refuses something that is not a chart', async () => {
    assert.match((await refusal(readChartArchive('x.tgz', Buffer.from('plain text')))).message, /not gzip/);
    assert.match((await refusal(readChartArchive('x.tgz', tarGz([{ name: 'a/readme', content: 'x' }])))).message, /no Chart\.yaml/);
  });

  it('reads a chart directory and refuses a crds/ link that leaves it', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'crdsync-chartdir-'));
    try {
      await fs.mkdir(path.join(dir, 'crds'));
      await fs.writeFile(path.join(dir, 'Chart.yaml'), 'apiVersion: v2\nname: local\nversion: 2.0.0\n');
      await fs.writeFile(path.join(dir, 'crds', 'a.yaml'), 'kind: CustomResourceDefinition\n');
      const read = await readLocalChart(dir);
      assert.deepEqual([read.name, read.version, read.crdFiles.map((f) => f.path)], ['local', '2.0.0', ['crds/a.yaml']]);
      await fs.symlink('/etc/hostname', path.join(dir, 'crds', 'b.yaml'));
      assert.match((await refusal(readLocalChart(dir))).message, /links outside the chart/);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

describe('crdsync: reading CRD documents', () => {
  const warnings: string[] = [];
  const options = { serverServesV1beta1: false, warn: (line: string) => warnings.push(line) };

  it('skips documents that are not CRDs, with a warning', () => {
    warnings.length = 0;
    const crds = readCrds(
      'chart',
      [{ path: 'crds/a.yaml', text: `---\n${JSON.stringify(widget)}\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: stray\n` }],
      options,
    );
    assert.deepEqual(
      crds.map((c) => c.crd.metadata?.name),
      ['widgets.widgets.example.test'],
    );
    assert.deepEqual(warnings, ['skipping crds/a.yaml document 2 (ConfigMap stray): not a CustomResourceDefinition']);
  });

  it('reads YAML as kubectl does: a date stays text, merge keys merge', () => {
    const text = [
      'apiVersion: apiextensions.k8s.io/v1',
      'kind: CustomResourceDefinition',
      'metadata: {name: widgets.widgets.example.test}',
      'x-defaults: &defaults {released: 2024-01-01, size: 0x10}',
      'spec:',
      '  <<: *defaults',
      '  group: widgets.example.test',
    ].join('\n');
    const [item] = readCrds('chart', [{ path: 'crds/a.yaml', text }], options);
    assert.deepEqual(item?.crd.spec, { released: '2024-01-01', size: 16, group: 'widgets.example.test' });
  });

  it('refuses a YAML alias bomb (exit 3)', () => {
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x","x"]',
      ...Array.from(
        { length: 8 },
        (_, i) =>
          `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)},*${String.fromCharCode(97 + i)}]`,
      ),
    ].join('\n');
    assert.throws(
      () => readCrds('chart', [{ path: 'crds/bomb.yaml', text: bomb }], options),
      (err: unknown) => err instanceof InputFileError && /alias bomb/.test(err.message),
    );
  });

  it('refuses a CRD defined twice', () => {
    const text = JSON.stringify(widget);
    assert.throws(
      () =>
        readCrds(
          'chart',
          [
            { path: 'crds/a.yaml', text },
            { path: 'crds/b.yaml', text },
          ],
          options,
        ),
      /also defined in crds\/a\.yaml/,
    );
  });

  it('converts v1beta1 CRDs when the server does not serve v1beta1, and keeps them when it does', () => {
    const v1beta1 = {
      apiVersion: 'apiextensions.k8s.io/v1beta1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'as.g.example' },
      spec: { group: 'g.example', names: { kind: 'A', plural: 'as' }, version: 'v1', preserveUnknownFields: false },
    };
    const converted = readCrds('chart', [{ path: 'crds/a.yaml', text: JSON.stringify(v1beta1) }], options);
    assert.equal(converted[0]?.crd.apiVersion, 'apiextensions.k8s.io/v1');
    assert.equal(converted[0]?.convertedFrom, 'apiextensions.k8s.io/v1beta1');
    const kept = readCrds('chart', [{ path: 'crds/a.yaml', text: JSON.stringify(v1beta1) }], { ...options, serverServesV1beta1: true });
    assert.equal(kept[0]?.crd.apiVersion, 'apiextensions.k8s.io/v1beta1');
  });
});

/** fakeHttp answers from a table of URLs and records what was asked (headers included). */
function fakeHttp(
  routes: Record<string, { status?: number; headers?: Record<string, string>; body?: Buffer | string }>,
): HttpGet & { asked: Array<{ url: string; headers?: Record<string, string> }> } {
  const asked: Array<{ url: string; headers?: Record<string, string> }> = [];
  const get = (async (url: string, options: { headers?: Record<string, string> }): Promise<HttpAnswer> => {
    asked.push({ url, headers: options.headers });
    const route = routes[url];
    if (!route) return { status: 404, headers: {}, body: Buffer.from('{"message":"Not Found"}') };
    return { status: route.status ?? 200, headers: route.headers ?? {}, body: Buffer.from(route.body ?? '') };
  }) as unknown as HttpGet & { asked: typeof asked };
  get.asked = asked;
  return get;
}

describe('crdsync: chart repository source', () => {
  const chart = aChart().named('gloo', '1.17.0').withCrdFile('widget.yaml', [widget]).build();
  const index = (digest?: string) =>
    repositoryIndex([
      { name: 'gloo', version: '1.16.27', file: 'charts/gloo-1.16.27.tgz', data: Buffer.from('old') },
      { name: 'gloo', version: '1.17.0', file: 'charts/gloo-1.17.0.tgz', data: chart, digest },
    ]);

  it('downloads the chart version and checks it against the digest in index.yaml', async () => {
    const http = fakeHttp({
      'https://charts.example/gloo/index.yaml': { body: index() },
      'https://charts.example/gloo/charts/gloo-1.17.0.tgz': { body: chart },
    });
    const read = await fetchFromRepository(http, {
      repoUrl: 'https://charts.example/gloo',
      chart: 'gloo',
      version: '1.17.0',
      insecureHttp: false,
    });
    assert.equal(read.digest, createHash('sha256').update(chart).digest('hex'));
    assert.deepEqual(
      read.crdFiles.map((f) => f.path),
      ['crds/widget.yaml'],
    );
  });

  it('refuses a chart that does not match its digest (exit 3)', async () => {
    const http = fakeHttp({
      'https://charts.example/gloo/index.yaml': { body: index('0'.repeat(64)) },
      'https://charts.example/gloo/charts/gloo-1.17.0.tgz': { body: chart },
    });
    const err = await refusal(
      fetchFromRepository(http, { repoUrl: 'https://charts.example/gloo', chart: 'gloo', version: '1.17.0', insecureHttp: false }),
    );
    assert.equal(err.exitCode, ExitCode.BadInput);
    assert.match(err.message, /does not match its digest/);
  });

  it('names the nearest versions when the one asked for is not published', async () => {
    const http = fakeHttp({ 'https://charts.example/gloo/index.yaml': { body: index() } });
    const err = await refusal(
      fetchFromRepository(http, { repoUrl: 'https://charts.example/gloo', chart: 'gloo', version: '1.17.1', insecureHttp: false }),
    );
    assert.match(err.message, /version 1\.17\.1 not found in https:\/\/charts\.example\/gloo; nearest available: 1\.16\.27, 1\.17\.0/);
    assert.deepEqual(nearestVersions('1.5.0', ['1.1.0', '1.4.0', '1.6.0', '2.0.0']), ['1.1.0', '1.4.0', '1.6.0']);
  });

  it('refuses plain http unless --insecure-http', () => {
    assert.throws(
      () => checkScheme('http://charts.example', false),
      (err: unknown) => err instanceof UsageError && /--insecure-http/.test(err.message),
    );
    assert.doesNotThrow(() => checkScheme('http://charts.example', true));
  });

  it('resolves relative chart URLs carrying the repository query string, as helm does', () => {
    assert.equal(resolveChartUrl('https://h.example/repo?sig=1', 'charts/a.tgz'), 'https://h.example/repo/charts/a.tgz?sig=1');
    assert.equal(resolveChartUrl('https://h.example/repo', 'https://cdn.example/a.tgz'), 'https://cdn.example/a.tgz');
  });
});

describe('crdsync: GitHub source', () => {
  const api = 'https://api.github.example';
  const list = `${api}/repos/solo-io/gloo/contents/install/helm/gloo/crds?ref=v1.17.0`;
  const request = { repository: 'solo-io/gloo', ref: 'v1.17.0', path: 'install/helm/gloo/crds', apiUrl: api, insecureHttp: false };

  it('lists the folder at the tag and fetches each YAML file raw, sending the token', async () => {
    const http = fakeHttp({
      [list]: {
        body: JSON.stringify([
          { type: 'file', name: 'b.yaml', path: 'install/helm/gloo/crds/b.yaml' },
          { type: 'file', name: 'README.md', path: 'install/helm/gloo/crds/README.md' },
          { type: 'file', name: 'a.yaml', path: 'install/helm/gloo/crds/a.yaml' },
        ]),
      },
      [`${api}/repos/solo-io/gloo/contents/install/helm/gloo/crds/a.yaml?ref=v1.17.0`]: { body: 'a' },
      [`${api}/repos/solo-io/gloo/contents/install/helm/gloo/crds/b.yaml?ref=v1.17.0`]: { body: 'b' },
    });
    const files = await fetchFromGitHub(http, { ...request, token: 'ghp_secret' });
    assert.deepEqual(
      files.map((f) => [f.path, f.text]),
      [
        ['install/helm/gloo/crds/a.yaml', 'a'],
        ['install/helm/gloo/crds/b.yaml', 'b'],
      ],
    );
    assert.ok(http.asked.every((call) => call.headers?.authorization === 'Bearer ghp_secret'));
    assert.equal(http.asked[1]?.headers?.accept, 'application/vnd.github.raw+json');
  });

  it('says to set a token when the rate limit is exhausted, and never prints the token', async () => {
    const http = fakeHttp({
      [list]: {
        status: 403,
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '1900000000' },
        body: '{"message":"API rate limit exceeded"}',
      },
    });
    const err = await refusal(fetchFromGitHub(http, request));
    assert.equal(err.exitCode, ExitCode.BadInput);
    assert.match(err.message, /rate limit exceeded until 2030-03-17T17:46:40.000Z .*set GITHUB_TOKEN/);
    const withToken = await refusal(fetchFromGitHub(http, { ...request, token: 'ghp_secret' }));
    assert.doesNotMatch(withToken.message, /ghp_secret/);
  });

  it('names the repository, path and tag on a 404', async () => {
    const err = await refusal(fetchFromGitHub(fakeHttp({}), { ...request, ref: 'v9.9.9' }));
    assert.match(err.message, /GitHub: solo-io\/gloo has no path install\/helm\/gloo\/crds at ref v9\.9\.9 \(404\)/);
  });
});
