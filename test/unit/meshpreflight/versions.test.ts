import assert from 'node:assert/strict';
import { InputFileError } from '../../../shared/errors/errors.js';
import { profileFor } from '../../../shared/profiles/index.js';
import { parseCliVersion } from '../../../plugins/kubectl-meshpreflight/versions/cli-version.js';
import { detectInstalled, parseImage } from '../../../plugins/kubectl-meshpreflight/versions/installed.js';
import {
  indexUrl,
  loadVersionList,
  parseVersionDocument,
  type VersionSourcePorts,
} from '../../../plugins/kubectl-meshpreflight/versions/version-list.js';
import type { HelmRelease } from '../../../shared/helm/release.js';

describe('vendor CLI version output', () => {
  const cases: Array<[string, string, string | undefined]> = [
    ['glooctl', '{"client":{"version":"1.17.0"},"server":[{"Kubernetes":{"containers":[{"Tag":"1.16.27","Name":"gloo"}]}}]}', '1.17.0'],
    ['glooctl', 'Client: {"version":"1.8.0"}\nServer: {"type":"Gateway"}\n', '1.8.0'],
    ['glooctl', 'Client: {"version":"1.16.3"}\nerror: could not reach the cluster\n', '1.16.3'],
    ['meshctl', '{"client":{"version":"0.11.3"},"server":[{"Namespace":"gloo-mesh","components":[]}]}', '0.11.3'],
    ['nginx-service-mesh', 'nginx-meshctl - v1.7.0\nnginx-mesh-api - v1.6.2\n', 'v1.7.0'],
    ['nginx-service-mesh', 'NGINX Service Mesh is not installed\nnginx-meshctl - v2.0.0\n', 'v2.0.0'],
    ['glooctl', 'Segmentation fault', undefined],
    ['meshctl', '{"client":{}}', undefined],
    ['nginx-service-mesh', 'command not found', undefined],
  ];
  for (const [product, output, expected] of cases) {
    it(`reads ${expected ?? 'no version'} from ${product === 'nginx-service-mesh' ? 'nginx-meshctl' : product}: ${JSON.stringify(output.slice(0, 40))}`, () => {
      const profile = profileFor(product === 'glooctl' ? 'gloo-edge' : product === 'meshctl' ? 'gloo-mesh' : product);
      assert.equal(parseCliVersion(profile.cli, output)?.original, expected);
    });
  }
});

describe('published version lists', () => {
  const index = [
    'apiVersion: v1',
    'entries:',
    '  gloo:',
    '  - version: 1.17.0',
    '    kubeVersion: ">= 1.25.0-0"',
    '  - version: 1.16.27',
    '  - version: not-a-version',
    '  other:',
    '  - version: 9.9.9',
  ].join('\n');

  it('reads a chart index for the profile charts only, keeping kubeVersion', () => {
    const versions = parseVersionDocument(index, ['gloo', 'gloo-ee'], 'index.yaml');
    assert.deepEqual(
      versions.map((v) => v.version.original),
      ['1.17.0', '1.16.27'],
    );
    assert.equal(versions[0]?.kubeVersion, '>= 1.25.0-0');
  });

  it('reads GitHub tags and skips tags that are not versions', () => {
    const versions = parseVersionDocument('[{"name":"v1.17.0"},{"name":"latest"},{"name":"v1.17.0-beta10"}]', ['gloo'], 'tags');
    assert.deepEqual(
      versions.map((v) => v.version.original),
      ['v1.17.0', 'v1.17.0-beta10'],
    );
  });

  it('reads a text file with comments and names the bad line', () => {
    assert.deepEqual(
      parseVersionDocument('# ours\n1.16.27\n\n1.17.0  # new\n', ['gloo'], 'v.txt').map((v) => v.version.original),
      ['1.16.27', '1.17.0'],
    );
    assert.throws(() => parseVersionDocument('1.16.27\nbanana\n', ['gloo'], 'v.txt'), /v.txt: line 2: "banana" is not a version/);
  });

  it('refuses an index without the chart, as bad input', () => {
    assert.throws(
      () => parseVersionDocument(index, ['nginx-service-mesh'], 'index.yaml'),
      (err: unknown) => err instanceof InputFileError && /no versions of chart/.test(err.message),
    );
  });

  it('turns a repository URL into its index URL', () => {
    assert.equal(indexUrl('https://helm.nginx.com/stable/'), 'https://helm.nginx.com/stable/index.yaml');
    assert.equal(indexUrl('http://127.0.0.1:8080/index.yaml'), 'http://127.0.0.1:8080/index.yaml');
  });

  const ports = (files: Record<string, string>, urls: Record<string, string>): VersionSourcePorts & { fetched: string[] } => {
    const fetched: string[] = [];
    return {
      fetched,
      readFile: async (path) => {
        if (!(path in files)) throw Object.assign(new Error('ENOENT'), { code: 'ENOENT' });
        return files[path] ?? '';
      },
      fetchText: async (url) => {
        fetched.push(url);
        if (!(url in urls)) throw new Error('ECONNREFUSED');
        return urls[url] ?? '';
      },
    };
  };
  const defaults = { chartRepository: 'https://charts.example/gloo', chartNames: ['gloo'] };

  it('warns, never answers empty, when the default repository cannot be reached', async () => {
    const list = await loadVersionList(undefined, defaults, ports({}, {}));
    assert.equal(list.versions, undefined);
    assert.match(list.warning ?? '', /cannot list the versions from https:\/\/charts.example\/gloo\/index.yaml: ECONNREFUSED/);
  });

  it('fails with bad input (exit 3) on a missing versions file', async () => {
    await assert.rejects(
      loadVersionList('/nope.txt', defaults, ports({}, {})),
      (err: unknown) => err instanceof InputFileError && err.exitCode === 3 && /no such file/.test(err.message),
    );
  });

  it('sends GITHUB_TOKEN to the GitHub API only when one is set', async () => {
    const seen: Array<Record<string, string> | undefined> = [];
    const recording: VersionSourcePorts = {
      readFile: async () => '',
      fetchText: async (_url, headers) => (seen.push(headers), '[{"name":"v1.0.0"}]'),
    };
    await loadVersionList('github:solo-io/gloo', { ...defaults, githubToken: 't0ken' }, recording);
    await loadVersionList('github:solo-io/gloo', defaults, recording);
    assert.equal(seen[0]?.authorization, 'Bearer t0ken');
    assert.equal(seen[1]?.authorization, undefined);
  });

  it('pages GitHub tags until a short page', async () => {
    const page = (n: number, count: number) => JSON.stringify(Array.from({ length: count }, (_, i) => ({ name: `v1.${n}.${i}` })));
    const fake = ports(
      {},
      {
        'https://api.github.com/repos/solo-io/gloo/tags?per_page=100&page=1': page(1, 100),
        'https://api.github.com/repos/solo-io/gloo/tags?per_page=100&page=2': page(2, 3),
      },
    );
    const list = await loadVersionList('github:solo-io/gloo', defaults, fake);
    assert.equal(list.versions?.length, 103);
    assert.equal(fake.fetched.length, 2);
  });
});

