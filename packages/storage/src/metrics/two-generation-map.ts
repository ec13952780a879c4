/**
 * A bounded map with two generations instead of a strict LRU: lookups hit `current`, then
 * `previous` (and move the entry to `current`); when `current` holds half the limit it becomes
 * `previous` and the old `previous` is dropped. That keeps every entry used within the last two
 * generations, costs one Map operation per hit, and never holds more than `limit` entries. For
 * caches where a miss is a cost, never an error.
 */
export class TwoGenerationMap<K, V> {
  readonly #half: number;
  #current = new Map<K, V>();
  #previous = new Map<K, V>();

  /** `limit`: most entries held (both generations together). */
  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 2) throw new RangeError(`limit must be ≥ 2, got ${limit}`);
    this.#half = Math.floor(limit / 2);
  }

  get(key: K): V | undefined {
    const hit = this.#current.get(key);
    if (hit !== undefined) return hit;
    const old = this.#previous.get(key);
    if (old !== undefined) {
      this.#previous.delete(key);
      this.#put(key, old);
    }
    return old;
  }

  set(key: K, value: V): void {
    if (this.#current.has(key)) this.#current.set(key, value);
    else this.#put(key, value);
  }

  /** Entries held (both generations). */
  get size(): number {
    return this.#current.size + this.#previous.size;
  }

  clear(): void {
    this.#current.clear();
    this.#previous.clear();
  }

  #put(key: K, value: V): void {
    if (this.#current.size >= this.#half) {
      this.#previous = this.#current;
      this.#current = new Map();
    }
    this.#current.set(key, value);
  }
}
