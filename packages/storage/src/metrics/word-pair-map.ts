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
 * in the newer generation, whose columns are {@link ints} and {@link floats} at
 * `slot * intsPerEntry` and `slot * floatsPerEntry`. A slot (and the arrays) stay valid until the
 * next find or insert, which may move entries.
 *
 * Keys are hashes, so two different things with the same 64-bit key are one entry: callers key
 * by hashes whose collisions they accept (see known-series.ts).
 */

const INITIAL_CAPACITY = 1024;

class Generation {
  mask = INITIAL_CAPACITY - 1;
  size = 0;
  /** [high, low] per slot. */
  keys = new Int32Array(INITIAL_CAPACITY * 2);
  used = new Uint8Array(INITIAL_CAPACITY);
  ints: Int32Array;
  floats: Float64Array;

  constructor(
    readonly intsPerEntry: number,
    readonly floatsPerEntry: number,
  ) {
    this.ints = new Int32Array(INITIAL_CAPACITY * intsPerEntry);
    this.floats = new Float64Array(INITIAL_CAPACITY * floatsPerEntry);
  }

  find(high: number, low: number): number {
    const { keys, used, mask } = this;
    let slot = slotOf(high, low) & mask;
    for (;;) {
      if (used[slot] === 0) return -1;
      if (keys[2 * slot] === high && keys[2 * slot + 1] === low) return slot;
      slot = (slot + 1) & mask;
    }
  }

  /** The entry's slot, added (zeroed) when absent. */
  insert(high: number, low: number): number {
    const { keys, used, mask } = this;
    let slot = slotOf(high, low) & mask;
    for (;;) {
      if (used[slot] === 0) break;
      if (keys[2 * slot] === high && keys[2 * slot + 1] === low) return slot;
      slot = (slot + 1) & mask;
    }
    keys[2 * slot] = high;
    keys[2 * slot + 1] = low;
    used[slot] = 1;
    if (++this.size * 2 <= mask + 1) return slot;
    this.grow();
    return this.find(high, low);
  }

  /** Copies entry `slot` of `from` into entry `to` of this generation. */
  copyEntry(from: Generation, slot: number, to: number): void {
    const ni = this.intsPerEntry;
    const nf = this.floatsPerEntry;
    for (let i = 0; i < ni; i++) this.ints[to * ni + i] = from.ints[slot * ni + i]!;
    for (let i = 0; i < nf; i++) this.floats[to * nf + i] = from.floats[slot * nf + i]!;
  }

  private grow(): void {
    const old = { keys: this.keys, used: this.used, ints: this.ints, floats: this.floats };
    const ni = this.intsPerEntry;
    const nf = this.floatsPerEntry;
    const capacity = (this.mask + 1) * 2;
    this.mask = capacity - 1;
    this.keys = new Int32Array(capacity * 2);
    this.used = new Uint8Array(capacity);
    this.ints = new Int32Array(capacity * ni);
    this.floats = new Float64Array(capacity * nf);
    for (let i = 0; i < old.used.length; i++) {
      if (old.used[i] === 0) continue;
      const high = old.keys[2 * i]!;
      const low = old.keys[2 * i + 1]!;
      let slot = slotOf(high, low) & this.mask;
      while (this.used[slot] !== 0) slot = (slot + 1) & this.mask;
      this.keys[2 * slot] = high;
      this.keys[2 * slot + 1] = low;
      this.used[slot] = 1;
      for (let k = 0; k < ni; k++) this.ints[slot * ni + k] = old.ints[i * ni + k]!;
      for (let k = 0; k < nf; k++) this.floats[slot * nf + k] = old.floats[i * nf + k]!;
    }
  }
}

/** Mixes both words, so keys that differ only in the high word spread too. */
function slotOf(high: number, low: number): number {
  let h = Math.imul(low ^ Math.imul(high, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 15;
  return h;
}

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
    return this.#current.ints;
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
