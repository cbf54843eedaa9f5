// CONTRACT STUB (owner: discovery/openapi helper) — replace the body, keep the signature.

/** The Content-Type `/openapi/v2` is served with. */
export const openApiV2ContentType = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

/** openApiV2Protobuf is the minimal gnostic openapi_v2.Document kubectl accepts. */
export function openApiV2Protobuf(): Buffer {
  return Buffer.alloc(0);
}
