/**
 * A protobuf decoder driven by field tables (sandbox/protobuf/k8s-tables.ts, generated from the real
 * k8s.io/api generated.proto files): it turns a Kubernetes message into the JSON the real server
 * would have after decoding it into its Go struct, with Go's JSON rules — zero values of `omitempty`
 * fields left out, pointers kept, embedded structs inlined, Time as RFC 3339, IntOrString as a number
 * or a string, Quantity as its string, RawExtension as the JSON it carries, bytes as base64.
 *
 * Unknown field numbers are skipped, as gogo-protobuf's generated Unmarshal does. Hostile input is
 * bounded: every length is checked against what is left (protobufjs' Reader), a wire type that
 * does not match the field is refused as the Go decoder refuses it, and nesting is capped.
 */
import { Reader } from 'protobufjs/minimal.js';

/** One field: [jsonName, type, flags, mapValueType?]; flags 1 repeated, 2 map, 4 keep zero values, 8 inline. */
export type MessageField = [string, string, number] | [string, string, number, string];
/** A message: field number → field. */
export type MessageTable = Record<number, MessageField>;

const repeatedFlag = 1;
const mapFlag = 2;
const keepZeroFlag = 4;
const inlineFlag = 8;

/** How deep messages may nest; the deepest real body (a PodSpec's volume projections) is about 12. */
export const maxNestingDepth = 64;

/** A body the decoder refuses; the message is what the real server's Go decoder says. */
export class ProtobufDecodeError extends Error {}

type Json = Record<string, unknown>;

const varint = 0;
const fixed64 = 1;
const lengthDelimited = 2;
const fixed32 = 5;

const wireTypes: Record<string, number> = {
  bool: varint,
  int32: varint,
  int64: varint,
  uint32: varint,
  uint64: varint,
  double: fixed64,
  float: fixed32,
};

const meta = 'k8s.io.apimachinery.pkg.apis.meta.v1.';

/** Reads every field of one message, calling visit with the field number and wire type. */
function eachField(bytes: Uint8Array, visit: (field: number, wireType: number, reader: Reader) => boolean): void {
  const reader = Reader.create(bytes);
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const field = tag >>> 3;
    const wireType = tag & 7;
    if (field <= 0) throw new ProtobufDecodeError(`proto: illegal tag 0 (wire type ${wireType})`);
    if (wireType === 4) throw new ProtobufDecodeError(`proto: wiretype end group for non-group`);
    if (!visit(field, wireType, reader)) reader.skipType(wireType);
  }
}

function toNumber(value: unknown): number {
  // Without long.js installed protobufjs returns plain numbers; with it, a Long.
  return typeof value === 'number' ? value : (value as { toNumber(): number }).toNumber();
}

function readScalar(type: string, reader: Reader): unknown {
  switch (type) {
    case 'string':
      return reader.string();
    case 'bytes':
      return Buffer.from(reader.bytes()).toString('base64');
    case 'bool':
      return reader.bool();
    case 'int32':
      return reader.int32();
    case 'uint32':
      return reader.uint32();
    case 'int64':
      return toNumber(reader.int64());
    case 'uint64':
      return toNumber(reader.uint64());
    case 'double':
      return reader.double();
    case 'float':
      return reader.float();
    default:
      throw new ProtobufDecodeError(`proto: no decoder for ${type}`);
  }
}

function rfc3339(seconds: number, nanos: number, micro: boolean): string {
  const iso = new Date(seconds * 1000).toISOString();
  if (!micro) return iso.replace(/\.\d{3}Z$/, 'Z');
  return iso.replace(/\.\d{3}Z$/, `.${String(Math.floor(nanos / 1000)).padStart(6, '0')}Z`);
}

/** Go's time.Duration String(), for meta/v1 Duration. */
function goDuration(nanos: number): string {
  if (nanos === 0) return '0s';
  const sign = nanos < 0 ? '-' : '';
  let rest = Math.abs(nanos);
  if (rest < 1e9) {
    if (rest < 1e3) return `${sign}${rest}ns`;
    if (rest < 1e6) return `${sign}${rest / 1e3}µs`;
    return `${sign}${rest / 1e6}ms`;
  }
  const hours = Math.floor(rest / 3.6e12);
  rest -= hours * 3.6e12;
  const minutes = Math.floor(rest / 6e10);
  rest -= minutes * 6e10;
  const seconds = `${rest / 1e9}s`;
  if (hours) return `${sign}${hours}h${minutes}m${seconds}`;
  if (minutes) return `${sign}${minutes}m${seconds}`;
  return `${sign}${seconds}`;
}

