/**
 * Versioned schema migrations, run at start-up. Each migration has a stable id and a list of
 * statements; applied ids are recorded in `schema_migrations`, so a second run does nothing.
 * Statements are themselves idempotent (`IF NOT EXISTS`), so a run interrupted half-way simply
 * re-applies the unfinished migration next time.
 *
 * Concurrency: runs against the same database within one process are serialized. Two processes
 * starting at once would both apply a pending migration; the `IF NOT EXISTS` statements make that
 * harmless, and `schema_migrations` is a ReplacingMergeTree, so the duplicate record collapses.
 */
import type { Logger } from '@vigil/core';
import { silentLogger } from '@vigil/core';
import type { Database } from './connection.ts';
import { sql, type Sql } from './sql.ts';
import { logsTableDdl } from './schema/logs.ts';
import { traceIdTsTableDdl, traceIdTsViewDdl, tracesTableDdl } from './schema/traces.ts';
import { telemetryMergeSettings } from './schema/merge-width.ts';
import { METRICS_TTL_COLUMNS, metricsDdl, samplesBlockSettings } from './metrics/schema.ts';
import { rollupsDdl, ROLLUP_TABLE } from './metrics/rollups/schema.ts';
import { PROFILES_TTL_COLUMNS, profilesDdl } from './schema/profiles.ts';

/** Retention settings; they shape the TTL clauses of the tables. */
export interface StorageConfig {
  /** Days to keep spans (and the trace-id lookup). Default 7. */
  tracesTtlDays?: number;
  /** Days to keep log records. Default 7. */
  logsTtlDays?: number;
  /** Days to keep metric samples (and series not seen since). Default 7. */
  metricsTtlDays?: number;
  /** Days to keep profile samples (and stacks not seen since). Default 7. */
  profilesTtlDays?: number;
}

export interface MigrationContext {
  database: string;
  tracesTtlDays: number;
  logsTtlDays: number;
  metricsTtlDays: number;
  profilesTtlDays: number;
}

/** One schema step. `id` never changes once released; new schema means a new migration. */
export interface Migration {
  id: string;
  statements(ctx: MigrationContext): Sql[];
}

/** Vigil's migrations, in order. */
export const MIGRATIONS: readonly Migration[] = [
  {
    id: '0001_otel_traces',
    statements: (ctx) => [
      tracesTableDdl(ctx.database, ctx.tracesTtlDays),
      traceIdTsTableDdl(ctx.database, ctx.tracesTtlDays),
      traceIdTsViewDdl(ctx.database),
    ],
  },
  {
    id: '0002_otel_logs',
    statements: (ctx) => [logsTableDdl(ctx.database, ctx.logsTtlDays)],
  },
  {
    id: '0003_metrics',
    statements: (ctx) => metricsDdl(ctx.database, ctx.metricsTtlDays),
  },
  {
    id: '0004_metrics_sample_blocks',
    statements: (ctx) => [samplesBlockSettings(ctx.database)],
  },
  {
    id: '0005_telemetry_merge_width',
    statements: (ctx) => telemetryMergeSettings(ctx.database),
  },
  {
    id: '0006_metrics_rollups',
    statements: (ctx) => rollupsDdl(ctx.database, ctx.metricsTtlDays),
  },
  {
    id: '0007_profiles',
    statements: (ctx) => profilesDdl(ctx.database, ctx.profilesTtlDays),
  },
];

const DEFAULT_TTL_DAYS = 7;

function ttlDays(value: number | undefined, name: string): number {
  const days = value ?? DEFAULT_TTL_DAYS;
  if (!Number.isInteger(days) || days < 1 || days > 36500) {
    throw new RangeError(`${name} must be a whole number of days between 1 and 36500, got ${days}`);
  }
  return days;
}

// Serializes runs per database inside this process (see the module comment).
const running = new Map<string, Promise<unknown>>();

