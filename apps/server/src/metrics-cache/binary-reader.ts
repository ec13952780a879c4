/**
 * Reads ClickHouse RowBinary output: values back to back, little-endian; strings and arrays
 * prefixed by a varUInt length; a Map is varUInt n then n (key, value) pairs. Floats arrive as
 * raw bytes, so NaN and ±Inf survive (JSON output would need quoting settings for them).
 */
import { AppError } from '@vigil/core';

function truncated(): AppError {
  return new AppError('internal', 'RowBinary result ends inside a value', { expose: false });
}

export class BinaryReader {
  readonly #buf: Buffer;
  #pos = 0;

  constructor(buf: Buffer) {
    this.#buf = buf;
  }

  get done(): boolean {
    return this.#pos >= this.#buf.length;
  }

  varUInt(): number {
    let result = 0;
    let factor = 1;
    for (;;) {
      if (this.#pos >= this.#buf.length) throw truncated();
      const byte = this.#buf[this.#pos++]!;
      result += (byte & 0x7f) * factor;
      if (byte < 0x80) return result;
      factor *= 128;
    }
  }

  skip(bytes: number): void {
    this.#need(bytes);
    this.#pos += bytes;
  }

  string(): string {
    const length = this.varUInt();
    this.#need(length);
    const text = this.#buf.toString('utf8', this.#pos, this.#pos + length);
    this.#pos += length;
    return text;
  }

  /** An Array(Float64), copied into its own aligned Float64Array. */
  float64Array(): Float64Array {
    const length = this.varUInt();
    const bytes = length * 8;
    this.#need(bytes);
    const out = new Float64Array(length);
    new Uint8Array(out.buffer).set(this.#buf.subarray(this.#pos, this.#pos + bytes));
    this.#pos += bytes;
    return out;
  }

  #need(bytes: number): void {
    if (this.#pos + bytes > this.#buf.length) throw truncated();
  }
}
