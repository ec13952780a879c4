import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS, runMigrations, type Migration } from './migrations.ts';
import { sql } from './sql.ts';
import { openTestDatabase, type TestDatabase } from './testing/test-database.ts';

async function tables(t: TestDatabase): Promise<string[]> {
  const rows = await t.db.query<{ name: string }>(
    sql`SELECT name FROM system.tables WHERE database = ${t.db.database} ORDER BY name`,
  );
  return rows.map((r) => r.name);
}

async function createQuery(t: TestDatabase, table: string): Promise<string> {
  const [row] = await t.db.query<{ q: string }>(
    sql`SELECT create_table_query AS q FROM system.tables WHERE database = ${t.db.database} AND name = ${table}`,
  );
  return row?.q ?? '';
}

describe('runMigrations', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase({ migrate: false });
  });
  afterAll(() => t.cleanup());

  it('creates the tables, the lookup view and the ledger on a fresh database', async () => {
    const applied = await runMigrations(t.db);
    expect(applied).toEqual(MIGRATIONS.map((m) => m.id));
    expect(await tables(t)).toEqual([
      'metrics_metadata',
      'metrics_rollup_5m',
      'metrics_rollup_state',
      'metrics_samples',
      'metrics_series',
      'otel_logs',
      'otel_traces',
      'otel_traces_trace_id_ts',
      'otel_traces_trace_id_ts_mv',
      'profiling_samples',
      'profiling_stacks',
      'schema_migrations',
    ]);
  });

  it('does nothing when run again, also when two runs race', async () => {
    const before = await t.db.query<{ n: string }>(
      sql`SELECT count() AS n FROM ${t.db.table('schema_migrations')}`,
    );
    const results = await Promise.all([runMigrations(t.db), runMigrations(t.db), runMigrations(t.db)]);
    expect(results).toEqual([[], [], []]);
    const after = await t.db.query<{ n: string }>(
      sql`SELECT count() AS n FROM ${t.db.table('schema_migrations')}`,
    );
    expect(after).toEqual(before);
  });

  it('applies only a migration it has not seen, once', async () => {
    const extra: Migration = {
      id: '9999_probe',
      statements: (ctx) => [
        sql`CREATE TABLE IF NOT EXISTS ${sql.identifier(ctx.database, 'probe')} (a UInt8) ENGINE = Memory`,
      ],
    };
    expect(await runMigrations(t.db, {}, { migrations: [...MIGRATIONS, extra] })).toEqual(['9999_probe']);
    expect(await runMigrations(t.db, {}, { migrations: [...MIGRATIONS, extra] })).toEqual([]);
    expect(await tables(t)).toContain('probe');
  });

  it('sets the configured TTL with day partitions and drop-whole-parts', async () => {
    const traces = await createQuery(t, 'otel_traces');
    expect(traces).toMatch(/PARTITION BY toDate\(Timestamp\)/);
    expect(traces).toMatch(/TTL toDateTime\(Timestamp\) \+ toIntervalDay\(_CAST\(7, 'UInt32'\)\)/);
    expect(traces).toMatch(/ttl_only_drop_parts = 1/);
  });

  it('gives each granule of the metric samples its own compressed block', async () => {
    expect(await createQuery(t, 'metrics_samples')).toMatch(/min_compress_block_size = 4096/);
  });

  it('merges span and log parts ten at a time (merge_selector_base)', async () => {
    expect(await createQuery(t, 'otel_logs')).toMatch(/merge_selector_base = 10/);
    expect(await createQuery(t, 'otel_traces')).toMatch(/merge_selector_base = 10/);
  });

  it('changes retention with ALTER when the configuration changes, without a new migration', async () => {
    expect(await runMigrations(t.db, { tracesTtlDays: 3, logsTtlDays: 30 })).toEqual([]);
    expect(await createQuery(t, 'otel_traces')).toMatch(/toIntervalDay\(_CAST\(3, 'UInt32'\)\)/);
    expect(await createQuery(t, 'otel_traces_trace_id_ts')).toMatch(/toIntervalDay\(_CAST\(3, 'UInt32'\)\)/);
    expect(await createQuery(t, 'otel_logs')).toMatch(/toIntervalDay\(_CAST\(30, 'UInt32'\)\)/);
  });

  it('refuses a retention that is not a positive whole number of days', async () => {
    await expect(runMigrations(t.db, { logsTtlDays: 0 })).rejects.toThrow(/logsTtlDays/);
    await expect(runMigrations(t.db, { tracesTtlDays: 1.5 })).rejects.toThrow(/tracesTtlDays/);
  });
});
