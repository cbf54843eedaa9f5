import { strict as assert } from 'node:assert';
import protobuf from 'protobufjs';
import { openApiV2ContentType, openApiV2Protobuf } from '../../../../sandbox/openapi/v2.js';

// The fields of gnostic's openapi_v2.Document that kubectl reads first (google/gnostic openapiv2/OpenAPIv2.proto).
const gnostic = protobuf
  .parse(
    `
syntax = "proto3";
package openapi.v2;
message Info { string title = 1; string version = 2; }
message NamedPathItem { string name = 1; }
message Paths { repeated NamedPathItem path = 2; }
message NamedSchema { string name = 1; }
message Definitions { repeated NamedSchema additional_properties = 1; }
message Document { string swagger = 1; Info info = 2; string host = 3; Paths paths = 8; Definitions definitions = 9; }
`,
  )
  .root.lookupType('openapi.v2.Document');

describe('/openapi/v2', () => {
  it('is a gnostic Document for swagger 2.0 with empty paths and definitions', () => {
    const decoded = gnostic.toObject(gnostic.decode(openApiV2Protobuf('v1.27.16')), { defaults: false });
    assert.deepEqual(decoded, { swagger: '2.0', info: { title: 'Kubernetes', version: 'v1.27.16' }, paths: {}, definitions: {} });
  });

  it('stays about as small as the 30-byte document kubectl was seen to accept', () => {
    assert.ok(openApiV2Protobuf('v1.33.1').length <= 34);
  });

  it('hands each caller its own buffer', () => {
    const first = openApiV2Protobuf();
    first.fill(0);
    assert.equal(gnostic.toObject(gnostic.decode(openApiV2Protobuf())).swagger, '2.0');
  });

  it('is served with the Content-Type Go can parse', () => {
    assert.equal(openApiV2ContentType, 'application/com.github.proto-openapi.spec.v2.v1.0+protobuf');
  });
});
