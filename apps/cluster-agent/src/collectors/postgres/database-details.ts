/**
 * Per-database reads: table statistics and sizes, and the schema snapshot. pg_class and the
 * statistics views only show the connected database, so each database needs its own session.
 *
 * Cadence: every `intervalMs` (default 60 s, the cadence of Coroot's database tracker); between
 * refreshes the collector re-emits the last values (the "seconds since" series recomputed). For
 * 1,000 tables a refresh costs ~60–80 ms of server time (pg_total_relation_size opens every
 * table and index) and ~30 ms more for the schema, too much to repeat every 15 s for numbers
 * that move slowly.
 *
 * Sessions: the target's own database is read on the collector's kept connection; every other
 * database gets a session for the refresh only, closed right after. A session idling in every
 * database between refreshes would make `DROP DATABASE` (without FORCE), `ALTER DATABASE …
 * RENAME` and `CREATE DATABASE … TEMPLATE` fail with "database is being accessed by other
 * users"; one connect per database per minute is the cheaper price. At most `maxDatabases`
 * databases are read (the target's own first, then the largest), CONCURRENCY at a time, all
 * under the round's signal.
 */
import type { DatabaseSchema } from '../../changes/schema-snapshot.ts';
import { messageOf } from '../deadline.ts';
import type { PgConnection } from './connection.ts';
import { sqlState, type DatabaseRow, type Run } from './queries.ts';
import { readSchema, readTableStats } from './table-queries.ts';
import { selectTables, type AutovacuumSettings, type DbTableStat } from './tables.ts';

export const DEFAULT_DETAILS_INTERVAL_MS = 60_000;
export const DEFAULT_MAX_DATABASES = 20;
/** SQLSTATE invalid_catalog_name: the database was dropped after it was listed. */
const NO_SUCH_DATABASE = '3D000';
/** Databases read at once: a refresh must not open a burst of sessions on a busy server. */
const CONCURRENCY = 4;

export interface DatabaseDetailsOptions {
  /** The database of the collector's kept connection. */
  readonly mainDatabase: string;
  readonly main: PgConnection;
  /** A new, unconnected session to another database of the server. */
  readonly connect: (database: string) => PgConnection;
  readonly intervalMs: number;
  readonly maxDatabases: number;
}

export interface DetailsRefresh {
  /** Schemas read in this round, by database (empty between refreshes). */
  readonly schemas: ReadonlyMap<string, DatabaseSchema>;
  /** Why a database could not be read (its previous table stats are kept). */
  readonly errors: readonly string[];
}

/** The databases to read: connectable ones, the main one first, then by size. */
export function pickDatabases(databases: readonly DatabaseRow[], main: string, max: number): string[] {
  return databases
    .filter((d) => d.connectable)
    .sort((a, b) => (a.db === main ? -1 : b.db === main ? 1 : (b.size_bytes ?? 0) - (a.size_bytes ?? 0)))
    .slice(0, max)
    .map((d) => d.db);
}

export class DatabaseDetails {
  #lastRefreshMs: number | undefined;
  readonly #rowsByDb = new Map<string, DbTableStat[]>();
  #selected: DbTableStat[] = [];

  constructor(private readonly options: DatabaseDetailsOptions) {}

  /** The tables to report, as of the last refresh. */
  get selected(): readonly DbTableStat[] {
    return this.#selected;
  }

  /** Reads the databases when the interval has passed since the last refresh. */
  async refresh(
    databases: readonly DatabaseRow[],
    settings: AutovacuumSettings,
    signal: AbortSignal,
  ): Promise<DetailsRefresh> {
    const nowMs = performance.now();
    if (this.#lastRefreshMs !== undefined && nowMs - this.#lastRefreshMs < this.options.intervalMs)
      return { schemas: new Map(), errors: [] };
    this.#lastRefreshMs = nowMs;

    const names = pickDatabases(databases, this.options.mainDatabase, this.options.maxDatabases);
    // Dropped databases and those now past the limit: their tables are no longer reported.
    for (const db of this.#rowsByDb.keys()) if (!names.includes(db)) this.#rowsByDb.delete(db);

    const schemas = new Map<string, DatabaseSchema>();
    const errors: string[] = [];
    const queue = [...names];
    const worker = async (): Promise<void> => {
      for (let db = queue.shift(); db !== undefined; db = queue.shift()) {
        if (signal.aborted) return;
        const result = await this.#readDatabase(db, signal);
        if (result.dropped) this.#rowsByDb.delete(db);
        if (result.rows !== undefined) this.#rowsByDb.set(db, result.rows);
        if (result.schema !== undefined) schemas.set(db, result.schema);
        errors.push(...result.errors);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, names.length) }, worker));
    this.#selected = selectTables([...this.#rowsByDb.values()].flat(), settings);
    return { schemas, errors };
  }

  async #readDatabase(
    db: string,
    signal: AbortSignal,
  ): Promise<{ rows?: DbTableStat[]; schema?: DatabaseSchema; errors: string[]; dropped?: boolean }> {
    const own = db === this.options.mainDatabase;
    const connection = own ? this.options.main : this.options.connect(db);
    try {
      return await this.#readWith(connection, db, signal);
    } finally {
      if (!own) await connection.close();
    }
  }

  async #readWith(
    connection: PgConnection,
    db: string,
    signal: AbortSignal,
  ): Promise<{ rows?: DbTableStat[]; schema?: DatabaseSchema; errors: string[]; dropped?: boolean }> {
    const run: Run = (sql, params) => connection.query(sql, signal, params);
    const errors: string[] = [];
    let rows: DbTableStat[] | undefined;
    let schema: DatabaseSchema | undefined;
    try {
      rows = (await readTableStats(run)).map((r) => ({ ...r, db }));
    } catch (err) {
      // Dropped between the listing and now: gone, not failing.
      if (sqlState(err) === NO_SUCH_DATABASE) return { errors, dropped: true };
      errors.push(`table stats of ${db}: ${messageOf(err)}`);
    }
    try {
      if (!signal.aborted) schema = await readSchema(run);
    } catch (err) {
      errors.push(`schema of ${db}: ${messageOf(err)}`);
    }
    return { ...(rows === undefined ? {} : { rows }), ...(schema === undefined ? {} : { schema }), errors };
  }

  /** Nothing is kept open between refreshes; the main connection is the collector's to close. */
  close(): void {
    this.#rowsByDb.clear();
    this.#selected = [];
  }
}
