import { strict as assert } from 'node:assert';
import { ApiError } from '../../../../sandbox/api/status.js';
import { decodeKubeProtobuf } from '../../../../sandbox/protobuf/decode.js';
import { decodeMessage, maxNestingDepth, ProtobufDecodeError, type MessageField } from '../../../../sandbox/protobuf/message-table.js';
import * as captured from './kubectl-captures.js';
import { aMessage, enveloped } from './message-builder.js';

type Json = Record<string, unknown>;
const at = (value: unknown, ...path: Array<string | number>): unknown =>
  path.reduce<unknown>((v, key) => (v as Record<string | number, unknown> | undefined)?.[key], value);

function refusal(body: Buffer): ApiError {
  try {
    decodeKubeProtobuf(body);
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  assert.fail('the body was accepted');
}

describe('protobuf bodies the real kubectl posts (field tables from generated.proto)', () => {
  it('decodes kubectl create deployment: replicas, selector, container image, command, args, ports', () => {
    const d = decodeKubeProtobuf(captured.deployment) as Json;
    assert.equal(d.kind, 'Deployment');
    assert.equal(at(d, 'metadata', 'name'), 'web');
    assert.deepEqual(at(d, 'metadata', 'labels'), { app: 'web' });
    assert.equal(at(d, 'spec', 'replicas'), 2);
    assert.deepEqual(at(d, 'spec', 'selector'), { matchLabels: { app: 'web' } });
    const container = at(d, 'spec', 'template', 'spec', 'containers', 0) as Json;
    assert.equal(container.name, 'nginx');
    assert.equal(container.image, 'nginx:1.27');
    assert.deepEqual(container.command, ['nginx', '-g', 'daemon off;']);
    assert.deepEqual(container.ports, [{ containerPort: 80 }]);
    assert.deepEqual(container.resources, {});
    // Empty strings of omitempty fields and a zero creationTimestamp are left out, as Go's JSON would.
    assert.equal(container.workingDir, undefined);
    assert.equal(at(d, 'metadata', 'creationTimestamp'), undefined);
  });

  it('decodes kubectl create job and cronjob: command, restartPolicy, schedule', () => {
    const job = decodeKubeProtobuf(captured.job) as Json;
    assert.deepEqual(at(job, 'spec', 'template', 'spec', 'containers', 0, 'command'), ['echo', 'hi']);
    assert.equal(at(job, 'spec', 'template', 'spec', 'restartPolicy'), 'Never');
    const cronJob = decodeKubeProtobuf(captured.cronjob) as Json;
    assert.equal(cronJob.apiVersion, 'batch/v1');
    assert.equal(cronJob.kind, 'CronJob');
    assert.equal(at(cronJob, 'spec', 'schedule'), '*/5 * * * *');
    const pod = at(cronJob, 'spec', 'jobTemplate', 'spec', 'template', 'spec') as Json;
    assert.equal(pod.restartPolicy, 'Never');
    assert.deepEqual(at(pod, 'containers', 0, 'command'), ['sh', '-c', 'date']);
  });

  it('decodes kubectl create job --from=cronjob: the annotation and the controller owner reference', () => {
    const job = decodeKubeProtobuf(captured.jobFromCronJob) as Json;
    assert.deepEqual(at(job, 'metadata', 'annotations'), { 'cronjob.kubernetes.io/instantiate': 'manual' });
    const owner = at(job, 'metadata', 'ownerReferences', 0) as Json;
    assert.equal(owner.kind, 'CronJob');
    assert.equal(owner.name, 'cj');
    assert.equal(owner.controller, true);
  });

  it('decodes kubectl create service nodeport: port, IntOrString targetPort, nodePort, type', () => {
    const svc = decodeKubeProtobuf(captured.nodePortService) as Json;
    assert.equal(at(svc, 'spec', 'type'), 'NodePort');
    const port = at(svc, 'spec', 'ports', 0) as Json;
    assert.equal(port.port, 80);
    assert.equal(port.targetPort, 8080);
    assert.equal(port.nodePort, 30080);
    assert.equal(port.name, '80-8080');
  });

  it('decodes secrets, service accounts, roles, bindings and namespaces', () => {
    const tls = decodeKubeProtobuf(captured.tlsSecret) as Json;
    assert.equal(tls.type, 'kubernetes.io/tls');
    assert.match(Buffer.from(String(at(tls, 'data', 'tls.crt')), 'base64').toString(), /BEGIN CERTIFICATE/);
    assert.equal(at(decodeKubeProtobuf(captured.serviceAccount), 'metadata', 'name'), 'robot');
    assert.deepEqual(at(decodeKubeProtobuf(captured.role), 'rules'), [
      { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] },
      { verbs: ['get', 'list'], apiGroups: ['apps'], resources: ['deployments'] },
    ]);
    const rb = decodeKubeProtobuf(captured.roleBinding) as Json;
    assert.deepEqual(rb.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'reader' });
    assert.deepEqual(
      (rb.subjects as Json[]).map((s) => `${String(s.kind)}/${String(s.name)}`),
      ['User/alice', 'ServiceAccount/robot'],
    );
    assert.deepEqual(at(decodeKubeProtobuf(captured.clusterRoleBinding), 'subjects', 0, 'kind'), 'Group');
    assert.equal(at(decodeKubeProtobuf(captured.namespace), 'metadata', 'name'), 'team-a');
  });
});

