/**
 * The series a matcher set selects over a time range, with their labels: from the series table
 * (select-series.ts `selectLabels`), or from the last answer to the same matchers over the same
 * days while no series row was written since. Both the in-memory samples' selects
 * (head/select-recent.ts) and the rollup reads (rollups/select-rollup-windows.ts) start here, so
 * a dashboard refreshing its panels does not scan the series table again. The store is the only
 * writer of its series rows (head/README.md), so nothing else can add one behind its back.
 */
import type { Label, LabelMatcher } from '@vigil/protocols';
import type { Database } from '../connection.ts';
import { sql, type Sql } from '../sql.ts';
import { dayOf } from './known-series.ts';
import { matchersCondition } from './matchers.ts';
import { selectLabels, type SeriesLabelsCache } from './select-series.ts';
import { seriesSeenCondition } from './time-bounds.ts';

/** Answers by matchers and days, each valid for one series-write generation. */
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

/** The store's match cache and the series-write generation (MetricWriter.seriesWrites) now. */
export interface MatchesAt {
  readonly cache: MatchCache;
  readonly generation: number;
}

/** Series rows matching `matchers` that may have samples in [startMs, endMs] (day granularity). */
export function matchingSeriesCondition(
  matchers: readonly LabelMatcher[],
  startMs: number,
  endMs: number,
): Sql {
  return sql`${matchersCondition(matchers)} AND ${seriesSeenCondition(startMs, endMs)}`;
}

/**
 * Labels by series id of the series {@link matchingSeriesCondition} selects; through `matches`
 * when given. The condition is day-granular, so the days are the key's time part.
 */
export async function matchingSeries(
  db: Database,
  matchers: readonly LabelMatcher[],
  startMs: number,
  endMs: number,
  labelsCache: SeriesLabelsCache,
  matches: MatchesAt | undefined,
  signal: AbortSignal | undefined,
): Promise<Map<bigint, readonly Label[]>> {
  const key = `${dayOf(startMs)}:${dayOf(endMs)}:${JSON.stringify(matchers)}`;
  const known = matches?.cache.get(key, matches.generation);
  if (known !== undefined) return known;
  const labels = await selectLabels(
    db,
    matchingSeriesCondition(matchers, startMs, endMs),
    signal,
    labelsCache,
  );
  matches?.cache.set(key, matches.generation, labels);
  return labels;
}
