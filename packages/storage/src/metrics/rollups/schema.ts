/**
 * DDL of the 5-minute rollups (migration `0006_metrics_rollups`; design in ./README.md).
 *
 * - `metrics_rollup_5m`: per series and bucket (E - 5 min, E] what a range window needs from
 *   those samples: count, oldest/newest/second-newest sample, min/max and the values before
 *   counter drops (up to four; a bucket with more keeps their count and sum). Where the min is
 *   the oldest value and the max the newest (a counter), `Extremes` says so (bits 1 and 2) and
 *   MinV/MaxV hold 0, which compresses away: rollups were 0.49× the samples' bytes with both
 *   kept (100k series, bench/rollups.ts). StaleAge: 1 + the age of a staleness marker newer than
 *   every value of the bucket (0: none), for instant-vector selectors; a bucket holding only
 *   markers has Count 0. Times are kept as their distance to the bucket end (UInt32 ms), which is
 *   nearly constant for a series scraped at a fixed interval, so ZSTD folds it away.
 *   ReplacingMergeTree on Version: a rebuilt bucket replaces the old row (readers keep the
 *   highest version themselves, so they need no FINAL).
 *   Ordered by metric name first, so one metric's series are neighbours: ordered by the id
 *   alone (a hash), reading 600 of 10k series touched 58% of the granules. 1,024-row granules,
 *   each its own compressed block, as for the samples (../schema.ts).
 * - `metrics_rollup_state`: one row per change of what is built (coverage.ts), the highest
 *   Version being current.
 */
import { ttlClause } from '../../schema/traces.ts';
import { sql, type Sql } from '../../sql.ts';

export const ROLLUP_TABLE = 'metrics_rollup_5m';
export const ROLLUP_STATE_TABLE = 'metrics_rollup_state';

export function rollupTableDdl(db: string, ttlDays: number): Sql {
  return sql`CREATE TABLE IF NOT EXISTS ${sql.identifier(db, ROLLUP_TABLE)} (
    MetricName LowCardinality(String) CODEC(ZSTD(1)),
    SeriesId UInt64 CODEC(ZSTD(1)),
    BucketEnd DateTime('UTC') CODEC(Delta, ZSTD(1)),
    Count UInt32 CODEC(ZSTD(1)),
    FirstAge UInt32 CODEC(ZSTD(1)),
    LastAge UInt32 CODEC(ZSTD(1)),
    PrevAge UInt32 CODEC(ZSTD(1)),
    FirstV Float64 CODEC(Delta(8), ZSTD(1)),
    LastV Float64 CODEC(Delta(8), ZSTD(1)),
    PrevV Float64 CODEC(Delta(8), ZSTD(1)),
    Extremes UInt8 CODEC(ZSTD(1)),
    MinV Float64 CODEC(Delta(8), ZSTD(1)),
    MaxV Float64 CODEC(Delta(8), ZSTD(1)),
    Resets Array(Float64) CODEC(ZSTD(1)),
    ResetsOver UInt32 CODEC(ZSTD(1)),
    ResetsSum Float64 CODEC(ZSTD(1)),
    StaleAge UInt32 CODEC(ZSTD(1)),
    Version UInt64 CODEC(ZSTD(1))
) ENGINE = ReplacingMergeTree(Version)
PARTITION BY toDate(BucketEnd)
ORDER BY (MetricName, SeriesId, BucketEnd)
${ttlClause(sql`BucketEnd`, ttlDays)}
SETTINGS index_granularity = 1024, ttl_only_drop_parts = 1, min_compress_block_size = 4096`;
}

export function rollupStateTableDdl(db: string): Sql {
  return sql`CREATE TABLE IF NOT EXISTS ${sql.identifier(db, ROLLUP_STATE_TABLE)} (
    Id UInt8,
    Version UInt64,
    CoveredUntil Int64,
    Dirty String
) ENGINE = ReplacingMergeTree(Version)
ORDER BY Id`;
}

/** The statements of migration `0006_metrics_rollups`. */
export function rollupsDdl(db: string, ttlDays: number): Sql[] {
  return [rollupTableDdl(db, ttlDays), rollupStateTableDdl(db)];
}
