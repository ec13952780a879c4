/**
 * ClickHouse Native blocks for the cache tables (inserted with `Database.insertNative`):
 *
 *   block  = varUInt(columns) varUInt(rows) (string(name) string(type) data)*
 *
 * Column data: fixed-width numbers little-endian back to back; String = varUInt(bytes) + UTF-8
 * per row; Array(T) and Map(K, V) = cumulative UInt64 end offsets per row, then the flattened
 * elements (a Map's keys, then its values). The points block is the hot one (up to ~10^6 rows per
 * refresh): its numeric columns are typed arrays filled in place and appended without copying.
 */
import type { NativeColumn } from '@vigil/storage';

/** A growable little-endian byte writer. */
export class ByteWriter {
  #buf: Buffer;
  #pos = 0;

  constructor(initialBytes = 4096) {
    this.#buf = Buffer.allocUnsafe(initialBytes);
  }

  varUInt(n: number): void {
    this.#room(10);
    while (n >= 128) {
      this.#buf[this.#pos++] = (n % 128) | 0x80;
      n = Math.floor(n / 128);
    }
    this.#buf[this.#pos++] = n;
  }

  string(text: string): void {
    const bytes = Buffer.byteLength(text);
    this.varUInt(bytes);
    this.#room(bytes);
    this.#pos += this.#buf.write(text, this.#pos);
  }

  uint8(n: number): void {
    this.#room(1);
    this.#buf[this.#pos++] = n;
  }

  uint32(n: number): void {
    this.#room(4);
    this.#pos = this.#buf.writeUInt32LE(n >>> 0, this.#pos);
  }

  /** UInt64 / Int64 of a non-negative safe integer (timestamps in ms, offsets, 53-bit hashes). */
  int64(n: number): void {
    this.#room(8);
    this.#buf.writeUInt32LE(n % 0x1_0000_0000, this.#pos);
    this.#pos = this.#buf.writeUInt32LE(Math.floor(n / 0x1_0000_0000), this.#pos + 4);
  }

  bytes(): Buffer {
    return this.#buf.subarray(0, this.#pos);
  }

  #room(bytes: number): void {
    if (this.#pos + bytes <= this.#buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.#buf.length * 2, this.#pos + bytes));
    this.#buf.copy(next, 0, 0, this.#pos);
    this.#buf = next;
  }
}

/** A Native block under construction: add columns in order, then {@link finish}. */
export class NativeBlockBuilder {
  readonly #parts: Uint8Array[] = [];
  readonly columns: NativeColumn[] = [];

  constructor(
    columnCount: number,
    readonly rows: number,
  ) {
    const header = new ByteWriter(16);
    header.varUInt(columnCount);
    header.varUInt(rows);
    this.#parts.push(header.bytes());
  }

  column(name: string, type: string, data: ArrayBufferView): this {
    const header = new ByteWriter(64);
    header.string(name);
    header.string(type);
    this.columns.push({ name, type });
    this.#parts.push(header.bytes(), new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    return this;
  }

  /** A String column whose rows come in runs: `runs[i]` repeated `counts[i]` times. */
  stringRuns(name: string, runs: readonly string[], counts: readonly number[]): this {
    const pieces: Buffer[] = [];
    runs.forEach((text, i) => {
      const one = new ByteWriter(text.length * 3 + 10);
      one.string(text);
      const bytes = one.bytes();
      // fill() repeats the encoded string across the run in native code.
      pieces.push(Buffer.allocUnsafe(bytes.length * counts[i]!).fill(bytes));
    });
    return this.column(name, 'String', Buffer.concat(pieces));
  }

  finish(): Buffer {
    return Buffer.concat(this.#parts);
  }
}

/**
 * UInt64 / Int64 / DateTime64(3) column data from non-negative safe integers (53-bit hashes,
 * millisecond timestamps): two little-endian 32-bit halves per value, no BigInt per row.
 */
export function int64Column(values: ArrayLike<number>, length = values.length): Uint32Array {
  const out = new Uint32Array(length * 2);
  for (let i = 0; i < length; i++) {
    const v = values[i]!;
    out[2 * i] = v % 0x1_0000_0000;
    out[2 * i + 1] = Math.floor(v / 0x1_0000_0000);
  }
  return out;
}
