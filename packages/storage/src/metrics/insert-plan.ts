/**
 * Turns a batch of chunks (one per request) into what gets written: the sample rows as three
 * typed-array columns (the layout of ClickHouse's UInt64/DateTime64(3)/Float64 Native data), and
 * the series rows this process has not written yet (or must write again, see known-series.ts).
 *
 * A chunk holds samples of series the decoder already resolved to their series id (copied
 * column to column: a few typed-array stores per sample) and series decoded in full, which are
 * looked up by series id (hashed from their canonical labels) and, once stored, remembered by
 * the hash of their label bytes too, so the next request's decoder resolves them.
 *
 * Values: a staleness marker is written as Prometheus's StaleNaN bits (0x7ff0000000000002)
 * straight into the column's memory; every other NaN is written as the canonical quiet NaN
 * (0x7ff8000000000000), so no NaN payload from the decoder can pass for a marker.
 */
import type { Label, MetricSeries, ResolvedSamples } from '@vigil/protocols';
import { needsRewrite, type KnownSeriesIndex, type WrittenSpan } from './known-series.ts';
import { canonicalLabels, METRIC_NAME_LABEL, metricNameOf, seriesIdWords, seriesKey } from './series-id.ts';

export const STALE_HIGH = 0x7ff00000;
export const STALE_LOW = 0x00000002;
const NAN_HIGH = 0x7ff80000;
const EXPONENT_BITS = 0x7ff00000;
const TWO_32 = 0x1_0000_0000;
// Timestamps clamp to [0, 2^53) ms like the span/log encoders clamp theirs; the ingestor
// validates them, this only keeps a bad value from being written as garbage bits.
const MAX_TS = Number.MAX_SAFE_INTEGER;

/** What one request brought: series decoded in full, and samples of series already resolved. */
export interface MetricsChunk {
  readonly series: readonly MetricSeries[];
  /** Samples of series the store's `seriesRefs` resolved (their rows are stored). */
  readonly resolved?: ResolvedSamples | undefined;
}

/** A `metrics_series` row to write. */
export interface SeriesRow {
  readonly metricName: string;
  /** Canonical labels without `__name__`. */
  readonly labels: readonly Label[];
  readonly idHigh: number;
  readonly idLow: number;
  readonly firstMs: number;
  readonly lastMs: number;
}

/** Sample rows: two 32-bit words per UInt64/Int64 (low word first), one double per value. */
export interface SampleColumns {
  readonly count: number;
  readonly ids: Uint32Array;
  readonly timestamps: Uint32Array;
  readonly values: Float64Array;
  /** Oldest and newest timestamp written (ms); Infinity and -Infinity when there are none. */
  readonly minMs: number;
  readonly maxMs: number;
}

export interface InsertPlan {
  readonly samples: SampleColumns;
  readonly seriesRows: readonly SeriesRow[];
  /** Records the written series rows (and new label-bytes hashes) in the index; call once stored. */
  commit(): void;
}

/** Builds the rows of `chunks`, consulting (not changing) `index`. */
export function planInsert(chunks: readonly MetricsChunk[], index: KnownSeriesIndex): InsertPlan {
  let count = 0;
  for (const chunk of chunks) {
    count += chunk.resolved?.count ?? 0;
    for (const s of chunk.series) count += Math.min(s.timestampsMs.length, s.values.length);
  }
  const builder = new PlanBuilder(count, index);
  for (const chunk of chunks) {
    if (chunk.resolved !== undefined && chunk.resolved.count > 0) builder.addResolved(chunk.resolved);
    for (const s of chunk.series) builder.addSeries(s);
  }
  return builder.finish();
}

class PlanBuilder {
  readonly ids: Uint32Array;
  readonly timestamps: Uint32Array;
  readonly values: Float64Array;
  readonly valueWords: Uint32Array;
  readonly seriesRows: SeriesRow[] = [];
  row = 0;
  minMs = Infinity;
  maxMs = -Infinity;
  /** Series first seen in this batch (by "high:low"), so a series listed twice is one series. */
  fresh: Map<string, WrittenSpan> | undefined;
  /** Scratch for the index's answer (read before the next series). */
  readonly span: WrittenSpan = { firstMs: 0, lastMs: 0 };
  /** [idHigh, idLow, firstMs, lastMs] of every series row this batch writes. */
  readonly rewrites: number[] = [];
  /** [hashHigh, hashLow, idHigh, idLow] of every fully decoded series with a label-bytes hash. */
  readonly labelBytes: number[] = [];

  constructor(
    count: number,
    readonly index: KnownSeriesIndex,
  ) {
    this.ids = new Uint32Array(count * 2);
    this.timestamps = new Uint32Array(count * 2);
    this.values = new Float64Array(count);
    this.valueWords = new Uint32Array(this.values.buffer);
  }

