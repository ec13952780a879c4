/**
 * Extension point: aggregation pushed into ClickHouse instead of shipping raw samples to the
 * PromQL engine. `rate(m[window])` evaluated at every step of a range query is the first case:
 * ClickHouse's `timeSeriesRateToGrid(start, end, step, window)(t, v)` computes Prometheus's
 * extrapolated rate per series and grid point, so a query over 1k series × 24 h returns 1k
 * short arrays instead of 5.76M samples.
 *
 * What it covers (checked against a JS port of Prometheus's extrapolatedRate in
 * rate-grid.int.test.ts): counter resets, extrapolation to the window's edges, the
 * "extrapolate to zero" limit, windows holding fewer than two samples (NaN). Staleness markers
 * are filtered out first, as Prometheus leaves them out of range vectors. The PromQL engine
 * decides when a query has this shape; the same pattern (one aggregate per series on a grid)
 * fits increase/delta/deriv/changes/resets via the sibling timeSeries*ToGrid functions.
 *
 * The functions are experimental in ClickHouse (the setting below turns them on); a server
 * without them answers UNKNOWN_FUNCTION, and the engine should then fall back to `select`.
 */
import { AppError } from '@vigil/core';
import { compareLabels, type Label, type LabelMatcher } from '@vigil/protocols';
import type { Database } from '../connection.ts';
import { sql } from '../sql.ts';
import { matchersCondition } from './matchers.ts';
import { RowBinaryReader } from './row-binary.ts';
import { SAMPLES_TABLE, SERIES_TABLE } from './schema.ts';
import { readLabels, runBinary, type SelectOptions } from './select-series.ts';
import { msParam, seriesSeenCondition, wholeMsRange } from './time-bounds.ts';

export interface RateGridQuery {
  readonly matchers: readonly LabelMatcher[];
  /** First and last grid point (Unix ms, inclusive). */
  readonly startMs: number;
  readonly endMs: number;
  readonly stepMs: number;
  /** The range selector's length: each point t uses samples in (t - windowMs, t]. */
  readonly windowMs: number;
}

export interface RateGrid {
  readonly labels: Label[];
  /** Per-second rate at startMs + i * stepMs; NaN where the window has < 2 samples. */
  readonly values: Float64Array;
}

/** Grid points per query beyond which the caller should split the range. */
export const MAX_GRID_POINTS = 11_000;

/** `rate(m[windowMs])` at every grid point for the series matching `query.matchers`. */
export async function selectRateGrid(
  db: Database,
  query: RateGridQuery,
  options: SelectOptions = {},
): Promise<RateGrid[]> {
  const [start, end] = wholeMsRange(query.startMs, query.endMs);
  const { stepMs, windowMs } = query;
  if (!(Number.isInteger(stepMs) && stepMs > 0 && Number.isInteger(windowMs) && windowMs > 0)) {
    throw new AppError('bad_request', 'step and window must be positive whole milliseconds');
  }
  if (end < start) return [];
  if ((end - start) / stepMs + 1 > MAX_GRID_POINTS) {
    throw new AppError('bad_request', `more than ${MAX_GRID_POINTS} grid points; use a larger step`);
  }
  const seriesWhere = sql`${matchersCondition(query.matchers)} AND ${seriesSeenCondition(start - windowMs, end)}`;
  // Step and window in seconds as Decimal64(3), so millisecond values stay exact.
  const seconds = (ms: number) => sql`toDecimal64(${sql.param(ms / 1000, 'Float64')}, 3)`;
  const body = await runBinary(
    db,
    sql`
    SELECT d.SeriesId, s.Name, s.LabelMap, d.Grid
    FROM (
      SELECT SeriesId,
        timeSeriesRateToGrid(${msParam(start)}, ${msParam(end)}, ${seconds(stepMs)}, ${seconds(windowMs)})(
          Timestamp, Value) AS Grid
      FROM ${db.table(SAMPLES_TABLE)} FINAL
      WHERE SeriesId IN (SELECT SeriesId FROM ${db.table(SERIES_TABLE)} WHERE ${seriesWhere})
        AND Timestamp > ${msParam(start - windowMs)} AND Timestamp <= ${msParam(end)}
        AND reinterpretAsUInt64(Value) != 9218868437227405314 -- staleness markers
      GROUP BY SeriesId
    ) AS d
    INNER JOIN (
      SELECT SeriesId, any(MetricName) AS Name, any(Labels) AS LabelMap
      FROM ${db.table(SERIES_TABLE)} WHERE ${seriesWhere} GROUP BY SeriesId
    ) AS s ON s.SeriesId = d.SeriesId
    SETTINGS allow_experimental_time_series_aggregate_functions = 1
    FORMAT RowBinary`,
    options.signal,
  );
  const reader = new RowBinaryReader(body);
  const out: RateGrid[] = [];
  while (!reader.done) {
    reader.skip(8);
    const labels = readLabels(reader);
    out.push({ labels, values: reader.nullableFloat64Array() });
  }
  if (options.limitSeries !== undefined && out.length > options.limitSeries) {
    throw new AppError(
      'bad_request',
      `the selector matches more than ${options.limitSeries} series; narrow it`,
    );
  }
  return out.sort((a, b) => compareLabels(a.labels, b.labels));
}
