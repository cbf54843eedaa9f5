/**
 * `/openapi/v2`. kubectl 1.27/1.28 fetch it before every apply, create, replace and explain and fail
 * hard on a 404 or a JSON answer; every version fetches it for `create -f <v1 List>`. A document with
 * no paths and no definitions is enough: client-side validation finds no schema for any kind and
 * passes, leaving validation to the server (fieldValidation=Strict). The message is gnostic's
 * openapi_v2.Document (google/gnostic openapiv2/OpenAPIv2.proto): swagger = 1, info = 2
 * (title = 1, version = 2), paths = 8, definitions = 9.
 */
import { Writer } from 'protobufjs/minimal.js';

/** The Content-Type `/openapi/v2` is served with (kubectl's Accept spells it `…spec.v2@v1.0+protobuf`, which Go's mime parser rejects). */
export const openApiV2ContentType = 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf';

const lengthDelimited = 2;
function tag(field: number): number {
  return (field << 3) | lengthDelimited;
}

const cache = new Map<string, Buffer>();

/** openApiV2Protobuf is the minimal gnostic openapi_v2.Document kubectl accepts. */
export function openApiV2Protobuf(serverVersion = 'v1.33.1'): Buffer {
  const cached = cache.get(serverVersion);
  if (cached) return Buffer.from(cached);
  const writer = Writer.create();
  writer.uint32(tag(1)).string('2.0');
  writer.uint32(tag(2)).fork().uint32(tag(1)).string('Kubernetes').uint32(tag(2)).string(serverVersion).ldelim();
  // Empty but present, as the real document always has both.
  writer.uint32(tag(8)).fork().ldelim();
  writer.uint32(tag(9)).fork().ldelim();
  const bytes = Buffer.from(writer.finish());
  cache.set(serverVersion, bytes);
  return bytes;
}
