/**
 * The byte-level pieces of ClickHouse's Native format, written into one growable Buffer.
 *
 * A Native stream (as files and `FORMAT Native` carry it, i.e. without the TCP protocol's block
 * info) is a sequence of blocks:
 *
 *   block   = varUInt(columns) varUInt(rows) column*
 *   column  = string(name) string(type) data
 *   string  = varUInt(byte length) UTF-8 bytes
 *
 * Numbers are little-endian and fixed-width; `data` is the column's values back to back, with
 * compound types split into streams (an Array is its offsets, then its flattened elements).
 * Checked byte for byte against chDB's own `SELECT … FORMAT Native` in native-insert.int.test.ts.
 */

import { isUtf8 } from 'node:buffer';

const TWO_32 = 0x1_0000_0000;
// Strings from protobuf at least this long are checked and copied natively (see utf8).
const LONG_STRING_BYTES = 4096;
/** ASCII codes of the lowercase hex digits. */
const HEX_DIGITS = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

// Queued short strings are encoded once this many UTF-16 units are pending. Small enough that a
// chunk holding one non-ASCII string (which then is written string by string) is little work.
const PENDING_CHARS = 4096;

/** Bytes a varUInt needs for `n` (n ≥ 0). */
function varUIntWidth(n: number): number {
  let width = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    width++;
  }
  return width;
}

/** Appends Native-format values to a Buffer that doubles when full. */
export class NativeWriter {
  #buf: Buffer;
  #pos = 0;
  /** Short strings not yet encoded, as `<length char><string>` pairs (see {@link string}). */
  #pending = '';

  /** `initialBytes`: a guess of the final size; too small only costs a copy per doubling. */
  constructor(initialBytes = 65_536) {
    this.#buf = Buffer.allocUnsafe(Math.max(64, initialBytes));
  }

  /** Block header: column count and row count. */
  block(columns: number, rows: number): void {
    this.varUInt(columns);
    this.varUInt(rows);
  }

  /** Column header; the column's data follows. */
  column(name: string, type: string): void {
    this.string(name);
    this.string(type);
  }

  /** LEB128 unsigned integer, as ClickHouse's `writeVarUInt` (exact up to 2^53). */
  varUInt(n: number): void {
    this.#room(10);
    const buf = this.#buf;
    let pos = this.#pos;
    while (n >= 128) {
      buf[pos++] = (n % 128) | 0x80;
      n = Math.floor(n / 128);
    }
    buf[pos++] = n;
    this.#pos = pos;
  }

  /** UInt8; the caller has clamped the value to 0-255. */
  uint8(n: number): void {
    this.#room(1);
    this.#buf[this.#pos++] = n;
  }

  /** UInt32; the caller has checked the value is a whole number in [0, 2^32). */
  uint32(n: number): void {
    this.#room(4);
    this.#pos = this.#buf.writeUInt32LE(n >>> 0, this.#pos);
  }

  /** UInt64 from a Number: an integer in [0, 2^64), exact below 2^53 (offsets, durations). */
  uint64(n: number): void {
    // Byte stores rather than writeUInt32LE: offsets are written once per row and map column,
    // and the range checks made this 7% of span encoding (profiled).
    const high = n < TWO_32 ? 0 : Math.floor(n / TWO_32);
    this.int64Halves(n - high * TWO_32, high);
  }

  /** Int64 from a bigint in [-2^63, 2^63) (DateTime64(9) nanoseconds, exact). */
  int64(n: bigint): void {
    this.#room(8);
    this.#buf.writeBigInt64LE(n, this.#pos);
    this.#pos += 8;
  }

