/**
 * Range-window summaries computed in ClickHouse (the PromQL engine's `selectWindows`): for each
 * series and each step of a query grid, the count, first/last/previous-to-last samples, min,
 * max and the counter drops inside the window [end - range, end]. `rate(x[5m])` over 24 h at a
 * 5 m step then ships 288 short rows per series instead of 5,760 samples, and the engine
 * finishes each window with the same arithmetic it applies to samples.
 *
 *   samples FINAL (ids, [firstEnd - range, lastEnd], no staleness markers)
 *     → previous sample of the series (lagInFrame), so drops are seen pair by pair
 *     → ARRAY JOIN the windows each sample falls in: k with end(k) - range ≤ t ≤ end(k)
 *     → GROUP BY (series, k): the figures of window k
 *     → GROUP BY series: one row of arrays ──JOIN labels──► RowBinary
 *
 * A pair (previous, current) belongs to window k when the previous sample is inside it too
 * (PrevT ≥ end(k) - range); the first sample of the selection has no previous one.
 */
import { compareLabels, type Label, type LabelMatcher } from '@vigil/protocols';
import { AppError } from '@vigil/core';
import type { Database } from '../connection.ts';
import { sql } from '../sql.ts';
import { matchersCondition } from './matchers.ts';
import { RowBinaryReader } from './row-binary.ts';
import { SAMPLES_TABLE, SERIES_TABLE } from './schema.ts';
import { readLabels, runBinary, type SelectOptions } from './select-series.ts';
import { sampleTimeCondition, seriesSeenCondition } from './time-bounds.ts';

export interface WindowQuery {
  readonly matchers: readonly LabelMatcher[];
  /** End of window 0 (Unix ms); window k ends at firstEndMs + k * stepMs. */
  readonly firstEndMs: number;
  readonly stepMs: number;
  readonly steps: number;
  readonly rangeMs: number;
  /**
   * The PromQL range functions the caller applies; figures none of them reads may be left out
   * (NaN, no resets). Undefined: any range function. `instant` asks for `lastStale` (rollups
   * only).
   */
  readonly functions?: readonly string[];
}

/** One series' non-empty windows (the PromQL engine's SeriesWindows). */
export interface StoredWindows {
  readonly labels: Label[];
  readonly step: Float64Array;
  readonly count: Float64Array;
  readonly firstT: Float64Array;
  readonly firstV: Float64Array;
  readonly lastT: Float64Array;
  readonly lastV: Float64Array;
  readonly prevT: Float64Array;
  readonly prevV: Float64Array;
  readonly min: Float64Array;
  readonly max: Float64Array;
  readonly resets: Array<Float64Array | undefined>;
  /** With 'instant' among the functions: 1 where the newest entry is a staleness marker. */
  readonly lastStale?: Float64Array;
}

/** Windows per query beyond which the caller must use a coarser step. */
export const MAX_WINDOWS = 11_000;

