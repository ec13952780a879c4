import pg from 'pg';
import { AppError, silentLogger, type Logger } from '@vigil/core';
import type { ConfigDb } from './config-db.ts';
import { applyMigrations } from './migrate.ts';
import { Db, type DbErrorKind, type Row, type SqlClient, type SqlExecutor } from './sql-client.ts';
import { quoteIdent, renderSql, type SqlQuery } from './sql.ts';
import { SqlConfigDb } from './sql-config-db.ts';

/** Options of {@link openPostgresConfigDb}. */
export interface PostgresConfigDbOptions {
  /** Connection URL (VIGIL_PG_URL). */
  url: string;
  /** Schema holding the tables, created if missing; the server's default search path otherwise. */
  schema?: string;
  /** Pool size; config DB traffic is light (auth lookups), so a few connections suffice. */
  maxConnections?: number;
  logger?: Logger;
  now?: () => number;
}

/**
 * Connects to Postgres and brings the schema up to date. Several server replicas may call this
 * at the same moment: migrations run under a transaction-scoped advisory lock, so one replica
 * applies them and the others wait, then find nothing left to do.
 */
export async function openPostgresConfigDb(options: PostgresConfigDbOptions): Promise<ConfigDb> {
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? Date.now;
  const schemaSql = options.schema === undefined ? undefined : quoteIdent(options.schema);
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.maxConnections ?? 5,
    // Every pooled connection resolves unqualified table names in the configured schema. The
    // name was validated by quoteIdent as a plain lower-case identifier, so it needs no quoting.
    ...(options.schema === undefined ? {} : { options: `-c search_path=${options.schema}` }),
  });
  // An idle pooled connection that dies (Postgres restart, failover) is reported as a pool
  // 'error' event; without a listener Node treats it as unhandled and exits the server.
  pool.on('error', (err) => logger.warn({ err }, 'config DB: idle Postgres connection failed'));
  const client = new PostgresClient(pool);
  try {
    await migrate(pool, client, schemaSql, options.schema ?? '', now(), logger);
  } catch (err) {
    await pool.end();
    if (client.classifyError(err) !== 'unavailable') throw err;
    const where = describeUrl(options.url);
    throw new AppError('unavailable', `cannot connect to the Postgres config DB at ${where}`, { cause: err });
  }
  logger.debug({ url: describeUrl(options.url), schema: options.schema }, 'config DB opened (postgres)');
  return new SqlConfigDb(new Db(client, now));
}

async function migrate(
  pool: pg.Pool,
  client: PostgresClient,
  schemaSql: string | undefined,
  schemaName: string,
  nowMs: number,
  logger: Logger,
): Promise<void> {
  const conn = await pool.connect();
  try {
    await conn.query('BEGIN');
    // Held until COMMIT/ROLLBACK, so it cannot leak if this process dies mid-migration. Taken
    // before CREATE SCHEMA/TABLE IF NOT EXISTS, which are not safe against concurrent callers
    // (both can pass the existence check and one then fails on a duplicate catalog entry).
    await conn.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`vigil.configdb.migrate:${schemaName}`]);
    if (schemaSql !== undefined) {
      // Checked first because CREATE SCHEMA IF NOT EXISTS still demands the CREATE privilege on
      // the database, which a role given only a pre-made schema does not have.
      const found = await conn.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schemaName]);
      if (found.rowCount === 0) await conn.query(`CREATE SCHEMA ${schemaSql}`);
    }
    await applyMigrations(connectionExecutor(conn, client), 'postgres', nowMs, logger);
    await conn.query('COMMIT');
  } catch (err) {
    await conn.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    conn.release();
  }
}

/** Runs statements on one checked-out connection (the migration transaction). */
function connectionExecutor(conn: pg.PoolClient, client: PostgresClient): SqlExecutor {
  return {
    query: async (query) => (await conn.query(client.render(query), [...query.values])).rows as Row[],
    execute: async (query) => (await conn.query(client.render(query), [...query.values])).rowCount ?? 0,
    exec: async (script) => {
      await conn.query(script);
    },
  };
}

/** Host, port and database of a URL, without credentials, for messages and logs. */
function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    return '(unparseable URL)';
  }
}

// SQLSTATEs: class 08 = connection exception; 57P01-57P03 = server shutting down or starting;
// 53300 = too many connections. All are worth retrying later, none is the caller's fault.
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);
const UNAVAILABLE_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** A `pg` pool behind the {@link SqlClient} interface. */
class PostgresClient implements SqlClient {
  readonly dialect = 'postgres' as const;
  private ended = false;

  constructor(private readonly pool: pg.Pool) {}

  render(query: SqlQuery): string {
    return renderSql(query, (i) => `$${i}`);
  }

  async query(query: SqlQuery): Promise<Row[]> {
    return (await this.pool.query(this.render(query), [...query.values])).rows as Row[];
  }

  async execute(query: SqlQuery): Promise<number> {
    return (await this.pool.query(this.render(query), [...query.values])).rowCount ?? 0;
  }

  async exec(script: string): Promise<void> {
    await this.pool.query(script);
  }

  classifyError(err: unknown): DbErrorKind {
    if (!(err instanceof Error)) return 'other';
    const code = (err as { code?: unknown }).code;
    if (code === '23505') return 'unique';
    if (code === '23503') return 'foreign_key';
    if (typeof code === 'string') {
      if (code.startsWith('08') || UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_ERRNOS.has(code)) {
        return 'unavailable';
      }
    }
    // pg reports a connection dropped mid-query as a plain Error without a code.
    if (err.message.includes('Connection terminated')) return 'unavailable';
    return 'other';
  }

  async close(): Promise<void> {
    // pg throws when a pool is ended twice; close() is idempotent for callers.
    if (this.ended) return;
    this.ended = true;
    await this.pool.end();
  }
}
