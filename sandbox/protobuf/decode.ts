/**
 * Kubernetes protobuf request bodies: the `k8s\0` envelope (runtime.Unknown) and the built-in kinds
 * client-go writes that way — helm's release Secrets (and ConfigMaps) and DeleteOptions, and what
 * kubectl's typed commands post (Deployment, Job, CronJob, Service, Role …). The messages are
 * decoded by message-table.ts with field tables generated from k8s.io/api and apimachinery's
 * generated.proto (k8s-tables.ts); the envelope is described in apimachinery's
 * runtime/serializer/protobuf.
 */
import { Reader } from 'protobufjs/minimal.js';
import { ApiError } from '../api/status.js';
import type { KubeObject } from '../api/types.js';
import { messageTables, rootMessages } from './k8s-tables.js';
import { decodeMessage } from './message-table.js';

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

function string(reader: Reader): string {
  return reader.string();
}

/** objectMeta decodes meta/v1 ObjectMeta, leaving out empty values as Go's omitempty JSON would. */
export function objectMeta(bytes: Uint8Array): Json {
  return decodeMessage(messageTables, 'k8s.io.apimachinery.pkg.apis.meta.v1.ObjectMeta', bytes);
}

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

/** The `apiVersion/kind`s whose protobuf bodies the sandbox decodes. */
export function protobufKinds(): string[] {
  return Object.keys(rootMessages);
}

/**
 * decodeKubeProtobuf decodes a `k8s\0`-enveloped protobuf body into JSON, for every built-in kind
 * the sandbox serves (k8s-tables.ts). A malformed body is a 400 BadRequest whose message is the
 * decoder's error, as the real server answers; a kind without a table (a custom resource, which
 * has no protobuf form) is a 415.
 */
export function decodeKubeProtobuf(body: Buffer): Record<string, unknown> & Partial<KubeObject> {
  let envelope: ProtobufEnvelope;
  let decoded: Json;
  try {
    envelope = unwrapEnvelope(body);
    const message = rootMessages[`${envelope.apiVersion}/${envelope.kind}`];
    if (!message) {
      // The real server cannot decode protobuf for custom resources either, and says so with a 415.
      throw new ApiError(
        415,
        'UnsupportedMediaType',
        `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (no protobuf form for ${envelope.apiVersion}/${envelope.kind})`,
      );
    }
    decoded = decodeMessage(messageTables, message, envelope.raw);
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new ApiError(400, 'BadRequest', goDecodeError(error as Error));
  }
  return { apiVersion: envelope.apiVersion, kind: envelope.kind, ...decoded };
}

/** The Go decoder's words for a body that ends early (protobufjs says "index out of range: …"). */
function goDecodeError(error: Error): string {
  if (error instanceof RangeError && /index out of range/.test(error.message)) return 'unexpected EOF';
  if (/invalid varint encoding/.test(error.message)) return 'proto: integer overflow';
  if (error instanceof RangeError) return `proto: ${error.message}`;
  return error.message;
}
