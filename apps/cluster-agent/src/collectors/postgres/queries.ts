/**
 * The statements the collector runs against system views, and their rows. Numbers that can pass
 * 2^31 are cast to float8 in SQL so that pg hands back JS numbers instead of strings. Column
 * names follow the server version (`server_version_num`, e.g. 150020 for 15.2).
 */
import type { StatementRow } from './statements.ts';

/** Runs one statement; given by the collector, bound to its connection and deadline. */
export type Run = <R extends object>(sql: string, params?: unknown[]) => Promise<R[]>;

/** Longest query text read from the server, before obfuscation cuts it to the label length. */
const QUERY_READ_MAX_CHARS = 4096;

export interface ServerInfo {
  readonly version: string;
  readonly versionNum: number;
  readonly inRecovery: boolean;
}

export async function readServerInfo(run: Run): Promise<ServerInfo> {
  const [row] = await run<{ version: string; version_num: number; in_recovery: boolean }>(
    `SELECT current_setting('server_version') AS version,
            current_setting('server_version_num')::int AS version_num,
            pg_is_in_recovery() AS in_recovery`,
  );
  if (row === undefined) throw new Error('server info query returned no row');
  return { version: row.version, versionNum: row.version_num, inRecovery: row.in_recovery };
}

export interface SettingRow {
  readonly name: string;
  readonly setting: string;
  readonly unit: string;
  /** bool, integer, real, string or enum. */
  readonly vartype: string;
  /** Where the value comes from: default, configuration file, client, session, override… */
  readonly source: string;
}

/** Every setting as this session sees it (numbers for pg_setting, all of them for change tracking). */
export function readSettings(run: Run): Promise<SettingRow[]> {
  return run<SettingRow>(
    `SELECT name, COALESCE(setting, '') AS setting, COALESCE(unit, '') AS unit, vartype, source
       FROM pg_settings ORDER BY name`,
  );
}

export interface ActivityRow {
  readonly pid: number;
  readonly db: string;
  readonly user: string;
  readonly state: string | null;
  readonly wait_event_type: string | null;
  readonly query: string | null;
  /** The first session holding what this one waits for, when it waits on a lock. */
  readonly blocking_pid: number | null;
}

/** Client sessions other than the collector's own. */
export function readActivity(run: Run): Promise<ActivityRow[]> {
  return run<ActivityRow>(
    `SELECT pid, datname AS db, usename AS user, state, wait_event_type,
            LEFT(query, $1) AS query,
            CASE WHEN wait_event_type = 'Lock' THEN (pg_blocking_pids(pid))[1] END AS blocking_pid
       FROM pg_stat_activity
      WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()
        AND datname IS NOT NULL AND usename IS NOT NULL`,
    [QUERY_READ_MAX_CHARS],
  );
}

export interface DatabaseRow {
  readonly db: string;
  /** Null for templates and databases the collector's role may not connect to. */
  readonly size_bytes: number | null;
  readonly xid_age: number;
  readonly multixact_age: number;
  /** Not a template, connections allowed, and the role has CONNECT: per-table stats can be read. */
  readonly connectable: boolean;
}

export function readDatabases(run: Run): Promise<DatabaseRow[]> {
  return run<DatabaseRow>(
    `SELECT datname AS db,
            CASE WHEN NOT datistemplate AND has_database_privilege(oid, 'CONNECT')
                 THEN pg_database_size(oid)::float8 END AS size_bytes,
            age(datfrozenxid)::float8 AS xid_age,
            mxid_age(datminmxid)::float8 AS multixact_age,
            (NOT datistemplate AND datallowconn AND has_database_privilege(oid, 'CONNECT')) AS connectable
       FROM pg_database`,
  );
}

export interface WalRow {
  readonly current_lsn: number | null;
  readonly receive_lsn: number | null;
  readonly replay_lsn: number | null;
  readonly replay_paused: boolean | null;
}

/** WAL positions in bytes from 0/0: the write position on a primary, receive/replay on a standby. */
export async function readWal(run: Run, inRecovery: boolean): Promise<WalRow> {
  const sql = inRecovery
    ? `SELECT NULL::float8 AS current_lsn,
              pg_wal_lsn_diff(pg_last_wal_receive_lsn(), '0/0')::float8 AS receive_lsn,
              pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::float8 AS replay_lsn,
              pg_is_wal_replay_paused() AS replay_paused`
    : `SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::float8 AS current_lsn,
              NULL::float8 AS receive_lsn, NULL::float8 AS replay_lsn, NULL::bool AS replay_paused`;
  const [row] = await run<WalRow>(sql);
  if (row === undefined) throw new Error('WAL query returned no row');
  return row;
}

export interface CheckpointRow {
  readonly timed: number;
  readonly requested: number;
}

