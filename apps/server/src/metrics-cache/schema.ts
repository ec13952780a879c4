/**
 * Tables of the metrics cache, in its own database (`<project database>_cache`) of the embedded
 * engine. Created with IF NOT EXISTS at open; a changed TTL is applied with MODIFY TTL.
 *
 * - `cache_points` (QueryKey, SeriesHash, Timestamp, Value): one row per evaluated point.
 *   Sort key (QueryKey, hour, SeriesHash, Timestamp): reading one query over a range touches
 *   only that query's hours, and inside an hour each series' points are contiguous, which is
 *   what DoubleDelta (a constant step gives zeros) and Gorilla (XOR of neighbouring values of
 *   one series) need. ReplacingMergeTree: re-evaluated points replace the earlier ones (reads
 *   use FINAL; the last insert wins). Day partitions, dropped whole by the TTL.
 * - `cache_series` (QueryKey, SeriesHash → labels): written the first time a process sees a
 *   series each day, so LastSeen moves with the data and the TTL keeps live series.
 * - `cache_chunks`: what is cached, per query and chunk: first/last evaluated time, settled
 *   point, sealed flag, step, points per slot. Readers trust only what a chunk row claims; rows are written
 *   after their points, so a reader never sees a claim before the data.
 */
import { sql, type Database, type Sql } from '@vigil/storage';

export const POINTS_TABLE = 'cache_points';
export const SERIES_TABLE = 'cache_series';
export const CHUNKS_TABLE = 'cache_chunks';

const ttl = (column: Sql, days: number): Sql =>
  sql`TTL ${column} + toIntervalDay(${sql.param(days, 'UInt32')})`;

const TTL_COLUMNS: ReadonlyArray<readonly [string, Sql]> = [
  [POINTS_TABLE, sql`toDateTime(Timestamp)`],
  [SERIES_TABLE, sql`LastSeen`],
  [CHUNKS_TABLE, sql`toDateTime(ChunkEnd)`],
];

function cacheDdl(db: Database, ttlDays: number): Sql[] {
  return [
    sql`CREATE TABLE IF NOT EXISTS ${db.table(POINTS_TABLE)} (
      QueryKey LowCardinality(String) CODEC(ZSTD(1)),
      SeriesHash UInt64 CODEC(ZSTD(1)),
      Timestamp DateTime64(3) CODEC(DoubleDelta, ZSTD(1)),
      Value Float64 CODEC(Gorilla, ZSTD(1))
    ) ENGINE = ReplacingMergeTree
    PARTITION BY toDate(Timestamp)
    ORDER BY (QueryKey, toStartOfHour(Timestamp), SeriesHash, Timestamp)
    ${ttl(sql`toDateTime(Timestamp)`, ttlDays)}
    SETTINGS ttl_only_drop_parts = 1`,
    sql`CREATE TABLE IF NOT EXISTS ${db.table(SERIES_TABLE)} (
      QueryKey LowCardinality(String) CODEC(ZSTD(1)),
      SeriesHash UInt64 CODEC(ZSTD(1)),
      Labels Map(String, String) CODEC(ZSTD(3)),
      LastSeen DateTime CODEC(ZSTD(1))
    ) ENGINE = ReplacingMergeTree(LastSeen)
    ORDER BY (QueryKey, SeriesHash)
    ${ttl(sql`LastSeen`, ttlDays)}`,
    sql`CREATE TABLE IF NOT EXISTS ${db.table(CHUNKS_TABLE)} (
      QueryKey LowCardinality(String) CODEC(ZSTD(1)),
      ChunkStart DateTime64(3) CODEC(ZSTD(1)),
      ChunkEnd DateTime64(3) CODEC(ZSTD(1)),
      StepMs UInt32 CODEC(ZSTD(1)),
      FromTs DateTime64(3) CODEC(ZSTD(1)),
      ThroughTs DateTime64(3) CODEC(ZSTD(1)),
      SettledTs DateTime64(3) CODEC(ZSTD(1)),
      SlotPoints Array(UInt32) CODEC(ZSTD(1)),
      Sealed UInt8 CODEC(ZSTD(1)),
      UpdatedAt DateTime64(3) CODEC(ZSTD(1))
    ) ENGINE = ReplacingMergeTree(UpdatedAt)
    ORDER BY (QueryKey, ChunkStart, StepMs)
    ${ttl(sql`toDateTime(ChunkEnd)`, ttlDays)}`,
  ];
}

/** Creates the cache tables and brings their TTL to `ttlDays`. */
export async function ensureCacheSchema(db: Database, ttlDays: number): Promise<void> {
  for (const statement of cacheDdl(db, ttlDays)) await db.command(statement);
  const rows = await db.query<{ name: string; create_table_query: string }>(
    sql`SELECT name, create_table_query FROM system.tables WHERE database = ${db.database}`,
  );
  for (const [name, column] of TTL_COLUMNS) {
    const row = rows.find((r) => r.name === name);
    // ClickHouse stores the bound day count as toIntervalDay(_CAST(30, 'UInt32')).
    const current = row && /toIntervalDay\((?:_CAST\()?(\d+)/.exec(row.create_table_query)?.[1];
    if (!row || current === String(ttlDays)) continue;
    await db.command(
      sql`ALTER TABLE ${db.table(name)} MODIFY TTL ${column} + toIntervalDay(${sql.param(ttlDays, 'UInt32')})`,
    );
  }
}
