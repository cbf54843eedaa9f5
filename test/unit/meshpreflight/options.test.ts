import assert from 'node:assert/strict';
import { PreflightOptions, type PreflightArgs } from '../../../plugins/kubectl-meshpreflight/commands/preflight-command.js';
import type { SystemPorts } from '../../../plugins/kubectl-meshpreflight/commands/system-ports.js';
import { CliError, ConnectionError, InputFileError, NegativeResultError, UsageError } from '../../../shared/errors/errors.js';
import { ExitCode } from '../../../shared/errors/exit-codes.js';
import type { KubeConnector } from '../../../shared/kube/client.js';
import type { KubeClients, KubeObject } from '../../../shared/kube/ports.js';
import { testContext } from '../../support/command-context.js';

/** fakeClients answers a healthy Gloo Edge 1.16.27 (no release: versions from images) and records every call. */
function fakeClients(calls: string[]): KubeClients {
  const deployment = (name: string, image: string): KubeObject => ({
    metadata: { name, generation: 1 },
    spec: { replicas: 1, template: { metadata: { labels: {} }, spec: { containers: [{ name, image }] } } },
    status: {
      observedGeneration: 1,
      replicas: 1,
      updatedReplicas: 1,
      availableReplicas: 1,
      conditions: [{ type: 'Available', status: 'True' }],
    },
  });
  const unused = (): never => assert.fail('not used by meshpreflight');
  return {
    discovery: {
      serverVersion: async () => (calls.push('GET /version'), { gitVersion: 'v1.29.4', major: '1', minor: '29' }),
      groupVersions: unused,
      servedResources: unused,
    },
    workloads: {
      list: async (kind, options) => (
        calls.push(`list ${kind} ${options.namespace ?? ''}`),
        { items: kind === 'Deployment' ? [deployment('gloo', 'quay.io/solo-io/gloo:1.16.27')] : [] }
      ),
      get: unused,
      watch: unused,
    },
    secrets: { list: async (options) => (calls.push(`list secrets ${options.labelSelector ?? ''}`), { items: [] }) },
    customObjects: {
      list: async (gvr, options = {}) => (calls.push(`list ${gvr.resource}.${gvr.group} ${options.labelSelector ?? ''}`), { items: [] }),
      get: unused,
      create: unused,
      mergePatch: unused,
      delete: unused,
      watch: unused,
    },
    crds: {
      list: async () => (
        calls.push('list crds'),
        [
          {
            metadata: { name: 'gateways.gateway.solo.io' },
            spec: { group: 'gateway.solo.io' },
            status: { conditions: [{ type: 'Established', status: 'True' }] },
          },
        ]
      ),
      get: unused,
      apply: unused,
    },
    access: { canI: async (q) => (calls.push(`can-i ${q.verb} ${q.resource}`), { allowed: true }) },
    namespaces: { get: unused, create: unused },
    scale: { getScale: unused, setReplicas: unused },
  };
}

function connector(calls: string[], fail?: Error): KubeConnector {
  return {
    resolve: () => assert.fail('resolve is not used'),
    connect: async (flags) => {
      if (fail) throw fail;
      return { namespace: flags.namespace ?? 'default', clients: fakeClients(calls) } as Awaited<ReturnType<KubeConnector['connect']>>;
    },
  };
}

function fakeSystem(files: Record<string, string>, programs: Record<string, string>, ran: string[]): SystemPorts {
  return {
    which: (name) => (name in programs ? `/bin/${name}` : undefined),
    isExecutable: (path) => path.startsWith('/bin/'),
    runProgram: async (path, args, timeoutMs) => {
      ran.push(`${path} ${args.join(' ')} (${timeoutMs} ms)`);
      return { exitCode: 0, stdout: programs[path.replace('/bin/', '')] ?? '', stderr: '' };
    },
    readFile: async (path) => files[path] ?? Promise.reject(Object.assign(new Error('ENOENT'), { code: 'ENOENT' })),
    readFileSync: (path) => files[path] ?? assert.fail(`no ${path}`),
    fetchText: async () => assert.fail('no network in unit tests'),
    httpGet: async () => assert.fail('no network in unit tests'),
    helm: () => assert.fail('no helm in unit tests'),
  };
}

