/**
 * The SQL that turns samples into bucket rows, shared by the builder (INSERT … SELECT into
 * `metrics_rollup_5m`) and by reads that need buckets newer than the built ones.
 *
 *   samples FINAL (series, (from - 5 min, to])
 *     → GROUP BY (series, bucket end): the bucket's (time, value) pairs, sorted by time
 *     → count, oldest/newest/second-newest, min/max ignoring NaN (a flag where they are the
 *       oldest/newest value), values before drops
 *       (listed up to MAX_LISTED_RESETS, else their count and sum), all over the values
 *       without staleness markers; the newest marker when it is newer than every value (a
 *       bucket of markers only has a row with count 0)
 *
 * FINAL: of samples written twice for one timestamp the last written counts, once, as the
 * sample reads do (select-series.ts).
 */
import type { Database } from '../../connection.ts';
import { sql, type Sql } from '../../sql.ts';
import { SAMPLES_TABLE } from '../schema.ts';
import { msParam } from '../time-bounds.ts';
import { BUCKET_MS } from './coverage.ts';

/** The columns of a bucket row, in the order of the rollup table (Version last). */
export const BUCKET_COLUMNS = [
  'SeriesId',
  'BucketEnd',
  'Count',
  'FirstAge',
  'LastAge',
  'PrevAge',
  'FirstV',
  'LastV',
  'PrevV',
  'Extremes',
  'MinV',
  'MaxV',
  'Resets',
  'ResetsOver',
  'ResetsSum',
  'StaleAge',
] as const;

/**
 * Drops kept value by value per bucket; a bucket with more (a gauge moves down all the time)
 * keeps their count and sum only, see ./README.md.
 */
export const MAX_LISTED_RESETS = 4;

/**
 * Bucket rows of the samples with bucket ends in [fromEnd, toEnd] of the series `seriesCondition`
 * selects (a condition on SeriesId), with `version` as their Version.
 */
export function bucketRowsSql(
  db: Database,
  seriesCondition: Sql,
  fromEnd: number,
  toEnd: number,
  version: number,
): Sql {
  const width = sql.param(BUCKET_MS, 'Int64');
  return sql`
    SELECT SeriesId,
      toDateTime(intDiv(B * ${width}, 1000), 'UTC') AS BucketEnd,
      toUInt32(length(a)) AS Count,
      toUInt32(if(empty(a), 0, B * ${width} - a[1].1)) AS FirstAge,
      toUInt32(if(empty(a), 0, B * ${width} - a[-1].1)) AS LastAge,
      toUInt32(if(length(a) > 1, B * ${width} - a[-2].1, 0)) AS PrevAge,
      if(empty(a), nan, a[1].2) AS FirstV,
      if(empty(a), nan, a[-1].2) AS LastV,
      if(length(a) > 1, a[-2].2, nan) AS PrevV,
      arrayFilter(v -> NOT isNaN(v), arrayMap(p -> p.2, a)) AS numbers,
      if(empty(numbers), nan, arrayMin(numbers)) AS lowest,
      if(empty(numbers), nan, arrayMax(numbers)) AS highest,
      -- A counter's min is its first value and its max its last: kept as a flag, not twice.
      toUInt8(if(reinterpretAsUInt64(lowest) = reinterpretAsUInt64(FirstV), 1, 0)
        + if(reinterpretAsUInt64(highest) = reinterpretAsUInt64(LastV), 2, 0)) AS Extremes,
      if(bitAnd(Extremes, 1) = 1, 0, lowest) AS MinV,
      if(bitAnd(Extremes, 2) = 2, 0, highest) AS MaxV,
      arrayFilter((before, after) -> after < before,
        arrayPopBack(arrayMap(p -> p.2, a)), arrayPopFront(arrayMap(p -> p.2, a))) AS drops,
      if(length(drops) <= ${sql.param(MAX_LISTED_RESETS, 'UInt32')}, drops, []) AS Resets,
      toUInt32(if(length(drops) <= ${sql.param(MAX_LISTED_RESETS, 'UInt32')}, 0, length(drops))) AS ResetsOver,
      if(length(drops) <= ${sql.param(MAX_LISTED_RESETS, 'UInt32')}, 0, arraySum(drops)) AS ResetsSum,
      -- The newest staleness marker when it is newer than every value: 1 + its age, else 0.
      toUInt32(if(empty(markers) OR (NOT empty(a) AND markers[-1] < a[-1].1), 0,
        B * ${width} - markers[-1] + 1)) AS StaleAge,
      toUInt64(${sql.param(version, 'UInt64')}) AS Version
    FROM (
      SELECT SeriesId, intDiv(T + ${width} - 1, ${width}) AS B,
        arraySort(groupArrayIf((T, Value), NOT stale)) AS a,
        arraySort(groupArrayIf(T, stale)) AS markers
      FROM (
        SELECT SeriesId, toUnixTimestamp64Milli(Timestamp) AS T, Value,
          reinterpretAsUInt64(Value) = 9218868437227405314 AS stale -- Prometheus's StaleNaN
        FROM ${db.table(SAMPLES_TABLE)} FINAL
        WHERE ${seriesCondition}
          AND Timestamp > ${msParam(fromEnd - BUCKET_MS)} AND Timestamp <= ${msParam(toEnd)}
      )
      GROUP BY SeriesId, B
    )`;
}
