// CONTRACT STUB (owner: discovery/openapi helper) — replace the body, keep the signature.
import type { KubeObject } from '../api/types.js';

/** The Content-Type of Kubernetes protobuf bodies. */
export const protobufContentType = 'application/vnd.kubernetes.protobuf';

/** decodeKubeProtobuf decodes a `k8s\0`-enveloped protobuf body (Secret, ConfigMap, DeleteOptions) into JSON. */
export function decodeKubeProtobuf(_body: Buffer): Record<string, unknown> & Partial<KubeObject> {
  throw new Error('protobuf decoding not implemented');
}
