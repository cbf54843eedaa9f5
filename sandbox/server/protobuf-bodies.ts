/**
 * Protobuf request bodies. client-go posts built-in kinds as `application/vnd.kubernetes.protobuf`
 * with no JSON fallback on a 415: helm its release Secrets and DeleteOptions, kubectl's typed
 * commands (`kubectl create deployment|job|cronjob|service|namespace|role…`, `kubectl auth can-i`)
 * the object they build. The field tables behind the decoder (sandbox/protobuf/k8s-tables.ts) are
 * generated from the real k8s.io/api generated.proto files.
 */
import { decodeKubeProtobuf } from '../protobuf/decode.js';

/** decodeProtobufBody decodes a `k8s\0` protobuf request body into JSON (400 when malformed, 415 for a kind with no protobuf form). */
export function decodeProtobufBody(body: Buffer): Record<string, unknown> {
  return decodeKubeProtobuf(body);
}
