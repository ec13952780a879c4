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
 * Both are bounded typed-array tables (word-pair-map.ts), so the index costs the garbage collector
 * nothing: by id, the span of the row last written (first and last sample time); by label bytes,
 * the series id and the days that row covers. A series that falls out is simply looked up the
 * slow way again, and its row written again if the id fell out too: the index is a performance
 * knob, never a correctness one. A label-bytes hash that collides with another series' would store samples
 * under the other series, the same risk as two label sets with one 64-bit series id, which the
 * store already takes.
 */
import type { SeriesRefs } from '@vigil/protocols';
import { TwoGenerationMap } from './two-generation-map.ts';
import { INT_OFFSET, WordPairMap } from './word-pair-map.ts';

export const DAY_MS = 86_400_000;

/** UTC day number of a Unix millisecond time. */
export const dayOf = (ms: number): number => Math.floor(ms / DAY_MS);

/** The span of the series row last written; ±Infinity when none was. */
export interface WrittenSpan {
  firstMs: number;
  lastMs: number;
}

/**
 * Whether a batch spanning [minMs, maxMs] needs the series row written again: when it reaches a
 * day before the first or after the last day of the row written last. That keeps
 * [FirstSeen, LastSeen] of the stored rows covering every sample's day (the queries' time filter
 * relies on it) and LastSeen, which drives the row's TTL, at most a day behind.
 */
export function needsRewrite(known: WrittenSpan, minMs: number, maxMs: number): boolean {
  return dayOf(minMs) < dayOf(known.firstMs) || dayOf(maxMs) > dayOf(known.lastMs);
}

// byLabelBytes columns: the series id, and the days [from, to] its row covers.
const ID_HIGH = INT_OFFSET;
const ID_LOW = INT_OFFSET + 1;
const FROM_DAY = INT_OFFSET + 2;
const TO_DAY = INT_OFFSET + 3;
const LABEL_BYTES_INTS = 4;
// byId columns: the span of the row last written.
const FIRST_MS = 0;
const LAST_MS = 1;
const ID_FLOATS = 2;

/**
 * `limit`: most series remembered by each key (memory: ~150 bytes a series for both tables, up
 * to twice that while a generation turns over). A SeriesRefs whose refs are table slots: valid
 * until the next `find`, which is how the decoder uses them (find, read the samples, accepts).
 */
export class KnownSeriesIndex implements SeriesRefs<number> {
  readonly #byId: WordPairMap;
  readonly #byLabelBytes: WordPairMap;
  /**
   * Series ids by label text (series-id.ts seriesKey), for series that come without label bytes
   * to resolve them by (OTLP, remote write 2.0): hashing their labels for the id every time
   * cost 2.5 µs a series against 1.0 for this lookup. Remote write 1.0 series are not kept here:
   * their next request resolves them by their bytes.
   */
  readonly #idByLabelKey: TwoGenerationMap<string, readonly [number, number]>;
  /** Scratch for spans read on the commit path. */
  readonly #span: WrittenSpan = { firstMs: 0, lastMs: 0 };

  constructor(limit: number) {
    this.#byId = new WordPairMap(limit, 0, ID_FLOATS);
    this.#byLabelBytes = new WordPairMap(limit, LABEL_BYTES_INTS, 0);
    this.#idByLabelKey = new TwoGenerationMap(Math.max(2, limit));
  }

  /** The series id [high, low] of a label key seen before (see #idByLabelKey). */
  idOfLabelKey(key: string): readonly [number, number] | undefined {
    return this.#idByLabelKey.get(key);
  }

  rememberLabelKey(key: string, id: readonly [number, number]): void {
    this.#idByLabelKey.set(key, id);
  }

  /** The span of the row written for a series id, into `out`; false when the id is not remembered. */
  spanOf(idHigh: number, idLow: number, out: WrittenSpan): boolean {
    const slot = this.#byId.find(idHigh, idLow);
    if (slot < 0) return false;
    const floats = this.#byId.floats;
    out.firstMs = floats[slot * ID_FLOATS + FIRST_MS]!;
    out.lastMs = floats[slot * ID_FLOATS + LAST_MS]!;
    return true;
  }

  /** Records a stored row spanning [firstMs, lastMs] (widening what was remembered). */
  remember(idHigh: number, idLow: number, firstMs: number, lastMs: number): void {
    const known = this.#byId.find(idHigh, idLow);
    const slot = known >= 0 ? known : this.#byId.insert(idHigh, idLow);
    const floats = this.#byId.floats;
    const at = slot * ID_FLOATS;
    floats[at + FIRST_MS] = known >= 0 ? Math.min(floats[at + FIRST_MS]!, firstMs) : firstMs;
    floats[at + LAST_MS] = known >= 0 ? Math.max(floats[at + LAST_MS]!, lastMs) : lastMs;
  }

  /**
   * Records that a series' labels were sent as bytes with this hash; the days its row covers are
   * taken from what {@link remember} recorded (nothing is recorded when the id is not known).
   */
  rememberLabelBytes(hashHigh: number, hashLow: number, idHigh: number, idLow: number): void {
    const span = this.#span;
    if (!this.spanOf(idHigh, idLow, span)) return;
    const slot = this.#byLabelBytes.insert(hashHigh, hashLow);
    const ints = this.#byLabelBytes.ints;
    const at = slot * this.#byLabelBytes.intStride;
    ints[at + ID_HIGH] = idHigh;
    ints[at + ID_LOW] = idLow;
    ints[at + FROM_DAY] = dayOf(span.firstMs);
    ints[at + TO_DAY] = dayOf(span.lastMs);
  }

  /** The slot of a series by the hash of its encoded label bytes (SeriesRefs). */
  find(hashHigh: number, hashLow: number): number | undefined {
    const slot = this.#byLabelBytes.find(hashHigh, hashLow);
    return slot < 0 ? undefined : slot;
  }

  /** Samples over [minMs, maxMs] need no labels unless they need the row written again. */
  accepts(ref: number, minMs: number, maxMs: number): boolean {
    const ints = this.#byLabelBytes.ints;
    const at = ref * this.#byLabelBytes.intStride;
    return minMs >= ints[at + FROM_DAY]! * DAY_MS && maxMs < (ints[at + TO_DAY]! + 1) * DAY_MS;
  }

  idWords(ref: number, out: Uint32Array): void {
    const ints = this.#byLabelBytes.ints;
    const at = ref * this.#byLabelBytes.intStride;
    out[0] = ints[at + ID_HIGH]!;
    out[1] = ints[at + ID_LOW]!;
  }

  /** Series remembered by id (both generations). */
  get size(): number {
    return this.#byId.size;
  }

  clear(): void {
    this.#byId.clear();
    this.#byLabelBytes.clear();
    this.#idByLabelKey.clear();
  }
}
