/**
 * Rows of one refresh round, collected from range-query results and written as three Native
 * blocks: points first, then new series, then the chunk rows that claim the points (a reader
 * trusts only chunk rows, so a failed round leaves no claim without its data).
 */
import type { ResultSeries } from '@vigil/promql';
import { NativeBlock, NativeWriter, type Database } from '@vigil/storage';
import type { ChunkState } from './chunk-plan.ts';
import { int64Column, stringRunsColumn } from './native-encode.ts';
import { CHUNKS_TABLE, POINTS_TABLE, SERIES_TABLE } from './schema.ts';
import { seriesHash } from './series-hash.ts';
import { changedPoint, type WrittenPoints } from './written-points.ts';

/** A chunk as the cache keeps it: its state plus the points stored per grid slot. */
export interface ChunkRecord extends ChunkState {
  /** Points per evaluation time, `(endMs - startMs) / stepMs` slots. */
  readonly slotPoints: Uint32Array;
}

export function slotCount(chunk: Pick<ChunkState, 'startMs' | 'endMs' | 'stepMs'>): number {
  return Math.round((chunk.endMs - chunk.startMs) / chunk.stepMs);
}

export function totalPoints(chunk: ChunkRecord): number {
  let n = 0;
  for (const v of chunk.slotPoints) n += v;
  return n;
}

/** Remembers which series rows were written today, so each is written once a day per process. */
export class SeriesMemo {
  #day = -1;
  #written = new Map<string, Set<number>>();

  /** The hashes of `queryKey` written today; add a hash when its row is written. */
  writtenToday(queryKey: string, nowMs: number): Set<number> {
    const day = Math.floor(nowMs / 86_400_000);
    if (day !== this.#day) {
      this.#day = day;
      this.#written = new Map();
    }
    let set = this.#written.get(queryKey);
    if (!set) this.#written.set(queryKey, (set = new Set()));
    return set;
  }

  /** Forgets series of a round that could not be written, so the next round writes them. */
  forget(queryKey: string, hash: number): void {
    this.#written.get(queryKey)?.delete(hash);
  }
}

export class WriteBatch {
  #hashes: Float64Array = new Float64Array(4096);
  #times: Float64Array = new Float64Array(4096);
  #values: Float64Array = new Float64Array(4096);
  #length = 0;
  readonly #keyRuns: string[] = [];
  readonly #keyCounts: number[] = [];
  readonly #series: Array<{ key: string; hash: number; labels: ResultSeries['metric'] }> = [];
  readonly #chunks: Array<{ key: string; chunk: ChunkRecord }> = [];

  constructor(
    private readonly memo: SeriesMemo,
    private readonly nowMs: number,
    private readonly written?: WrittenPoints,
  ) {}

  /** Points to write (re-evaluated points that did not change are not among them). */
  get points(): number {
    return this.#length;
  }

  /** The batch will not be written (the round was aborted): what it skipped must not count. */
  discard(): void {
    this.written?.clear();
  }

  /**
   * Adds the points of one range query and returns the points per slot of `chunk`'s grid
   * (slots outside the results stay 0).
   */
  addResult(key: string, series: readonly ResultSeries[], chunk: ChunkState): Uint32Array {
    const slots = new Uint32Array(slotCount(chunk));
    let points = 0;
    for (const s of series) points += s.timestampsMs.length;
    this.#reserve(points);
    const start = this.#length;
    const grid = { startMs: chunk.startMs, stepMs: chunk.stepMs, slots: slots.length };
    const written = this.memo.writtenToday(key, this.nowMs);
    for (const s of series) {
      const hash = seriesHash(s.metric);
      if (!written.has(hash)) {
        written.add(hash);
        this.#series.push({ key, hash, labels: s.metric });
      }
      const { timestampsMs, values } = s;
      const tail = this.written?.series(key, hash, grid);
      for (let i = 0; i < timestampsMs.length; i++) {
        const t = timestampsMs[i]!;
        const slot = Math.round((t - chunk.startMs) / chunk.stepMs);
        if (slot >= 0 && slot < slots.length) slots[slot]!++;
        if (tail !== undefined && !changedPoint(tail, slot, values[i]!)) continue;
        this.#hashes[this.#length] = hash;
        this.#times[this.#length] = t;
        this.#values[this.#length] = values[i]!;
        this.#length++;
      }
    }
    const kept = this.#length - start;
    if (kept > 0) {
      this.#keyRuns.push(key);
      this.#keyCounts.push(kept);
    }
    return slots;
  }

  addChunk(key: string, chunk: ChunkRecord): void {
    this.#chunks.push({ key, chunk });
  }

