/**
 * The Postgres collector: one kept connection per target, one round of system-view queries per
 * `collect`. A round that cannot connect or run `SELECT 1` gives `pg_up 0` and the error; after
 * that, a failing section (say, no privilege on a view) is reported in `error` while the other
 * sections' series are still returned.
 *
 * Per-table series and the schema snapshot come from every database the role may connect to
 * (database-details.ts, on their own cadence); server settings are compared every round. Schema
 * and settings changes are returned in `changes` from the second round on (the first is the
 * baseline).
 *
 * TLS follows `params.sslmode` and `params.sslrootcert` (tls-options.ts; plain text when absent).
 * Params that cannot be honoured (an unknown sslmode) give `pg_up 0` and the reason every round,
 * without connecting: guessing a weaker mode could send credentials in the clear.
 */
import type { DatabaseChange } from '../../changes/database-change.ts';
import { SchemaTracker } from '../../changes/schema-tracker.ts';
import type { Collection, Collector } from '../collector.ts';
import { targetAddress, type Target } from '../target.ts';
import { AbortedError, messageOf } from '../deadline.ts';
import { PgConnection } from './connection.ts';
import { parsePgTls } from './tls-options.ts';
import { DEFAULT_DETAILS_INTERVAL_MS, DEFAULT_MAX_DATABASES, DatabaseDetails } from './database-details.ts';
import { FamilySet } from './families.ts';
import { readServerInfo, type DatabaseRow, type Run, type ServerInfo, type SettingRow } from './queries.ts';
import { SECTIONS } from './sections.ts';
import { autovacuumSettings, SettingsChanges } from './settings.ts';
import { collectStatements } from './statement-series.ts';
import type { StatementsSnapshot } from './statements.ts';
import { addTableSeries } from './tables.ts';

export interface PostgresCollectorOptions {
  /**
   * Connect timeout and `statement_timeout`; keep it below the scrape deadline so that the server
   * stops work the agent no longer waits for. The `collect` signal remains the hard stop.
   */
  readonly timeoutMs?: number;
  /** How often table statistics, sizes and the schema snapshot are read (default 60 s; 0: every round). */
  readonly detailsIntervalMs?: number;
  /** At most this many databases are read for table statistics and schema (default 20). */
  readonly maxDatabases?: number;
}

const DEFAULT_TIMEOUT_MS = 5000;

/** What the sections of one round share. */
export interface Round {
  readonly run: Run;
  readonly info: ServerInfo;
  readonly families: FamilySet;
  readonly changes: DatabaseChange[];
  settings?: SettingRow[];
  databases?: DatabaseRow[];
}

export function createPostgresCollector(target: Target, options: PostgresCollectorOptions = {}): Collector {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const tls = parsePgTls(target.params);
  const connectTo = (database: string): PgConnection =>
    new PgConnection({
      host: target.host,
      port: target.port,
      user: target.credentials?.username ?? 'postgres',
      password: target.credentials?.password,
      database,
      timeoutMs,
      ...(tls.ok ? { tls: tls.tls } : {}),
    });
  const mainDatabase = target.params?.database ?? 'postgres';
  const connection = connectTo(mainDatabase);
  const details = new DatabaseDetails({
    mainDatabase,
    main: connection,
    connect: connectTo,
    intervalMs: options.detailsIntervalMs ?? DEFAULT_DETAILS_INTERVAL_MS,
    maxDatabases: options.maxDatabases ?? DEFAULT_MAX_DATABASES,
  });
  const schemaTracker = new SchemaTracker();
  const settingsChanges = new SettingsChanges();
  const address = targetAddress(target);
  let statements: StatementsSnapshot | undefined;

  async function collect(signal: AbortSignal): Promise<Collection> {
    const families = new FamilySet(address);
    if (!tls.ok) {
      families.add('pg_up', 0);
      return { families: families.toFamilies(), error: tls.error };
    }
    const run: Run = (sql, params) => connection.query(sql, signal, params);
    let info: ServerInfo;
    try {
      const startMs = performance.now();
      await run('SELECT 1');
      const probeSeconds = (performance.now() - startMs) / 1000;
      info = await readServerInfo(run);
      families.add('pg_up', 1);
      families.add('pg_probe_seconds', probeSeconds);
      families.add('pg_info', 1, { server_version: info.version });
    } catch (err) {
      connection.reset();
      families.add('pg_up', 0);
      return { families: families.toFamilies(), error: messageOf(err) };
    }

    const nowMs = Date.now();
    const round: Round = { run, info, families, changes: [] };
    const errors: string[] = [];
    for (const [name, section] of SECTIONS) {
      try {
        await section(round);
      } catch (err) {
        errors.push(`${name}: ${messageOf(err)}`);
        if (err instanceof AbortedError) break;
      }
    }
    if (round.settings !== undefined) round.changes.push(...settingsChanges.update(round.settings, nowMs));
    if (round.databases !== undefined) {
      const names = round.databases.filter((d) => d.size_bytes !== null || d.connectable).map((d) => d.db);
      round.changes.push(...schemaTracker.databases(names, nowMs));
    }
    if (!signal.aborted) {
      try {
        statements = await collectStatements(run, info.versionNum, families, statements);
      } catch (err) {
        errors.push(`pg_stat_statements: ${messageOf(err)}`);
      }
    }
    // Without the database list (its section failed) the cached tables are still reported.
    if (!signal.aborted && round.databases !== undefined) {
      const refresh = await details.refresh(round.databases, autovacuumSettings(round.settings), signal);
      errors.push(...refresh.errors);
      for (const [db, schema] of refresh.schemas)
        round.changes.push(...schemaTracker.snapshot(db, schema, nowMs));
    }
    addTableSeries(families, details.selected, Date.now());
    return {
      families: families.toFamilies(),
      ...(errors.length > 0 ? { error: errors.join('; ') } : {}),
      ...(round.changes.length > 0 ? { changes: round.changes } : {}),
    };
  }

  return {
    target,
    collect: async (signal) => {
      try {
        return await collect(signal);
      } catch (err) {
        // Nothing above should throw; this keeps the "never throws" promise if something does.
        return { families: new FamilySet(address).toFamilies(), error: messageOf(err) };
      }
    },
    close: async () => {
      details.close();
      await connection.close();
    },
  };
}