/** Checkpoint counters: pg_stat_checkpointer from PG 17, pg_stat_bgwriter before. */
export async function readCheckpoints(run: Run, versionNum: number): Promise<CheckpointRow> {
  const sql =
    versionNum >= 170000
      ? `SELECT num_timed::float8 AS timed, num_requested::float8 AS requested FROM pg_stat_checkpointer`
      : `SELECT checkpoints_timed::float8 AS timed, checkpoints_req::float8 AS requested FROM pg_stat_bgwriter`;
  const [row] = await run<CheckpointRow>(sql);
  if (row === undefined) throw new Error('checkpoint query returned no row');
  return row;
}

export interface CheckpointStateRow {
  /** Seconds since the last checkpoint (restartpoint on a standby) began, by the control file. */
  readonly since_seconds: number | null;
  /** WAL written since that checkpoint's redo point: what crash recovery would replay. */
  readonly wal_since_bytes: number | null;
}

/**
 * From pg_control_checkpoint() (executable by everyone by default): exact even right after the
 * agent starts, unlike Coroot's "time since the agent saw the counter move".
 */
export async function readCheckpointState(run: Run, inRecovery: boolean): Promise<CheckpointStateRow> {
  const lsn = inRecovery ? 'pg_last_wal_replay_lsn()' : 'pg_current_wal_lsn()';
  const [row] = await run<CheckpointStateRow>(
    `SELECT EXTRACT(EPOCH FROM now() - checkpoint_time)::float8 AS since_seconds,
            pg_wal_lsn_diff(${lsn}, redo_lsn)::float8 AS wal_since_bytes
       FROM pg_control_checkpoint()`,
  );
  return row ?? { since_seconds: null, wal_since_bytes: null };
}

/** SQLSTATE insufficient_privilege. */
export const INSUFFICIENT_PRIVILEGE = '42501';

/** The SQLSTATE of a server error, when it is one. */
export function sqlState(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string'
    ? err.code
    : undefined;
}

/**
 * Bytes in pg_wal, or undefined when the role may not list it (pg_ls_waldir needs superuser or
 * pg_monitor): the series is then left out rather than reported as an error every round.
 */
export async function readWalSize(run: Run): Promise<number | undefined> {
  try {
    const [row] = await run<{ bytes: number }>(
      `SELECT COALESCE(sum(size), 0)::float8 AS bytes FROM pg_ls_waldir()`,
    );
    return row?.bytes;
  } catch (err) {
    if (sqlState(err) === INSUFFICIENT_PRIVILEGE) return undefined;
    throw err;
  }
}

/** The schema pg_stat_statements is installed in within the connected database, if it is. */
export async function findStatStatementsSchema(run: Run): Promise<string | undefined> {
  const [row] = await run<{ schema: string }>(
    `SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
      WHERE e.extname = 'pg_stat_statements'`,
  );
  return row?.schema;
}

/**
 * All statements of all databases (the view is server-wide). Fails with SQLSTATE 55000 when the
 * extension is installed but the library is not in shared_preload_libraries.
 */
export async function readStatStatements(
  run: Run,
  schema: string,
  versionNum: number,
): Promise<StatementRow[]> {
  const time = versionNum >= 130000 ? 's.total_plan_time + s.total_exec_time' : 's.total_time';
  const ioTime =
    versionNum >= 170000
      ? 's.shared_blk_read_time + s.shared_blk_write_time + s.local_blk_read_time + s.local_blk_write_time' +
        ' + s.temp_blk_read_time + s.temp_blk_write_time'
      : 's.blk_read_time + s.blk_write_time';
  // From PG 14 a statement run inside a function (track = all) has its own row with the same
  // query id; only what clients ran counts, and the key (db, user, query id) stays unique.
  const topLevelOnly = versionNum >= 140000 ? ' AND s.toplevel' : '';
  // The only identifier not written here comes from pg_namespace; quote it as Postgres does.
  const view = `"${schema.replace(/"/g, '""')}".pg_stat_statements`;
  const rows = await run<{
    db: string;
    user: string;
    query_id: string;
    query: string | null;
    calls: number;
    total_time_ms: number;
    io_time_ms: number;
  }>(
    `SELECT d.datname AS db, r.rolname AS user, s.queryid::text AS query_id, LEFT(s.query, $1) AS query,
            s.calls::float8 AS calls, (${time})::float8 AS total_time_ms, (${ioTime})::float8 AS io_time_ms
       FROM ${view} s
       JOIN pg_roles r ON r.oid = s.userid
       JOIN pg_database d ON d.oid = s.dbid AND NOT d.datistemplate
      WHERE s.queryid IS NOT NULL${topLevelOnly}`,
    [QUERY_READ_MAX_CHARS],
  );
  return rows.map((r) => ({
    db: r.db,
    user: r.user,
    queryId: r.query_id,
    query: r.query ?? '',
    calls: r.calls,
    totalTimeMs: r.total_time_ms,
    ioTimeMs: r.io_time_ms,
  }));
}
