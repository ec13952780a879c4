/**
 * The series this process has written a `metrics_series` row for, so that steady-state inserts
 * write samples only. Bounded (two-generation-map.ts): a series that falls out is simply written
 * again on its next sample: the cache is a performance knob, never a correctness one.
 */
import { TwoGenerationMap } from './two-generation-map.ts';

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

/** `limit`: most series remembered (memory: ~300 bytes each with typical labels). */
export class KnownSeriesCache extends TwoGenerationMap<string, KnownSeries> {}
