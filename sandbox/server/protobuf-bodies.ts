/**
 * Protobuf bodies kubectl's typed commands send besides helm's Secrets and ConfigMaps:
 * `kubectl create namespace` posts a protobuf Namespace and `kubectl auth can-i` a protobuf
 * SelfSubjectAccessReview, with no JSON fallback on a 415. Field numbers come from
 * k8s.io/api core/v1 and authorization/v1 generated.proto; everything else goes to the shared
 * decoder (sandbox/protobuf/decode.ts).
 */
import { Reader } from 'protobufjs/minimal.js';
import { ApiError } from '../api/status.js';
import { decodeKubeProtobuf, objectMeta, unwrapEnvelope } from '../protobuf/decode.js';

type Json = Record<string, unknown>;

function fields(bytes: Uint8Array, visit: (field: number, reader: Reader) => boolean): void {
  const reader = Reader.create(bytes);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    if (!visit(tag >>> 3, reader)) reader.skipType(tag & 7);
  }
}

function strings(bytes: Uint8Array, names: Record<number, string>): Json {
  const out: Json = {};
  fields(bytes, (field, reader) => {
    const name = names[field];
    if (!name) return false;
    const value = reader.string();
    if (value) out[name] = value;
    return true;
  });
  return out;
}

/** core/v1 Namespace: metadata = 1, spec = 2 {finalizers = 1 (repeated)}, status = 3 {phase = 1}. */
function namespace(bytes: Uint8Array): Json {
  const out: Json = { metadata: {} };
  fields(bytes, (field, reader) => {
    if (field === 1) out.metadata = objectMeta(reader.bytes());
    else if (field === 2) {
      const finalizers: string[] = [];
      fields(reader.bytes(), (f, r) => (f === 1 ? (finalizers.push(r.string()), true) : false));
      out.spec = finalizers.length ? { finalizers } : {};
    } else if (field === 3) out.status = strings(reader.bytes(), { 1: 'phase' });
    else return false;
    return true;
  });
  return out;
}

/** authorization/v1 SelfSubjectAccessReview: metadata = 1, spec = 2 {resourceAttributes = 1, nonResourceAttributes = 2}. */
function selfSubjectAccessReview(bytes: Uint8Array): Json {
  const out: Json = { metadata: {}, spec: {} };
  fields(bytes, (field, reader) => {
    if (field === 1) out.metadata = objectMeta(reader.bytes());
    else if (field === 2) {
      const spec: Json = {};
      fields(reader.bytes(), (f, r) => {
        if (f === 1)
          spec.resourceAttributes = strings(r.bytes(), {
            1: 'namespace',
            2: 'verb',
            3: 'group',
            4: 'version',
            5: 'resource',
            6: 'subresource',
            7: 'name',
          });
        else if (f === 2) spec.nonResourceAttributes = strings(r.bytes(), { 1: 'path', 2: 'verb' });
        else return false;
        return true;
      });
      out.spec = spec;
    } else return false;
    return true;
  });
  return out;
}

const decoders: Record<string, (bytes: Uint8Array) => Json> = {
  'v1/Namespace': namespace,
  'authorization.k8s.io/v1/SelfSubjectAccessReview': selfSubjectAccessReview,
};

/** decodeProtobufBody decodes a `k8s\0` protobuf request body into JSON. */
export function decodeProtobufBody(body: Buffer): Json {
  let envelope;
  try {
    envelope = unwrapEnvelope(body);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError(400, 'BadRequest', `unable to decode the protobuf body: ${(error as Error).message}`);
  }
  const decode = decoders[`${envelope.apiVersion}/${envelope.kind}`];
  if (!decode) return decodeKubeProtobuf(body);
  try {
    return { apiVersion: envelope.apiVersion, kind: envelope.kind, ...decode(envelope.raw) };
  } catch (error) {
    throw new ApiError(400, 'BadRequest', `unable to decode the protobuf body: ${(error as Error).message}`);
  }
}
