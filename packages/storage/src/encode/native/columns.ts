/**
 * Column streams from records, for the Native encoders: each function returns one stream of a
 * column (see chunk.ts) for every row.
 *
 *   String                 value*
 *   DateTime64(9)          Int64 ns*
 *   Array(T)               UInt64 cumulative offsets (one per row), then T data of all elements
 *   Map(String, String)    = Array(Tuple(String, String)): offsets, then all keys, then all values
 */
import type { AttributeMap } from '@vigil/protocols';
import type { ColumnStream, NativeChunk } from './chunk.ts';
import { OffsetsBuilder } from './chunk.ts';
import { NativeWriter } from './writer.ts';

const INT64_MAX = 2n ** 63n - 1n;
// The largest double below 2^64: larger values (a broken clock) clamp instead of wrapping.
const UINT64_MAX_DOUBLE = 2 ** 64 - 2048;

/** Own enumerable keys of a map, counted without allocating `Object.keys`' array. */
function keyCount(map: AttributeMap): number {
  let n = 0;
  for (const _ in map) n++;
  return n;
}

/** One String per row; `bytesPerRow` sizes the first buffer. */
export function strings<T>(rows: readonly T[], get: (row: T) => string, bytesPerRow = 16): Buffer {
  const w = new NativeWriter(rows.length * bytesPerRow);
  for (let i = 0; i < rows.length; i++) w.string(get(rows[i]!));
  return w.finish();
}

/** One UInt8 per row; out-of-range numbers become 0, as on the TSV path. */
export function uint8s<T>(rows: readonly T[], get: (row: T) => number): Buffer {
  const w = new NativeWriter(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const n = get(rows[i]!);
    w.uint8(n >= 0 && n <= 255 ? n | 0 : 0);
  }
  return w.finish();
}

/**
 * One UInt64 per row from a Number (durations): floored; negative, NaN and too-large values clamp
 * like the TSV encoder's. Exact up to 2^53; above, the double's exact value (TSV writes JS's
 * shortest decimal, e.g. 2^60 as 1152921504606847000).
 */
export function uint64s<T>(rows: readonly T[], get: (row: T) => number): Buffer {
  const w = new NativeWriter(rows.length * 8);
  for (let i = 0; i < rows.length; i++) {
    const n = get(rows[i]!);
    w.uint64(n > 0 ? Math.min(Math.floor(n), UINT64_MAX_DOUBLE) : 0);
  }
  return w.finish();
}

/**
 * One DateTime64(9) per row: the nanoseconds as Int64. Negative values clamp to the epoch as on
 * the TSV path, values past Int64 (year 2262) to its maximum.
 */
export function timestamps<T>(rows: readonly T[], get: (row: T) => bigint): Buffer {
  const w = new NativeWriter(rows.length * 8);
  for (let i = 0; i < rows.length; i++) {
    const ns = get(rows[i]!);
    w.int64(ns <= 0n ? 0n : ns > INT64_MAX ? INT64_MAX : ns);
  }
  return w.finish();
}

/** The offsets stream of an Array column: running totals of each row's item count. */
export function offsets<T>(rows: readonly T[], count: (row: T) => number): Uint32Array {
  const out = new OffsetsBuilder();
  for (let i = 0; i < rows.length; i++) out.add(count(rows[i]!));
  return out.finish();
}

/** `Map(String, String)` streams for one map per row, in each map's insertion order. */
export function maps<T>(rows: readonly T[], get: (row: T) => AttributeMap): ColumnStream[] {
  const keys = new NativeWriter(rows.length * 64);
  const values = new NativeWriter(rows.length * 64);
  const ends = offsets(rows, (row) => keyCount(get(row)));
  for (let i = 0; i < rows.length; i++) {
    const map = get(rows[i]!);
    for (const key in map) {
      keys.string(key);
      values.string(map[key]!);
    }
  }
  return [ends, keys.finish(), values.finish()];
}

/** A String value encoded once, appended to many rows. */
export function encodedString(value: string): Buffer {
  const w = new NativeWriter(value.length * 3 + 10);
  w.string(value);
  return Buffer.from(w.finish());
}

/** A map encoded once (count, keys stream, values stream), appended to many rows. */
export interface EncodedMap {
  readonly count: number;
  readonly keys: Buffer;
  readonly values: Buffer;
}

export function encodedMap(map: AttributeMap): EncodedMap {
  const keys = new NativeWriter(256);
  const values = new NativeWriter(256);
  let count = 0;
  for (const key in map) {
    keys.string(key);
    values.string(map[key]!);
    count++;
  }
  return { count, keys: Buffer.from(keys.finish()), values: Buffer.from(values.finish()) };
}

/** A `Map(String, String)` column: its offsets, keys and values streams. */
export class MapColumn {
  readonly ends = new OffsetsBuilder();
  readonly keys: NativeWriter;
  readonly values: NativeWriter;

  constructor(bytesGuess: number) {
    this.keys = new NativeWriter(bytesGuess);
    this.values = new NativeWriter(bytesGuess);
  }

  /** [offsets, keys, values] of the rows so far. */
  streams(): ColumnStream[] {
    return [this.ends.finish(), this.keys.finish(), this.values.finish()];
  }

  /** Empties the column for reuse (see NativeWriter.reset). */
  reset(keepBytes: number): void {
    this.ends.reset();
    this.keys.reset(keepBytes);
    this.values.reset(keepBytes);
  }

  /** `map` for each of the next `rows` rows (resource and scope attributes). */
  repeat(map: EncodedMap, rows: number): void {
    for (let i = 0; i < rows; i++) this.ends.add(map.count);
    this.keys.repeat(map.keys, rows);
    this.values.repeat(map.values, rows);
  }
}

/**
 * Maps shared by many rows (resource and scope attributes): the decoder hands the same object to
 * every record of a resource, so each distinct object is walked and pre-encoded once per batch.
 */
export class SharedMaps {
  readonly #cache = new Map<AttributeMap, EncodedMap>();

  get(map: AttributeMap): EncodedMap {
    let encoded = this.#cache.get(map);
    if (encoded === undefined) {
      encoded = encodedMap(map);
      this.#cache.set(map, encoded);
    }
    return encoded;
  }
}

/**
 * `Map(String, String)` streams for maps that many rows share (see {@link SharedMaps}): each run
 * of rows holding the same map object is written with one {@link MapColumn.repeat}.
 */
export function sharedMaps<T>(
  rows: readonly T[],
  get: (row: T) => AttributeMap,
  cache: SharedMaps,
): ColumnStream[] {
  const column = new MapColumn(rows.length * 64);
  for (let i = 0; i < rows.length;) {
    const map = get(rows[i]!);
    let end = i + 1;
    while (end < rows.length && get(rows[end]!) === map) end++;
    column.repeat(cache.get(map), end - i);
    i = end;
  }
  return column.streams();
}

/** How one column is built from records: its Native type name and the maker of its streams. */
export type ColumnSpec<T, C> = readonly [
  type: string,
  streams: (rows: readonly T[], ctx: C) => readonly ColumnStream[],
];

/** The Native chunk of `rows`, columns in the order of `names`, each made by its spec. */
export function chunkOf<T, N extends string, C>(
  rows: readonly T[],
  names: readonly N[],
  specs: Readonly<Record<N, ColumnSpec<T, C>>>,
  ctx: C,
): NativeChunk {
  return { rows: rows.length, columns: names.map((name) => specs[name][1](rows, ctx)) };
}