describe('hostile or malformed protobuf bodies', () => {
  const cases: Array<{ title: string; raw: Uint8Array; message: RegExp }> = [
    // spec (2) holding replicas (1) whose varint stops after a continuation byte.
    { title: 'a truncated varint', raw: Uint8Array.from([0x12, 0x02, 0x08, 0xff]), message: /unexpected EOF/ },
    { title: 'a length past the end', raw: Uint8Array.from([0x0a, 0x7f, 0x0a, 0x01]), message: /unexpected EOF/ },
    { title: 'a varint longer than 10 bytes', raw: Uint8Array.from([0x08, ...new Array<number>(11).fill(0xff), 0x01]), message: /./ },
    { title: 'a field 0 tag', raw: Uint8Array.from([0x02, 0x00]), message: /illegal tag 0/ },
    { title: 'a wire type 7', raw: Uint8Array.from([0x0f]), message: /./ },
    { title: 'a string sent as a varint (wrong wire type)', raw: aMessage().varint(2, 5).finish(), message: /wrong wireType = 0/ },
  ];
  for (const c of cases) {
    it(`answers 400 BadRequest for ${c.title}`, () => {
      const error = refusal(enveloped('apps/v1', 'Deployment', c.raw));
      assert.equal(error.code, 400);
      assert.equal(error.reason, 'BadRequest');
      assert.match(error.message, c.message);
    });
  }

  it('does not follow a nesting bomb past the schema: a chain of 10 000 field-2 messages decodes in bounded depth', () => {
    // The served kinds have no recursive message, so the decoder descends only as deep as the
    // schema (Deployment.spec → DeploymentSpec.selector → LabelSelector.matchExpressions → a string)
    // and skips the rest unread.
    let inner: Uint8Array = new Uint8Array(0);
    for (let i = 0; i < 10_000; i++) inner = aMessage().bytes(2, inner).finish();
    const d = decodeKubeProtobuf(enveloped('apps/v1', 'Deployment', inner)) as Json;
    assert.equal(typeof at(d, 'spec', 'selector', 'matchExpressions', 0, 'operator'), 'string');
  });

  it('stops a recursive message at the nesting cap with a decode error, not a stack overflow', () => {
    const tables = { node: { 1: ['child', 'node', 0] as MessageField } };
    let inner: Uint8Array = new Uint8Array(0);
    for (let i = 0; i < maxNestingDepth + 5; i++) inner = aMessage().bytes(1, inner).finish();
    assert.throws(() => decodeMessage(tables, 'node', inner), ProtobufDecodeError);
    let shallow: Uint8Array = new Uint8Array(0);
    for (let i = 0; i < 3; i++) shallow = aMessage().bytes(1, shallow).finish();
    assert.deepEqual(decodeMessage(tables, 'node', shallow), { child: { child: { child: {} } } });
  });

  it('skips field numbers it does not know at every level, as the real decoder does', () => {
    const raw = aMessage()
      .message(1, (m) => m.string(1, 'web').string(4242, 'future'))
      .message(2, (s) => s.varint(1, 3).message(999, (x) => x.string(1, 'unknown')))
      .bytes(77, Uint8Array.from([1, 2, 3]))
      .finish();
    const d = decodeKubeProtobuf(enveloped('apps/v1', 'Deployment', raw)) as Json;
    assert.deepEqual(d, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { replicas: 3 } });
  });
});
