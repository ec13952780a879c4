/**
 * DDL of the embedded metric store (migration `0003_metrics`); the reasoning and measured sizes
 * are in ./README.md.
 *
 * - `metrics_series`: one row per series (and per re-write, collapsed by merges): metric name,
 *   series id, the other labels as a map, and the span of days it was seen in. The primary key
 *   starts with the metric name, so `__name__="x"` reads only that metric's rows.
 * - `metrics_samples`: (series id, timestamp, value) ordered by series then time, day partitions,
 *   Delta + ZSTD codecs. ReplacingMergeTree: a sample written twice (a retried remote-write
 *   batch) is kept once after merges, and reads use FINAL, so the last written copy wins.
 * - `metrics_metadata`: type, help and unit per metric family; the latest write wins.
 */
import { ttlClause } from '../schema/traces.ts';
import { sql, type Sql } from '../sql.ts';

export const SERIES_TABLE = 'metrics_series';
export const SAMPLES_TABLE = 'metrics_samples';
export const METADATA_TABLE = 'metrics_metadata';

/** Prometheus's StaleNaN (0x7ff0000000000002) as a UInt64 literal for SQL. */
const STALE_NAN_BITS = sql`toUInt64(9218868437227405314)`;

/**
 * A series row expires a day after LastSeen plus the retention: LastSeen may lag the series'
 * newest sample by up to a day (rows are re-written once a day), and the row must not expire
 * while samples of that day are still kept.
 */
const SERIES_TTL_COLUMN = sql`toDateTime(LastSeen) + 86400`;

/**
 * Series: AggregatingMergeTree with min/max "seen" columns rather than ReplacingMergeTree on
 * LastSeen, so a merge keeps the true first day as well as the last. Rows are written once per
 * series per process and again when the series' samples reach a new day (see known-series.ts),
 * so [FirstSeen, LastSeen] covers the day of every stored sample at day granularity, which is
 * what the time filter of the queries relies on. Labels is `SimpleAggregateFunction(any, …)`
 * because ClickHouse 26 refuses plain columns outside the key of an AggregatingMergeTree, and
 * `any` returns `Map(String, String)`, so the keys cannot be LowCardinality (ZSTD absorbs the
 * repeated key text instead). Labels exclude `__name__` (it is MetricName)
 * and empty values (Prometheus treats `l=""` as "no label l"), so `Labels['l']` reads '' exactly
 * when the series has no label l, which is Prometheus's matching semantics for free.
 */
export function seriesTableDdl(db: string, ttlDays: number): Sql {
  return sql`CREATE TABLE IF NOT EXISTS ${sql.identifier(db, SERIES_TABLE)} (
    MetricName LowCardinality(String) CODEC(ZSTD(1)),
    SeriesId UInt64 CODEC(ZSTD(1)),
    Labels SimpleAggregateFunction(any, Map(String, String)) CODEC(ZSTD(3)),
    FirstSeen SimpleAggregateFunction(min, DateTime64(3)) CODEC(ZSTD(1)),
    LastSeen SimpleAggregateFunction(max, DateTime64(3)) CODEC(ZSTD(1))
) ENGINE = AggregatingMergeTree
ORDER BY (MetricName, SeriesId)
${ttlClause(SERIES_TTL_COLUMN, ttlDays)}
SETTINGS index_granularity = 1024`;
}

/**
 * Samples. Codecs chosen by measurement (README: 1k node-exporter-like series × 24 h at 15 s,
 * after OPTIMIZE FINAL): Delta + ZSTD on Timestamp (0.49 B/sample; DoubleDelta 0.80, since
 * scrape jitter makes second differences noisier than first ones) and Delta(8) + ZSTD on the
 * value's bits (1.78 B/sample; Gorilla + ZSTD 3.58, plain ZSTD 2.90): counters and gauges that
 * move in small steps keep sign, exponent and upper mantissa, so consecutive bit patterns differ
 * by small integers, which ZSTD packs; Delta is exact on the bits (wrapping), so NaN payloads
 * such as the staleness marker survive. SeriesId repeats for a whole series: ZSTD folds it away.
 *
 * index_granularity 1024, not 8192: one series holds 5760 samples a day at 15 s, so with 8192
 * every granule spans more than a series-day and a 1 h query over 1k series read all 704
 * granules of the day; with 1024 it reads 1125 of 5625 (a fifth of the rows), for 0.3% more
 * bytes. The price is a primary index 8x larger (16 bytes a granule: ~90 MB per day at 1M
 * series), which is small at embedded scale and to revisit for a cluster.
 *
 * InputValue/InputStale are EPHEMERAL (never stored): text formats cannot spell a NaN payload,
 * so remote (TSV) inserts send the value and a stale flag and Value's DEFAULT builds the
 * marker's bits. Embedded (Native) inserts write Value's bits directly.
 */
