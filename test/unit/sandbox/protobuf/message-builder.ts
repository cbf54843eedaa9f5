/**
 * Builds protobuf bodies the way client-go's generated marshallers lay them out (fields in
 * number order, proto2 strings written even when empty), to feed the sandbox's decoder.
 */
import { Writer } from 'protobufjs/minimal.js';

const varintType = 0;
const bytesType = 2;

/** MessageBuilder writes one protobuf message field by field. */
export class MessageBuilder {
  private readonly writer = Writer.create();

  string(field: number, value: string): this {
    this.writer.uint32((field << 3) | bytesType).string(value);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.writer.uint32((field << 3) | bytesType).bytes(value);
    return this;
  }

  varint(field: number, value: number): this {
    this.writer.uint32((field << 3) | varintType).int64(value);
    return this;
  }

  bool(field: number, value: boolean): this {
    this.writer.uint32((field << 3) | varintType).bool(value);
    return this;
  }

  message(field: number, build: (m: MessageBuilder) => MessageBuilder): this {
    return this.bytes(field, build(new MessageBuilder()).finish());
  }

  /** A map field: one entry message {key = 1, value = 2} per pair. */
  stringMap(field: number, entries: Record<string, string>): this {
    for (const [key, value] of Object.entries(entries)) this.message(field, (m) => m.string(1, key).string(2, value));
    return this;
  }

  bytesMap(field: number, entries: Record<string, Uint8Array>): this {
    for (const [key, value] of Object.entries(entries)) this.message(field, (m) => m.string(1, key).bytes(2, value));
    return this;
  }

  finish(): Uint8Array {
    return this.writer.finish();
  }
}

/** aMessage starts a protobuf message. */
export function aMessage(): MessageBuilder {
  return new MessageBuilder();
}

/** enveloped wraps a message in the `k8s\0` runtime.Unknown envelope client-go sends. */
export function enveloped(apiVersion: string, kind: string, raw: Uint8Array): Buffer {
  const unknown = aMessage()
    .message(1, (m) => m.string(1, apiVersion).string(2, kind))
    .bytes(2, raw)
    .string(3, '')
    .string(4, '')
    .finish();
  return Buffer.concat([Buffer.from('k8s\0', 'latin1'), unknown]);
}
