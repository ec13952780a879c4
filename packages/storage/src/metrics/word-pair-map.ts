/**
 * A bounded table keyed by a 64-bit hash given as two 32-bit words, whose values are a fixed
 * number of int32 and float64 columns per entry: everything lives in typed arrays, so a lookup
 * hashes no string and allocates nothing, and the garbage collector has nothing to trace however
 * many entries there are (at a million series, an index of objects and pointer arrays was
 * 200 MB that every full collection marked again).
 *
 * Bounded in two generations: a hit in the older generation copies the entry to the newer one;
 * when the newer one holds `limit` entries it becomes the older one and the old older one is
 * dropped whole. Each generation takes the whole limit, so a working set below it settles in the
 * newer generation (with half each, a working set of exactly half the limit turned the
 * generations over without end, every lookup paying a miss, a hit and an insert).
 *
 * Entries are addressed by slot: {@link find} and {@link insert} return the slot of the entry
 * in the newer generation, whose int columns are {@link ints} at `slot * intStride + intOffset`
 * and float columns {@link floats} at `slot * floatsPerEntry`. A slot (and the arrays) stay valid
 * until the next find or insert, which may move entries.
 *
 * Keys are hashes, so two different things with the same 64-bit key are one entry: callers key
 * by hashes whose collisions they accept (see known-series.ts).
 */

const INITIAL_CAPACITY = 1024;

/**
 * One generation: linear probing, grown at half full, never deleted from. A slot's key, its
 * in-use flag and its int columns sit side by side in `rows` (one cache miss per lookup at a
 * million entries, where separate arrays took two or three).
 */
class Generation {
  mask = INITIAL_CAPACITY - 1;
  size = 0;
  /** Per slot: [high, low, used, ...ints]. */
  rows: Int32Array;
  floats: Float64Array;
  readonly stride: number;

  constructor(
    readonly intsPerEntry: number,
    readonly floatsPerEntry: number,
  ) {
    this.stride = 3 + intsPerEntry;
    this.rows = new Int32Array(INITIAL_CAPACITY * this.stride);
    this.floats = new Float64Array(INITIAL_CAPACITY * floatsPerEntry);
  }

  find(high: number, low: number): number {
    const { rows, mask, stride } = this;
    let slot = slotOf(high, low) & mask;
    for (;;) {
      const at = slot * stride;
      if (rows[at + 2] === 0) return -1;
      if (rows[at] === high && rows[at + 1] === low) return slot;
      slot = (slot + 1) & mask;
    }
  }

  /** The entry's slot, added (zeroed) when absent. */
  insert(high: number, low: number): number {
    const { rows, mask, stride } = this;
    let slot = slotOf(high, low) & mask;
    for (;;) {
      const at = slot * stride;
      if (rows[at + 2] === 0) break;
      if (rows[at] === high && rows[at + 1] === low) return slot;
      slot = (slot + 1) & mask;
    }
    const at = slot * stride;
    rows[at] = high;
    rows[at + 1] = low;
    rows[at + 2] = 1;
    if (++this.size * 2 <= mask + 1) return slot;
    this.grow();
    return this.find(high, low);
  }

  /** Copies entry `slot` of `from` into entry `to` of this generation. */
  copyEntry(from: Generation, slot: number, to: number): void {
    const ni = this.intsPerEntry;
    const nf = this.floatsPerEntry;
    for (let i = 0; i < ni; i++) this.rows[to * this.stride + 3 + i] = from.rows[slot * from.stride + 3 + i]!;
    for (let i = 0; i < nf; i++) this.floats[to * nf + i] = from.floats[slot * nf + i]!;
  }

  private grow(): void {
    const oldRows = this.rows;
    const oldFloats = this.floats;
    const { stride } = this;
    const nf = this.floatsPerEntry;
    const oldCapacity = this.mask + 1;
    const capacity = oldCapacity * 2;
    this.mask = capacity - 1;
    this.rows = new Int32Array(capacity * stride);
    this.floats = new Float64Array(capacity * nf);
    for (let i = 0; i < oldCapacity; i++) {
      const from = i * stride;
      if (oldRows[from + 2] === 0) continue;
      let slot = slotOf(oldRows[from]!, oldRows[from + 1]!) & this.mask;
      while (this.rows[slot * stride + 2] !== 0) slot = (slot + 1) & this.mask;
      this.rows.set(oldRows.subarray(from, from + stride), slot * stride);
      for (let k = 0; k < nf; k++) this.floats[slot * nf + k] = oldFloats[i * nf + k]!;
    }
  }
}

/** Mixes both words, so keys that differ only in the high word spread too. */
function slotOf(high: number, low: number): number {
  let h = Math.imul(low ^ Math.imul(high, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 15;
  return h;
}

/** Where an entry's int columns start within its stride. */
export const INT_OFFSET = 3;

export class WordPairMap {
  readonly #limit: number;
  readonly #ints: number;
  readonly #floats: number;
  #current: Generation;
  #previous: Generation;

  /**
   * `limit`: most entries per generation (at most twice as many held while they turn over);
   * `intsPerEntry`, `floatsPerEntry`: the value columns of an entry.
   */
  constructor(limit: number, intsPerEntry: number, floatsPerEntry: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be ≥ 1, got ${limit}`);
    this.#limit = limit;
    this.#ints = intsPerEntry;
    this.#floats = floatsPerEntry;
    this.#current = new Generation(intsPerEntry, floatsPerEntry);
    this.#previous = new Generation(intsPerEntry, floatsPerEntry);
  }

  /** Int columns of the newer generation (re-read after every find or insert). */
  get ints(): Int32Array {
    return this.#current.rows;
  }

  /** Int32s from one entry's int columns to the next one's. */
  get intStride(): number {
    return this.#current.stride;
  }

  /** Float columns of the newer generation (re-read after every find or insert). */
  get floats(): Float64Array {
    return this.#current.floats;
  }

  /** The slot of the entry for this key, or -1. */
  find(high: number, low: number): number {
    high |= 0;
    low |= 0;
    const hit = this.#current.find(high, low);
    if (hit >= 0) return hit;
    const previous = this.#previous;
    const old = previous.find(high, low);
    if (old < 0) return -1;
    // Left in the older generation too: it is dropped whole at the next turn anyway (which
    // #insertNew may do right now; `previous` still holds the entry then).
    const slot = this.#insertNew(high, low);
    this.#current.copyEntry(previous, old, slot);
    return slot;
  }

  /** The slot of the entry for this key, added with zeroed columns when absent. */
  insert(high: number, low: number): number {
    const slot = this.find(high, low);
    return slot >= 0 ? slot : this.#insertNew(high | 0, low | 0);
  }

  /** Entries held (both generations; an entry copied to the newer one counts twice). */
  get size(): number {
    return this.#current.size + this.#previous.size;
  }

  clear(): void {
    this.#current = new Generation(this.#ints, this.#floats);
    this.#previous = new Generation(this.#ints, this.#floats);
  }

  #insertNew(high: number, low: number): number {
    if (this.#current.size >= this.#limit) {
      this.#previous = this.#current;
      this.#current = new Generation(this.#ints, this.#floats);
    }
    return this.#current.insert(high, low);
  }
}