describe('installed version detection', () => {
  const release = (chart: { name: string; version: string; appVersion?: string }, status = 'deployed', revision = 1): HelmRelease => ({
    name: 'r',
    namespace: 'ns',
    revision,
    status,
    chart,
    config: {},
    manifest: '',
  });
  const deployment = (name: string, container: string, image: string, annotations: Record<string, string> = {}) => ({
    metadata: { name },
    spec: { template: { metadata: { annotations }, spec: { containers: [{ name: container, image }] } } },
  });

  it('splits images with a registry port, a tag and a digest', () => {
    assert.deepEqual(parseImage('registry:5000/solo-io/gloo-ee:1.16.1@sha256:ab'), {
      image: 'registry:5000/solo-io/gloo-ee:1.16.1@sha256:ab',
      name: 'gloo-ee',
      tag: '1.16.1',
      digest: 'sha256:ab',
    });
    assert.deepEqual(parseImage('registry:5000/gloo@sha256:ab'), {
      image: 'registry:5000/gloo@sha256:ab',
      name: 'gloo',
      digest: 'sha256:ab',
    });
  });

  it('reads NGINX Service Mesh from the chart appVersion (chart 0.7.0 is mesh 1.7.0)', () => {
    const found = detectInstalled(
      profileFor('nginx-service-mesh'),
      [release({ name: 'nginx-service-mesh', version: '0.7.0', appVersion: '1.7.0' })],
      [],
    );
    assert.equal(found.version?.original, '1.7.0');
  });

  it('falls back to the image tag without a release, and says so', () => {
    const found = detectInstalled(profileFor('gloo-edge'), [], [deployment('gloo', 'gloo', 'quay.io/solo-io/gloo:1.16.27')]);
    assert.equal(found.version?.original, '1.16.27');
    assert.match(found.source, /image of deployment\/gloo/);
  });

  it('treats an image pinned by digest as no version when no release answers', () => {
    const found = detectInstalled(profileFor('gloo-edge'), [], [deployment('gloo', 'gloo', 'quay.io/solo-io/gloo@sha256:abcd')]);
    assert.equal(found.version, undefined);
    assert.match(found.source, /pinned by digest/);
  });

  it('recognises Enterprise and keeps the open-source version without calling the drift an error', () => {
    const found = detectInstalled(
      profileFor('gloo-edge'),
      [release({ name: 'gloo-ee', version: '1.16.1' })],
      [deployment('gloo', 'gloo', 'quay.io/solo-io/gloo-ee:1.16.1', { 'gloo.solo.io/oss-image-tag': '1.16.3' })],
    );
    assert.equal(found.enterprise, true);
    assert.equal(found.ossVersion, '1.16.3');
    assert.equal(found.drift, undefined);
  });

  it('reports drift between the release and the running image', () => {
    const found = detectInstalled(
      profileFor('gloo-edge'),
      [release({ name: 'gloo', version: '1.16.27' })],
      [deployment('gloo', 'gloo', 'quay.io/solo-io/gloo:1.16.20')],
    );
    assert.match(found.drift ?? '', /release says 1.16.27 but gloo runs quay.io\/solo-io\/gloo:1.16.20/);
  });
});