  async write(db: Database): Promise<void> {
    try {
      if (this.#length > 0) await this.#writePoints(db);
      if (this.#series.length > 0) await this.#writeSeries(db);
      if (this.#chunks.length > 0) await this.#writeChunks(db);
    } catch (err) {
      for (const s of this.#series) this.memo.forget(s.key, s.hash);
      this.written?.clear();
      throw err;
    }
  }

  #writePoints(db: Database): Promise<void> {
    const n = this.#length;
    const block = new NativeBlock(4, n);
    block.column('QueryKey', 'String', stringRunsColumn(this.#keyRuns, this.#keyCounts));
    block.column('SeriesHash', 'UInt64', int64Column(this.#hashes, n));
    block.column('Timestamp', 'DateTime64(3)', int64Column(this.#times, n));
    block.column('Value', 'Float64', this.#values.subarray(0, n));
    return db.insertNative(POINTS_TABLE, block.columns, block.finish());
  }

  #writeSeries(db: Database): Promise<void> {
    const rows = this.#series;
    const writer = (): NativeWriter => new NativeWriter(4096);
    const keys = writer();
    const hashes = writer();
    const offsets = writer();
    const names = writer();
    const values = writer();
    const lastSeen = writer();
    let end = 0;
    for (const r of rows) {
      keys.string(r.key);
      hashes.uint64(r.hash);
      end += r.labels.length;
      offsets.uint64(end);
      for (const l of r.labels) {
        names.string(l.name);
        values.string(l.value);
      }
      lastSeen.uint32(Math.floor(this.nowMs / 1000));
    }
    const block = new NativeBlock(4, rows.length);
    block.column('QueryKey', 'String', keys.finish());
    block.column('SeriesHash', 'UInt64', hashes.finish());
    block.column(
      'Labels',
      'Map(String, String)',
      Buffer.concat([offsets.finish(), names.finish(), values.finish()]),
    );
    block.column('LastSeen', 'DateTime', lastSeen.finish());
    return db.insertNative(SERIES_TABLE, block.columns, block.finish());
  }

  #writeChunks(db: Database): Promise<void> {
    const rows = this.#chunks;
    const writer = (): NativeWriter => new NativeWriter(4096);
    const w = {
      key: writer(),
      start: writer(),
      end: writer(),
      step: writer(),
      from: writer(),
      through: writer(),
      settled: writer(),
      slotOffsets: writer(),
      slots: writer(),
      sealed: writer(),
      updated: writer(),
    };
    let slotEnd = 0;
    for (const { key, chunk } of rows) {
      w.key.string(key);
      w.start.uint64(chunk.startMs);
      w.end.uint64(chunk.endMs);
      w.step.uint32(chunk.stepMs);
      w.from.uint64(chunk.fromMs);
      w.through.uint64(chunk.throughMs);
      // A chunk with nothing settled yet stores fromMs - step: still a valid (earlier) time.
      w.settled.uint64(chunk.settledThroughMs);
      slotEnd += chunk.slotPoints.length;
      w.slotOffsets.uint64(slotEnd);
      for (const v of chunk.slotPoints) w.slots.uint32(v);
      w.sealed.uint8(chunk.sealed ? 1 : 0);
      w.updated.uint64(this.nowMs);
    }
    const block = new NativeBlock(10, rows.length);
    block.column('QueryKey', 'String', w.key.finish());
    block.column('ChunkStart', 'DateTime64(3)', w.start.finish());
    block.column('ChunkEnd', 'DateTime64(3)', w.end.finish());
    block.column('StepMs', 'UInt32', w.step.finish());
    block.column('FromTs', 'DateTime64(3)', w.from.finish());
    block.column('ThroughTs', 'DateTime64(3)', w.through.finish());
    block.column('SettledTs', 'DateTime64(3)', w.settled.finish());
    block.column('SlotPoints', 'Array(UInt32)', Buffer.concat([w.slotOffsets.finish(), w.slots.finish()]));
    block.column('Sealed', 'UInt8', w.sealed.finish());
    block.column('UpdatedAt', 'DateTime64(3)', w.updated.finish());
    return db.insertNative(CHUNKS_TABLE, block.columns, block.finish());
  }

  #reserve(extra: number): void {
    const need = this.#length + extra;
    if (need <= this.#hashes.length) return;
    const size = Math.max(need, this.#hashes.length * 2);
    const grow = (a: Float64Array): Float64Array => {
      const b = new Float64Array(size);
      b.set(a.subarray(0, this.#length));
      return b;
    };
    this.#hashes = grow(this.#hashes);
    this.#times = grow(this.#times);
    this.#values = grow(this.#values);
  }
}
