/**
 * Kubernetes protobuf request bodies. helm (through client-go) writes its release Secrets with
 * `Content-Type: application/vnd.kubernetes.protobuf` and sends protobuf DeleteOptions, with no JSON
 * fallback on a 415, so the sandbox decodes the kinds helm writes: Secret, ConfigMap (helm's
 * configmap driver) and DeleteOptions. Field numbers come from k8s.io/api and apimachinery's
 * generated.proto; the envelope is described in apimachinery's runtime/serializer/protobuf.
 */
import { Reader } from 'protobufjs/minimal.js';
import { ApiError } from '../api/status.js';
import type { KubeObject } from '../api/types.js';

/** The Content-Type of Kubernetes protobuf bodies. */
export const protobufContentType = 'application/vnd.kubernetes.protobuf';

/** The four bytes every Kubernetes protobuf body starts with: "k8s" and a zero. */
export const protobufMagic = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

type Json = Record<string, unknown>;

/** Visits every field of a message; the visitor returns false to have the field skipped. */
function readMessage(bytes: Uint8Array, visit: (field: number, reader: Reader, wireType: number) => boolean): void {
  const reader = Reader.create(bytes);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (!visit(field, reader, wireType)) reader.skipType(wireType);
  }
}

function int64(reader: Reader): number {
  // Without long.js installed protobufjs returns plain numbers; with it, a Long.
  const value: unknown = reader.int64();
  return typeof value === 'number' ? value : (value as { toNumber(): number }).toNumber();
}

function string(reader: Reader): string {
  return reader.string();
}

/** Map fields are repeated entries with key = 1 and value = 2. */
function mapEntry<V>(bytes: Uint8Array, readValue: (reader: Reader) => V, empty: V): [string, V] {
  let key = '';
  let value = empty;
  readMessage(bytes, (field, reader) => {
    if (field === 1) key = string(reader);
    else if (field === 2) value = readValue(reader);
    else return false;
    return true;
  });
  return [key, value];
}

