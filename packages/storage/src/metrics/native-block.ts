/**
 * A ClickHouse Native block (as `file(…, 'Native')` reads it) assembled from column chunks:
 *
 *   block  = varUInt(columns) varUInt(rows) (string(name) string(type) data)*
 *
 * Fixed-width columns (UInt64, DateTime64(3), Float64) are typed arrays the caller filled,
 * appended as views without copying until the final concat; String and Map columns go through
 * {@link TextColumn}. Little-endian throughout, like typed arrays on every platform Node ships
 * for (checked below rather than assumed).
 */
import type { NativeColumn } from '../connection.ts';

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new Error('the Native encoders of the metric store need a little-endian platform');
}

function varUInt(n: number): Buffer {
  const bytes: number[] = [];
  while (n >= 128) {
    bytes.push((n % 128) | 0x80);
    n = Math.floor(n / 128);
  }
  bytes.push(n);
  return Buffer.from(bytes);
}

function nativeString(text: string): Buffer {
  const body = Buffer.from(text);
  return Buffer.concat([varUInt(body.length), body]);
}

/** Variable-width column data: strings (varUInt length + UTF-8) and UInt64 offsets. */
export class TextColumn {
  #buf = Buffer.allocUnsafe(4096);
  #pos = 0;

  string(text: string): void {
    const max = text.length * 3 + 5;
    this.#reserve(max);
    // Reserve the widest length prefix this text can need, then write it zero-padded:
    // ClickHouse's readVarUInt accepts non-minimal LEB128 (0x85 0x00 = 5).
    const bound = max - 5;
    const width = bound < 128 ? 1 : bound < 16_384 ? 2 : bound < 2_097_152 ? 3 : bound < 268_435_456 ? 4 : 5;
    let written = this.#buf.write(text, this.#pos + width);
    const end = this.#pos + width + written;
    for (let i = 0; i < width - 1; i++) {
      this.#buf[this.#pos++] = (written % 128) | 0x80;
      written = Math.floor(written / 128);
    }
    this.#buf[this.#pos] = written;
    this.#pos = end;
  }

  /** A UInt64 below 2^53 (array offsets). */
  uint64(n: number): void {
    this.#reserve(8);
    this.#buf.writeUInt32LE(n >>> 0, this.#pos);
    this.#buf.writeUInt32LE(Math.floor(n / 0x1_0000_0000), this.#pos + 4);
    this.#pos += 8;
  }

  bytes(): Buffer {
    return this.#buf.subarray(0, this.#pos);
  }

  #reserve(bytes: number): void {
    if (this.#pos + bytes <= this.#buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.#pos + bytes));
    this.#buf.copy(next, 0, 0, this.#pos);
    this.#buf = next;
  }
}

/** Columns of one block, in order; {@link finish} joins them into the body. */
export class NativeBlock {
  readonly #parts: Uint8Array[];
  readonly #columns: NativeColumn[] = [];

  constructor(columns: number, rows: number) {
    this.#parts = [varUInt(columns), varUInt(rows)];
  }

  /** Appends a column: `data` is its complete data (a typed array's bytes or a TextColumn's). */
  column(name: string, type: string, data: ArrayBufferView): void {
    this.#columns.push({ name, type });
    this.#parts.push(
      nativeString(name),
      nativeString(type),
      new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    );
  }

  /** Column names and declared types, for `Database.insertNative`. */
  get columns(): readonly NativeColumn[] {
    return this.#columns;
  }

  finish(): Buffer {
    return Buffer.concat(this.#parts);
  }
}
