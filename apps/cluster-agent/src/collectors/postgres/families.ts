/** Every family the collector emits, with its type and help (collected through ../family-set.ts). */
import { FamilySet as SharedFamilySet, type FamilySpec } from '../family-set.ts';

/** Every family the Postgres collector emits. */
export const PG_FAMILIES = {
  pg_up: { type: 'gauge', help: 'Whether the server answered (1) or not (0).' },
  pg_probe_seconds: { type: 'gauge', help: 'Time of a `SELECT 1` round trip.' },
  pg_info: { type: 'gauge', help: 'Server information; the value is always 1.' },
  pg_setting: {
    type: 'gauge',
    help: 'Numeric server setting in its own unit (the unit label: 8kB, kB, ms, s…); booleans as 1/0.',
  },
  pg_connections: {
    type: 'gauge',
    help: 'Client connections, by database, user, state, wait event type and query.',
  },
  pg_lock_awaiting_queries: {
    type: 'gauge',
    help: 'Sessions waiting on a lock, by the database, user and query of the session blocking them.',
  },
  pg_database_size_bytes: { type: 'gauge', help: 'Disk space used by the database.' },
  pg_xid_age: { type: 'gauge', help: 'Age of the oldest unfrozen transaction id in the database.' },
  pg_multixact_age: {
    type: 'gauge',
    help: 'Multixacts since the oldest unfrozen multixact id of the database (age of datminmxid).',
  },
  pg_time_since_last_checkpoint_seconds: {
    type: 'gauge',
    help: 'Seconds since the last checkpoint (restartpoint on a standby) began, from the control file.',
  },
  pg_wal_since_last_checkpoint_bytes: {
    type: 'gauge',
    help: 'WAL written since the redo point of the last checkpoint (what crash recovery would replay).',
  },
  pg_wal_size_bytes: {
    type: 'gauge',
    help: 'Size of the WAL directory (needs superuser or pg_monitor; absent otherwise).',
  },
  pg_table_size_bytes: {
    type: 'gauge',
    help: 'Total size of the table including indexes and TOAST (top 100 tables by size per server, plus tables overdue for autovacuum/autoanalyze).',
  },
  pg_table_reltuples: { type: 'gauge', help: "Planner's estimate of the table's rows (pg_class.reltuples)." },
  pg_table_live_tuples: { type: 'gauge', help: 'Estimated live tuples of the table.' },
  pg_table_dead_tuples: { type: 'gauge', help: 'Dead tuples of the table not yet reclaimed by vacuum.' },
  pg_table_dead_tuple_bytes: {
    type: 'gauge',
    help: 'Estimated heap bytes taken by dead tuples: dead ÷ (live + dead) × heap size.',
  },
  pg_table_mods_since_analyze: {
    type: 'gauge',
    help: 'Rows inserted, updated or deleted since the table was last analyzed.',
  },
  pg_table_seconds_since_last_autovacuum: {
    type: 'gauge',
    help: 'Seconds since the last autovacuum of the table (absent if never).',
  },
  pg_table_seconds_since_last_analyze: {
    type: 'gauge',
    help: 'Seconds since the table was last analyzed, manually or by autovacuum (absent if never).',
  },
  pg_table_setting: {
    type: 'gauge',
    help: "The table's autovacuum reloption overrides as labels (empty: not overridden); only for tables that override one.",
  },
  pg_wal_current_lsn: { type: 'counter', help: 'Current WAL write position in bytes (primary only).' },
  pg_wal_receive_lsn: {
    type: 'counter',
    help: 'WAL position received and synced by streaming replication (standby).',
  },
  pg_wal_reply_lsn: { type: 'counter', help: 'WAL position replayed during recovery (standby).' },
  pg_wal_replay_paused: { type: 'gauge', help: 'Whether WAL replay is paused (standby).' },
  pg_checkpoints_total: {
    type: 'counter',
    help: 'Checkpoints since the statistics reset, by kind (timed, requested).',
  },
  pg_stat_statements_available: {
    type: 'gauge',
    help: 'Whether pg_stat_statements is installed in the connected database and loaded (1) or not (0).',
  },
  pg_db_queries_per_second: { type: 'gauge', help: 'Statements executed per second, by database.' },
  pg_latency_seconds: {
    type: 'gauge',
    help: 'Statement latency over the interval: avg is exact; quantiles and max are from per-statement means weighted by calls.',
  },
  pg_top_query_calls_per_second: { type: 'gauge', help: 'Calls per second of the top statements by time.' },
  pg_top_query_time_per_second: {
    type: 'gauge',
    help: 'Execution seconds per second of the top statements by time.',
  },
  pg_top_query_io_time_per_second: {
    type: 'gauge',
    help: 'Seconds per second the top statements spent reading and writing blocks (needs track_io_timing).',
  },
} as const satisfies Record<string, FamilySpec>;

export type PgFamilyName = keyof typeof PG_FAMILIES;

/** Samples of this collector's families, labelled with the target's address. */
export class FamilySet extends SharedFamilySet<PgFamilyName> {
  constructor(address: string) {
    super(address, PG_FAMILIES);
  }
}
