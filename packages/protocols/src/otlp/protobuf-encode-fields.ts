/**
 * Field writers for the OTLP encoders of agents (logs-protobuf-encode.ts,
 * traces-protobuf-encode.ts), on protobufjs's `Writer`: fields are appended to one writer, and a
 * nested message is opened with {@link beginMessage} and closed with {@link endMessage}, which
 * puts its length in front once it is known; the bytes are copied once, at `finish()`.
 * proto3 defaults ('' and 0) are left out, as a protobuf encoder would.
 *
 * (The first version built every field and nested message as its own Buffer and concatenated
 * them, with varints through BigInt: 25 µs per span and 12 µs per log record; this way is a
 * few µs, see docs/perf.md.)
 */
import protobuf from 'protobufjs/minimal.js';

export type ProtoWriter = protobuf.Writer;

const VARINT = 0;
const FIXED64 = 1;
const LEN = 2;

const key = (field: number, wireType: number): number => ((field << 3) | wireType) >>> 0;

export function newWriter(): ProtoWriter {
  return protobuf.Writer.create();
}

/** The writer's bytes as a Buffer (without copying them again). */
export function finish(writer: ProtoWriter): Buffer {
  const bytes = writer.finish();
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** Opens the nested message in `field`; every field written until {@link endMessage} is inside it. */
export function beginMessage(writer: ProtoWriter, field: number): void {
  writer.uint32(key(field, LEN)).fork();
}

export function endMessage(writer: ProtoWriter): void {
  writer.ldelim();
}

/** What a ResourceSpans or ResourceLogs is made of: one resource, one instrumentation scope. */
interface ResourceAndScope {
  readonly resourceAttributes: Readonly<Record<string, string>>;
  readonly scopeName: string;
  readonly scopeVersion: string;
}

/**
 * One ResourceSpans/ResourceLogs (field 1 of the export request): its Resource, then one
 * ScopeSpans/ScopeLogs holding the scope and `items`, each written by `writeItem` as field 2.
 * (Spans and log records sit at the same field numbers in both messages.)
 */
export function writeResourceGroup<T>(
  writer: ProtoWriter,
  group: ResourceAndScope,
  items: readonly T[],
  writeItem: (writer: ProtoWriter, item: T) => void,
): void {
  beginMessage(writer, 1);
  beginMessage(writer, 1); // Resource
  writeAttributes(writer, 1, group.resourceAttributes);
  endMessage(writer);
  beginMessage(writer, 2); // ScopeSpans / ScopeLogs
  beginMessage(writer, 1); // InstrumentationScope
  writeString(writer, 1, group.scopeName);
  writeString(writer, 2, group.scopeVersion);
  endMessage(writer);
  for (const item of items) {
    beginMessage(writer, 2);
    writeItem(writer, item);
    endMessage(writer);
  }
  endMessage(writer);
  endMessage(writer);
}

/** Repeated KeyValue in `field`: strings as `string_value`, numbers as `int_value` (truncated). */
export function writeAttributes(
  writer: ProtoWriter,
  field: number,
  map: Readonly<Record<string, string | number>>,
): void {
  for (const name in map) {
    const value = map[name]!;
    beginMessage(writer, field);
    writeString(writer, 1, name);
    beginMessage(writer, 2); // AnyValue
    if (typeof value === 'number') writer.uint32(key(3, VARINT)).int64(Math.trunc(value));
    else writeString(writer, 1, value);
    endMessage(writer);
    endMessage(writer);
  }
}

/** A string field; '' omitted (proto3 default). */
export function writeString(writer: ProtoWriter, field: number, value: string): void {
  if (value !== '') writer.uint32(key(field, LEN)).string(value);
}

/** A bytes field; empty omitted. */
export function writeBytes(writer: ProtoWriter, field: number, value: Uint8Array): void {
  if (value.length !== 0) writer.uint32(key(field, LEN)).bytes(value);
}

/** A non-negative int32/enum field; 0 omitted. */
export function writeUint32(writer: ProtoWriter, field: number, value: number): void {
  if (value !== 0) writer.uint32(key(field, VARINT)).uint32(value);
}

/** A fixed64 field (as two little-endian halves: no 64-bit numbers needed); 0 omitted. */
export function writeFixed64(writer: ProtoWriter, field: number, value: bigint): void {
  if (value === 0n) return;
  const v = BigInt.asUintN(64, value);
  writer
    .uint32(key(field, FIXED64))
    .fixed32(Number(v & 0xffff_ffffn))
    .fixed32(Number(v >> 32n));
}
