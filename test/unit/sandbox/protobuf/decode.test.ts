import { strict as assert } from 'node:assert';
import { gzipSync } from 'node:zlib';
import { ApiError } from '../../../../sandbox/api/status.js';
import { decodeKubeProtobuf, unwrapEnvelope } from '../../../../sandbox/protobuf/decode.js';
import { gunzipSync } from 'node:zlib';
import { helm4InstallSecret, helm4UninstallDeleteOptions } from './helm4-captures.js';
import { aMessage, enveloped, type MessageBuilder } from './message-builder.js';

/** objectMeta writes ObjectMeta as client-go does for a new object: empty strings and zero times included. */
function objectMeta(m: MessageBuilder, name: string, namespace: string, labels: Record<string, string>): MessageBuilder {
  return m
    .string(1, name)
    .string(2, '')
    .string(3, namespace)
    .string(4, '')
    .string(5, '')
    .string(6, '')
    .varint(7, 0)
    .message(8, (t) => t.varint(1, 0).varint(2, 0))
    .stringMap(11, labels);
}

describe('Kubernetes protobuf bodies', () => {
  it('decodes the release Secret the real helm 4 binary posted', () => {
    const decoded = decodeKubeProtobuf(helm4InstallSecret);
    assert.equal(decoded.apiVersion, 'v1');
    assert.equal(decoded.kind, 'Secret');
    assert.equal(decoded.type, 'helm.sh/release.v1');
    assert.deepEqual(decoded.metadata, {
      name: 'sh.helm.release.v1.t.v1',
      labels: { createdAt: '1795222896', name: 't', owner: 'helm', status: 'pending-install', version: '1' },
    });
    // data.release is base64(base64(gzip(release JSON))): the JSON view double-encodes it once more.
    const release = (decoded.data as { release: string }).release;
    const json = JSON.parse(gunzipSync(Buffer.from(Buffer.from(release, 'base64').toString('latin1'), 'base64')).toString('utf8')) as {
      name: string;
      info: { status: string };
    };
    assert.deepEqual([json.name, json.info.status], ['t', 'pending-install']);
  });

  it('decodes the empty DeleteOptions the real helm 4 binary sent', () => {
    assert.deepEqual(decodeKubeProtobuf(helm4UninstallDeleteOptions), { apiVersion: 'v1', kind: 'DeleteOptions' });
  });

  it('decodes a Secret built as helm builds it', () => {
    const release = Buffer.from(gzipSync(Buffer.from('{"name":"demo","version":1}'))).toString('base64');
    const labels = { name: 'demo', owner: 'helm', status: 'pending-install', version: '1' };
    const secret = aMessage()
      .message(1, (m) => objectMeta(m, 'sh.helm.release.v1.demo.v1', 'default', labels))
      .bytesMap(2, { release: Buffer.from(release) })
      .string(3, 'helm.sh/release.v1')
      .finish();
    const decoded = decodeKubeProtobuf(enveloped('v1', 'Secret', secret));
    assert.deepEqual(decoded, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'sh.helm.release.v1.demo.v1', namespace: 'default', labels },
      data: { release: Buffer.from(release).toString('base64') },
      type: 'helm.sh/release.v1',
    });
  });

  it('decodes every ObjectMeta field a client may send on an update', () => {
    const secret = aMessage()
      .message(1, (m) =>
        m
          .string(1, 'x')
          .string(2, 'x-')
          .string(3, 'ns')
          .string(5, 'uid-1')
          .string(6, '17')
          .varint(7, 3)
          .message(8, (t) => t.varint(1, 1767225600))
          .message(9, (t) => t.varint(1, 1767229200))
          .varint(10, 30)
          .stringMap(12, { note: 'kept' })
          .message(13, (o) =>
            o.string(1, 'Deployment').string(3, 'web').string(4, 'uid-0').string(5, 'apps/v1').bool(6, true).bool(7, true),
          )
          .string(14, 'a/b')
          .string(14, 'c/d')
          .message(17, (f) =>
            f
              .string(1, 'helm')
              .string(2, 'Apply')
              .string(3, 'v1')
              .message(4, (t) => t.varint(1, 1767225600))
              .string(6, 'FieldsV1')
              .message(7, (r) => r.bytes(1, Buffer.from('{"f:data":{}}'))),
          ),
      )
      .stringMap(4, { plain: 'text' })
      .bool(5, true)
      .finish();
    const decoded = decodeKubeProtobuf(enveloped('v1', 'Secret', secret));
    assert.deepEqual(decoded.metadata, {
      name: 'x',
      generateName: 'x-',
      namespace: 'ns',
      uid: 'uid-1',
      resourceVersion: '17',
      generation: 3,
      creationTimestamp: '2026-01-01T00:00:00Z',
      deletionTimestamp: '2026-01-01T01:00:00Z',
      deletionGracePeriodSeconds: 30,
      annotations: { note: 'kept' },
      ownerReferences: [
        { kind: 'Deployment', name: 'web', uid: 'uid-0', apiVersion: 'apps/v1', controller: true, blockOwnerDeletion: true },
      ],
      finalizers: ['a/b', 'c/d'],
      managedFields: [
        {
          manager: 'helm',
          operation: 'Apply',
          apiVersion: 'v1',
          time: '2026-01-01T00:00:00Z',
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:data': {} },
        },
      ],
    });
    assert.deepEqual(decoded.stringData, { plain: 'text' });
    assert.equal(decoded.immutable, true);
  });

  it('decodes a ConfigMap with text and binary data', () => {
    const configMap = aMessage()
      .message(1, (m) => objectMeta(m, 'settings', 'default', {}))
      .stringMap(2, { mode: 'strict' })
      .bytesMap(3, { blob: Buffer.from([0, 1, 2]) })
      .bool(4, false)
      .finish();
    assert.deepEqual(decodeKubeProtobuf(enveloped('v1', 'ConfigMap', configMap)), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'default' },
      data: { mode: 'strict' },
      binaryData: { blob: 'AAEC' },
      immutable: false,
    });
  });

  it('decodes the DeleteOptions helm uninstall sends', () => {
    const options = aMessage()
      .varint(1, 0)
      .message(2, (p) => p.string(1, 'uid-1').string(2, '12'))
      .string(4, 'Background')
      .string(5, 'All')
      .finish();
    assert.deepEqual(decodeKubeProtobuf(enveloped('meta.k8s.io/v1', 'DeleteOptions', options)), {
      apiVersion: 'meta.k8s.io/v1',
      kind: 'DeleteOptions',
      gracePeriodSeconds: 0,
      preconditions: { uid: 'uid-1', resourceVersion: '12' },
      propagationPolicy: 'Background',
      dryRun: ['All'],
    });
  });

  it('reads the envelope type, raw bytes and encodings', () => {
    const envelope = unwrapEnvelope(enveloped('v1', 'Secret', Uint8Array.from([1, 2, 3])));
    assert.deepEqual(
      { ...envelope, raw: [...envelope.raw] },
      { apiVersion: 'v1', kind: 'Secret', raw: [1, 2, 3], contentEncoding: '', contentType: '' },
    );
  });

  it('skips fields it does not know, as a newer client may send them', () => {
    const secret = aMessage()
      .message(1, (m) => m.string(1, 'x').string(99, 'future'))
      .string(42, 'future')
      .string(3, 'Opaque')
      .finish();
    assert.deepEqual(decodeKubeProtobuf(enveloped('v1', 'Secret', secret)), {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'x' },
      type: 'Opaque',
    });
  });

  const failures: Array<{ title: string; body: Buffer; code: number }> = [
    { title: 'refuses a body without the k8s prefix with 400', body: Buffer.from('{"kind":"Secret"}'), code: 400 },
    { title: 'refuses a kind it cannot decode with 415', body: enveloped('gateway.solo.io/v1', 'Gateway', new Uint8Array(0)), code: 415 },
    { title: 'refuses a truncated message with 400', body: enveloped('v1', 'Secret', Uint8Array.from([0x0a, 0x20, 0x01])), code: 400 },
  ];
  for (const f of failures) {
    it(f.title, () => {
      assert.throws(
        () => decodeKubeProtobuf(f.body),
        (error: unknown) => error instanceof ApiError && error.code === f.code,
      );
    });
  }
});
