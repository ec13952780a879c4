/**
 * The cache evaluates at the agents' scrape interval, read from the data: the most common gap
 * between consecutive samples of `up` (Prometheus scrapes) or, failing that, of the metrics the
 * registry's queries select (node metrics first: one series per node is cheap to read).
 */
import { errorMessage, type Logger } from '@vigil/core';
import { parse } from '@vigil/promql';
import type { MetricsQueryService } from '../metrics/query-service.ts';
import { expandQuery, type RegisteredQuery } from './query-registry.ts';
import { querySelectors } from './query-selectors.ts';

export const FALLBACK_STEP_MS = 15_000;
const MIN_STEP_MS = 1_000;
const MAX_STEP_MS = 300_000;
/** Window of raw samples read per candidate metric. */
const WINDOW = '10m';
/** Candidate metrics tried per detection at most. */
const MAX_CANDIDATES = 6;
/** Intervals looked at per candidate at most (the first series are enough). */
const MAX_INTERVALS = 2_000;
/** Fewer intervals than this say nothing. */
const MIN_INTERVALS = 3;

/**
 * Scrape jitter makes gaps like 14.98 s and 15.02 s: round to whole seconds from 5 s up, to
 * 100 ms below, so they count as one interval.
 */
export function roundInterval(ms: number): number {
  const unit = ms >= 5_000 ? 1_000 : 100;
  return Math.round(ms / unit) * unit;
}

/**
 * The most common gap between consecutive timestamps (rounded, see {@link roundInterval}) over
 * all series; the smaller on a tie (a missed scrape makes a double gap, never a half one).
 * Undefined with fewer than three gaps or when the mode is outside 1 s..5 min.
 */
export function modalIntervalMs(series: readonly (readonly number[])[]): number | undefined {
  const counts = new Map<number, number>();
  let total = 0;
  for (const ts of series) {
    for (let i = 1; i < ts.length && total < MAX_INTERVALS; i++) {
      const gap = roundInterval(ts[i]! - ts[i - 1]!);
      if (gap <= 0) continue;
      counts.set(gap, (counts.get(gap) ?? 0) + 1);
      total++;
    }
  }
  if (total < MIN_INTERVALS) return undefined;
  let best: number | undefined;
  let bestCount = 0;
  for (const [gap, count] of counts) {
    if (count > bestCount || (count === bestCount && best !== undefined && gap < best)) {
      best = gap;
      bestCount = count;
    }
  }
  if (best === undefined || best < MIN_STEP_MS || best > MAX_STEP_MS) return undefined;
  return best;
}

/** `up`, then the metrics the queries select, node metrics before the others. */
export function stepCandidates(queries: readonly RegisteredQuery[]): string[] {
  const names = new Set<string>();
  for (const q of queries)
    for (const n of querySelectors(parse(expandQuery(q.query, FALLBACK_STEP_MS))).names) names.add(n);
  const all = [...names];
  return ['up', ...all.filter((n) => n.startsWith('node_')), ...all.filter((n) => !n.startsWith('node_'))];
}

/**
 * Detects the step from the backend's raw samples; undefined when no candidate has data (the
 * caller then keeps its current step or the fallback). Errors of single candidates are logged
 * and skipped: one missing metric must not stop detection.
 */
export async function detectStepMs(
  backend: Pick<MetricsQueryService, 'instantQuery'>,
  candidates: readonly string[],
  nowMs: number,
  logger: Logger,
  signal?: AbortSignal,
): Promise<number | undefined> {
  for (const name of candidates.slice(0, MAX_CANDIDATES)) {
    try {
      const result = await backend.instantQuery(`${name}[${WINDOW}]`, nowMs, signal ? { signal } : {});
      if (result.resultType !== 'matrix' || result.result.length === 0) continue;
      const step = modalIntervalMs(result.result.map((s) => s.timestampsMs));
      if (step !== undefined) return step;
    } catch (err) {
      if (signal?.aborted) throw err;
      logger.debug({ metric: name, err: errorMessage(err) }, 'step detection: candidate failed');
    }
  }
  return undefined;
}
