import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_URL, postgresAvailable, serviceGate } from '@vigil/testkit';
import type { Collector } from '../collector.ts';
import { targetAddress, type Target } from '../target.ts';
import { createPostgresCollector } from './collector.ts';
import { APPLICATION_NAME } from './connection.ts';
import { samplesOf, valueOf } from './testing.ts';

const available = serviceGate('Postgres', await postgresAvailable(), `nothing answers at ${POSTGRES_URL}`);
const dbName = `vigil_pg_collector_${process.pid}`;
const url = new URL(POSTGRES_URL);
const dbUrl = (db: string): string => Object.assign(new URL(POSTGRES_URL), { pathname: `/${db}` }).toString();
const target: Target = {
  type: 'postgres',
  host: url.hostname,
  port: Number(url.port || 5432),
  credentials: { username: decodeURIComponent(url.username || 'postgres') },
  params: { database: dbName },
};
const deadline = (): AbortSignal => AbortSignal.timeout(10_000);

const admin = new pg.Client({ connectionString: POSTGRES_URL });
let db: pg.Client;
let collector: Collector;

/** Polls `check` until it holds; the condition, not a fixed sleep, decides when to go on. */
async function until(check: () => Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const endMs = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > endMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  if (!available) return;
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.query(`CREATE DATABASE ${dbName}`);
  db = new pg.Client({ connectionString: dbUrl(dbName) });
  await db.connect();
  await db.query('CREATE TABLE t (id int)');
  collector = createPostgresCollector(target);
});

afterAll(async () => {
  if (!available) return;
  await collector.close();
  await db.end();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin.end();
});

describe.skipIf(!available)('the Postgres collector against a real server', () => {
  it('reports the server up, its version, settings, sizes and WAL position, all labelled with the address', async () => {
    const c = await collector.collect(deadline());
    expect(c.error).toBeUndefined();
    expect(valueOf(c, 'pg_up')).toBe(1);
    expect(valueOf(c, 'pg_probe_seconds')).toBeGreaterThan(0);
    const [info] = samplesOf(c, 'pg_info');
    expect(info?.labels.server_version).toMatch(/^\d+(\.\d+)?/);
    expect(valueOf(c, 'pg_setting', { name: 'max_connections', unit: '' })).toBeGreaterThan(0);
    expect(valueOf(c, 'pg_setting', { name: 'shared_buffers', unit: '8kB' })).toBeGreaterThan(0);
    expect(valueOf(c, 'pg_database_size_bytes', { db: dbName })).toBeGreaterThan(1_000_000);
    expect(valueOf(c, 'pg_xid_age', { db: dbName })).toBeGreaterThanOrEqual(0);
    expect(valueOf(c, 'pg_wal_current_lsn')).toBeGreaterThan(0);
    expect(
      samplesOf(c, 'pg_checkpoints_total')
        .map((s) => s.labels.kind)
        .sort(),
    ).toEqual(['requested', 'timed']);
    for (const family of c.families) {
      for (const s of family.samples) expect(s.labels.address).toBe(targetAddress(target));
    }
  });

  it('keeps one session between calls, named vigil-cluster-agent, and leaves it out of pg_connections', async () => {
    await collector.collect(deadline());
    const c = await collector.collect(deadline());
    const sessions = await admin.query<{ pid: number }>(
      'SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND datname = $2',
      [APPLICATION_NAME, dbName],
    );
    expect(sessions.rows).toHaveLength(1);
    expect(
      samplesOf(c, 'pg_connections').filter((s) => s.labels.query?.includes('pg_stat_activity')),
    ).toEqual([]);
  });

  it('counts a session waiting on a lock against the query holding it', async () => {
    const holder = new pg.Client({ connectionString: dbUrl(dbName) });
    const waiter = new pg.Client({ connectionString: dbUrl(dbName) });
    await holder.connect();
    await waiter.connect();
    try {
      await holder.query('BEGIN');
      await holder.query('LOCK TABLE t IN ACCESS EXCLUSIVE MODE');
      const waiting = waiter.query('SELECT * FROM t WHERE id = 42');
      await until(async () => {
        const r = await admin.query(
          "SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'",
          [dbName],
        );
        return r.rowCount === 1;
      }, 'the SELECT to wait on the lock');

      const c = await collector.collect(deadline());
      expect(c.error).toBeUndefined();
      const awaiting = samplesOf(c, 'pg_lock_awaiting_queries', { db: dbName });
      expect(awaiting).toHaveLength(1);
      expect(awaiting[0]?.labels.blocking_query).toContain('LOCK TABLE t IN ACCESS EXCLUSIVE MODE');
      expect(awaiting[0]?.value).toBeGreaterThanOrEqual(1);
      const waiters = samplesOf(c, 'pg_connections', {
        db: dbName,
        wait_event_type: 'Lock',
        state: 'active',
      });
      expect(waiters.map((s) => s.labels.query)).toEqual(['SELECT * FROM t WHERE id = ?']);
      expect(samplesOf(c, 'pg_connections', { db: dbName, state: 'idle in transaction' })).toHaveLength(1);

      await holder.query('ROLLBACK');
      await waiting;
    } finally {
      await holder.end();
      await waiter.end();
    }
  });
});