/**
 * Applies pending migrations and returns the ids it applied (empty when up to date).
 * `migrations` is overridable for tests; production passes nothing.
 */
export async function runMigrations(
  db: Database,
  config: StorageConfig = {},
  options: { logger?: Logger; migrations?: readonly Migration[] } = {},
): Promise<string[]> {
  const key = `${db.mode}:${db.database}`;
  const previous = running.get(key) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => applyPending(db, config, options));
  running.set(key, next);
  try {
    return await next;
  } finally {
    if (running.get(key) === next) running.delete(key);
  }
}

async function applyPending(
  db: Database,
  config: StorageConfig,
  options: { logger?: Logger; migrations?: readonly Migration[] },
): Promise<string[]> {
  const logger = options.logger ?? silentLogger;
  const migrations = options.migrations ?? MIGRATIONS;
  const ctx: MigrationContext = {
    database: db.database,
    tracesTtlDays: ttlDays(config.tracesTtlDays, 'tracesTtlDays'),
    logsTtlDays: ttlDays(config.logsTtlDays, 'logsTtlDays'),
    metricsTtlDays: ttlDays(config.metricsTtlDays, 'metricsTtlDays'),
    profilesTtlDays: ttlDays(config.profilesTtlDays, 'profilesTtlDays'),
  };
  const table = db.table('schema_migrations');
  await db.command(sql`CREATE TABLE IF NOT EXISTS ${table} (
    id String,
    appliedAt DateTime64(3) DEFAULT now64(3)
  ) ENGINE = ReplacingMergeTree ORDER BY id`);
  const rows = await db.query<{ id: string }>(sql`SELECT DISTINCT id FROM ${table}`);
  const applied = new Set(rows.map((r) => r.id));
  const done: string[] = [];
  for (const migration of migrations) {
    if (applied.has(migration.id)) continue;
    for (const statement of migration.statements(ctx)) await db.command(statement);
    await db.command(sql`INSERT INTO ${table} (id) VALUES (${migration.id})`);
    logger.info({ migration: migration.id, database: db.database }, 'applied schema migration');
    done.push(migration.id);
  }
  await applyRetention(db, ctx);
  return done;
}

/**
 * Keeps TTLs in step with the configuration after the tables exist: a changed retention is an
 * ALTER … MODIFY TTL, not a new migration (it is configuration, not schema).
 */
async function applyRetention(db: Database, ctx: MigrationContext): Promise<void> {
  const wanted: Array<[string, number, Sql]> = [
    ['otel_traces', ctx.tracesTtlDays, sql`toDateTime(Timestamp)`],
    ['otel_traces_trace_id_ts', ctx.tracesTtlDays, sql`toDateTime(Start)`],
    ['otel_logs', ctx.logsTtlDays, sql`toDateTime(Timestamp)`],
    ...METRICS_TTL_COLUMNS.map(([name, column]): [string, number, Sql] => [name, ctx.metricsTtlDays, column]),
    [ROLLUP_TABLE, ctx.metricsTtlDays, sql`BucketEnd`],
    ...PROFILES_TTL_COLUMNS.map(([name, column]): [string, number, Sql] => [
      name,
      ctx.profilesTtlDays,
      column,
    ]),
  ];
  const rows = await db.query<{ name: string; create_table_query: string }>(
    sql`SELECT name, create_table_query FROM system.tables WHERE database = ${db.database}`,
  );
  for (const [name, days, column] of wanted) {
    const row = rows.find((r) => r.name === name);
    if (!row) continue;
    // The DDL binds the day count, which ClickHouse stores as toIntervalDay(_CAST(7, 'UInt32')).
    const current = /toIntervalDay\((?:_CAST\()?(\d+)/.exec(row.create_table_query)?.[1];
    if (current === String(days)) continue;
    await db.command(
      sql`ALTER TABLE ${db.table(name)} MODIFY TTL ${column} + toIntervalDay(${sql.param(days, 'UInt32')})`,
    );
  }
}
