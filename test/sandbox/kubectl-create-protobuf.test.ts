/**
 * `kubectl create …` posts protobuf bodies for built-in kinds, with no JSON fallback. Each command
 * runs through the real kubectl (oldest and newest dispatched minor) against the sandbox, and the
 * stored object is read back with `kubectl get -o json`.
 */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { SandboxHandle } from '../../sandbox/index.js';
import { ClientEnv, expectSuccess } from '../support/cluster.js';
import { startTestSandbox } from '../support/target.js';
import { conformanceServerVersions } from '../support/tools.js';

type Json = Record<string, unknown>;
const at = (value: unknown, ...path: Array<string | number>): unknown =>
  path.reduce<unknown>((v, key) => (v as Record<string | number, unknown> | undefined)?.[key], value);

for (const k8sVersion of conformanceServerVersions()) {
  describe(`kubectl create (protobuf bodies) against a ${k8sVersion} sandbox`, function () {
    this.timeout(120_000);
    let sandbox: SandboxHandle;
    let client: ClientEnv;

    before(async () => {
      sandbox = await startTestSandbox({ k8sVersion });
      client = new ClientEnv(sandbox.kubeconfigPath);
    });
    after(async () => {
      client?.dispose();
      await sandbox?.close();
    });

    const create = async (...args: string[]) => expectSuccess(await client.kubectl(['create', ...args]), `create ${args.join(' ')}`);
    const get = async (...args: string[]): Promise<Json> =>
      JSON.parse(expectSuccess(await client.kubectl(['get', ...args, '-o', 'json']), `get ${args.join(' ')}`).stdout) as Json;

    it('runs the minor the server reports', async () => {
      const version = JSON.parse(expectSuccess(await client.kubectl(['version', '-o', 'json']), 'version').stdout) as Json;
      assert.equal(at(version, 'clientVersion', 'minor'), k8sVersion.split('.')[1]);
    });

    it('creates a deployment with image, command, port and replicas', async () => {
      await create('deployment', 'web', '--image=nginx:1.27', '--port=8080', '--replicas=0', '--', 'nginx', '-g', 'daemon off;');
      const d = await get('deployment', 'web');
      assert.equal(at(d, 'spec', 'replicas'), 0);
      assert.deepEqual(at(d, 'spec', 'selector'), { matchLabels: { app: 'web' } });
      const c = at(d, 'spec', 'template', 'spec', 'containers', 0) as Json;
      assert.equal(c.image, 'nginx:1.27');
      assert.deepEqual(c.command, ['nginx', '-g', 'daemon off;']);
      assert.deepEqual(c.ports, [{ containerPort: 8080, protocol: 'TCP' }]);
    });

    it('creates a job, a cronjob, and a job from the cronjob', async () => {
      await create('job', 'hello', '--image=busybox', '--', 'echo', 'hi');
      const job = await get('job', 'hello');
      assert.deepEqual(at(job, 'spec', 'template', 'spec', 'containers', 0, 'command'), ['echo', 'hi']);
      assert.equal(at(job, 'spec', 'template', 'spec', 'restartPolicy'), 'Never');

      await create('cronjob', 'cj', '--image=busybox', '--schedule=*/5 * * * *', '--', 'sh', '-c', 'date');
      const cj = await get('cronjob', 'cj');
      assert.equal(at(cj, 'spec', 'schedule'), '*/5 * * * *');
      assert.equal(at(cj, 'spec', 'concurrencyPolicy'), 'Allow');
      assert.equal(at(cj, 'spec', 'jobTemplate', 'spec', 'template', 'spec', 'restartPolicy'), 'OnFailure');
      assert.deepEqual(at(cj, 'spec', 'jobTemplate', 'spec', 'template', 'spec', 'containers', 0, 'command'), ['sh', '-c', 'date']);
      const table = expectSuccess(await client.kubectl(['get', 'cronjob']), 'get cronjob').stdout;
      assert.match(table, /^NAME\s+SCHEDULE\s+TIMEZONE\s+SUSPEND\s+ACTIVE\s+LAST SCHEDULE\s+AGE\n/);
      assert.match(table, /^cj\s+\*\/5 \* \* \* \*\s+<none>\s+False\s+0\s+<none>\s+/m);

      await create('job', 'manual', '--from=cronjob/cj');
      const manual = await get('job', 'manual');
      assert.equal(at(manual, 'metadata', 'annotations', 'cronjob.kubernetes.io/instantiate'), 'manual');
      assert.equal(at(manual, 'metadata', 'ownerReferences', 0, 'uid'), at(cj, 'metadata', 'uid'));
      assert.deepEqual(at(manual, 'spec', 'template', 'spec', 'containers', 0, 'command'), ['sh', '-c', 'date']);
    });

    it('creates ClusterIP, NodePort and LoadBalancer services', async () => {
      await create('service', 'clusterip', 'cip', '--tcp=80:8080');
      await create('service', 'nodeport', 'np', '--tcp=80:8080', '--node-port=30080');
      await create('service', 'loadbalancer', 'lb', '--tcp=443:8443');
      const cip = await get('service', 'cip');
      assert.equal(at(cip, 'spec', 'type'), 'ClusterIP');
      assert.equal(at(cip, 'spec', 'ports', 0, 'port'), 80);
      assert.equal(at(cip, 'spec', 'ports', 0, 'targetPort'), 8080);
      assert.deepEqual(at(cip, 'spec', 'selector'), { app: 'cip' });
      const np = await get('service', 'np');
      assert.equal(at(np, 'spec', 'type'), 'NodePort');
      assert.equal(at(np, 'spec', 'ports', 0, 'nodePort'), 30080);
      assert.equal(at(await get('service', 'lb'), 'spec', 'type'), 'LoadBalancer');
    });

    it('creates a serviceaccount, configmap and generic, tls and docker-registry secrets', async () => {
      await create('serviceaccount', 'robot');
      assert.equal(at(await get('serviceaccount', 'robot'), 'metadata', 'name'), 'robot');
      await create('configmap', 'cfg', '--from-literal=a=1', '--from-literal=b=two');
      assert.deepEqual(at(await get('configmap', 'cfg'), 'data'), { a: '1', b: 'two' });
      await create('secret', 'generic', 'gen', '--from-literal=password=s3cr3t');
      assert.equal(Buffer.from(String(at(await get('secret', 'gen'), 'data', 'password')), 'base64').toString(), 's3cr3t');
      const cert = join(client.home, 'tls.crt');
      const key = join(client.home, 'tls.key');
      execFileSync(
        'openssl',
        ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=t'],
        {
          stdio: 'ignore',
        },
      );
      await create('secret', 'tls', 'tls', `--cert=${cert}`, `--key=${key}`);
      const tls = await get('secret', 'tls');
      assert.equal(tls.type, 'kubernetes.io/tls');
      assert.match(Buffer.from(String(at(tls, 'data', 'tls.crt')), 'base64').toString(), /BEGIN CERTIFICATE/);
      await create('secret', 'docker-registry', 'reg', '--docker-server=reg.example', '--docker-username=u', '--docker-password=p');
      const reg = await get('secret', 'reg');
      assert.equal(reg.type, 'kubernetes.io/dockerconfigjson');
      const config = JSON.parse(Buffer.from(String(at(reg, 'data', '.dockerconfigjson')), 'base64').toString()) as Json;
      assert.equal(at(config, 'auths', 'reg.example', 'username'), 'u');
    });

    it('creates roles, bindings and a namespace', async () => {
      await create('role', 'reader', '--verb=get,list', '--resource=pods,deployments.apps');
      assert.deepEqual(at(await get('role', 'reader'), 'rules'), [
        { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
        { apiGroups: ['apps'], resources: ['deployments'], verbs: ['get', 'list'] },
      ]);
      await create('rolebinding', 'rb', '--role=reader', '--serviceaccount=default:robot', '--user=alice');
      const rb = await get('rolebinding', 'rb');
      assert.deepEqual(at(rb, 'roleRef'), { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' });
      assert.deepEqual((rb.subjects as Json[]).map((s) => `${String(s.kind)}/${String(s.name)}`).sort(), [
        'ServiceAccount/robot',
        'User/alice',
      ]);
      await create('clusterrole', 'creader', '--verb=get', '--resource=namespaces', '--non-resource-url=/healthz');
      const rules = at(await get('clusterrole', 'creader'), 'rules') as Json[];
      assert.deepEqual(rules[0]?.resources, ['namespaces']);
      assert.deepEqual(rules[1]?.nonResourceURLs, ['/healthz']);
      await create('clusterrolebinding', 'crb', '--clusterrole=creader', '--group=devs');
      assert.equal(at(await get('clusterrolebinding', 'crb'), 'subjects', 0, 'kind'), 'Group');
      await create('namespace', 'team-a');
      assert.equal(at(await get('namespace', 'team-a'), 'status', 'phase'), 'Active');
    });
  });
}