/** meta/v1 Time is {seconds = 1, nanos = 2}; JSON carries RFC3339 with second precision. Zero means unset. */
function time(bytes: Uint8Array): string | undefined {
  let seconds = 0;
  readMessage(bytes, (field, reader) => {
    if (field !== 1) return false;
    seconds = int64(reader);
    return true;
  });
  return seconds === 0 ? undefined : new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function ownerReference(bytes: Uint8Array): Json {
  const ref: Json = {};
  readMessage(bytes, (field, reader) => {
    switch (field) {
      case 1:
        ref.kind = string(reader);
        return true;
      case 3:
        ref.name = string(reader);
        return true;
      case 4:
        ref.uid = string(reader);
        return true;
      case 5:
        ref.apiVersion = string(reader);
        return true;
      case 6:
        ref.controller = reader.bool();
        return true;
      case 7:
        ref.blockOwnerDeletion = reader.bool();
        return true;
      default:
        return false;
    }
  });
  return ref;
}

function managedFieldsEntry(bytes: Uint8Array): Json {
  const entry: Json = {};
  readMessage(bytes, (field, reader) => {
    switch (field) {
      case 1:
        entry.manager = string(reader);
        return true;
      case 2:
        entry.operation = string(reader);
        return true;
      case 3:
        entry.apiVersion = string(reader);
        return true;
      case 4: {
        const t = time(reader.bytes());
        if (t) entry.time = t;
        return true;
      }
      case 6:
        entry.fieldsType = string(reader);
        return true;
      case 7: {
        // FieldsV1 wraps the JSON field set as raw bytes (field 1).
        readMessage(reader.bytes(), (f, r) => {
          if (f !== 1) return false;
          entry.fieldsV1 = JSON.parse(Buffer.from(r.bytes()).toString('utf8')) as unknown;
          return true;
        });
        return true;
      }
      case 8:
        entry.subresource = string(reader);
        return true;
      default:
        return false;
    }
  });
  return entry;
}

/** objectMeta decodes meta/v1 ObjectMeta, leaving out empty values as Go's omitempty JSON would. */
export function objectMeta(bytes: Uint8Array): Json {
  const meta: Json = {};
  const setString = (key: string, value: string) => {
    if (value !== '') meta[key] = value;
  };
  readMessage(bytes, (field, reader) => {
    switch (field) {
      case 1:
        setString('name', string(reader));
        return true;
      case 2:
        setString('generateName', string(reader));
        return true;
      case 3:
        setString('namespace', string(reader));
        return true;
      case 4:
        setString('selfLink', string(reader));
        return true;
      case 5:
        setString('uid', string(reader));
        return true;
      case 6:
        setString('resourceVersion', string(reader));
        return true;
      case 7: {
        const g = int64(reader);
        if (g !== 0) meta.generation = g;
        return true;
      }
      case 8: {
        const t = time(reader.bytes());
        if (t) meta.creationTimestamp = t;
        return true;
      }
      case 9: {
        const t = time(reader.bytes());
        if (t) meta.deletionTimestamp = t;
        return true;
      }
      case 10:
        meta.deletionGracePeriodSeconds = int64(reader);
        return true;
      case 11:
      case 12: {
        const key = field === 11 ? 'labels' : 'annotations';
        const [k, v] = mapEntry(reader.bytes(), string, '');
        meta[key] = { ...(meta[key] as Record<string, string> | undefined), [k]: v };
        return true;
      }
      case 13:
        meta.ownerReferences = [...((meta.ownerReferences as Json[] | undefined) ?? []), ownerReference(reader.bytes())];
        return true;
      case 14:
        meta.finalizers = [...((meta.finalizers as string[] | undefined) ?? []), string(reader)];
        return true;
      case 17:
        meta.managedFields = [...((meta.managedFields as Json[] | undefined) ?? []), managedFieldsEntry(reader.bytes())];
        return true;
      default:
        return false;
    }
  });
  return meta;
}

function base64(reader: Reader): string {
  return Buffer.from(reader.bytes()).toString('base64');
}

function addEntry<V>(target: Json, key: string, entry: [string, V]): void {
  target[key] = { ...(target[key] as Record<string, V> | undefined), [entry[0]]: entry[1] };
}

/** secret decodes a core/v1 Secret; `data` values become base64 strings, as in JSON. */
function secret(bytes: Uint8Array): Json {
  const out: Json = { metadata: {} };
  readMessage(bytes, (field, reader) => {
    switch (field) {
      case 1:
        out.metadata = objectMeta(reader.bytes());
        return true;
      case 2:
        addEntry(out, 'data', mapEntry(reader.bytes(), base64, ''));
        return true;
      case 3: {
        const t = string(reader);
        if (t) out.type = t;
        return true;
      }
      case 4:
        addEntry(out, 'stringData', mapEntry(reader.bytes(), string, ''));
        return true;
      case 5:
        out.immutable = reader.bool();
        return true;
      default:
        return false;
    }
  });
  return out;
}

/** configMap decodes a core/v1 ConfigMap; `binaryData` values become base64 strings, as in JSON. */
function configMap(bytes: Uint8Array): Json {
  const out: Json = { metadata: {} };
  readMessage(bytes, (field, reader) => {
    switch (field) {
      case 1:
        out.metadata = objectMeta(reader.bytes());
        return true;
      case 2:
        addEntry(out, 'data', mapEntry(reader.bytes(), string, ''));
        return true;
      case 3:
        addEntry(out, 'binaryData', mapEntry(reader.bytes(), base64, ''));
        return true;
      case 4:
        out.immutable = reader.bool();
        return true;
      default:
        return false;
    }
  });
  return out;
}

/** deleteOptions decodes meta/v1 DeleteOptions. */
function deleteOptions(bytes: Uint8Array): Json {
  const out: Json = {};
  readMessage(bytes, (field, reader) => {
    switch (field) {
      case 1:
        out.gracePeriodSeconds = int64(reader);
        return true;
      case 2: {
        const preconditions: Json = {};
        readMessage(reader.bytes(), (f, r) => {
          if (f === 1) preconditions.uid = string(r);
          else if (f === 2) preconditions.resourceVersion = string(r);
          else return false;
          return true;
        });
        out.preconditions = preconditions;
        return true;
      }
      case 3:
        out.orphanDependents = reader.bool();
        return true;
      case 4:
        out.propagationPolicy = string(reader);
        return true;
      case 5:
        out.dryRun = [...((out.dryRun as string[] | undefined) ?? []), string(reader)];
        return true;
      default:
        return false;
    }
  });
  return out;
}

/** The decoders by `apiVersion/kind`, as the envelope's TypeMeta names them. */
const decoders: Record<string, (bytes: Uint8Array) => Json> = {
  'v1/Secret': secret,
  'v1/ConfigMap': configMap,
  // client-go encodes DeleteOptions with the version of the request's group; all are meta/v1 DeleteOptions.
  'meta.k8s.io/v1/DeleteOptions': deleteOptions,
  'v1/DeleteOptions': deleteOptions,
};

/** The envelope (runtime.Unknown): TypeMeta{apiVersion = 1, kind = 2} = 1, raw = 2, contentEncoding = 3, contentType = 4. */
export interface ProtobufEnvelope {
  apiVersion: string;
  kind: string;
  raw: Uint8Array;
  contentEncoding: string;
  contentType: string;
}

/** unwrapEnvelope checks the `k8s\0` prefix and reads runtime.Unknown. */
export function unwrapEnvelope(body: Buffer): ProtobufEnvelope {
  if (body.length < protobufMagic.length || !body.subarray(0, protobufMagic.length).equals(protobufMagic)) {
    throw new ApiError(400, 'BadRequest', 'provided object is not a Kubernetes protobuf message: missing the "k8s\\x00" prefix');
  }
  const envelope: ProtobufEnvelope = { apiVersion: '', kind: '', raw: new Uint8Array(0), contentEncoding: '', contentType: '' };
  readMessage(body.subarray(protobufMagic.length), (field, reader) => {
    switch (field) {
      case 1:
        readMessage(reader.bytes(), (f, r) => {
          if (f === 1) envelope.apiVersion = string(r);
          else if (f === 2) envelope.kind = string(r);
          else return false;
          return true;
        });
        return true;
      case 2:
        envelope.raw = reader.bytes();
        return true;
      case 3:
        envelope.contentEncoding = string(reader);
        return true;
      case 4:
        envelope.contentType = string(reader);
        return true;
      default:
        return false;
    }
  });
  return envelope;
}

/** decodeKubeProtobuf decodes a `k8s\0`-enveloped protobuf body (Secret, ConfigMap, DeleteOptions) into JSON. */
export function decodeKubeProtobuf(body: Buffer): Record<string, unknown> & Partial<KubeObject> {
  let envelope: ProtobufEnvelope;
  let decoded: Json;
  try {
    envelope = unwrapEnvelope(body);
    const decode = decoders[`${envelope.apiVersion}/${envelope.kind}`];
    if (!decode) {
      // The real server cannot decode protobuf for custom resources either, and says so with a 415.
      throw new ApiError(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (protobuf is supported here only for Secret, ConfigMap and DeleteOptions, not ${envelope.apiVersion}/${envelope.kind})`,
      );
    }
    decoded = decode(envelope.raw);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError(400, 'BadRequest', `unable to decode the protobuf body: ${(error as Error).message}`);
  }
  return { apiVersion: envelope.apiVersion, kind: envelope.kind, ...decoded };
}
