/**
 * The series this process has written a `metrics_series` row for, so that steady-state inserts
 * write samples only.
 *
 * Bounded with two generations instead of a strict LRU: lookups hit `current`, then `previous`
 * (and move the entry to `current`); when `current` holds half the limit it becomes `previous`
 * and the old `previous` is dropped. That keeps every series used within the last two
 * generations, costs one Map operation per hit, and never holds more than `limit` entries. A
 * series that falls out is simply written again on its next sample: the cache is a
 * performance knob, never a correctness one.
 */

/** What this process last wrote for a series. */
export interface KnownSeries {
  readonly idHigh: number;
  readonly idLow: number;
  /** Earliest and latest sample time (Unix ms) of the row last written. */
  firstMs: number;
  lastMs: number;
  /** The id as decimal text, built on first use by the TSV (remote) encoder. */
  idText?: string;
}

export const DAY_MS = 86_400_000;

/** UTC day number of a Unix millisecond time. */
export const dayOf = (ms: number): number => Math.floor(ms / DAY_MS);

/**
 * Whether a batch spanning [minMs, maxMs] needs the series row written again: when it reaches a
 * day before the first or after the last day of the row written last. That keeps
 * [FirstSeen, LastSeen] of the stored rows covering every sample's day (the queries' time filter
 * relies on it) and LastSeen, which drives the row's TTL, at most a day behind.
 */
export function needsRewrite(known: KnownSeries, minMs: number, maxMs: number): boolean {
  return dayOf(minMs) < dayOf(known.firstMs) || dayOf(maxMs) > dayOf(known.lastMs);
}

export class KnownSeriesCache {
  readonly #half: number;
  #current = new Map<string, KnownSeries>();
  #previous = new Map<string, KnownSeries>();

  /** `limit`: most series remembered (memory: ~300 bytes each with typical labels). */
  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 2) throw new RangeError(`limit must be ≥ 2, got ${limit}`);
    this.#half = Math.floor(limit / 2);
  }

  get(key: string): KnownSeries | undefined {
    const hit = this.#current.get(key);
    if (hit !== undefined) return hit;
    const old = this.#previous.get(key);
    if (old !== undefined) {
      this.#previous.delete(key);
      this.#put(key, old);
    }
    return old;
  }

  set(key: string, entry: KnownSeries): void {
    if (this.#current.has(key)) this.#current.set(key, entry);
    else this.#put(key, entry);
  }

  /** Entries held (both generations). */
  get size(): number {
    return this.#current.size + this.#previous.size;
  }

  clear(): void {
    this.#current.clear();
    this.#previous.clear();
  }

  #put(key: string, entry: KnownSeries): void {
    if (this.#current.size >= this.#half) {
      this.#previous = this.#current;
      this.#current = new Map();
    }
    this.#current.set(key, entry);
  }
}
