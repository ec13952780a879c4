/**
 * The points written for each series of each query in its newest chunk, so that a point
 * evaluated again with the same value is not written again. A refresh evaluates the unsettled
 * end of every query (chunk-plan.ts: four or five points at a 15 s step) and, once per chunk,
 * the whole chunk (its sealing pass); most of those points come out as they were, and without
 * this, four in five rows of a steady refresh and nearly all rows of a sealing pass would be
 * copies for the inserts to write and the merges to fold. Skipping them changes nothing a reader
 * sees: the points table keeps the last insert of a point, and that insert had the same value.
 *
 * Per series it holds the values of one chunk (the one written last) by slot, in arrays reused
 * from chunk to chunk, so steady refreshes allocate nothing here. It only ever skips a point
 * it holds with the same value (Object.is: NaN equals NaN, 0 differs from -0). A round whose
 * insert fails clears it (WriteBatch), as does the refresher once an hour, which also forgets
 * series that went away; past `limitSlots` held values it starts afresh.
 */

/** The values written for one series of one query in one chunk, by slot. */
export interface WrittenTail {
  chunkStartMs: number;
  readonly values: Float64Array;
  readonly held: Uint8Array;
}

export interface ChunkGrid {
  readonly startMs: number;
  readonly stepMs: number;
  /** Slots of the chunk (its length in steps). */
  readonly slots: number;
}

/**
 * Whether the value for `slot` differs from the one written (or nothing was written there);
 * records it as written when it does. A slot outside the chunk always counts as changed.
 */
export function changedPoint(tail: WrittenTail, slot: number, value: number): boolean {
  if (!(slot >= 0 && slot < tail.values.length)) return true;
  if (tail.held[slot] === 1 && Object.is(tail.values[slot], value)) return false;
  tail.values[slot] = value;
  tail.held[slot] = 1;
  return true;
}

export class WrittenPoints {
  #byQuery = new Map<string, Map<number, WrittenTail>>();
  #slots = 0;

  /** `limitSlots`: values held before it starts afresh (9 bytes each: 8M is ~72 MB). */
  constructor(private readonly limitSlots = 8_000_000) {}

  /** Values held, all queries and series. */
  get size(): number {
    return this.#slots;
  }

  clear(): void {
    this.#byQuery = new Map();
    this.#slots = 0;
  }

  /**
   * What was written for one series of a query in `chunk` (emptied when it held another
   * chunk); pass it to {@link changedPoint} for each point of the series' result.
   */
  series(queryKey: string, hash: number, chunk: ChunkGrid): WrittenTail {
    let tail = this.#byQuery.get(queryKey)?.get(hash);
    if (tail === undefined || tail.values.length !== chunk.slots) {
      if (this.#slots + chunk.slots > this.limitSlots) this.clear();
      let tails = this.#byQuery.get(queryKey);
      if (tails === undefined) this.#byQuery.set(queryKey, (tails = new Map()));
      if (tail !== undefined) this.#slots -= tail.values.length;
      tail = {
        chunkStartMs: chunk.startMs,
        values: new Float64Array(chunk.slots),
        held: new Uint8Array(chunk.slots),
      };
      tails.set(hash, tail);
      this.#slots += chunk.slots;
    } else if (tail.chunkStartMs !== chunk.startMs) {
      tail.chunkStartMs = chunk.startMs;
      tail.held.fill(0);
    }
    return tail;
  }
}
