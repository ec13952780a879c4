/**
 * `select` answered from the head (recent-samples.ts) when it covers the range: the matching
 * series come from ClickHouse's series table as usual, or from the last answer to the same
 * matchers when no series was written since ({@link MatchCache}); their samples from memory.
 */
import { AppError } from '@vigil/core';
import { compareLabels, type Label, type LabelMatcher } from '@vigil/protocols';
import { dayOf } from '../known-series.ts';
import type { Database } from '../../connection.ts';
import { sql } from '../../sql.ts';
import { matchersCondition } from '../matchers.ts';
import {
  selectLabels,
  type SelectOptions,
  type SeriesLabelsCache,
  type StoredSeries,
} from '../select-series.ts';
import { seriesSeenCondition } from '../time-bounds.ts';
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
  matches: MatchCache,
  generation: number,
  options: SelectOptions,
): Promise<StoredSeries[]> {
  options.signal?.throwIfAborted();
  const key = `${dayOf(startMs)}:${dayOf(endMs)}:${JSON.stringify(matchers)}`;
  let labelsById = matches.get(key, generation);
  if (labelsById === undefined) {
    const seriesWhere = sql`${matchersCondition(matchers)} AND ${seriesSeenCondition(startMs, endMs)}`;
    labelsById = await selectLabels(db, seriesWhere, options.signal, labelsCache);
    matches.set(key, generation, labelsById);
  }
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

/**
 * The series a matcher set selected, by matchers and days, for as long as no series row was
 * written since (`generation`): a dashboard's selects then skip the series table too. The
 * store is the only writer of its series rows (head/README.md), so nothing else can add one.
 */
export class MatchCache {
  readonly #entries = new Map<string, { generation: number; labels: Map<bigint, readonly Label[]> }>();

  constructor(private readonly limit = 1_000) {}

  get(key: string, generation: number): Map<bigint, readonly Label[]> | undefined {
    const entry = this.#entries.get(key);
    return entry?.generation === generation ? entry.labels : undefined;
  }

  set(key: string, generation: number, labels: Map<bigint, readonly Label[]>): void {
    if (this.#entries.size >= this.limit) this.#entries.clear();
    this.#entries.set(key, { generation, labels });
  }
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
