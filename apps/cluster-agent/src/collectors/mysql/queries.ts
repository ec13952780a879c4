/**
 * The statements the collector runs, and their rows. Counters are BIGINT UNSIGNED; mysql2 hands
 * them back as numbers (or strings for DECIMAL), so every numeric column goes through `num`.
 */
import { serverErrno, type Row } from './connection.ts';
import type { DigestRow, TableIoRow } from './digests.ts';

/** Runs one statement; given by the collector, bound to its connection and deadline. */
export type Run = (sql: string) => Promise<Row[]>;

/** ER_PARSE_ERROR: the server does not know `SHOW REPLICA STATUS` (before MySQL 8.0.22, MariaDB 10.5.1). */
const ER_PARSE_ERROR = 1064;
/** ER_UNKNOWN_TABLE: information_schema.INNODB_LOCK_WAITS is gone (MySQL 8.0). */
const ER_UNKNOWN_TABLE = 1109;
/** ER_NO_SUCH_TABLE: same, as some versions word it. */
const ER_NO_SUCH_TABLE = 1146;

function str(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (Buffer.isBuffer(v)) return v.toString('utf8');
  return '';
}
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(str(v)));

/** `SHOW GLOBAL STATUS` or `SHOW GLOBAL VARIABLES` as name → value. */
export async function readGlobals(run: Run, what: 'STATUS' | 'VARIABLES'): Promise<Map<string, string>> {
  const rows = await run(`SHOW GLOBAL ${what}`);
  return new Map(rows.map((r) => [str(r.Variable_name), str(r.Value)]));
}

/** One row per replication channel (source); none when the server is not a replica. */
export async function readReplicaStatus(run: Run): Promise<Array<Map<string, string>>> {
  let rows: Row[];
  try {
    rows = await run('SHOW REPLICA STATUS');
  } catch (err) {
    if (serverErrno(err) !== ER_PARSE_ERROR) throw err;
    rows = await run('SHOW SLAVE STATUS');
  }
  return rows.map((r) => new Map(Object.entries(r).map(([k, v]) => [k, str(v)])));
}

export interface LockWaitRow {
  /** The waiting transaction; a waiter blocked by several locks of one holder counts once. */
  readonly waitingTrx: string;
  /** Schema, user and query of the transaction holding the lock. */
  readonly schema: string;
  readonly user: string;
  readonly query: string;
}

// The holder's current statement, or with performance_schema its last top-level statement: a
// holder idle in its transaction has no current statement, and the one that took the lock is
// usually the last one it ran (events_statements_current must be enabled for that).
const holderQuery = (perfSchema: boolean): { column: string; join: string } =>
  perfSchema
    ? {
        column: `COALESCE(b.trx_query, s.SQL_TEXT, '')`,
        join: `LEFT JOIN performance_schema.threads t ON t.PROCESSLIST_ID = b.trx_mysql_thread_id
               LEFT JOIN performance_schema.events_statements_current s
                      ON s.THREAD_ID = t.THREAD_ID AND s.NESTING_EVENT_ID IS NULL`,
      }
    : { column: `COALESCE(b.trx_query, '')`, join: '' };

/**
 * InnoDB row-lock waits with the holding transaction's session. MariaDB and MySQL 5.7 have
 * information_schema.INNODB_LOCK_WAITS; MySQL 8.0 replaced it with
 * performance_schema.data_lock_waits. Needs the PROCESS privilege to see other users' sessions.
 */
export async function readLockWaits(run: Run, perfSchema: boolean): Promise<LockWaitRow[]> {
  const q = holderQuery(perfSchema);
  const select = (waits: string, waiting: string, blocking: string): string =>
    `SELECT CAST(${waiting} AS CHAR) AS waiting_trx, COALESCE(p.DB, '') AS db,
            COALESCE(p.USER, '') AS user, LEFT(${q.column}, 4096) AS query
       FROM ${waits} w
       JOIN information_schema.INNODB_TRX b ON b.trx_id = ${blocking}
       LEFT JOIN information_schema.PROCESSLIST p ON p.ID = b.trx_mysql_thread_id
       ${q.join}`;
  let rows: Row[];
  try {
    rows = await run(
      select('information_schema.INNODB_LOCK_WAITS', 'w.requesting_trx_id', 'w.blocking_trx_id'),
    );
  } catch (err) {
    const errno = serverErrno(err);
    if (!perfSchema || (errno !== ER_UNKNOWN_TABLE && errno !== ER_NO_SUCH_TABLE)) throw err;
    rows = await run(
      select(
        'performance_schema.data_lock_waits',
        'w.REQUESTING_ENGINE_TRANSACTION_ID',
        'w.BLOCKING_ENGINE_TRANSACTION_ID',
      ),
    );
  }
  return rows.map((r) => ({
    waitingTrx: str(r.waiting_trx),
    schema: str(r.db),
    user: str(r.user),
    query: str(r.query),
  }));
}

export async function readDigests(run: Run): Promise<DigestRow[]> {
  const rows = await run(
    `SELECT IFNULL(SCHEMA_NAME, '') AS schema_name, DIGEST AS digest, DIGEST_TEXT AS digest_text,
            COUNT_STAR AS calls, SUM_TIMER_WAIT AS time_ps, SUM_LOCK_TIME AS lock_time_ps
       FROM performance_schema.events_statements_summary_by_digest
      WHERE DIGEST IS NOT NULL AND DIGEST_TEXT IS NOT NULL`,
  );
  return rows.map((r) => ({
    schema: str(r.schema_name),
    digest: str(r.digest),
    query: str(r.digest_text),
    calls: num(r.calls),
    timePs: num(r.time_ps),
    lockTimePs: num(r.lock_time_ps),
  }));
}

export async function readTableIo(run: Run): Promise<TableIoRow[]> {
  const rows = await run(
    `SELECT OBJECT_SCHEMA AS schema_name, OBJECT_NAME AS table_name,
            SUM_TIMER_READ AS read_ps, SUM_TIMER_WRITE AS write_ps
       FROM performance_schema.table_io_waits_summary_by_table
      WHERE OBJECT_SCHEMA IS NOT NULL AND OBJECT_NAME IS NOT NULL`,
  );
  return rows.map((r) => ({
    schema: str(r.schema_name),
    table: str(r.table_name),
    readPs: num(r.read_ps),
    writePs: num(r.write_ps),
  }));
}