const programs = { glooctl: '{"client":{"version":"1.17.0"}}', helm: 'v3.14.0+g3fc9f4b' };
const files = { '/v.txt': '1.16.27\n1.17.0\n' };

async function runPreflight(
  args: Partial<PreflightArgs>,
  options: { connectError?: Error; programs?: Record<string, string>; system?: Partial<SystemPorts> } = {},
) {
  const calls: string[] = [];
  const ran: string[] = [];
  const ctx = { ...testContext({ kube: connector(calls, options.connectError) }) };
  const preflight = new PreflightOptions(ctx, 'preflight', { ...fakeSystem(files, options.programs ?? programs, ran), ...options.system });
  preflight.complete({
    profile: 'gloo-edge',
    to: '1.17.0',
    versionsFrom: '/v.txt',
    output: 'table',
    timeout: 5000,
    ...args,
  } as PreflightArgs);
  preflight.validate();
  let error: unknown;
  await preflight.run().catch((err: unknown) => (error = err));
  return { calls, ran, error, out: ctx.io.out.text(), err: ctx.io.err.text() };
}

describe('kubectl meshpreflight Options', () => {
  it('reads each resource once, runs glooctl and helm with the --timeout, and passes a healthy cluster', async () => {
    const { calls, ran, error, out } = await runPreflight({});
    assert.equal(error, undefined, out);
    assert.deepEqual([...calls].sort(), [
      'GET /version',
      'can-i create clusterrolebindings',
      'can-i create clusterroles',
      'can-i create customresourcedefinitions',
      'can-i update customresourcedefinitions',
      'list Deployment gloo-system',
      'list configmaps. OWNER=TILLER',
      'list crds',
      'list jobs.batch ',
      'list secrets owner=helm',
    ]);
    assert.deepEqual(ran, ['/bin/glooctl version -o json (5000 ms)', '/bin/helm version --short (5000 ms)']);
    assert.match(out, /√ \[product-installed\] Gloo Edge 1\.16\.27 in gloo-system, from image of deployment\/gloo/);
  });

  it('fails with exit 1 after printing, in table, JSON and YAML alike', async () => {
    const mismatched = { ...programs, glooctl: '{"client":{"version":"1.16.0"}}' };
    for (const output of ['table', 'json', 'yaml'] as const) {
      const { error, out } = await runPreflight({ output }, { programs: mismatched });
      assert.ok(error instanceof NegativeResultError, String(error));
      assert.equal(error.exitCode, 1);
      assert.match(out, /cli-version/);
    }
  });

  it('reports a bad versions file (exit 3) before an unreachable cluster (exit 4)', async () => {
    const { error } = await runPreflight(
      { versionsFrom: '/missing.txt' },
      { connectError: new ConnectionError('dial tcp: connection refused') },
    );
    assert.ok(error instanceof InputFileError, String(error));
    const unreachable = await runPreflight({}, { connectError: new ConnectionError('dial tcp: connection refused') });
    assert.ok(unreachable.error instanceof ConnectionError);
    assert.equal(unreachable.error.exitCode, 4);
  });

  it('refuses a --cli that is not executable (2) or prints no version (3)', async () => {
    const notExecutable = await runPreflight({ cli: '/tmp/glooctl' });
    assert.ok(notExecutable.error instanceof UsageError);
    const garbage = await runPreflight({ cli: '/bin/glooctl' }, { programs: { ...programs, glooctl: 'Segmentation fault' } });
    assert.ok(garbage.error instanceof CliError && garbage.error.exitCode === 3, String(garbage.error));
    assert.match((garbage.error as Error).message, /printed no glooctl version \(exit 0: Segmentation fault\)/);
  });

  it('lists github: versions from the --github-api-url given (GitHub Enterprise), and refuses a plain-http one', async () => {
    const asked: string[] = [];
    const fetchText: SystemPorts['fetchText'] = async (url) => (asked.push(url), '[{"name":"v1.16.27"},{"name":"v1.17.0"}]');
    const { error, out } = await runPreflight(
      { versionsFrom: 'github:solo-io/gloo', githubApiUrl: 'https://ghe.example.com/api/v3/' },
      { system: { fetchText } },
    );
    assert.equal(error, undefined, out);
    assert.deepEqual(asked, ['https://ghe.example.com/api/v3/repos/solo-io/gloo/tags?per_page=100&page=1']);
    await assert.rejects(
      runPreflight({ versionsFrom: 'github:solo-io/gloo', githubApiUrl: 'http://ghe.example.com/api/v3' }),
      /--github-api-url http:\/\/ghe\.example\.com\/api\/v3 is plain http/,
    );
  });

  it('says so when --versions-from is plain http, unless --insecure-http', async () => {
    const fetchText: SystemPorts['fetchText'] = async () => '1.16.27\n1.17.0\n';
    const plain = await runPreflight({ versionsFrom: 'http://charts.example.com' }, { system: { fetchText } });
    assert.equal(plain.error, undefined, plain.out);
    assert.match(plain.err, /^Warning: --versions-from http:\/\/charts\.example\.com is plain http/m);
    const accepted = await runPreflight({ versionsFrom: 'http://charts.example.com', insecureHttp: true }, { system: { fetchText } });
    assert.doesNotMatch(accepted.err, /plain http/);
  });

  it('bounds a --crds-from download by --timeout and says so in one line (exit 3)', async () => {
    const hanging: SystemPorts['httpGet'] = (url, { signal }) =>
      new Promise((_, reject) =>
        signal?.addEventListener('abort', () => reject(new CliError(`cannot reach ${url}: aborted`, ExitCode.BadInput))),
      );
    const { error } = await runPreflight({ crdsFrom: 'https://charts.example.com', timeout: 50 }, { system: { httpGet: hanging } });
    assert.ok(error instanceof CliError && error.exitCode === 3, String(error));
    assert.equal((error as Error).message, '--crds-from https://charts.example.com/: no answer within --timeout 0.05s');
  });

  it('refuses, before any work, --github-api-url without a github: --crds-from and a malformed github: source', () => {
    const preflight = new PreflightOptions(testContext(), 'preflight', fakeSystem(files, programs, []));
    preflight.complete({
      profile: 'gloo-edge',
      to: '1.17.0',
      crdsFrom: './crds',
      githubApiUrl: 'https://ghe.example.com/api/v3',
    } as PreflightArgs);
    assert.throws(() => preflight.validate(), /--github-api-url only applies with --crds-from or --versions-from github:OWNER\/REPO/);
    const malformed = new PreflightOptions(testContext(), 'preflight', fakeSystem(files, programs, []));
    malformed.complete({ profile: 'gloo-edge', to: '1.17.0', crdsFrom: 'github:solo-io' } as PreflightArgs);
    assert.throws(() => malformed.validate(), /invalid --crds-from "github:solo-io"/);
  });

  it('validates --to, --skip and the profile before anything runs', () => {
    const ctx = testContext();
    const make = () => new PreflightOptions(ctx, 'preflight', fakeSystem(files, programs, []));
    assert.throws(() => make().complete({ profile: 'gloo-edge', to: 'next' } as PreflightArgs), /invalid --to "next"/);
    assert.throws(() => make().complete({ to: '1.17.0' } as PreflightArgs), /--profile is required/);
    const skip = make();
    skip.complete({ profile: 'gloo-edge', to: '1.17.0', skip: ['helm-client,nope'] } as PreflightArgs);
    assert.throws(() => skip.validate(), /unknown check "nope" for --skip/);
    const noTarget = make();
    noTarget.complete({ profile: 'gloo-edge' } as PreflightArgs);
    assert.throws(() => noTarget.validate(), /--to VERSION is required/);
  });
});
