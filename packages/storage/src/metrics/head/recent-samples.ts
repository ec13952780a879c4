/**
 * The newest samples of every series in memory (a "head", as Prometheus has one), so that
 * selects over the last hour or two — dashboards, the metrics cache's refreshes — need no
 * ClickHouse read of samples (./README.md).
 *
 * What it holds is exactly what ClickHouse holds for the times it covers:
 *   - a batch is added once its insert succeeded, sample by sample in time order (an older
 *     sample is put in its place; a second sample for a timestamp replaces the first, as the
 *     last written copy wins in ClickHouse);
 *   - it covers times from `validFromMs` on: samples stored before this process started, at or
 *     after the newest time then stored, cannot exist, so `start(newestStoredMs)` sets it just
 *     after that; trimming moves it forward;
 *   - a series it does not hold has no samples in the covered times.
 */
import type { InsertPlan } from '../insert-plan.ts';
import { STALE_HIGH, STALE_LOW } from '../insert-plan.ts';

const TWO_32 = 0x1_0000_0000;
/** Below this window (too many series for the budget) the head is not worth its memory. */
const MIN_WINDOW_MS = 15 * 60_000;
/**
 * Samples a series needs for {@link MIN_WINDOW_MS} at the slowest common scrape interval (1 min):
 * with more series than the budget holds this many samples for, the head can never cover the
 * window, so it turns off as soon as it sees them, before holding a sample of each.
 */
const MIN_SAMPLES_PER_SERIES = 15;

/** One series' newest samples, ascending by time. */
export interface HeadSeries {
  readonly id: bigint;
  /** The id's 32-bit words, signed as Uint32Array reads them (for the insert path). */
  readonly idHigh: number;
  readonly idLow: number;
  readonly t: number[];
  readonly v: number[];
  /** Times of staleness markers among `t` (ascending). */
  readonly markers: number[];
}

export interface RecentSamplesOptions {
  /** How far back samples are kept (default 3 h: a 1 h dashboard loaded an hour ago, with its windows). */
  retentionMs?: number;
  /** Samples kept at most, all series together (default 16M, ~300 MB); beyond it the head covers less time. */
  maxSamples?: number;
  clock?: () => number;
}

export class RecentSamples {
  readonly #byId = new Map<bigint, HeadSeries>();
  /**
   * By the id's low word, for the insert path (no BigInt per row); a series whose low word
   * another one holds here is found through #byId instead.
   */
  readonly #byLowWord = new Map<number, HeadSeries>();
  readonly #retentionMs: number;
  readonly #maxSamples: number;
  readonly #clock: () => number;
  #validFromMs = Infinity;
  #started = false;
  /** Newest sample of a batch that failed before {@link start}: not covered either. */
  #failedBeforeStartMs = -Infinity;
  #samples = 0;
  #lastTrimMs = 0;
  /** Set when the budget would cover too little time to be worth its memory: no head. */
  #off = false;

  constructor(options: RecentSamplesOptions = {}) {
    this.#retentionMs = options.retentionMs ?? 3 * 3_600_000;
    this.#maxSamples = options.maxSamples ?? 16_000_000;
    this.#clock = options.clock ?? Date.now;
  }

  /** Samples held (self-metrics, tests). */
  get samples(): number {
    return this.#samples;
  }

  /** The first time the head is complete for; Infinity before {@link start}. */
  get validFromMs(): number {
    return this.#validFromMs;
  }

