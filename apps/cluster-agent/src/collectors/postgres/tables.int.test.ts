import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_URL, postgresAvailable, serviceGate } from '@vigil/testkit';
import type { Collection, Collector } from '../collector.ts';
import type { Target } from '../target.ts';
import { createPostgresCollector } from './collector.ts';
import { APPLICATION_NAME } from './connection.ts';
import { samplesOf, valueOf } from './testing.ts';

const available = serviceGate('Postgres', await postgresAvailable(), `nothing answers at ${POSTGRES_URL}`);
const dbName = `vigil_pg_tables_${process.pid}`;
const url = new URL(POSTGRES_URL);
const dbUrl = (db: string): string => Object.assign(new URL(POSTGRES_URL), { pathname: `/${db}` }).toString();
// The collector's own database is `postgres`: the test table lives in another database, read
// on a session of its own.
const target: Target = {
  type: 'postgres',
  host: url.hostname,
  port: Number(url.port || 5432),
  credentials: { username: decodeURIComponent(url.username || 'postgres') },
  params: { database: 'postgres' },
};
const deadline = (): AbortSignal => AbortSignal.timeout(20_000);
const ROWS = 1000;
const churn = { db: dbName, schema: 'public', table: 'churn' };

const admin = new pg.Client({ connectionString: POSTGRES_URL });
let collector: Collector;

/** Runs statements in a session of its own, ended so that its table statistics are flushed. */
async function inFreshSession(...statements: string[]): Promise<void> {
  const c = new pg.Client({ connectionString: dbUrl(dbName) });
  await c.connect();
  try {
    for (const s of statements) await c.query(s);
  } finally {
    await c.end();
  }
}

/** Collects until `check` holds on a collection (statistics reach the views asynchronously). */
async function collectUntil(check: (c: Collection) => boolean, what: string): Promise<Collection> {
  const endMs = Date.now() + 15_000;
  for (;;) {
    const c = await collector.collect(deadline());
    if (check(c)) return c;
    if (Date.now() > endMs)
      throw new Error(`timed out waiting for ${what}; last error: ${c.error ?? 'none'}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const one = (c: Collection, name: string): number | undefined => samplesOf(c, name, churn)[0]?.value;

beforeAll(async () => {
  if (!available) return;
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${dbName}`);
  // Autovacuum off for the table: it must not clean up the dead tuples under the test.
  await inFreshSession(
    `CREATE TABLE churn (id int PRIMARY KEY, v text) WITH (autovacuum_enabled = false)`,
    `INSERT INTO churn SELECT g, 'x' FROM generate_series(1, ${ROWS}) g`,
    `UPDATE churn SET v = 'y'`,
    `DELETE FROM churn WHERE id <= 100`,
  );
  // Every database, whatever else the shared server holds, and every round.
  collector = createPostgresCollector(target, { detailsIntervalMs: 0, maxDatabases: 1000 });
});

afterAll(async () => {
  if (!available) return;
  await collector.close();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
});

describe.skipIf(!available)('the Postgres collector’s per-table series against a real server', () => {
  it('reports dead tuples, mods since analyze and the size of a table overdue for vacuum in another database', async () => {
    const c = await collectUntil((c) => (one(c, 'pg_table_dead_tuples') ?? 0) >= ROWS, 'the dead tuples');
    // UPDATE of 1,000 rows leaves 1,000 dead versions, DELETE of 100 rows 100 more (less what
    // opportunistic page pruning during the DELETE may already have taken away).
    expect(one(c, 'pg_table_dead_tuples')).toBeGreaterThanOrEqual(ROWS);
    expect(one(c, 'pg_table_dead_tuples')).toBeLessThanOrEqual(ROWS + 100);
    expect(one(c, 'pg_table_live_tuples')).toBe(ROWS - 100);
    // 1,000 inserts + 1,000 updates + 100 deletes, never analyzed.
    expect(one(c, 'pg_table_mods_since_analyze')).toBe(2 * ROWS + 100);
    expect(one(c, 'pg_table_dead_tuple_bytes')).toBeGreaterThan(0);
    const size = new pg.Client({ connectionString: dbUrl(dbName) });
    await size.connect();
    try {
      const r = await size.query<{ bytes: string }>(`SELECT pg_total_relation_size('churn') AS bytes`);
      expect(one(c, 'pg_table_size_bytes')).toBe(Number(r.rows[0]?.bytes));
    } finally {
      await size.end();
    }
    const [setting] = samplesOf(c, 'pg_table_setting', churn);
    expect(setting?.labels).toMatchObject({ autovacuum_disabled: '1', autovacuum_vacuum_threshold: '' });
    // Never autovacuumed, never analyzed: no "seconds since" series.
    expect(samplesOf(c, 'pg_table_seconds_since_last_autovacuum', churn)).toEqual([]);
    expect(samplesOf(c, 'pg_table_seconds_since_last_analyze', churn)).toEqual([]);
  });

  it('resets mods since analyze after ANALYZE and reports the time since it', async () => {
    await inFreshSession('ANALYZE churn');
    const c = await collectUntil((c) => one(c, 'pg_table_mods_since_analyze') === 0, 'ANALYZE to be seen');
    expect(one(c, 'pg_table_reltuples')).toBe(ROWS - 100);
    expect(one(c, 'pg_table_seconds_since_last_analyze')).toBeLessThan(60);
    // ANALYZE does not vacuum: the dead tuples are still there, and so is the table.
    expect(one(c, 'pg_table_dead_tuples')).toBeGreaterThanOrEqual(ROWS);
  });

  it('reports the server-wide WAL, checkpoint and wraparound series', async () => {
    await admin.query('CHECKPOINT');
    const c = await collector.collect(deadline());
    expect(valueOf(c, 'pg_time_since_last_checkpoint_seconds')).toBeLessThan(60);
    expect(valueOf(c, 'pg_wal_since_last_checkpoint_bytes')).toBeGreaterThanOrEqual(0);
    // The test role is a superuser, so pg_ls_waldir is allowed: at least one 16 MB segment.
    expect(valueOf(c, 'pg_wal_size_bytes')).toBeGreaterThanOrEqual(16 * 1024 * 1024);
    expect(valueOf(c, 'pg_multixact_age', { db: dbName })).toBeGreaterThanOrEqual(0);
  });

  it('leaves no session in the other databases between rounds, so DROP DATABASE without FORCE works', async () => {
    await collector.collect(deadline());
    const sessions = await admin.query(
      'SELECT 1 FROM pg_stat_activity WHERE application_name = $1 AND datname = $2',
      [APPLICATION_NAME, dbName],
    );
    expect(sessions.rowCount).toBe(0);
    await admin.query(`DROP DATABASE ${dbName}`);
    const c = await collector.collect(deadline());
    expect(c.error).toBeUndefined();
    expect(samplesOf(c, 'pg_table_size_bytes', { db: dbName })).toEqual([]);
    expect(c.changes?.map((ch) => ch.summary)).toContain(`database ${dbName} dropped`);
  });
});