  /** Copies resolved samples: their series need no row (the decoder's `accepts` said so). */
  addResolved(resolved: ResolvedSamples): void {
    const { ids, timestamps, valueWords } = this;
    const ts = resolved.timestampsMs;
    const words = resolved.valueWords;
    let row = this.row;
    ids.set(resolved.idWords.subarray(0, 2 * resolved.count), 2 * row);
    let minMs = this.minMs;
    let maxMs = this.maxMs;
    for (let i = 0; i < resolved.count; i++, row++) {
      const raw = ts[i]!;
      const t = raw > 0 ? (raw < MAX_TS ? Math.floor(raw) : MAX_TS) : 0;
      if (t < minMs) minMs = t;
      if (t > maxMs) maxMs = t;
      timestamps[2 * row] = t >>> 0;
      timestamps[2 * row + 1] = Math.floor(t / TWO_32);
      const low = words[2 * i]!;
      const high = words[2 * i + 1]!;
      if (
        (high & EXPONENT_BITS) === EXPONENT_BITS &&
        ((high & 0xfffff) | low) !== 0 &&
        !(high === STALE_HIGH && low === STALE_LOW)
      ) {
        valueWords[2 * row] = 0;
        valueWords[2 * row + 1] = NAN_HIGH;
      } else {
        valueWords[2 * row] = low;
        valueWords[2 * row + 1] = high;
      }
    }
    this.row = row;
    this.minMs = minMs;
    this.maxMs = maxMs;
  }

  /** The series id; by label text through the index's key cache when `cached`. */
  idOf(labels: readonly Label[], cached: boolean): readonly [number, number] {
    if (!cached) return seriesIdWords(labels);
    const key = seriesKey(labels);
    const known = this.index.idOfLabelKey(key);
    if (known !== undefined) return known;
    const id = seriesIdWords(labels);
    this.index.rememberLabelKey(key, id);
    return id;
  }

  /** A series decoded in full: found by id, or new. */
  addSeries(s: MetricSeries): void {
    const n = Math.min(s.timestampsMs.length, s.values.length);
    if (n === 0) return;
    const labels = canonicalLabels(s.labels);
    const [idHigh, idLow] = this.idOf(labels, s.labelBytesHigh === undefined);
    let known: WrittenSpan | undefined;
    let isNew = false;
    if (this.index.spanOf(idHigh, idLow, this.span)) {
      known = this.span;
    } else {
      const freshKey = `${idHigh}:${idLow}`;
      known = this.fresh?.get(freshKey);
      if (known === undefined) {
        known = { firstMs: Infinity, lastMs: -Infinity };
        (this.fresh ??= new Map()).set(freshKey, known);
        isNew = true;
      }
    }
    const { ids, timestamps, values, valueWords } = this;
    const start = this.row;
    let row = start;
    const ts = s.timestampsMs;
    const vs = s.values;
    let minMs = Infinity;
    let maxMs = -Infinity;
    for (let i = 0; i < n; i++, row++) {
      const raw = ts[i]!;
      const t = raw > 0 ? (raw < MAX_TS ? Math.floor(raw) : MAX_TS) : 0;
      if (t < minMs) minMs = t;
      if (t > maxMs) maxMs = t;
      ids[2 * row] = idLow;
      ids[2 * row + 1] = idHigh;
      timestamps[2 * row] = t >>> 0;
      timestamps[2 * row + 1] = Math.floor(t / TWO_32);
      const v = vs[i]!;
      values[row] = v;
      if (v !== v) {
        valueWords[2 * row] = 0;
        valueWords[2 * row + 1] = NAN_HIGH;
      }
    }
    this.row = row;
    if (s.staleIndexes) {
      for (const index of s.staleIndexes) {
        if (!(index >= 0 && index < n)) continue;
        valueWords[2 * (start + index)] = STALE_LOW;
        valueWords[2 * (start + index) + 1] = STALE_HIGH;
      }
    }
    if (minMs < this.minMs) this.minMs = minMs;
    if (maxMs > this.maxMs) this.maxMs = maxMs;
    if (s.labelBytesHigh !== undefined && s.labelBytesLow !== undefined) {
      this.labelBytes.push(s.labelBytesHigh, s.labelBytesLow, idHigh, idLow);
    }
    if (isNew || needsRewrite(known, minMs, maxMs)) {
      const firstMs = Math.min(known.firstMs, minMs);
      const lastMs = Math.max(known.lastMs, maxMs);
      this.seriesRows.push({
        metricName: metricNameOf(labels),
        labels: labels.filter((l) => l.name !== METRIC_NAME_LABEL),
        idHigh,
        idLow,
        firstMs,
        lastMs,
      });
      this.rewrites.push(idHigh, idLow, firstMs, lastMs);
    }
  }

  finish(): InsertPlan {
    const { index, rewrites, labelBytes } = this;
    return {
      samples: {
        count: this.row,
        ids: this.ids,
        timestamps: this.timestamps,
        values: this.values,
        minMs: this.minMs,
        maxMs: this.maxMs,
      },
      seriesRows: this.seriesRows,
      commit: () => {
        // A series listed twice in a batch gets two rows: remember() widens to both spans.
        for (let i = 0; i < rewrites.length; i += 4) {
          index.remember(rewrites[i]!, rewrites[i + 1]!, rewrites[i + 2]!, rewrites[i + 3]!);
        }
        for (let i = 0; i < labelBytes.length; i += 4) {
          index.rememberLabelBytes(
            labelBytes[i]!,
            labelBytes[i + 1]!,
            labelBytes[i + 2]!,
            labelBytes[i + 3]!,
          );
        }
      },
    };
  }
}
