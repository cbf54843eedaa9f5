/**
 * The sandbox API server over the wire, as kubectl, helm and client-node see it: discovery
 * content types, watches (flushed headers, replay, WatchList bookmarks), patch content types,
 * authentication and authorization, faults and the audit log, over HTTP and HTTPS.
 */
import { strict as assert } from 'node:assert';
import { existsSync, readFileSync, statSync } from 'node:fs';
import yaml from 'js-yaml';
import { startSandbox, type SandboxHandle } from '../../../../sandbox/index.js';
import { aCrd } from '../../../fixtures/crd-builder.js';
import { send, watch, type Target } from './http-client.js';

const quickDelays = { rolloutMs: 20, crdEstablishMs: 10, jobMs: 20, discoveryStepMs: 10 };
const aggregatedAccept =
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json';
const tableAccept = 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json';

function aConfigMap(name: string, namespace = 'default'): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data: { key: 'value' } };
}

async function eventually(check: () => Promise<void>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

describe('the sandbox API server over HTTPS', function () {
  let sandbox: SandboxHandle;
  let admin: Target;
  let restricted: Target;

  before(async function () {
    sandbox = await startSandbox({ delays: quickDelays, bookmarkIntervalMs: 50, vendorFixturesDir: null });
    admin = { url: sandbox.url, token: sandbox.adminToken, ca: sandbox.caPem };
    restricted = { url: sandbox.url, token: sandbox.restrictedToken, ca: sandbox.caPem };
  });

  after(async function () {
    await sandbox?.close();
  });

  beforeEach(function () {
    sandbox.faults.clear();
  });

  describe('the kubeconfig', function () {
    it('has the admin context current, a restricted context, the CA, and mode 0600', function () {
      const config = yaml.load(readFileSync(sandbox.kubeconfigPath, 'utf8')) as {
        'current-context': string;
        contexts: Array<{ name: string; context: { namespace: string } }>;
        clusters: Array<{ cluster: Record<string, string> }>;
      };
      assert.equal(config['current-context'], 'sandbox');
      assert.deepEqual(
        config.contexts.map((c) => c.name),
        ['sandbox', 'sandbox-restricted'],
      );
      assert.equal(config.contexts[0]?.context.namespace, 'default');
      assert.equal(Buffer.from(config.clusters[0]?.cluster['certificate-authority-data'] ?? '', 'base64').toString('utf8'), sandbox.caPem);
      assert.equal(statSync(sandbox.kubeconfigPath).mode & 0o777, 0o600);
    });
  });

  describe('discovery and version', function () {
    it('reports a full version.Info without a token', async function () {
      const res = await send({ url: sandbox.url, ca: sandbox.caPem }, 'GET', '/version?timeout=32s');
      assert.equal(res.status, 200);
      const info = res.json<Record<string, string>>();
      assert.deepEqual(
        { major: info.major, minor: info.minor, gitVersion: info.gitVersion },
        { major: '1', minor: '33', gitVersion: 'v1.33.1' },
      );
      for (const field of ['gitCommit', 'gitTreeState', 'buildDate', 'goVersion', 'compiler', 'platform']) assert.ok(info[field], field);
    });

    it('answers /apis with aggregated discovery and its exact Content-Type when asked', async function () {
      const res = await send(admin, 'GET', '/apis', undefined, { Accept: aggregatedAccept });
      assert.equal(res.headers['content-type'], 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList');
      assert.equal(res.json().kind, 'APIGroupDiscoveryList');
    });

    it('answers /apis with a legacy APIGroupList for plain JSON', async function () {
      const res = await send(admin, 'GET', '/apis', undefined, { Accept: 'application/json' });
      assert.equal(res.json().kind, 'APIGroupList');
      assert.equal((await send(admin, 'GET', '/api/v1')).json().kind, 'APIResourceList');
    });

    it('serves the protobuf /openapi/v2 whatever the Accept header', async function () {
      const res = await send(admin, 'GET', '/openapi/v2', undefined, {
        Accept: 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf',
      });
      assert.equal(res.status, 200);
      assert.equal(res.headers['content-type'], 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
    });

    it('answers an unknown path with a 404 Status', async function () {
      const res = await send(admin, 'GET', '/apis/nope.example/v1/things');
      assert.equal(res.status, 404);
      assert.deepEqual(
        { kind: res.json().kind, reason: res.json().reason, message: res.json().message },
        { kind: 'Status', reason: 'NotFound', message: 'the server could not find the requested resource' },
      );
    });
  });

  describe('authentication and authorization', function () {
    it('answers 401 without a token or with an unknown one', async function () {
      assert.equal((await send({ url: sandbox.url, ca: sandbox.caPem }, 'GET', '/api/v1/namespaces')).status, 401);
      const res = await send({ ...admin, token: 'wrong' }, 'GET', '/api/v1/namespaces');
      assert.equal(res.status, 401);
      assert.equal(res.json().reason, 'Unauthorized');
    });

    it('refuses the restricted user a CRD create with the real 403 message', async function () {
      const res = await send(
        restricted,
        'POST',
        '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
        aCrd().forKind('denied.example.test', 'Thing').build(),
      );
      assert.equal(res.status, 403);
      assert.equal(
        res.json().message,
        'customresourcedefinitions.apiextensions.k8s.io is forbidden: User "sandbox-restricted" cannot create resource "customresourcedefinitions" in API group "apiextensions.k8s.io" at the cluster scope',
      );
    });

    const reviews: Array<[string, 'admin' | 'restricted', Record<string, string>, boolean]> = [
      [
        'lets the admin create CRDs',
        'admin',
        { verb: 'create', group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' },
        true,
      ],
      [
        'denies the restricted user CRD creates',
        'restricted',
        { verb: 'create', group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' },
        false,
      ],
      [
        'denies the restricted user ClusterRoleBinding deletes',
        'restricted',
        { verb: 'delete', group: 'rbac.authorization.k8s.io', resource: 'clusterrolebindings' },
        false,
      ],
      [
        'lets the restricted user list CRDs',
        'restricted',
        { verb: 'list', group: 'apiextensions.k8s.io', resource: 'customresourcedefinitions' },
        true,
      ],
      [
        'lets the restricted user patch Deployments',
        'restricted',
        { verb: 'patch', group: 'apps', resource: 'deployments', namespace: 'default' },
        true,
      ],
    ];
    for (const [title, who, attributes, allowed] of reviews) {
      it(`answers a SelfSubjectAccessReview: ${title}`, async function () {
        const res = await send(who === 'admin' ? admin : restricted, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
          apiVersion: 'authorization.k8s.io/v1',
          kind: 'SelfSubjectAccessReview',
          spec: { resourceAttributes: attributes },
        });
        assert.equal(res.status, 201);
        assert.equal((res.json().status as { allowed: boolean }).allowed, allowed);
      });
    }
  });

  describe('writes', function () {
    it('creates with 201 and refuses a body namespace that differs from the URL with 400', async function () {
      assert.equal((await send(admin, 'POST', '/api/v1/namespaces/default/configmaps', aConfigMap('w1'))).status, 201);
      const res = await send(admin, 'POST', '/api/v1/namespaces/default/configmaps', aConfigMap('w2', 'kube-system'));
      assert.equal(res.status, 400);
      assert.equal(res.json().message, 'the namespace of the provided object does not match the namespace sent on the request');
    });

    it('accepts a PUT without Content-Type, as kubectl scale --current-replicas sends it', async function () {
      const created = (await send(admin, 'POST', '/api/v1/namespaces/default/configmaps', aConfigMap('put1'))).json<{
        metadata: Record<string, unknown>;
      }>();
      const body = JSON.stringify({ ...aConfigMap('put1'), metadata: created.metadata, data: { key: 'new' } });
      const res = await send(admin, 'PUT', '/api/v1/namespaces/default/configmaps/put1', Buffer.from(body), { 'Content-Type': '' });
      assert.equal(res.status, 200);
    });

    it('answers 415 to a PATCH sent as plain application/json', async function () {
      await send(admin, 'POST', '/api/v1/namespaces/default/configmaps', aConfigMap('p1'));
      const res = await send(
        admin,
        'PATCH',
        '/api/v1/namespaces/default/configmaps/p1',
        { data: { a: 'b' } },
        { 'Content-Type': 'application/json' },
      );
      assert.equal(res.status, 415);
    });

    it('needs a fieldManager for server-side apply and creates with 201', async function () {
      const path = '/api/v1/namespaces/default/configmaps/applied';
      const body = yaml.dump(aConfigMap('applied'));
      assert.equal((await send(admin, 'PATCH', path, body, { 'Content-Type': 'application/apply-patch+yaml' })).status, 400);
      const res = await send(admin, 'PATCH', `${path}?fieldManager=test&force=false`, body, {
        'Content-Type': 'application/apply-patch+yaml',
      });
      assert.equal(res.status, 201);
      const again = await send(admin, 'PATCH', `${path}?fieldManager=test`, body, { 'Content-Type': 'application/apply-patch+yaml' });
      assert.equal(again.status, 200);
    });

    it('persists nothing with dryRun=All', async function () {
      const res = await send(admin, 'POST', '/api/v1/namespaces/default/configmaps?dryRun=All', aConfigMap('dry'));
      assert.equal(res.status, 201);
      assert.equal((await send(admin, 'GET', '/api/v1/namespaces/default/configmaps/dry')).status, 404);
    });

    it('refuses strategic merge patches on custom resources with 415 and takes merge patches', async function () {
      await send(
        admin,
        'POST',
        '/apis/apiextensions.k8s.io/v1/customresourcedefinitions',
        aCrd().forKind('http.example.test', 'Gadget').build(),
      );
      await eventually(async () => assert.equal((await send(admin, 'GET', '/apis/http.example.test/v1')).status, 200));
      const create = await send(admin, 'POST', '/apis/http.example.test/v1/namespaces/default/gadgets', {
        apiVersion: 'http.example.test/v1',
        kind: 'Gadget',
        metadata: { name: 'g' },
        spec: {},
      });
      assert.equal(create.status, 201);
      const smp = await send(
        admin,
        'PATCH',
        '/apis/http.example.test/v1/namespaces/default/gadgets/g',
        { metadata: { labels: { a: 'b' } } },
        { 'Content-Type': 'application/strategic-merge-patch+json' },
      );
      assert.equal(smp.status, 415);
      assert.match(
        smp.json().message as string,
        /accepted media types include: application\/json-patch\+json, application\/merge-patch\+json, application\/apply-patch\+yaml/,
      );
      const merge = await send(
        admin,
        'PATCH',
        '/apis/http.example.test/v1/namespaces/default/gadgets/g',
        { metadata: { labels: { a: 'b' } } },
        { 'Content-Type': 'application/merge-patch+json' },
      );
      assert.equal(merge.status, 200);
      const deleted = await send(admin, 'DELETE', '/apis/http.example.test/v1/namespaces/default/gadgets/g', {
        propagationPolicy: 'Background',
      });
      assert.deepEqual({ kind: deleted.json().kind, status: deleted.json().status }, { kind: 'Status', status: 'Success' });
    });

    it('lists as a Table with row objects when Accept asks for one', async function () {
      const res = await send(admin, 'GET', '/api/v1/namespaces?limit=500', undefined, { Accept: tableAccept });
      const table = res.json<{ kind: string; rows: Array<{ object: { kind: string } }> }>();
      assert.equal(table.kind, 'Table');
      assert.equal(table.rows[0]?.object.kind, 'PartialObjectMetadata');
    });
  });

  describe('watches', function () {
    it('flushes the headers before any event exists', async function () {
      const stream = await watch(
        admin,
        '/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=999999999&fieldSelector=metadata.name%3Dnever',
      );
      try {
        assert.equal(stream.status, 200);
        assert.equal(stream.events.length, 0);
      } finally {
        stream.close();
      }
    });

    it('starts with synthetic ADDED events when resourceVersion is unset and then streams changes', async function () {
      await send(admin, 'POST', '/api/v1/namespaces/default/configmaps', aConfigMap('watched'));
      const stream = await watch(admin, '/api/v1/namespaces/default/configmaps?watch=true&fieldSelector=metadata.name%3Dwatched');
      try {
        await stream.waitFor(1);
        assert.equal(stream.events[0]?.type, 'ADDED');
        await send(
          admin,
          'PATCH',
          '/api/v1/namespaces/default/configmaps/watched',
          { data: { key: 'x' } },
          { 'Content-Type': 'application/merge-patch+json' },
        );
        await stream.waitFor(2);
        assert.equal(stream.events[1]?.type, 'MODIFIED');
      } finally {
        stream.close();
      }
    });

    it('replays the changes newer than a resourceVersion', async function () {
      const created = (await send(admin, 'POST', '/api/v1/namespaces/default/configmaps', aConfigMap('replayed'))).json<{
        metadata: { resourceVersion: string };
      }>();
      await send(admin, 'DELETE', '/api/v1/namespaces/default/configmaps/replayed');
      const stream = await watch(
        admin,
        `/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${created.metadata.resourceVersion}&fieldSelector=metadata.name%3Dreplayed`,
      );
      try {
        await stream.waitFor(1);
        assert.equal(stream.events[0]?.type, 'DELETED');
      } finally {
        stream.close();
      }
    });

    it('ends sendInitialEvents with the initial-events-end bookmark helm waits for', async function () {
      await send(admin, 'POST', '/api/v1/namespaces/default/configmaps', aConfigMap('listed'));
      const stream = await watch(
        admin,
        '/api/v1/namespaces/default/configmaps?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true&fieldSelector=metadata.name%3Dlisted',
      );
      try {
        await stream.waitFor(2);
        assert.deepEqual(
          stream.events.slice(0, 2).map((e) => e.type),
          ['ADDED', 'BOOKMARK'],
        );
        const annotations = (stream.events[1]?.object.metadata as { annotations?: Record<string, string> }).annotations;
        assert.equal(annotations?.['k8s.io/initial-events-end'], 'true');
      } finally {
        stream.close();
      }
    });

    it('ends a watch after timeoutSeconds', async function () {
      const stream = await watch(admin, '/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1&resourceVersion=1');
      await stream.ended;
    });

    it('carries Tables in watch events when Accept asks for them', async function () {
      const stream = await watch(admin, '/api/v1/namespaces?watch=true&fieldSelector=metadata.name%3Ddefault', { Accept: tableAccept });
      try {
        await stream.waitFor(1);
        assert.equal(stream.events[0]?.object.kind, 'Table');
      } finally {
        stream.close();
      }
    });
  });

  describe('faults and the audit log', function () {
    it('answers 429 with Retry-After and a TooManyRequests Status, and audits the fault', async function () {
      sandbox.audit.clear();
      sandbox.faults.set('429:count=1,retry-after=3,path=^/api/v1/namespaces$');
      const res = await send(admin, 'GET', '/api/v1/namespaces');
      assert.equal(res.status, 429);
      assert.equal(res.headers['retry-after'], '3');
      assert.equal(res.json().reason, 'TooManyRequests');
      assert.equal((await send(admin, 'GET', '/api/v1/namespaces')).status, 200);
      await eventually(async () => {
        const entries = sandbox.audit.entries().filter((e) => e.path === '/api/v1/namespaces');
        assert.deepEqual(
          entries.map((e) => [e.verb, e.code, e.fault ?? '', e.user]),
          [
            ['list', 429, '429', 'sandbox-admin'],
            ['list', 200, '', 'sandbox-admin'],
          ],
        );
      });
    });

    it('answers 409 Conflict in the real wording for a 409 fault, without handling the write', async function () {
      sandbox.faults.set('409:count=1,verb=patch');
      const patch = { metadata: { labels: { a: 'b' } } };
      const res = await send(admin, 'PATCH', '/api/v1/namespaces/default', patch, { 'Content-Type': 'application/merge-patch+json' });
      assert.equal(res.status, 409);
      assert.equal(res.json().reason, 'Conflict');
      assert.equal(
        res.json().message,
        'Operation cannot be fulfilled on namespaces "default": the object has been modified; please apply your changes to the latest version and try again',
      );
      const ns = await send(admin, 'GET', '/api/v1/namespaces/default');
      assert.equal(
        (ns.json() as { metadata: { labels?: Record<string, string> } }).metadata.labels?.a,
        undefined,
        'the write was not handled',
      );
    });

    it('resets the connection without a response for a reset fault', async function () {
      sandbox.faults.set('reset:count=1');
      await assert.rejects(send(admin, 'GET', '/api/v1/namespaces'));
    });

    it('handles the request, then resets the connection, for a reset-after fault', async function () {
      sandbox.audit.clear();
      sandbox.faults.set('reset-after:count=1,verb=create');
      await assert.rejects(send(admin, 'POST', '/api/v1/namespaces/default/configmaps', aConfigMap('reset-after')));
      assert.equal((await send(admin, 'GET', '/api/v1/namespaces/default/configmaps/reset-after')).status, 200, 'the create took effect');
      assert.equal((await send(admin, 'POST', '/api/v1/namespaces/default/configmaps', aConfigMap('reset-after'))).status, 409);
      await eventually(async () => {
        const entries = sandbox.audit.entries().filter((e) => e.verb === 'create');
        assert.deepEqual(
          entries.map((e) => [e.code, e.fault ?? '']),
          [
            [0, 'reset-after'],
            [409, ''],
          ],
        );
      });
    });

    it('sets and clears faults through the admin endpoint, and never faults /sandbox/ itself', async function () {
      const set = await send(admin, 'PUT', '/sandbox/faults', '503', { 'Content-Type': 'text/plain' });
      assert.equal(set.status, 200);
      assert.equal((await send(admin, 'GET', '/api/v1/namespaces')).status, 503);
      assert.equal((await send(admin, 'DELETE', '/sandbox/faults')).status, 200);
      assert.equal((await send(admin, 'GET', '/api/v1/namespaces')).status, 200);
    });

    it('rejects a bad spec at the admin endpoint with one line, and the admin endpoints for the restricted user', async function () {
      const bad = await send(admin, 'PUT', '/sandbox/faults', 'teapot', { 'Content-Type': 'text/plain' });
      assert.equal(bad.status, 400);
      assert.match(bad.json().message as string, /^invalid fault rule "teapot": unknown kind/);
      assert.equal((await send(restricted, 'GET', '/sandbox/audit')).status, 403);
    });

    it('serves the audit log as JSON lines', async function () {
      const res = await send(admin, 'GET', '/sandbox/audit');
      const lines = res.body
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      assert.ok(lines.length > 0);
      for (const field of ['time', 'verb', 'method', 'path', 'query', 'user', 'code']) assert.ok(field in (lines[0] ?? {}), field);
    });
  });
});

describe('the sandbox API server over plain HTTP', function () {
  it('serves with insecure-skip-tls-verify in its kubeconfig, and removes that kubeconfig on close', async function () {
    const sandbox = await startSandbox({ tls: false, delays: quickDelays, vendorFixturesDir: null });
    try {
      assert.match(sandbox.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const config = readFileSync(sandbox.kubeconfigPath, 'utf8');
      assert.match(config, /insecure-skip-tls-verify: true/);
      const res = await send({ url: sandbox.url, token: sandbox.adminToken }, 'GET', '/api/v1/namespaces/default');
      assert.equal(res.status, 200);
    } finally {
      await sandbox.close();
    }
    assert.equal(existsSync(sandbox.kubeconfigPath), false);
  });
});

describe('the sandbox restricted user with extra denials', function () {
  let sandbox: SandboxHandle;
  let admin: Target;
  let restricted: Target;

  before(async function () {
    sandbox = await startSandbox({
      delays: quickDelays,
      vendorFixturesDir: null,
      restrictedDenials: ['list configmaps', '* widgets.denied.example.test'],
    });
    admin = { url: sandbox.url, token: sandbox.adminToken, ca: sandbox.caPem };
    restricted = { url: sandbox.url, token: sandbox.restrictedToken, ca: sandbox.caPem };
  });
  after(async function () {
    await sandbox?.close();
  });

  it('refuses the denied verb with the real 403 message and allows the rest', async function () {
    const listed = await send(restricted, 'GET', '/api/v1/namespaces/default/configmaps');
    assert.equal(listed.status, 403);
    assert.equal(
      listed.json().message,
      'configmaps is forbidden: User "sandbox-restricted" cannot list resource "configmaps" in API group "" in the namespace "default"',
    );
    assert.equal((await send(restricted, 'POST', '/api/v1/namespaces/default/configmaps', aConfigMap('allowed'))).status, 201);
    assert.equal((await send(restricted, 'GET', '/api/v1/namespaces/default/configmaps/allowed')).status, 200);
    assert.equal((await send(admin, 'GET', '/api/v1/namespaces/default/configmaps')).status, 200);
  });

  it('answers SelfSubjectAccessReviews from the same denials ("*" denies every verb)', async function () {
    const review = async (attributes: Record<string, string>): Promise<boolean> => {
      const res = await send(restricted, 'POST', '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews', {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SelfSubjectAccessReview',
        spec: { resourceAttributes: attributes },
      });
      return (res.json().status as { allowed: boolean }).allowed;
    };
    assert.equal(await review({ verb: 'list', group: '', resource: 'configmaps', namespace: 'default' }), false);
    assert.equal(await review({ verb: 'get', group: '', resource: 'configmaps', namespace: 'default' }), true);
    assert.equal(await review({ verb: 'get', group: 'denied.example.test', resource: 'widgets' }), false);
  });

  it('takes a right away at run time (restricted.deny), and gives it back', async function () {
    assert.equal((await send(restricted, 'GET', '/api/v1/namespaces/default/secrets')).status, 200);
    sandbox.restricted.deny(['list secrets']);
    assert.equal((await send(restricted, 'GET', '/api/v1/namespaces/default/secrets')).status, 403);
    assert.equal(
      (await send(restricted, 'GET', '/api/v1/namespaces/default/configmaps')).status,
      200,
      'the start-up denials were replaced',
    );
    sandbox.restricted.deny(['list configmaps', '* widgets.denied.example.test']);
    assert.equal((await send(restricted, 'GET', '/api/v1/namespaces/default/secrets')).status, 200);
    assert.throws(() => sandbox.restricted.deny(['nonsense']), /invalid restricted-user denial/);
  });

  it('refuses a malformed denial before starting', async function () {
    await assert.rejects(startSandbox({ vendorFixturesDir: null, restrictedDenials: ['list'] }), /invalid restricted-user denial "list"/);
  });
});
