/**
 * A minimal protobuf writer for the benchmark's OTLP encoder. Bytes go into one growable buffer;
 * a nested message is opened with {@link ProtoWriter.fork} and closed with
 * {@link ProtoWriter.join}, which then knows the length and shifts the body right by the size of
 * its varint prefix (one native `copyWithin` per message), so there is no second sizing pass and
 * no per-field allocation. Output is canonical (minimal varints), like an SDK's.
 */

const LEN = 2;
const FIXED64 = 1;
const FIXED32 = 5;
const VARINT = 0;

const varintSize = (value: number): number => {
  let size = 1;
  while (value >= 0x80) {
    value = Math.floor(value / 128);
    size++;
  }
  return size;
};

export class ProtoWriter {
  #buf = Buffer.allocUnsafe(1 << 16);
  #pos = 0;
  readonly #starts: number[] = [];

  #reserve(bytes: number): void {
    if (this.#pos + bytes <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < this.#pos + bytes) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.#buf.copy(next, 0, 0, this.#pos);
    this.#buf = next;
  }

  /** An unsigned varint below 2^53 (lengths, enums, positive ints). */
  #varint(value: number): void {
    this.#reserve(10);
    while (value >= 0x80) {
      this.#buf[this.#pos++] = (value % 128) | 0x80;
      value = Math.floor(value / 128);
    }
    this.#buf[this.#pos++] = value;
  }

  #tag(field: number, wireType: number): void {
    this.#varint(field * 8 + wireType);
  }

  /** Varint field; proto3 omits zero values, and so do we. */
  uint(field: number, value: number): void {
    if (value === 0) return;
    this.#tag(field, VARINT);
    this.#varint(value);
  }

  /** int64 varint field (two's complement for negatives, as int64 requires). */
  int64(field: number, value: bigint): void {
    this.#tag(field, VARINT);
    let v = BigInt.asUintN(64, value);
    this.#reserve(10);
    while (v >= 0x80n) {
      this.#buf[this.#pos++] = Number(v & 0x7fn) | 0x80;
      v >>= 7n;
    }
    this.#buf[this.#pos++] = Number(v);
  }

  fixed64(field: number, value: bigint): void {
    if (value === 0n) return;
    this.#tag(field, FIXED64);
    this.#reserve(8);
    this.#buf.writeBigUInt64LE(value, this.#pos);
    this.#pos += 8;
  }

  fixed32(field: number, value: number): void {
    if (value === 0) return;
    this.#tag(field, FIXED32);
    this.#reserve(4);
    this.#buf.writeUInt32LE(value >>> 0, this.#pos);
    this.#pos += 4;
  }

  /** String field; empty strings are omitted (proto3 default). */
  string(field: number, value: string): void {
    if (value === '') return;
    this.#tag(field, LEN);
    const length = Buffer.byteLength(value, 'utf8');
    this.#varint(length);
    this.#reserve(length);
    this.#pos += this.#buf.write(value, this.#pos, 'utf8');
  }

  /** Bytes field from lowercase hex (trace and span ids); '' is omitted. */
  hexBytes(field: number, hex: string): void {
    if (hex === '') return;
    this.#tag(field, LEN);
    this.#varint(hex.length / 2);
    this.#reserve(hex.length / 2);
    this.#pos += this.#buf.write(hex, this.#pos, 'hex');
  }

  /** Bytes field written as given, even when empty (tests: invalid UTF-8, odd id lengths). */
  bytes(field: number, data: Uint8Array): void {
    this.#tag(field, LEN);
    this.#varint(data.length);
    this.#reserve(data.length);
    this.#buf.set(data, this.#pos);
    this.#pos += data.length;
  }

  /** Opens an embedded message in `field`; every fork needs its {@link join}. */
  fork(field: number): void {
    this.#tag(field, LEN);
    this.#starts.push(this.#pos);
  }

  /** Closes the innermost embedded message, writing its length prefix in front of it. */
  join(): void {
    const start = this.#starts.pop();
    if (start === undefined) throw new Error('join() without fork()');
    const length = this.#pos - start;
    const prefix = varintSize(length);
    this.#reserve(prefix);
    this.#buf.copyWithin(start + prefix, start, this.#pos);
    const end = this.#pos + prefix;
    this.#pos = start;
    this.#varint(length);
    this.#pos = end;
  }

  /** A copy of the bytes written (the writer's own buffer is reused by the next message). */
  finish(): Buffer {
    if (this.#starts.length > 0) throw new Error('finish() with an unjoined fork()');
    const out = Buffer.from(this.#buf.subarray(0, this.#pos));
    this.#pos = 0;
    return out;
  }
}
