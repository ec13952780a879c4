/**
 * Test-only protobuf encoder for hand-crafted bodies: field orders the SDK never produces,
 * unknown fields of every wire type, and malformed input. Parts are plain byte arrays so a test
 * can cut or corrupt them freely.
 */

/** A varint of any 64-bit value (negative numbers in two's complement, as int64 fields use). */
export function varint(value: number | bigint): number[] {
  let v = BigInt.asUintN(64, BigInt(value));
  const out: number[] = [];
  do {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v === 0n ? byte : byte | 0x80);
  } while (v !== 0n);
  return out;
}

export const tag = (field: number, wireType: number): number[] => varint((field << 3) | wireType);

export function fixed64Bytes(value: bigint): number[] {
  const out: number[] = [];
  for (let i = 0n; i < 8n; i++) out.push(Number((BigInt.asUintN(64, value) >> (8n * i)) & 0xffn));
  return out;
}

export function fixed32Bytes(value: number): number[] {
  return [value & 0xff, (value >>> 8) & 0xff, (value >>> 16) & 0xff, (value >>> 24) & 0xff];
}

/** Field with a varint value. */
export const vfield = (field: number, value: number | bigint): number[] => [
  ...tag(field, 0),
  ...varint(value),
];
/** Field with a fixed64 value. */
export const f64field = (field: number, value: bigint): number[] => [
  ...tag(field, 1),
  ...fixed64Bytes(value),
];
/** Field with a double value. */
export function dfield(field: number, value: number): number[] {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setFloat64(0, value, true);
  return [...tag(field, 1), ...bytes];
}
/** Field with a fixed32 value. */
export const f32field = (field: number, value: number): number[] => [
  ...tag(field, 5),
  ...fixed32Bytes(value),
];
/** Length-delimited field: bytes, or an embedded message given as its concatenated parts. */
export function lfield(field: number, ...parts: (number[] | Uint8Array)[]): number[] {
  const payload = parts.flatMap((p) => [...p]);
  return [...tag(field, 2), ...varint(payload.length), ...payload];
}
/** Length-delimited string field. */
export const sfield = (field: number, text: string): number[] =>
  lfield(field, new TextEncoder().encode(text));

export const bytes = (...parts: number[][]): Uint8Array => Uint8Array.from(parts.flat());

export const hexBytes = (hex: string): number[] => [...Buffer.from(hex, 'hex')];
