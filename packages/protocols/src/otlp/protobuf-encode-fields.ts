/**
 * Field writers for the OTLP encoders of agents (logs-protobuf-encode.ts,
 * traces-protobuf-encode.ts): each returns one encoded field, nested messages are encoded into
 * their own buffer first so the parent knows their length. proto3 defaults ('' and 0) are left
 * out, as a protobuf encoder would.
 */

const LEN = 2;
const VARINT = 0;
const FIXED64 = 1;

/** Repeated KeyValue in `field`: strings as `string_value`, integers as `int_value`. */
export function attributes(field: number, map: Readonly<Record<string, string | number>>): Buffer {
  const parts: Buffer[] = [];
  for (const [key, value] of Object.entries(map)) {
    const anyValue = lenField(
      2,
      typeof value === 'number'
        ? Buffer.concat([tag(3, VARINT), varint(Math.trunc(value))])
        : value === ''
          ? Buffer.alloc(0)
          : stringField(1, value),
    );
    parts.push(lenField(field, Buffer.concat([stringField(1, key), anyValue])));
  }
  return Buffer.concat(parts);
}

function varint(value: number | bigint): Buffer {
  let v = BigInt.asUintN(64, BigInt(value));
  const bytes: number[] = [];
  while (v >= 0x80n) {
    bytes.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  bytes.push(Number(v));
  return Buffer.from(bytes);
}

const tag = (field: number, wireType: number): Buffer => varint(field * 8 + wireType);

export function lenField(field: number, payload: Uint8Array): Buffer {
  return Buffer.concat([tag(field, LEN), varint(payload.length), payload]);
}

/** A string field; '' omitted (proto3 default). */
export function stringField(field: number, value: string): Buffer {
  if (value === '') return Buffer.alloc(0);
  return lenField(field, Buffer.from(value, 'utf8'));
}

export function varintField(field: number, value: number): Buffer {
  return Buffer.concat([tag(field, VARINT), varint(value)]);
}

/** A fixed64 field; 0 omitted. */
export function fixed64Field(field: number, value: bigint): Buffer {
  if (value === 0n) return Buffer.alloc(0);
  const out = Buffer.alloc(9);
  out[0] = field * 8 + FIXED64;
  out.writeBigUInt64LE(BigInt.asUintN(64, value), 1);
  return out;
}

/** A fixed32 field; 0 omitted. */
export function fixed32Field(field: number, value: number): Buffer {
  if (value === 0) return Buffer.alloc(0);
  const out = Buffer.alloc(5);
  out[0] = field * 8 + 5;
  out.writeUInt32LE(value >>> 0, 1);
  return out;
}

/** A bytes field; empty omitted. */
export function bytesField(field: number, value: Uint8Array): Buffer {
  if (value.length === 0) return Buffer.alloc(0);
  return lenField(field, value);
}
