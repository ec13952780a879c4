/**
 * Native column data for some rows of a table, kept per column so that the chunks of many
 * requests join into one insert block without being decoded or re-encoded: a String or
 * DateTime64 column of a block is the chunks' bytes back to back, and only the offsets of Array
 * and Map columns (running totals) are rebased.
 *
 * A column is a list of streams in Native order. An `Array(T)` is [offsets, …streams of T]; a
 * `Map(String, String)` is [offsets, keys, values]; an `Array(Map(String, String))` is
 * [offsets, offsets, keys, values].
 */
import type { NativeColumn } from '../../connection.ts';
import { NativeWriter } from './writer.ts';

/** Bytes of a column stream, or the running totals of an offsets stream (chunk-relative). */
export type ColumnStream = Buffer | Uint32Array;

/** Rows of one table as Native column streams, columns in the order of the table's column list. */
export interface NativeChunk {
  readonly rows: number;
  readonly columns: readonly (readonly ColumnStream[])[];
}

/** Collects the running totals of an offsets stream. */
export class OffsetsBuilder {
  #ends = new Uint32Array(1024);
  #count = 0;
  #total = 0;

  /** Adds one row (or element) holding `items` items. */
  add(items: number): void {
    if (this.#count === this.#ends.length) {
      const next = new Uint32Array(this.#ends.length * 2);
      next.set(this.#ends);
      this.#ends = next;
    }
    this.#total += items;
    this.#ends[this.#count++] = this.#total;
  }

  /** Empties the builder for reuse. */
  reset(): void {
    this.#count = 0;
    this.#total = 0;
  }

  finish(): Uint32Array {
    return this.#ends.subarray(0, this.#count);
  }
}

/**
 * The chunk with its byte streams copied into one exactly sized buffer. Writers grow by
 * doubling, so a chunk fresh from a decoder can hold twice its bytes; chunks wait in the write
 * buffer (200k records by default), where that slack showed as ~100 MiB of server RSS.
 */
export function compactChunk(chunk: NativeChunk): NativeChunk {
  let bytes = 0;
  for (const column of chunk.columns)
    for (const stream of column) if (!(stream instanceof Uint32Array)) bytes += stream.length;
  const store = Buffer.allocUnsafeSlow(bytes);
  let at = 0;
  const columns = chunk.columns.map((column) =>
    column.map((stream) => {
      if (stream instanceof Uint32Array) return stream.slice();
      stream.copy(store, at);
      const view = store.subarray(at, at + stream.length);
      at += stream.length;
      return view;
    }),
  );
  return { rows: chunk.rows, columns };
}

/**
 * One Native block of all rows of `chunks`, with the given columns (names and declared types, in
 * the chunks' column order), as the buffers to send one after the other (see {@link assembleNative}
 * for one Buffer).
 */
export function assembleNativeParts(
  columns: readonly NativeColumn[],
  chunks: readonly NativeChunk[],
): Buffer[] {
  let rows = 0;
  for (const chunk of chunks) {
    if (chunk.columns.length !== columns.length)
      throw new Error(`a chunk has ${chunk.columns.length} columns, the block ${columns.length}`);
    rows += chunk.rows;
  }
  const parts: Buffer[] = [];
  const head = new NativeWriter(256);
  head.block(columns.length, rows);
  parts.push(head.finish());
  columns.forEach((column, c) => {
    const header = new NativeWriter(128);
    header.column(column.name, column.type);
    parts.push(header.finish());
    const streams = chunks[0]?.columns[c]?.length ?? 0;
    for (let s = 0; s < streams; s++) {
      if (chunks[0]!.columns[c]![s] instanceof Uint32Array) parts.push(joinOffsets(chunks, c, s));
      else for (const chunk of chunks) parts.push(chunk.columns[c]![s] as Buffer);
    }
  });
  return parts;
}

/** {@link assembleNativeParts} joined into one Buffer. */
export function assembleNative(columns: readonly NativeColumn[], chunks: readonly NativeChunk[]): Buffer {
  return Buffer.concat(assembleNativeParts(columns, chunks));
}

/** One offsets stream over all chunks: each chunk's totals shifted by the items before it. */
function joinOffsets(chunks: readonly NativeChunk[], column: number, stream: number): Buffer {
  let length = 0;
  for (const chunk of chunks) length += (chunk.columns[column]![stream] as Uint32Array).length;
  const w = new NativeWriter(length * 8);
  let base = 0;
  for (const chunk of chunks) {
    const ends = chunk.columns[column]![stream] as Uint32Array;
    for (let i = 0; i < ends.length; i++) w.uint64(base + ends[i]!);
    if (ends.length > 0) base += ends[ends.length - 1]!;
  }
  return w.finish();
}

const TWO_32N = 0x1_0000_0000n;

/**
 * Checks and fills the chunk's first column, which must be a DateTime64(9) (`Timestamp` of
 * otel_logs and otel_traces): rows holding 0 get `fillZeroWith` when it is given, and the index
 * of the first row later than `maxNs` is returned (-1 when none is).
 */
export function checkChunkTimes(chunk: NativeChunk, maxNs: bigint, fillZeroWith?: bigint): number {
  const stream = chunk.columns[0]?.[0];
  if (!(stream instanceof Buffer) || stream.length !== chunk.rows * 8)
    throw new Error('the first column of the chunk is not a DateTime64');
  const maxHigh = Number(maxNs / TWO_32N);
  const maxLow = Number(maxNs % TWO_32N);
  let fillHigh = -1;
  let fillLow = 0;
  if (fillZeroWith !== undefined) {
    fillHigh = Number(fillZeroWith / TWO_32N);
    fillLow = Number(fillZeroWith % TWO_32N);
  }
  let future = -1;
  for (let i = 0, at = 0; i < chunk.rows; i++, at += 8) {
    let low = stream.readUInt32LE(at);
    let high = stream.readUInt32LE(at + 4);
    if (low === 0 && high === 0 && fillHigh >= 0) {
      stream.writeUInt32LE(fillLow, at);
      stream.writeUInt32LE(fillHigh, at + 4);
      low = fillLow;
      high = fillHigh;
    }
    if (future < 0 && (high > maxHigh || (high === maxHigh && low > maxLow))) future = i;
  }
  return future;
}