/** The JSON form of the messages whose JSON is not their fields; undefined for a zero Time. */
function readSpecial(type: string, bytes: Uint8Array): unknown {
  const values: Record<number, unknown> = {};
  const types: Record<string, Record<number, string>> = {
    [`${meta}Time`]: { 1: 'int64', 2: 'int32' },
    [`${meta}MicroTime`]: { 1: 'int64', 2: 'int32' },
    [`${meta}Duration`]: { 1: 'int64' },
    [`${meta}FieldsV1`]: { 1: 'bytes' },
    'k8s.io.apimachinery.pkg.util.intstr.IntOrString': { 1: 'int64', 2: 'int32', 3: 'string' },
    'k8s.io.apimachinery.pkg.api.resource.Quantity': { 1: 'string' },
    'k8s.io.apimachinery.pkg.runtime.RawExtension': { 1: 'bytes' },
  };
  const fields = types[type];
  if (!fields) return undefined;
  eachField(bytes, (field, wireType, reader) => {
    const fieldType = fields[field];
    if (!fieldType) return false;
    checkWireType(fieldType, wireType, field, type);
    values[field] = fieldType === 'bytes' ? reader.bytes() : readScalar(fieldType, reader);
    return true;
  });
  switch (type) {
    case `${meta}Time`:
    case `${meta}MicroTime`: {
      const seconds = Number(values[1] ?? 0);
      if (seconds === 0 && Number(values[2] ?? 0) === 0) return undefined;
      return rfc3339(seconds, Number(values[2] ?? 0), type.endsWith('MicroTime'));
    }
    case `${meta}Duration`:
      return goDuration(Number(values[1] ?? 0));
    case 'k8s.io.apimachinery.pkg.util.intstr.IntOrString':
      return Number(values[1] ?? 0) === 1 ? String(values[3] ?? '') : Number(values[2] ?? 0);
    case 'k8s.io.apimachinery.pkg.api.resource.Quantity':
      return String(values[1] ?? '');
    default: {
      // FieldsV1 and RawExtension carry JSON as raw bytes.
      const raw = values[1] as Uint8Array | undefined;
      if (!raw || raw.length === 0) return type.endsWith('FieldsV1') ? {} : undefined;
      try {
        return JSON.parse(Buffer.from(raw).toString('utf8')) as unknown;
      } catch (error) {
        throw new ProtobufDecodeError(`invalid JSON in ${type.split('.').pop()}: ${(error as Error).message}`);
      }
    }
  }
}

function checkWireType(type: string, wireType: number, field: number | string, message: string): void {
  const expected = wireTypes[type] ?? lengthDelimited;
  if (wireType !== expected) {
    throw new ProtobufDecodeError(`proto: wrong wireType = ${wireType} for field ${field} of ${message.split('.').pop()}`);
  }
}

function isZero(value: unknown): boolean {
  return value === '' || value === 0 || value === false;
}

/**
 * decodeMessage decodes one message of the given fully qualified type with the given tables.
 * Throws ProtobufDecodeError (or protobufjs' RangeError for a length past the end) on a bad body.
 */
export function decodeMessage(tables: Record<string, MessageTable>, type: string, bytes: Uint8Array, depth = 0): Json {
  if (depth > maxNestingDepth) throw new ProtobufDecodeError(`proto: message nesting exceeds ${maxNestingDepth} levels`);
  const table = tables[type];
  if (!table) throw new ProtobufDecodeError(`proto: no field table for ${type}`);
  const out: Json = {};
  const valueOf = (fieldType: string, reader: Reader): unknown => {
    if (fieldType in wireTypes || fieldType === 'string' || fieldType === 'bytes') return readScalar(fieldType, reader);
    if (tables[fieldType]) return decodeMessage(tables, fieldType, reader.bytes(), depth + 1);
    return readSpecial(fieldType, reader.bytes());
  };
  eachField(bytes, (field, wireType, reader) => {
    const entry = table[field];
    if (!entry) return false;
    const [name, fieldType, flags, mapValue] = entry;
    if (flags & mapFlag) {
      checkWireType('map', wireType, name, type);
      let key = '';
      let value: unknown;
      eachField(reader.bytes(), (f, w, r) => {
        if (f === 1) {
          checkWireType('string', w, `${name} key`, type);
          key = r.string();
        } else if (f === 2 && mapValue) {
          checkWireType(mapValue, w, `${name} value`, type);
          value = valueOf(mapValue, r);
        } else return false;
        return true;
      });
      if (value === undefined) value = mapValue === 'string' || mapValue === 'bytes' ? '' : (mapValue ?? '') in wireTypes ? 0 : {};
      const map = (out[name] ??= {}) as Json;
      map[key] = value;
      return true;
    }
    if (flags & repeatedFlag) {
      const list = (out[name] ??= []) as unknown[];
      if (fieldType in wireTypes && wireType === lengthDelimited) {
        // A packed repeated scalar: one length-delimited run of values.
        const packed = Reader.create(reader.bytes());
        while (packed.pos < packed.len) list.push(readScalar(fieldType, packed));
        return true;
      }
      checkWireType(fieldType, wireType, name, type);
      list.push(valueOf(fieldType, reader));
      return true;
    }
    checkWireType(fieldType, wireType, name, type);
    const value = valueOf(fieldType, reader);
    if (flags & inlineFlag && value && typeof value === 'object') Object.assign(out, value);
    else if (value === undefined || (isZero(value) && !(flags & keepZeroFlag))) delete out[name];
    else if (tables[fieldType] && out[name] && typeof out[name] === 'object') Object.assign(out[name] as Json, value);
    else out[name] = value;
    return true;
  });
  return out;
}
