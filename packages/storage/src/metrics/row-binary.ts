/**
 * A reader for ClickHouse's RowBinary output: values back to back, little-endian, strings and
 * arrays prefixed by a varUInt length, a Map as varUInt n then n (key, value) pairs.
 *
 * Used instead of JSONEachRow for sample data: an Array(Float64) arrives as 8n raw bytes that
 * become a Float64Array with one copy, and NaN payloads (the staleness marker) stay visible in
 * the bytes. Measured on 1k series × 24 h: see README.md.
 */
import { AppError } from '@vigil/core';

function truncated(): AppError {
  return new AppError('internal', 'RowBinary result ends inside a value', { expose: false });
}

export class RowBinaryReader {
  readonly #buf: Buffer;
  #pos = 0;
  #slab = new Float64Array(0);
  #slabBytes = new Uint8Array(0);
  #slabUsed = 0;

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

  /** Skips `bytes` bytes (e.g. a UInt64 the caller does not need). */
  skip(bytes: number): void {
    this.#need(bytes);
    this.#pos += bytes;
  }

  /** A UInt64, exactly. */
  uint64(): bigint {
    this.#need(8);
    const value = this.#buf.readBigUInt64LE(this.#pos);
    this.#pos += 8;
    return value;
  }

  /** Skips a String without decoding it. */
  skipString(): void {
    this.skip(this.varUInt());
  }

  string(): string {
    const length = this.varUInt();
    this.#need(length);
    const text = this.#buf.toString('utf8', this.#pos, this.#pos + length);
    this.#pos += length;
    return text;
  }

  /**
   * An Array(Float64), copied (aligned) into a view of one buffer the reader shares among all its
   * arrays; raw bits are preserved. One ArrayBuffer per array cost a third of a cold model read
   * (55k series: bench/model's server path) in allocation and in the collector tracking them.
   */
  float64Array(): Float64Array {
    const length = this.varUInt();
    const bytes = length * 8;
    this.#need(bytes);
    if (this.#slab.length - this.#slabUsed < length) {
      // Every array still to come fits in what is left of the buffer: one allocation per result.
      this.#slab = new Float64Array(Math.max(length, Math.floor((this.#buf.length - this.#pos) / 8)));
      this.#slabBytes = new Uint8Array(this.#slab.buffer);
      this.#slabUsed = 0;
    }
    this.#buf.copy(this.#slabBytes, this.#slabUsed * 8, this.#pos, this.#pos + bytes);
    const out = this.#slab.subarray(this.#slabUsed, this.#slabUsed + length);
    this.#slabUsed += length;
    this.#pos += bytes;
    return out;
  }

  /** An Array(Nullable(Float64)): NULL becomes NaN. */
  nullableFloat64Array(): Float64Array {
    const length = this.varUInt();
    const out = new Float64Array(length);
    for (let i = 0; i < length; i++) {
      this.#need(1);
      if (this.#buf[this.#pos++] === 1) {
        out[i] = NaN;
        continue;
      }
      this.#need(8);
      out[i] = this.#buf.readDoubleLE(this.#pos);
      this.#pos += 8;
    }
    return out;
  }

  #need(bytes: number): void {
    if (this.#pos + bytes > this.#buf.length) throw truncated();
  }
}

/** Concatenates a result stream (remote) or passes the single chunk chDB yields through. */
export async function readAll(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}
