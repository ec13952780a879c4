/**
 * DDL of the profile store (migration `0007_profiles`): stacks are stored once, samples refer to
 * them by hash, as in Coroot's schema.
 *
 * - `profiling_stacks`: stack hash → frame names, root first. ReplacingMergeTree on LastSeen: the
 *   store writes a stack again when it is seen on a new day, so the row outlives (by a day) the
 *   last sample that needs it, and merges keep one row per hash. Sharded by hash in a cluster.
 * - `profiling_samples`: one row per (profile, sample type, stack, labels): service, type such as
 *   `ebpf:cpu:nanoseconds`, the profile's time range, labels, stack hash and value. Ordered by
 *   service and type, then time, so a flame graph for one service and window reads only its rows.
 */
import { sql, type Sql } from '../sql.ts';
import { ttlClause } from './traces.ts';

export const PROFILE_STACKS_TABLE = 'profiling_stacks';
export const PROFILE_SAMPLES_TABLE = 'profiling_samples';

/** A stack row expires a day after the retention from the last day it was written. */
const STACKS_TTL_COLUMN = sql`LastSeen + 86400`;
const SAMPLES_TTL_COLUMN = sql`toDateTime(Start)`;

export function profileStacksTableDdl(db: string, ttlDays: number): Sql {
  return sql`CREATE TABLE IF NOT EXISTS ${sql.identifier(db, PROFILE_STACKS_TABLE)} (
    Hash UInt64 CODEC(ZSTD(1)),
    Frames Array(String) CODEC(ZSTD(3)),
    LastSeen DateTime CODEC(ZSTD(1))
) ENGINE = ReplacingMergeTree(LastSeen)
ORDER BY Hash
${ttlClause(STACKS_TTL_COLUMN, ttlDays)}`;
}

export function profileSamplesTableDdl(db: string, ttlDays: number): Sql {
  return sql`CREATE TABLE IF NOT EXISTS ${sql.identifier(db, PROFILE_SAMPLES_TABLE)} (
    ServiceName LowCardinality(String) CODEC(ZSTD(1)),
    Type LowCardinality(String) CODEC(ZSTD(1)),
    Start DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    End DateTime64(9) CODEC(Delta(8), ZSTD(1)),
    Labels Map(LowCardinality(String), String) CODEC(ZSTD(3)),
    StackHash UInt64 CODEC(ZSTD(1)),
    Value Int64 CODEC(ZSTD(1))
) ENGINE = MergeTree
PARTITION BY toDate(Start)
ORDER BY (ServiceName, Type, Start)
${ttlClause(SAMPLES_TTL_COLUMN, ttlDays)}
SETTINGS ttl_only_drop_parts = 1`;
}

/** The statements of migration `0007_profiles`. */
export function profilesDdl(db: string, ttlDays: number): Sql[] {
  return [profileStacksTableDdl(db, ttlDays), profileSamplesTableDdl(db, ttlDays)];
}

/** Table → TTL column expression, for `ALTER … MODIFY TTL` when the retention changes. */
export const PROFILES_TTL_COLUMNS: ReadonlyArray<readonly [table: string, column: Sql]> = [
  [PROFILE_STACKS_TABLE, STACKS_TTL_COLUMN],
  [PROFILE_SAMPLES_TABLE, SAMPLES_TTL_COLUMN],
];