export function samplesTableDdl(db: string, ttlDays: number): Sql {
  return sql`CREATE TABLE IF NOT EXISTS ${sql.identifier(db, SAMPLES_TABLE)} (
    SeriesId UInt64 CODEC(ZSTD(1)),
    Timestamp DateTime64(3) CODEC(Delta, ZSTD(1)),
    Value Float64 DEFAULT if(InputStale = 1, reinterpretAsFloat64(${STALE_NAN_BITS}), InputValue)
      CODEC(Delta(8), ZSTD(1)),
    InputValue Float64 EPHEMERAL,
    InputStale UInt8 EPHEMERAL
) ENGINE = ReplacingMergeTree
PARTITION BY toDate(Timestamp)
ORDER BY (SeriesId, Timestamp)
${ttlClause(sql`toDateTime(Timestamp)`, ttlDays)}
SETTINGS index_granularity = 1024, ttl_only_drop_parts = 1`;
}

/**
 * Compressed blocks of one granule (migration `0004_metrics_sample_blocks`; new parts get it,
 * merges rewrite old ones). ClickHouse cuts a column's compressed block at a granule boundary
 * once it holds min_compress_block_size bytes, 64 KiB by default: eight 1,024-row granules of
 * Value, so reading one series' few minutes decompressed the seven granules around it too. With
 * 4 KiB every 8 KiB granule is its own block. Measured on the PromQL benchmark's 57.6M samples
 * (after OPTIMIZE FINAL): 3,500 series × 5 min read 513 → 214 ms, 2,000 series × 1 h 387 →
 * 158 ms, 400 series × 24 h 388 → 332 ms, for 6% more bytes (83.8 → 88.7 MB). Smaller granules
 * (512 rows) on top gained nothing and cost 22% more bytes; LZ4 instead of ZSTD read about as
 * fast as this but took 1.9× the bytes.
 */
export function samplesBlockSettings(db: string): Sql {
  return sql`ALTER TABLE ${sql.identifier(db, SAMPLES_TABLE)} MODIFY SETTING min_compress_block_size = 4096`;
}

/** Metadata: ReplacingMergeTree on UpdatedAt; readers take argMax by UpdatedAt. */
export function metadataTableDdl(db: string, ttlDays: number): Sql {
  return sql`CREATE TABLE IF NOT EXISTS ${sql.identifier(db, METADATA_TABLE)} (
    MetricFamilyName String CODEC(ZSTD(1)),
    Type LowCardinality(String) CODEC(ZSTD(1)),
    Help String CODEC(ZSTD(3)),
    Unit LowCardinality(String) CODEC(ZSTD(1)),
    UpdatedAt DateTime64(3) CODEC(ZSTD(1))
) ENGINE = ReplacingMergeTree(UpdatedAt)
ORDER BY MetricFamilyName
${ttlClause(sql`toDateTime(UpdatedAt)`, ttlDays)}`;
}

/** The statements of migration `0003_metrics`. */
export function metricsDdl(db: string, ttlDays: number): Sql[] {
  return [seriesTableDdl(db, ttlDays), samplesTableDdl(db, ttlDays), metadataTableDdl(db, ttlDays)];
}

/** Table → TTL column expression, for `ALTER … MODIFY TTL` when the retention changes. */
export const METRICS_TTL_COLUMNS: ReadonlyArray<readonly [table: string, column: Sql]> = [
  [SERIES_TABLE, SERIES_TTL_COLUMN],
  [SAMPLES_TABLE, sql`toDateTime(Timestamp)`],
  [METADATA_TABLE, sql`toDateTime(UpdatedAt)`],
];
