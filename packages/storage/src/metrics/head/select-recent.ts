/**
 * `select` answered from the head (recent-samples.ts) when it covers the range: the matching
 * series come from ClickHouse's series table as usual, or from the last answer to the same
 * matchers when no series was written since (../match-cache.ts); their samples from memory.
 */
import { AppError } from '@vigil/core';
import { compareLabels, type LabelMatcher } from '@vigil/protocols';
import type { Database } from '../../connection.ts';
import { matchingSeries, type MatchesAt } from '../match-cache.ts';
import type { SelectOptions, SeriesLabelsCache, StoredSeries } from '../select-series.ts';
import type { HeadSeries, RecentSamples } from './recent-samples.ts';

/**
 * The series matching `matchers` with their samples in [startMs, endMs] (whole ms; the head
 * covers startMs), sorted by labels, as MetricStore.select returns them.
 */
export async function selectRecent(
  db: Database,
  head: RecentSamples,
  matchers: readonly LabelMatcher[],
  startMs: number,
  endMs: number,
  labelsCache: SeriesLabelsCache,
  matches: MatchesAt,
  options: SelectOptions,
): Promise<StoredSeries[]> {
  options.signal?.throwIfAborted();
  const labelsById = await matchingSeries(db, matchers, startMs, endMs, labelsCache, matches, options.signal);
  const out: StoredSeries[] = [];
  for (const [id, labels] of labelsById) {
    const series = head.series(id);
    if (series === undefined) continue;
    const stored = slice(series, startMs, endMs, labels);
    if (stored !== undefined) out.push(stored);
  }
  if (options.limitSeries !== undefined && out.length > options.limitSeries) {
    throw new AppError(
      'bad_request',
      `the selector matches more than ${options.limitSeries} series; narrow it`,
    );
  }
  return out.sort((a, b) => compareLabels(a.labels, b.labels));
}

function slice(
  series: HeadSeries,
  startMs: number,
  endMs: number,
  labels: StoredSeries['labels'],
): StoredSeries | undefined {
  const { t, v, markers } = series;
  const lo = lowerBound(t, startMs);
  let hi = lo;
  while (hi < t.length && t[hi]! <= endMs) hi++;
  if (hi === lo) return undefined;
  const timestampsMs = new Float64Array(hi - lo);
  const values = new Float64Array(hi - lo);
  for (let i = lo; i < hi; i++) {
    timestampsMs[i - lo] = t[i]!;
    values[i - lo] = v[i]!;
  }
  let staleIndexes: number[] | undefined;
  for (const m of markers) {
    if (m < startMs || m > endMs) continue;
    const at = lowerBound(t, m);
    (staleIndexes ??= []).push(at - lo);
    values[at - lo] = NaN;
  }
  return staleIndexes ? { labels, timestampsMs, values, staleIndexes } : { labels, timestampsMs, values };
}

function lowerBound(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (a[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
