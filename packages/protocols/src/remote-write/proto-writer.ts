/**
 * A small protobuf writer for the remote write encoders (tests and benchmarks pre-encode up to a
 * million series, so it writes into one growable buffer and allocates nothing per field).
 *
 * Embedded messages: {@link ProtoWriter.fork} reserves one byte for the length prefix,
 * {@link ProtoWriter.join} fills it in, moving the payload right with one `copyWithin` in the
 * rare case the length needs more than one byte (payloads of 128 bytes and up).
 */
import { STALE_NAN_HIGH_WORD, STALE_NAN_LOW_WORD } from '../metrics/records.ts';

const VARINT = 0;
const FIXED64 = 1;
const LEN = 2;

const TWO_32 = 0x100000000;

export class ProtoWriter {
  private buf = Buffer.allocUnsafe(1 << 16);
  private view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  private pos = 0;
  private readonly starts: number[] = [];

  /** Bytes written so far. */
  get length(): number {
    return this.pos;
  }

  private reserve(bytes: number): void {
    if (this.pos + bytes <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + bytes) size *= 2;
    const next = Buffer.allocUnsafe(size);
    this.buf.copy(next, 0, 0, this.pos);
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
  }

  /** An unsigned varint below 2^53. */
  private varint(value: number): void {
    this.reserve(10);
    const buf = this.buf;
    let pos = this.pos;
    while (value >= 0x80) {
      buf[pos++] = (value & 0x7f) | 0x80;
      value = value >= TWO_32 ? Math.floor(value / 128) : value >>> 7;
    }
    buf[pos++] = value;
    this.pos = pos;
  }

  tag(field: number, wireType: number): void {
    this.varint(field * 8 + wireType);
  }

  /** A uint32/enum field; zero is the default and omitted, as proto3 encoders do. */
  uint32(field: number, value: number): void {
    if (value === 0) return;
    this.tag(field, VARINT);
    this.varint(value >>> 0);
  }

  /** A bare varint, for packed repeated fields between {@link fork} and {@link join}. */
  packedUint32(value: number): void {
    this.varint(value >>> 0);
  }

  /** A sint32 field (zigzag); zero omitted. */
  sint32(field: number, value: number): void {
    if (value === 0) return;
    this.tag(field, VARINT);
    this.varint(((value << 1) ^ (value >> 31)) >>> 0);
  }

  /** An int64 field from an integer number (two's complement for negatives); zero omitted. */
  int64(field: number, value: number): void {
    if (value === 0) return;
    this.tag(field, VARINT);
    if (value > 0 && value < 2 ** 53) {
      this.varint(value);
      return;
    }
    // Negative: the 64-bit two's complement is 10 bytes; build it from the two 32-bit words.
    let lo = value >>> 0;
    let hi = Math.floor(value / TWO_32) >>> 0;
    this.reserve(10);
    const buf = this.buf;
    let pos = this.pos;
    while (hi !== 0 || lo >= 0x80) {
      buf[pos++] = (lo & 0x7f) | 0x80;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    buf[pos++] = lo;
    this.pos = pos;
  }

  /** A double field; +0 omitted (proto3), -0 and NaN written. */
  double(field: number, value: number): void {
    if (value === 0 && !Object.is(value, -0)) return;
    this.tag(field, FIXED64);
    this.reserve(8);
    this.view.setFloat64(this.pos, value, true);
    this.pos += 8;
  }

  /** A double field holding Prometheus's staleness marker bit pattern, which a JS number cannot carry. */
  staleNaN(field: number): void {
    this.tag(field, FIXED64);
    this.reserve(8);
    this.view.setUint32(this.pos, STALE_NAN_LOW_WORD, true);
    this.view.setUint32(this.pos + 4, STALE_NAN_HIGH_WORD, true);
    this.pos += 8;
  }

  /** A string field; '' omitted. */
  string(field: number, value: string): void {
    if (value === '') return;
    this.tag(field, LEN);
    this.stringPayload(value);
  }

  /** A string as an element of a repeated field: written even when empty. */
  repeatedString(field: number, value: string): void {
    this.tag(field, LEN);
    this.stringPayload(value);
  }

  private stringPayload(value: string): void {
    // Up to 42 UTF-16 units encode to at most 126 bytes, so a one-byte length prefix always fits
    // and the string is measured by writing it, not by a separate Buffer.byteLength.
    if (value.length <= 42) {
      this.reserve(1 + value.length * 3);
      const written = this.buf.write(value, this.pos + 1, 'utf8');
      this.buf[this.pos] = written;
      this.pos += 1 + written;
      return;
    }
    const length = Buffer.byteLength(value, 'utf8');
    this.varint(length);
    this.reserve(length);
    this.pos += this.buf.write(value, this.pos, 'utf8');
  }

  /** Opens an embedded message (or packed field) in `field`; every fork needs its {@link join}. */
  fork(field: number): void {
    this.tag(field, LEN);
    this.reserve(1);
    this.starts.push(this.pos);
    this.pos++;
  }

  /** Closes the innermost {@link fork}, writing its length prefix. */
  join(): void {
    const prefixAt = this.starts.pop();
    if (prefixAt === undefined) throw new Error('join() without fork()');
    const length = this.pos - prefixAt - 1;
    if (length < 0x80) {
      this.buf[prefixAt] = length;
      return;
    }
    let prefix = 1;
    for (let v = length; v >= 0x80; v = Math.floor(v / 128)) prefix++;
    this.reserve(prefix - 1);
    this.buf.copyWithin(prefixAt + prefix, prefixAt + 1, this.pos);
    const end = this.pos + prefix - 1;
    this.pos = prefixAt;
    this.varint(length);
    this.pos = end;
  }

  /** Appends bytes written elsewhere (an already encoded part of the message). */
  raw(bytes: Uint8Array): void {
    this.reserve(bytes.length);
    this.buf.set(bytes, this.pos);
    this.pos += bytes.length;
  }

  /** The bytes written, as a view of the writer's buffer (the writer is not to be used after). */
  finish(): Buffer {
    if (this.starts.length > 0) throw new Error('finish() with an unjoined fork()');
    return this.buf.subarray(0, this.pos);
  }
}