  /**
   * varUInt byte length + UTF-8 bytes, without a Buffer per string. Strings shorter than 128
   * UTF-16 units are queued as `<length char><string>` and encoded with one `write` per ~4 KB:
   * one native call per string cost 67 ns (measured), the TSV encoder's whole budget per field.
   * For ASCII the length char is exactly the varUInt of the byte length; anything else makes
   * the bulk write return more bytes than characters, and that chunk is redone string by string.
   * Lone surrogates become U+FFFD either way, as `Buffer.from(text)` does on the TSV path.
   */
  string(value: string): void {
    if (value.length < 128) {
      this.#pending += String.fromCharCode(value.length) + value;
      if (this.#pending.length >= PENDING_CHARS) this.#flush();
      return;
    }
    this.#flush();
    this.#writeString(value);
  }

  /** A 64-bit value from its unsigned low and high 32-bit halves (the caller clamped the value). */
  int64Halves(low: number, high: number): void {
    this.#room(8);
    const buf = this.#buf;
    const pos = this.#pos;
    buf[pos] = low;
    buf[pos + 1] = low >>> 8;
    buf[pos + 2] = low >>> 16;
    buf[pos + 3] = low >>> 24;
    buf[pos + 4] = high;
    buf[pos + 5] = high >>> 8;
    buf[pos + 6] = high >>> 16;
    buf[pos + 7] = high >>> 24;
    this.#pos = pos + 8;
  }

  /** `bytes` as they are: a short pre-encoded value (a span kind, a status code name). */
  raw(bytes: Uint8Array): void {
    this.#room(bytes.length);
    const buf = this.#buf;
    let pos = this.#pos;
    for (let i = 0; i < bytes.length; i++) buf[pos++] = bytes[i]!;
    this.#pos = pos;
  }

  /**
   * A String whose UTF-8 bytes are `src[start, end)` (a protobuf string field), copied without
   * decoding. Bytes that are not valid UTF-8 are written as `Buffer#toString` decodes them (each
   * bad sequence as U+FFFD), so the column holds what the decode-then-encode path would.
   *
   * Copied by a JS loop that also notices non-ASCII bytes: `isUtf8` and `Buffer#copy` need a view
   * object per call, and those views were a fifth of the log decoder's garbage (profiled).
   */
  utf8(src: Buffer, start: number, end: number): void {
    const length = end - start;
    if (length >= LONG_STRING_BYTES) {
      if (!isUtf8(src.subarray(start, end))) return this.string(src.toString('utf8', start, end));
      this.varUInt(length);
      this.#reserve(length);
      this.#pos += src.copy(this.#buf, this.#pos, start, end);
      return;
    }
    this.varUInt(length);
    this.#reserve(length);
    const buf = this.#buf;
    const at = this.#pos;
    let pos = at;
    let high = 0;
    for (let i = start; i < end; i++) high |= buf[pos++] = src[i]!;
    if (high >= 0x80 && !isUtf8(src.subarray(start, end))) {
      // Back to before the length prefix (1-2 bytes below LONG_STRING_BYTES) and write it decoded.
      this.#pos = at - (length < 128 ? 1 : 2);
      this.string(src.toString('utf8', start, end));
      return;
    }
    this.#pos = pos;
  }

  /** A String holding the decimal digits of `n`, a whole number in [0, 2^53), without a JS string. */
  decimal(n: number): void {
    let digits = 1;
    for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    this.#room(1 + digits);
    const buf = this.#buf;
    buf[this.#pos] = digits;
    let at = this.#pos + digits;
    for (let i = 0; i < digits; i++) {
      const next = Math.floor(n / 10);
      buf[at--] = 0x30 + (n - next * 10);
      n = next;
    }
    this.#pos += 1 + digits;
  }

  /** `bytes` written `times` times in a row: one copy, then doubling copies within the buffer. */
  repeat(bytes: Uint8Array, times: number): void {
    if (times <= 0 || bytes.length === 0) return;
    const total = bytes.length * times;
    this.#room(total);
    const buf = this.#buf;
    const start = this.#pos;
    buf.set(bytes, start);
    let done = bytes.length;
    while (done < total) {
      const n = Math.min(done, total - done);
      buf.copyWithin(start + done, start, start + n);
      done += n;
    }
    this.#pos = start + total;
  }

  /** A String holding the lowercase hex of `src[start, end)` (trace and span ids). */
  hex(src: Uint8Array, start: number, end: number): void {
    const length = (end - start) * 2;
    this.varUInt(length);
    this.#room(length);
    const buf = this.#buf;
    let pos = this.#pos;
    for (let i = start; i < end; i++) {
      const b = src[i]!;
      buf[pos++] = HEX_DIGITS[b >>> 4]!;
      buf[pos++] = HEX_DIGITS[b & 15]!;
    }
    this.#pos = pos;
  }

  /** Bytes written so far, pending strings included. */
  get length(): number {
    this.#flush();
    return this.#pos;
  }

  /**
   * Empties the writer for reuse, keeping its buffer unless that grew past `keepBytes` (a decoder
   * that reuses its writers allocates nothing per request once they have grown).
   */
  reset(keepBytes: number): void {
    this.#pending = '';
    this.#pos = 0;
    if (this.#buf.length > keepBytes) this.#buf = Buffer.allocUnsafe(keepBytes);
  }

  /** Drops everything written after the first `length` bytes (see {@link length}). */
  truncate(length: number): void {
    this.#flush();
    if (length < 0 || length > this.#pos)
      throw new RangeError(`cannot truncate ${this.#pos} bytes to ${length}`);
    this.#pos = length;
  }

  /** The bytes written so far (a view, not a copy). */
  finish(): Buffer {
    this.#flush();
    return this.#buf.subarray(0, this.#pos);
  }

  #room(bytes: number): void {
    if (this.#pending !== '') this.#flush();
    this.#reserve(bytes);
  }

  #reserve(bytes: number): void {
    if (this.#pos + bytes <= this.#buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.#pos + bytes));
    this.#buf.copy(next, 0, 0, this.#pos);
    this.#buf = next;
  }

  #flush(): void {
    const pending = this.#pending;
    if (pending === '') return;
    this.#pending = '';
    this.#reserve(pending.length * 3);
    const written = this.#buf.write(pending, this.#pos);
    if (written === pending.length) {
      this.#pos += written;
      return;
    }
    // Not all ASCII: the length chars count UTF-16 units, so walk them and write each string.
    for (let i = 0; i < pending.length;) {
      const end = i + 1 + pending.charCodeAt(i);
      this.#writeString(pending.slice(i + 1, end));
      i = end;
    }
  }

  /**
   * One string written directly. The length prefix is reserved before the bytes are known: one
   * byte when even 3 bytes per UTF-16 unit stay below 128; otherwise the width of that worst case
   * with a zero-padded varUInt (`0x85 0x00` = 5). ClickHouse's `readVarUInt` reads LEB128 without
   * requiring the shortest form, and this saves a `Buffer.byteLength` pass per string.
   */
  #writeString(value: string): void {
    const maxBytes = value.length * 3;
    if (maxBytes < 128) {
      this.#reserve(1 + maxBytes);
      const written = this.#buf.write(value, this.#pos + 1);
      this.#buf[this.#pos] = written;
      this.#pos += 1 + written;
      return;
    }
    const width = varUIntWidth(maxBytes);
    this.#reserve(width + maxBytes);
    const buf = this.#buf;
    let pos = this.#pos;
    let written = buf.write(value, pos + width);
    const end = pos + width + written;
    for (let i = 1; i < width; i++) {
      buf[pos++] = (written % 128) | 0x80;
      written = Math.floor(written / 128);
    }
    buf[pos] = written;
    this.#pos = end;
  }
}
