import { mkdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError, silentLogger, type Logger } from '@vigil/core';
import type { ConfigDb } from './config-db.ts';
import { applyMigrations } from './migrate.ts';
import { Db, type DbErrorKind, type Row, type SqlClient } from './sql-client.ts';
import { renderSql, type SqlQuery } from './sql.ts';
import { SqlConfigDb } from './sql-config-db.ts';

/** File name of the SQLite config DB inside the data directory. */
export const SQLITE_FILE_NAME = 'vigil.db';

/** Options of {@link openSqliteConfigDb}. */
export interface SqliteConfigDbOptions {
  dataDir: string;
  logger?: Logger;
  now?: () => number;
}

/**
 * Opens (creating if needed) `<dataDir>/vigil.db` and brings its schema up to date.
 * better-sqlite3 is synchronous; config DB statements are point lookups on a local file
 * (microseconds), so blocking the event loop for them is cheaper than a worker round trip.
 */
export async function openSqliteConfigDb(options: SqliteConfigDbOptions): Promise<ConfigDb> {
  const logger = options.logger ?? silentLogger;
  const now = options.now ?? Date.now;
  const file = path.resolve(options.dataDir, SQLITE_FILE_NAME);
  let db: Database.Database;
  try {
    mkdirSync(options.dataDir, { recursive: true });
    db = new Database(file);
  } catch (err) {
    throw new AppError('unavailable', `cannot open config DB ${file}`, { cause: err });
  }
  const client = new SqliteClient(db);
  try {
    // A second process opening at the same moment waits for the lock instead of failing. Set
    // first: switching to WAL below needs a lock too, and without a timeout it fails at once.
    db.pragma('busy_timeout = 10000');
    // WAL lets readers (e.g. `vigil` CLI commands) proceed while the server writes.
    await switchToWal(db);
    // SQLite ignores REFERENCES unless told otherwise, per connection.
    db.pragma('foreign_keys = ON');
    await migrate(file, client, db, now(), logger);
  } catch (err) {
    db.close();
    throw client.classifyError(err) === 'unavailable'
      ? new AppError('unavailable', `config DB ${file} stayed locked by another process`, { cause: err })
      : err;
  }
  logger.debug({ file }, 'config DB opened (sqlite)');
  return new SqlConfigDb(new Db(client, now));
}

/**
 * `journal_mode = WAL` on a fresh file can answer SQLITE_BUSY at once, without the busy
 * timeout, while another process opening the same file holds its lock (seen when two servers
 * start together on a loaded machine): retried for up to the busy timeout.
 */
async function switchToWal(db: Database.Database): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (err) {
      const busy = (err as { code?: unknown }).code === 'SQLITE_BUSY';
      if (!busy || Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.random() * 30));
    }
  }
}

/**
 * Migrations in progress in this process, by file. BEGIN IMMEDIATE serialises processes, but
 * within one process a second open would block the event loop in SQLite's busy wait while the
 * first open, which holds the lock, can never resume: a deadlock until the busy timeout.
 */
const migrationsInProgress = new Map<string, Promise<void>>();

async function migrate(
  file: string,
  client: SqliteClient,
  db: Database.Database,
  nowMs: number,
  logger: Logger,
): Promise<void> {
  const previous = migrationsInProgress.get(file) ?? Promise.resolve();
  const current = previous.catch(() => undefined).then(() => migrateLocked(client, db, nowMs, logger));
  migrationsInProgress.set(file, current);
  try {
    await current;
  } finally {
    if (migrationsInProgress.get(file) === current) migrationsInProgress.delete(file);
  }
}

async function migrateLocked(
  client: SqliteClient,
  db: Database.Database,
  nowMs: number,
  logger: Logger,
): Promise<void> {
  // IMMEDIATE takes the write lock up front: two processes cannot both read "not applied yet"
  // and then both apply. Nothing else uses this connection before open resolves, so the
  // awaits inside cannot interleave foreign statements into the transaction.
  db.exec('BEGIN IMMEDIATE');
  try {
    await applyMigrations(client, 'sqlite', nowMs, logger);
    db.exec('COMMIT');
  } catch (err) {
    db.exec('ROLLBACK');
    throw err;
  }
}

/**
 * better-sqlite3 behind the async {@link SqlClient} interface. Prepared statements are cached
 * by text; the texts come from source-code templates, so the cache is bounded by the code.
 */
class SqliteClient implements SqlClient {
  readonly dialect = 'sqlite' as const;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  async query(query: SqlQuery): Promise<Row[]> {
    return this.prepare(query).all(...query.values) as Row[];
  }

  async execute(query: SqlQuery): Promise<number> {
    return this.prepare(query).run(...query.values).changes;
  }

  async exec(script: string): Promise<void> {
    this.db.exec(script);
  }

  classifyError(err: unknown): DbErrorKind {
    const code = err instanceof Database.SqliteError ? err.code : undefined;
    if (code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return 'unique';
    if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY') return 'foreign_key';
    if (code !== undefined && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'))) {
      return 'unavailable';
    }
    return 'other';
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  private prepare(query: SqlQuery): Database.Statement {
    const text = renderSql(query, () => '?');
    let statement = this.statements.get(text);
    if (statement === undefined) {
      statement = this.db.prepare(text);
      this.statements.set(text, statement);
    }
    return statement;
  }
}
