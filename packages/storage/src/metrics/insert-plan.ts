/**
 * Turns a batch of MetricSeries into what gets written: the sample rows as three typed-array
 * columns (the layout of ClickHouse's UInt64/DateTime64(3)/Float64 Native data), and the series
 * rows this process has not written yet (or must write again, see known-series.ts).
 *
 * Per sample the work is a few typed-array stores; per series a cache lookup by its label key.
 * The id is hashed only for series the cache does not know.
 *
 * Values: a staleness marker is written as Prometheus's StaleNaN bits (0x7ff0000000000002)
 * straight into the column's memory; every other NaN is written as the canonical quiet NaN
 * (0x7ff8000000000000), so no NaN payload from the decoder can pass for a marker.
 */
import type { Label, MetricSeries } from '@vigil/protocols';
import { needsRewrite, type KnownSeries, type KnownSeriesCache } from './known-series.ts';
import { canonicalLabels, METRIC_NAME_LABEL, metricNameOf, seriesIdWords, seriesKey } from './series-id.ts';

export const STALE_HIGH = 0x7ff00000;
export const STALE_LOW = 0x00000002;
const NAN_HIGH = 0x7ff80000;
const TWO_32 = 0x1_0000_0000;
// Timestamps clamp to [0, 2^53) ms like the span/log encoders clamp theirs; the ingestor
// validates them, this only keeps a bad value from being written as garbage bits.
const MAX_TS = Number.MAX_SAFE_INTEGER;

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
  /** Input series → their rows `[start, start + count)` and cache entry (for the TSV encoder). */
  readonly runs: ReadonlyArray<{
    readonly known: KnownSeries;
    readonly start: number;
    readonly count: number;
  }>;
}

export interface InsertPlan {
  readonly samples: SampleColumns;
  readonly seriesRows: readonly SeriesRow[];
  /** Records the written series rows in the cache; call once they are stored. */
  commit(): void;
}

/** Builds the rows of `series`, consulting (not changing) `cache`. */
export function planInsert(series: readonly MetricSeries[], cache: KnownSeriesCache): InsertPlan {
  let count = 0;
  for (const s of series) count += Math.min(s.timestampsMs.length, s.values.length);
  const ids = new Uint32Array(count * 2);
  const timestamps = new Uint32Array(count * 2);
  const values = new Float64Array(count);
  const valueWords = new Uint32Array(values.buffer);
  const runs: Array<{ known: KnownSeries; start: number; count: number }> = [];
  const seriesRows: SeriesRow[] = [];
  // Series first seen in this batch, so a series listed twice gets one row and one entry.
  const fresh = new Map<string, KnownSeries>();
  const commits: Array<() => void> = [];

  let row = 0;
  let batchMinMs = Infinity;
  let batchMaxMs = -Infinity;
  for (const s of series) {
    const n = Math.min(s.timestampsMs.length, s.values.length);
    if (n === 0) continue;
    const labels = canonicalLabels(s.labels);
    const key = seriesKey(labels);
    let known = cache.get(key) ?? fresh.get(key);
    let isNew = false;
    if (known === undefined) {
      const [idHigh, idLow] = seriesIdWords(labels);
      known = { idHigh, idLow, firstMs: Infinity, lastMs: -Infinity };
      fresh.set(key, known);
      isNew = true;
    }
    const start = row;
    const { idHigh, idLow } = known;
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
    if (s.staleIndexes) {
      for (const index of s.staleIndexes) {
        if (!(index >= 0 && index < n)) continue;
        valueWords[2 * (start + index)] = STALE_LOW;
        valueWords[2 * (start + index) + 1] = STALE_HIGH;
      }
    }
    if (minMs < batchMinMs) batchMinMs = minMs;
    if (maxMs > batchMaxMs) batchMaxMs = maxMs;
    runs.push({ known, start, count: n });
    if (isNew || needsRewrite(known, minMs, maxMs)) {
      const firstMs = Math.min(known.firstMs, minMs);
      const lastMs = Math.max(known.lastMs, maxMs);
      seriesRows.push({
        metricName: metricNameOf(labels),
        labels: labels.filter((l) => l.name !== METRIC_NAME_LABEL),
        idHigh,
        idLow,
        firstMs,
        lastMs,
      });
      const entry = known;
      commits.push(() => {
        entry.firstMs = firstMs;
        entry.lastMs = lastMs;
        cache.set(key, entry);
      });
    }
  }
  return {
    samples: { count, ids, timestamps, values, minMs: batchMinMs, maxMs: batchMaxMs, runs },
    seriesRows,
    commit: () => {
      for (const apply of commits) apply();
    },
  };
}
