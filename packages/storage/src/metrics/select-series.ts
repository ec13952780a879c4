/**
 * The read path a PromQL engine calls: series matching a set of label matchers, with their
 * samples in [startMs, endMs], in one query.
 *
 *   series ──(matchers, seen in range)──► ids ──► samples FINAL (id IN …, time range)
 *      │                                              │ groupArray per series
 *      └──────────── labels per id ──── JOIN ◄────────┘ ──► RowBinary ──► Float64Arrays
 *
 * Duplicates (same series and timestamp): the samples table is a ReplacingMergeTree and the
 * query reads it with FINAL, so the copy written last wins, the same one merges keep: a result
 * does not change when a merge happens. Out-of-order samples are simply rows; the query sorts
 * each series' arrays by time (arraySort), and JS only checks the order as a guard.
 */
import { AppError } from '@vigil/core';
import { compareLabels, type Label, type LabelMatcher } from '@vigil/protocols';
import type { Database } from '../connection.ts';
import { toAppError } from '../errors.ts';
import { compile, sql } from '../sql.ts';
import { STALE_HIGH, STALE_LOW } from './insert-plan.ts';
import { invalidRegexError, matchersCondition } from './matchers.ts';
import { readAll, RowBinaryReader } from './row-binary.ts';
import { SAMPLES_TABLE, SERIES_TABLE } from './schema.ts';
import { METRIC_NAME_LABEL } from './series-id.ts';
import { sampleTimeCondition, seriesSeenCondition, wholeMsRange } from './time-bounds.ts';

/** One series as {@link selectSeries} returns it. */
export interface StoredSeries {
  /** Sorted by name, `__name__` included. */
  readonly labels: Label[];
  /** Ascending, no duplicates. */
  readonly timestampsMs: Float64Array;
  readonly values: Float64Array;
  /** Positions holding a staleness marker (ascending; their value is an ordinary NaN). */
  readonly staleIndexes?: number[];
}

export interface SelectOptions {
  signal?: AbortSignal;
  /** Refuse (bad_request) when more series than this would be returned. */
  limitSeries?: number;
}

const NAN_HIGH = 0x7ff80000;

/** Selects series and samples; see the module comment. */
export async function selectSeries(
  db: Database,
  matchers: readonly LabelMatcher[],
  startMs: number,
  endMs: number,
  options: SelectOptions = {},
): Promise<StoredSeries[]> {
  const [start, end] = wholeMsRange(startMs, endMs);
  if (end < start) return [];
  const seriesWhere = sql`${matchersCondition(matchers)} AND ${seriesSeenCondition(start, end)}`;
  const limit = options.limitSeries;
  const statement = sql`
    SELECT d.SeriesId, s.Name, s.LabelMap, d.Ts, d.Vals
    FROM (
      -- Parallel reading interleaves parts, so the arrays are put in time order here, in C++
      -- (sorting them in JS was 40% of a query's JS time in bench/promql).
      SELECT SeriesId,
        arraySort(groupArray(toFloat64(toUnixTimestamp64Milli(Timestamp)))) AS Ts,
        arraySort((v, t) -> t, groupArray(Value), groupArray(Timestamp)) AS Vals
      FROM ${db.table(SAMPLES_TABLE)} FINAL
      WHERE SeriesId IN (SELECT SeriesId FROM ${db.table(SERIES_TABLE)} WHERE ${seriesWhere})
        AND ${sampleTimeCondition(start, end)}
      GROUP BY SeriesId
    ) AS d
    INNER JOIN (
      -- Aliases differ from the columns: an alias named Labels would turn the matchers'
      -- Labels['l'] into an aggregate inside WHERE.
      SELECT SeriesId, any(MetricName) AS Name, any(Labels) AS LabelMap
      FROM ${db.table(SERIES_TABLE)}
      WHERE ${seriesWhere}
      GROUP BY SeriesId
    ) AS s ON s.SeriesId = d.SeriesId
    ${limit === undefined ? sql.empty : sql`LIMIT ${limit + 1}`}
    FORMAT RowBinary`;
  const body = await runBinary(db, statement, options.signal);
  const out: StoredSeries[] = [];
  const reader = new RowBinaryReader(body);
  while (!reader.done) {
    reader.skip(8); // SeriesId
    const labels = readLabels(reader);
    const timestampsMs = reader.float64Array();
    const values = reader.float64Array();
    out.push(finishSeries(labels, timestampsMs, values));
  }
  if (limit !== undefined && out.length > limit) {
    throw new AppError('bad_request', `the selector matches more than ${limit} series; narrow it`);
  }
  return out.sort((a, b) => compareLabels(a.labels, b.labels));
}