  /**
   * Starts covering times from `fromMs` on: every sample ClickHouse holds from then on was
   * either loaded with {@link warm} or added by this process (-Infinity: an empty store).
   */
  start(fromMs: number): void {
    if (this.#started) return;
    this.#started = true;
    this.#validFromMs = Math.max(fromMs, this.#failedBeforeStartMs);
    this.#trim(this.#clock());
  }

  /** The window a warm-up may load for `series` series at 15 s: the retention, or less within the budget. */
  warmWindowMs(series: number): number {
    const perMs = Math.max(1, series) / 15_000;
    return Math.min(this.#retentionMs, (0.8 * this.#maxSamples) / perMs);
  }

  /**
   * Samples read back from ClickHouse at start (ascending per series). A sample this process
   * already added wins: it was written after the one read.
   */
  warm(id: bigint, t: Float64Array, v: Float64Array, staleAt: readonly number[]): void {
    let head = this.#byId.get(id);
    if (head === undefined) {
      head = newHead(id, Number(id >> 32n), Number(id & 0xffffffffn));
      this.#byId.set(id, head);
    }
    const stale = new Set(staleAt);
    for (let i = 0; i < t.length; i++) this.#put(head, t[i]!, v[i]!, stale.has(i), false);
  }

  /** True when every stored sample of [startMs, …) is held here. */
  covers(startMs: number): boolean {
    return this.#started && !this.#off && startMs >= this.#validFromMs;
  }

  /** False once the series are too many for the budget (see {@link add}). */
  get on(): boolean {
    return !this.#off;
  }

  series(id: bigint): HeadSeries | undefined {
    return this.#byId.get(id);
  }

  /**
   * A batch whose insert failed: ClickHouse may hold some of it (a timeout after the write),
   * so the head stops covering its times.
   */
  failed(plan: InsertPlan): void {
    if (plan.samples.count === 0) return;
    if (!this.#started)
      this.#failedBeforeStartMs = Math.max(this.#failedBeforeStartMs, plan.samples.maxMs + 1);
    else this.#validFromMs = Math.max(this.#validFromMs, plan.samples.maxMs + 1);
  }

  /**
   * Adds a batch whose insert succeeded. When the budget holds less than
   * {@link MIN_WINDOW_MS} of samples (too many series for it) the head turns itself off and
   * frees its memory: selects read ClickHouse as without it.
   */
  add(plan: InsertPlan): void {
    if (this.#off) return;
    const { samples } = plan;
    const ts = samples.timestamps;
    const words = new Uint32Array(samples.values.buffer, samples.values.byteOffset, samples.count * 2);
    const values = samples.values;
    const ids = samples.ids;
    let head: HeadSeries | undefined;
    for (let row = 0; row < samples.count; row++) {
      const low = ids[2 * row]!;
      const high = ids[2 * row + 1]!;
      if (head === undefined || head.idLow !== low || head.idHigh !== high) {
        head = this.#headOf(high, low);
        if (head === undefined) return;
      }
      const t = ts[2 * row]! + ts[2 * row + 1]! * TWO_32;
      const stale = words[2 * row] === STALE_LOW && words[2 * row + 1] === STALE_HIGH;
      this.#put(head, t, values[row]!, stale);
    }
    const now = this.#clock();
    if (now - this.#lastTrimMs > 60_000 || this.#samples > this.#maxSamples) this.#trim(now);
  }

  /** The series' record, created when new; undefined when that made the series too many. */
  #headOf(high: number, low: number): HeadSeries | undefined {
    const byLow = this.#byLowWord.get(low);
    // Held here only while held in #byId (trimming removes it from both).
    if (byLow !== undefined && byLow.idHigh === high) return byLow;
    const id = (BigInt(high) << 32n) | BigInt(low);
    let head = this.#byId.get(id);
    if (head === undefined) {
      if (this.#byId.size >= this.#maxSamples / MIN_SAMPLES_PER_SERIES) {
        this.#turnOff();
        return undefined;
      }
      head = newHead(id, high, low);
      this.#byId.set(id, head);
    }
    if (byLow === undefined) this.#byLowWord.set(low, head);
    return head;
  }

  /** Puts a sample in time order; a sample at a time already held replaces it when `replace`. */
  #put(head: HeadSeries, t: number, v: number, stale: boolean, replace = true): void {
    const { t: times, v: vals } = head;
    const n = times.length;
    if (n > 0 && t <= times[n - 1]!) {
      // Rare: an older sample, or the same one again.
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (times[mid]! < t) lo = mid + 1;
        else hi = mid;
      }
      const at = lo;
      if (times[at] === t) {
        if (!replace) return;
        vals[at] = v;
        const m = head.markers.indexOf(t);
        if (m >= 0 && !stale) head.markers.splice(m, 1);
        else if (m < 0 && stale) insertSorted(head.markers, t);
        return;
      }
      times.splice(at, 0, t);
      vals.splice(at, 0, v);
    } else {
      times.push(t);
      vals.push(v);
    }
    this.#samples++;
    if (stale) insertSorted(head.markers, t);
  }

  /**
   * The time span the held samples cover: newest minus oldest sample time, so that the budget
   * is judged by the samples themselves, whatever the clock (a sender ahead of it, or a test's).
   */
  #heldSpanMs(): number {
    let oldest = Infinity;
    let newest = -Infinity;
    for (const head of this.#byId.values()) {
      const n = head.t.length;
      if (n === 0) continue;
      if (head.t[0]! < oldest) oldest = head.t[0]!;
      if (head.t[n - 1]! > newest) newest = head.t[n - 1]!;
    }
    return newest - oldest;
  }

  #turnOff(): void {
    this.#off = true;
    this.#byId.clear();
    this.#byLowWord.clear();
    this.#samples = 0;
  }

  /** Drops samples older than the retention, and more while over the sample budget. */
  #trim(now: number): void {
    this.#lastTrimMs = now;
    let cutoff = now - this.#retentionMs;
    if (this.#samples > this.#maxSamples) {
      // Keep the newest ~90% of the budget, assuming samples spread evenly over the retention.
      const span = this.#heldSpanMs();
      const held = span > 0 ? Math.min(this.#retentionMs, span) : this.#retentionMs;
      const windowMs = (held * 0.9 * this.#maxSamples) / this.#samples;
      if (windowMs < MIN_WINDOW_MS) {
        this.#turnOff();
        return;
      }
      cutoff = now - windowMs;
    }
    this.#validFromMs = Math.max(this.#validFromMs, cutoff);
    for (const [id, head] of this.#byId) {
      const { t } = head;
      if (t.length === 0 || t[0]! >= cutoff) continue;
      let drop = 0;
      while (drop < t.length && t[drop]! < cutoff) drop++;
      t.splice(0, drop);
      head.v.splice(0, drop);
      while (head.markers.length > 0 && head.markers[0]! < cutoff) head.markers.shift();
      this.#samples -= drop;
      if (t.length === 0) {
        this.#byId.delete(id);
        if (this.#byLowWord.get(head.idLow) === head) this.#byLowWord.delete(head.idLow);
      }
    }
  }
}

function newHead(id: bigint, high: number, low: number): HeadSeries {
  return { id, idHigh: high >>> 0, idLow: low >>> 0, t: [], v: [], markers: [] };
}

function insertSorted(list: number[], x: number): void {
  let i = list.length;
  while (i > 0 && list[i - 1]! > x) i--;
  list.splice(i, 0, x);
}
