import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import {
  describeCrdSource,
  fetchRemoteCrds,
  parseCrdSource,
  type CrdSourceSpec,
  type RemoteCrdPorts,
} from '../../../plugins/kubectl-meshpreflight/crds/crd-source.js';
import type { HttpGet } from '../../../shared/charts/sources/http.js';
import { CliError, UsageError } from '../../../shared/errors/errors.js';
import { ExitCode } from '../../../shared/errors/exit-codes.js';
import type { HelmRunner } from '../../../shared/helm/helm-runner.js';
import { profileFor } from '../../../shared/profiles/index.js';
import { requireVersion } from '../../../shared/version/semver.js';
import { repositoryIndex } from '../../../demo/charts/archive.js';
import { aChart } from '../../fixtures/chart-builder.js';
import { aCrd } from '../../fixtures/crd-builder.js';

const existing = new Set(['gloo/crds']);
const exists = async (path: string) => existing.has(path);

describe('--crds-from: one spelling per source', () => {
  const cases: Array<[string, CrdSourceSpec]> = [
    ['github:solo-io/gloo', { kind: 'github', repository: 'solo-io/gloo', ref: undefined, path: undefined }],
    [
      'github:solo-io/gloo@v1.17.0:install/helm/gloo/crds/',
      { kind: 'github', repository: 'solo-io/gloo', ref: 'v1.17.0', path: 'install/helm/gloo/crds' },
    ],
    ['oci://registry.example.com/charts/gloo', { kind: 'helm', reference: 'oci://registry.example.com/charts/gloo' }],
    ['https://storage.googleapis.com/solo-public-helm', { kind: 'repository', repoUrl: 'https://storage.googleapis.com/solo-public-helm' }],
    ['https://charts.example.com/ee#gloo-ee', { kind: 'repository', repoUrl: 'https://charts.example.com/ee', chart: 'gloo-ee' }],
    ['gloo/gloo', { kind: 'helm', reference: 'gloo/gloo' }],
    ['gloo/crds', { kind: 'local', path: 'gloo/crds' }],
    ['./gloo/gloo', { kind: 'local', path: './gloo/gloo' }],
    ['charts/gloo-1.17.0.tgz', { kind: 'local', path: 'charts/gloo-1.17.0.tgz' }],
    ['crds/gateway.yaml', { kind: 'local', path: 'crds/gateway.yaml' }],
    ['crds', { kind: 'local', path: 'crds' }],
  ];
  for (const [value, expected] of cases) {
    it(`reads "${value}" as ${expected.kind}`, async () => {
      assert.deepEqual(await parseCrdSource(value, exists), expected);
    });
  }

  const refused: Array<[string, RegExp]> = [
    ['github:solo-io', /expected github:OWNER\/REPO\[@REF\]\[:PATH\]/],
    ['github:-bad/repo@v1', /expected github:OWNER\/REPO/],
    ['ftp://example.com/charts', /a chart repository URL is https:\/\//],
    ['https://charts.example.com/#../x', /CHART after # is a chart name/],
  ];
  for (const [value, message] of refused) {
    it(`refuses "${value}" as a usage error`, async () => {
      await assert.rejects(parseCrdSource(value, exists), (err: unknown) => err instanceof UsageError && message.test(err.message));
    });
  }

  it('names a source without the query string of a signed URL', () => {
    assert.equal(
      describeCrdSource({ kind: 'repository', repoUrl: 'https://charts.example.com/r?token=secret', chart: 'gloo' }),
      'https://charts.example.com/r#gloo',
    );
  });
});

describe('--crds-from: fetching the target version through the shared sources', () => {
  const gloo = profileFor('gloo-edge');
  const target = requireVersion('1.17.0', '--to');
  const crd = aCrd().forKind('gateway.solo.io', 'Gateway').build();
  const chartData = aChart().named('gloo', '1.17.0').withCrdFile('gateway.yaml', [crd]).build();
  const charts = [
    { name: 'gloo', version: '1.16.27', file: 'charts/gloo-1.16.27.tgz', data: aChart().named('gloo', '1.16.27').build() },
    { name: 'gloo', version: '1.17.0', file: 'charts/gloo-1.17.0.tgz', data: chartData },
  ];

  function recordingPorts(answers: Record<string, string | Buffer>, helmCalls: string[] = []): RemoteCrdPorts & { urls: string[] } {
    const urls: string[] = [];
    const http: HttpGet = async (url, options) => {
      urls.push(`${url} ${options.headers?.accept ?? ''}`.trim());
      const path = new URL(url).pathname + new URL(url).search;
      const body = answers[path];
      return body === undefined
        ? { status: 404, headers: {}, body: Buffer.from('{"message":"Not Found"}') }
        : { status: 200, headers: {}, body: Buffer.isBuffer(body) ? body : Buffer.from(body) };
    };
    const helm: HelmRunner = {
      run: async (args) => {
        helmCalls.push(args.join(' '));
        throw new Error('no helm here');
      },
      version: async () => 'v3.14.0',
    };
    return { http, helm: () => helm, progress: () => undefined, urls };
  }

  it("reads the --to version of the profile's chart from a repository, digest checked", async () => {
    const ports = recordingPorts({ '/index.yaml': repositoryIndex(charts), '/charts/gloo-1.17.0.tgz': chartData });
    const fetched = await fetchRemoteCrds(
      { kind: 'repository', repoUrl: 'https://charts.example.com' },
      { profile: gloo, target, insecureHttp: false },
      ports,
    );
    assert.equal(fetched.reference, 'https://charts.example.com/charts/gloo-1.17.0.tgz');
    assert.deepEqual(
      fetched.files.map((f) => f.path),
      ['crds/gateway.yaml'],
    );
    assert.deepEqual(ports.urls, ['https://charts.example.com/index.yaml', 'https://charts.example.com/charts/gloo-1.17.0.tgz']);
  });

  it('refuses a chart whose archive does not match its digest, and plain http without --insecure-http', async () => {
    const tampered = [{ ...charts[1]!, digest: createHash('sha256').update('other').digest('hex') }];
    const ports = recordingPorts({ '/index.yaml': repositoryIndex(tampered), '/charts/gloo-1.17.0.tgz': chartData });
    await assert.rejects(
      fetchRemoteCrds({ kind: 'repository', repoUrl: 'https://charts.example.com' }, { profile: gloo, target, insecureHttp: false }, ports),
      (err: unknown) => err instanceof CliError && err.exitCode === ExitCode.BadInput && /does not match its digest/.test(err.message),
    );
    await assert.rejects(
      fetchRemoteCrds({ kind: 'repository', repoUrl: 'http://charts.example.com' }, { profile: gloo, target, insecureHttp: false }, ports),
      (err: unknown) => err instanceof UsageError && /--insecure-http/.test(err.message),
    );
  });

  it("reads GitHub at the profile's tag and CRD path for --to, with the token in a header only", async () => {
    const listing = JSON.stringify([{ type: 'file', name: 'gateway.yaml', path: 'install/helm/gloo/crds/gateway.yaml' }]);
    const ports = recordingPorts({
      '/repos/solo-io/gloo/contents/install/helm/gloo/crds?ref=v1.17.0': listing,
      '/repos/solo-io/gloo/contents/install/helm/gloo/crds/gateway.yaml?ref=v1.17.0': JSON.stringify(crd),
    });
    const fetched = await fetchRemoteCrds(
      { kind: 'github', repository: 'solo-io/gloo' },
      { profile: gloo, target, insecureHttp: false, githubToken: 'ghp_secret' },
      ports,
    );
    assert.equal(fetched.reference, 'github:solo-io/gloo@v1.17.0:install/helm/gloo/crds');
    assert.equal(fetched.files.length, 1);
    assert.ok(ports.urls.every((url) => !url.includes('ghp_secret')));
  });

  it('asks for a PATH when the profile does not know the repository', async () => {
    await assert.rejects(
      fetchRemoteCrds({ kind: 'github', repository: 'someone/fork' }, { profile: gloo, target, insecureHttp: false }, recordingPorts({})),
      (err: unknown) => err instanceof UsageError && /use github:someone\/fork@v1\.17\.0:PATH/.test(err.message),
    );
  });

  it('pulls REPO/NAME and oci:// at the --to version with helm, and says what failed in one line', async () => {
    const helmCalls: string[] = [];
    const ports = recordingPorts({}, helmCalls);
    await assert.rejects(
      fetchRemoteCrds({ kind: 'helm', reference: 'oci://registry.example.com/gloo' }, { profile: gloo, target, insecureHttp: true }, ports),
      /no helm here/,
    );
    assert.match(helmCalls[0] ?? '', /^pull oci:\/\/registry\.example\.com\/gloo --destination \S+ --version 1\.17\.0 --plain-http$/);
  });
});