/** Runs a statement that ends in `FORMAT RowBinary` and returns the bytes. */
export async function runBinary(
  db: Database,
  statement: ReturnType<typeof sql>,
  signal: AbortSignal | undefined,
): Promise<Buffer> {
  const { query, params } = compile(statement);
  try {
    const result = await db.client.exec({
      query,
      query_params: params,
      ...(signal ? { abort_signal: signal } : {}),
    });
    return await readAll(result.stream);
  } catch (err) {
    throw invalidRegexError(err) ?? toAppError(err, 'query metrics');
  }
}

/** MetricName and Labels of a row as one sorted Label[] with `__name__`. */
export function readLabels(reader: RowBinaryReader): Label[] {
  const metricName = reader.string();
  const count = reader.varUInt();
  const labels: Label[] = [];
  if (metricName !== '') labels.push({ name: METRIC_NAME_LABEL, value: metricName });
  for (let i = 0; i < count; i++) {
    const name = reader.string();
    labels.push({ name, value: reader.string() });
  }
  return labels.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Orders samples by time (stable), drops duplicate timestamps (last wins), flags markers. */
function finishSeries(labels: Label[], ts: Float64Array, values: Float64Array): StoredSeries {
  let sorted = true;
  for (let i = 1; i < ts.length; i++) {
    if (ts[i]! <= ts[i - 1]!) {
      sorted = false;
      break;
    }
  }
  if (!sorted) [ts, values] = sortByTime(ts, values);
  const words = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  let staleIndexes: number[] | undefined;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v === v) continue;
    if (words[2 * i] === STALE_LOW && words[2 * i + 1] === STALE_HIGH) (staleIndexes ??= []).push(i);
    // Hand out one NaN form, so nothing downstream mistakes raw bits for a marker.
    words[2 * i] = 0;
    words[2 * i + 1] = NAN_HIGH;
  }
  return staleIndexes
    ? { labels, timestampsMs: ts, values, staleIndexes }
    : { labels, timestampsMs: ts, values };
}

function sortByTime(ts: Float64Array, values: Float64Array): [Float64Array, Float64Array] {
  const order = Array.from(ts.keys()).sort((a, b) => ts[a]! - ts[b]! || a - b);
  // Keep the last of equal timestamps (FINAL already collapsed duplicates; this is a guard).
  const keep: number[] = [];
  for (const i of order) {
    if (keep.length > 0 && ts[keep[keep.length - 1]!] === ts[i]) keep[keep.length - 1] = i;
    else keep.push(i);
  }
  const outTs = new Float64Array(keep.length);
  const outValues = new Float64Array(keep.length);
  const inWords = new Uint32Array(values.buffer, values.byteOffset, values.length * 2);
  const outWords = new Uint32Array(outValues.buffer);
  keep.forEach((from, to) => {
    outTs[to] = ts[from]!;
    // Word copies, not a double copy: a NaN's payload must survive until the marker check.
    outWords[2 * to] = inWords[2 * from]!;
    outWords[2 * to + 1] = inWords[2 * from + 1]!;
  });
  return [outTs, outValues];
}
