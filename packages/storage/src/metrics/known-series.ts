/**
 * The series this process has written a `metrics_series` row for, so that steady-state inserts
 * write samples only. Found two ways:
 *
 * - by series id (the hash of the canonical labels, series-id.ts), for series decoded in full;
 * - by the hash of the bytes a remote write 1.0 sender encoded the labels as, which the decoder
 *   looks up before decoding anything (`SeriesRefs` in @vigil/protocols): a sender repeats the
 *   same bytes for a series on every scrape, so a known series costs one hash of its bytes and
 *   no strings at all.
 *
 * Both are bounded (word-pair-map.ts): a series that falls out is simply looked up the slow way
 * again, and its row written again if the id fell out too: the index is a performance knob, never
 * a correctness one. A label-bytes hash that collides with another series' would store samples
 * under the other series, the same risk as two label sets with one 64-bit series id, which the
 * store already takes.
 */
import type { SeriesRefs } from '@vigil/protocols';
import { WordPairMap } from './word-pair-map.ts';

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

/**
 * `limit`: most series remembered by each key (memory: ~100 bytes a series for both tables and
 * its entry).
 */
export class KnownSeriesIndex implements SeriesRefs<KnownSeries> {
  readonly #byId: WordPairMap<KnownSeries>;
  readonly #byLabelBytes: WordPairMap<KnownSeries>;

  constructor(limit: number) {
    this.#byId = new WordPairMap(limit);
    this.#byLabelBytes = new WordPairMap(limit);
  }

  /** The entry of a series id, if its row was written. */
  byId(idHigh: number, idLow: number): KnownSeries | undefined {
    return this.#byId.get(idHigh, idLow);
  }

  /** Records an entry whose row is stored. */
  remember(entry: KnownSeries): void {
    this.#byId.set(entry.idHigh, entry.idLow, entry);
  }

  /** The entry of a series by the hash of its encoded label bytes (SeriesRefs). */
  find(hashHigh: number, hashLow: number): KnownSeries | undefined {
    return this.#byLabelBytes.get(hashHigh, hashLow);
  }

  /** Records that a series' labels were sent as bytes with this hash. */
  rememberLabelBytes(hashHigh: number, hashLow: number, entry: KnownSeries): void {
    this.#byLabelBytes.set(hashHigh, hashLow, entry);
  }

  /** Samples over [minMs, maxMs] need no labels unless they need the row written again. */
  accepts(ref: KnownSeries, minMs: number, maxMs: number): boolean {
    return !needsRewrite(ref, minMs, maxMs);
  }

  /** Series remembered by id. */
  get size(): number {
    return this.#byId.size;
  }

  clear(): void {
    this.#byId.clear();
    this.#byLabelBytes.clear();
  }
}