export async function selectWindows(
  db: Database,
  query: WindowQuery,
  options: SelectOptions = {},
): Promise<StoredWindows[]> {
  const { firstEndMs, stepMs, steps, rangeMs } = query;
  for (const [name, v] of [
    ['firstEndMs', firstEndMs],
    ['stepMs', stepMs],
    ['steps', steps],
    ['rangeMs', rangeMs],
  ] as const) {
    if (!Number.isSafeInteger(v))
      throw new AppError('bad_request', `${name} must be a whole number, got ${v}`);
  }
  if (stepMs <= 0 || rangeMs <= 0 || steps <= 0) {
    throw new AppError('bad_request', 'step, range and steps must be positive');
  }
  if (steps > MAX_WINDOWS)
    throw new AppError('bad_request', `more than ${MAX_WINDOWS} windows; use a larger step`);
  const fromMs = firstEndMs - rangeMs;
  const toMs = firstEndMs + (steps - 1) * stepMs;
  const seriesWhere = sql`${matchersCondition(query.matchers)} AND ${seriesSeenCondition(fromMs, toMs)}`;
  const first = sql.param(firstEndMs, 'Int64');
  const step = sql.param(stepMs, 'Int64');
  const range = sql.param(rangeMs, 'Int64');
  const last = sql.param(steps - 1, 'Int64');
  const body = await runBinary(
    db,
    sql`
    SELECT d.SeriesId, s.Name, s.LabelMap,
      d.K, d.N, d.FirstT, d.FirstV, d.LastT, d.LastV, d.PrevT, d.PrevV, d.MinV, d.MaxV, d.Resets
    FROM (
      SELECT SeriesId,
        groupArray(toFloat64(k)) AS K, groupArray(toFloat64(n)) AS N,
        groupArray(firstT) AS FirstT, groupArray(firstV) AS FirstV,
        groupArray(lastT) AS LastT, groupArray(lastV) AS LastV,
        groupArray(prevT) AS PrevT, groupArray(prevV) AS PrevV,
        groupArray(minV) AS MinV, groupArray(maxV) AS MaxV, groupArray(resets) AS Resets
      FROM (
        SELECT SeriesId, k,
          count() AS n,
          min(T) AS firstT, argMin(Value, T) AS firstV,
          max(T) AS lastT, argMax(Value, T) AS lastV,
          -- the newest sample's predecessor, when it lies in the window (n ≥ 2)
          if(n >= 2, argMax(PrevT, T), nan) AS prevT,
          if(n >= 2, argMax(PrevV, T), nan) AS prevV,
          if(countIf(NOT isNaN(Value)) = 0, nan, minIf(Value, NOT isNaN(Value))) AS minV,
          if(countIf(NOT isNaN(Value)) = 0, nan, maxIf(Value, NOT isNaN(Value))) AS maxV,
          arrayMap(p -> p.2, arraySort(groupArrayIf((T, PrevV),
            Value < PrevV AND PrevT >= ${first} + k * ${step} - ${range}))) AS resets
        FROM (
          SELECT SeriesId, T, Value,
            lagInFrame(T, 1, -inf) OVER w AS PrevT,
            lagInFrame(Value, 1, nan) OVER w AS PrevV
          FROM (
            SELECT SeriesId, toFloat64(toUnixTimestamp64Milli(Timestamp)) AS T, Value
            FROM ${db.table(SAMPLES_TABLE)} FINAL
            WHERE SeriesId IN (SELECT SeriesId FROM ${db.table(SERIES_TABLE)} WHERE ${seriesWhere})
              AND ${sampleTimeCondition(fromMs, toMs)}
              AND reinterpretAsUInt64(Value) != 9218868437227405314 -- staleness markers
          )
          WINDOW w AS (PARTITION BY SeriesId ORDER BY T ROWS BETWEEN 1 PRECEDING AND CURRENT ROW)
        )
        -- windows holding t: end(k) - range ≤ t ≤ end(k)
        ARRAY JOIN range(
          greatest(0, toInt64(ceil((T - ${first}) / ${step}))),
          least(${last}, toInt64(floor((T - ${first} + ${range}) / ${step}))) + 1) AS k
        GROUP BY SeriesId, k
      )
      GROUP BY SeriesId
    ) AS d
    INNER JOIN (
      SELECT SeriesId, any(MetricName) AS Name, any(Labels) AS LabelMap
      FROM ${db.table(SERIES_TABLE)} WHERE ${seriesWhere} GROUP BY SeriesId
    ) AS s ON s.SeriesId = d.SeriesId
    ${options.limitSeries === undefined ? sql.empty : sql`LIMIT ${options.limitSeries + 1}`}
    FORMAT RowBinary`,
    options.signal,
  );
  const reader = new RowBinaryReader(body);
  const out: StoredWindows[] = [];
  while (!reader.done) {
    reader.skip(8);
    const labels = readLabels(reader);
    const step = reader.float64Array();
    const count = reader.float64Array();
    const firstT = reader.float64Array();
    const firstV = reader.float64Array();
    const lastT = reader.float64Array();
    const lastV = reader.float64Array();
    const prevT = reader.float64Array();
    const prevV = reader.float64Array();
    const min = reader.float64Array();
    const max = reader.float64Array();
    const resets: Array<Float64Array | undefined> = [];
    const n = reader.varUInt();
    for (let i = 0; i < n; i++) {
      const r = reader.float64Array();
      resets.push(r.length > 0 ? r : undefined);
    }
    out.push(
      inWindowOrder({ labels, step, count, firstT, firstV, lastT, lastV, prevT, prevV, min, max, resets }),
    );
  }
  if (options.limitSeries !== undefined && out.length > options.limitSeries) {
    throw new AppError(
      'bad_request',
      `the selector matches more than ${options.limitSeries} series; narrow it`,
    );
  }
  return out.sort((a, b) => compareLabels(a.labels, b.labels));
}

/** groupArray keeps no order: puts every array in ascending window order (one permutation). */
function inWindowOrder(w: StoredWindows): StoredWindows {
  const { step } = w;
  let sorted = true;
  for (let i = 1; i < step.length; i++) {
    if (step[i]! < step[i - 1]!) {
      sorted = false;
      break;
    }
  }
  if (sorted) return w;
  const order = Array.from(step.keys()).sort((a, b) => step[a]! - step[b]!);
  const permute = (a: Float64Array): Float64Array => Float64Array.from(order, (i) => a[i]!);
  return {
    labels: w.labels,
    step: permute(w.step),
    count: permute(w.count),
    firstT: permute(w.firstT),
    firstV: permute(w.firstV),
    lastT: permute(w.lastT),
    lastV: permute(w.lastV),
    prevT: permute(w.prevT),
    prevV: permute(w.prevV),
    min: permute(w.min),
    max: permute(w.max),
    resets: order.map((i) => w.resets[i]),
  };
}
