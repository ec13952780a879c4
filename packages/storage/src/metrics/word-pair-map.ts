/**
 * A bounded map keyed by a 64-bit hash given as two 32-bit words, for the ingest hot path:
 * open addressing over typed arrays, so a lookup hashes no string, allocates nothing and leaves
 * the garbage collector no per-entry key objects to trace. Bounded like TwoGenerationMap: a hit
 * in the older generation moves the entry to the newer one; when the newer one holds half the
 * limit it becomes the older one and the old older one is dropped whole.
 *
 * Keys are hashes, so two different things with the same 64-bit key are one entry: callers key
 * by hashes whose collisions they accept (series ids are such hashes already; see known-series.ts).
 */

const INITIAL_CAPACITY = 1024;

/** One generation: linear probing, grown at half full, never deleted from. */
class Generation<V> {
  mask = INITIAL_CAPACITY - 1;
  size = 0;
  /** [high, low] per slot. */
  keys = new Int32Array(INITIAL_CAPACITY * 2);
  /** undefined marks an empty slot. */
  values: (V | undefined)[] = new Array<V | undefined>(INITIAL_CAPACITY).fill(undefined);

  get(high: number, low: number): V | undefined {
    const { keys, values, mask } = this;
    let slot = slotOf(high, low) & mask;
    for (;;) {
      const value = values[slot];
      if (value === undefined) return undefined;
      if (keys[2 * slot] === high && keys[2 * slot + 1] === low) return value;
      slot = (slot + 1) & mask;
    }
  }

  /** Sets the value; returns true when the key was new. */
  set(high: number, low: number, value: V): boolean {
    const { keys, values, mask } = this;
    let slot = slotOf(high, low) & mask;
    for (;;) {
      if (values[slot] === undefined) break;
      if (keys[2 * slot] === high && keys[2 * slot + 1] === low) {
        values[slot] = value;
        return false;
      }
      slot = (slot + 1) & mask;
    }
    keys[2 * slot] = high;
    keys[2 * slot + 1] = low;
    values[slot] = value;
    if (++this.size * 2 > mask + 1) this.grow();
    return true;
  }

  private grow(): void {
    const { keys, values } = this;
    const capacity = (this.mask + 1) * 2;
    this.mask = capacity - 1;
    this.keys = new Int32Array(capacity * 2);
    this.values = new Array<V | undefined>(capacity).fill(undefined);
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (value === undefined) continue;
      const high = keys[2 * i]!;
      const low = keys[2 * i + 1]!;
      let slot = slotOf(high, low) & this.mask;
      while (this.values[slot] !== undefined) slot = (slot + 1) & this.mask;
      this.keys[2 * slot] = high;
      this.keys[2 * slot + 1] = low;
      this.values[slot] = value;
    }
  }
}

/** Mixes both words, so keys that differ only in the high word spread too. */
function slotOf(high: number, low: number): number {
  let h = Math.imul(low ^ Math.imul(high, 0x9e3779b1), 0x85ebca6b);
  h ^= h >>> 15;
  return h;
}

export class WordPairMap<V> {
  readonly #half: number;
  #current = new Generation<V>();
  #previous = new Generation<V>();

  /** `limit`: most entries held (both generations together). */
  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 2) throw new RangeError(`limit must be ≥ 2, got ${limit}`);
    this.#half = Math.floor(limit / 2);
  }

  get(high: number, low: number): V | undefined {
    const hit = this.#current.get(high | 0, low | 0);
    if (hit !== undefined) return hit;
    const old = this.#previous.get(high | 0, low | 0);
    // Left in the older generation too: it is dropped whole at the next turn anyway.
    if (old !== undefined) this.#put(high | 0, low | 0, old);
    return old;
  }

  set(high: number, low: number, value: V): void {
    if (value === undefined) throw new TypeError('WordPairMap values cannot be undefined');
    this.#put(high | 0, low | 0, value);
  }

  /** Entries held (both generations; an entry moved to the newer one may count twice). */
  get size(): number {
    return this.#current.size + this.#previous.size;
  }

  clear(): void {
    this.#current = new Generation();
    this.#previous = new Generation();
  }

  #put(high: number, low: number, value: V): void {
    if (this.#current.size >= this.#half && this.#current.get(high, low) === undefined) {
      this.#previous = this.#current;
      this.#current = new Generation();
    }
    this.#current.set(high, low, value);
  }
}
