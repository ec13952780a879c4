import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { POSTGRES_URL, postgresAvailable, serviceGate } from '@vigil/testkit';
import type { DatabaseChange } from '../../changes/database-change.ts';
import type { Collection, Collector } from '../collector.ts';
import type { Target } from '../target.ts';
import { createPostgresCollector } from './collector.ts';
import { postgresInstalled, startPrivatePostgres, type PrivatePostgres } from './testing/private-postgres.ts';
import { samplesOf } from './testing.ts';

const available = serviceGate('Postgres', await postgresAvailable(), `nothing answers at ${POSTGRES_URL}`);
const installed = serviceGate(
  'initdb/postgres',
  postgresInstalled(),
  'install the postgresql server package',
);
const dbName = `vigil_pg_changes_${process.pid}`;
const url = new URL(POSTGRES_URL);
const dbUrl = (db: string): string => Object.assign(new URL(POSTGRES_URL), { pathname: `/${db}` }).toString();
const deadline = (): AbortSignal => AbortSignal.timeout(20_000);
const targetAt = (port: number, database: string, username = 'postgres'): Target => ({
  type: 'postgres',
  host: '127.0.0.1',
  port,
  credentials: { username },
  params: { database },
});
/** The changes in the test's database: other tests create and drop databases on the shared server. */
const summaries = (c: Collection): string[] =>
  (c.changes ?? []).filter((ch) => ch.database === dbName).map((ch) => ch.summary);

/** Collects until a round's changes include one `check` accepts; returns that change. */
async function changeSeen(
  collector: Collector,
  check: (ch: DatabaseChange) => boolean,
  what: string,
): Promise<DatabaseChange> {
  const endMs = Date.now() + 10_000;
  for (;;) {
    const c = await collector.collect(deadline());
    const found = c.changes?.find(check);
    if (found !== undefined) return found;
    if (Date.now() > endMs)
      throw new Error(`timed out waiting for ${what}; last error: ${c.error ?? 'none'}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(!available)('Postgres schema change tracking against the shared server', () => {
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  let db: pg.Client;
  let collector: Collector;

  beforeAll(async () => {
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${dbName}`);
    db = new pg.Client({ connectionString: dbUrl(dbName) });
    await db.connect();
    await db.query('CREATE TABLE orders (id int PRIMARY KEY, amount numeric(10,2) NOT NULL)');
    await db.query('CREATE TABLE scratch (id int)');
    collector = createPostgresCollector(targetAt(Number(url.port || 5432), dbName), { detailsIntervalMs: 0 });
  });
  afterAll(async () => {
    await collector.close();
    await db.end();
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
    await admin.end();
  });

  it('reports nothing on the first round, the baseline', async () => {
    const c = await collector.collect(deadline());
    expect(c.error).toBeUndefined();
    expect(c.changes).toBeUndefined();
  });

  it('reports a column added, an index created and a table dropped, with the database and schema', async () => {
    await db.query(`ALTER TABLE orders ADD COLUMN note text DEFAULT 'none'`);
    await db.query('CREATE INDEX orders_amount ON orders (amount)');
    await db.query('DROP TABLE scratch');
    const c = await collector.collect(deadline());
    expect(summaries(c).sort()).toEqual(
      [
        `column public.orders.note added (text DEFAULT 'none'::text)`,
        'index public.orders_amount added (CREATE INDEX orders_amount ON public.orders USING btree (amount))',
        'table public.scratch dropped',
      ].sort(),
    );
    const column = c.changes?.find((ch) => ch.object === 'column public.orders.note');
    expect(column).toMatchObject({
      kind: 'schema',
      action: 'added',
      database: dbName,
      schema: 'public',
      objectName: 'orders',
    });
    // Nothing changed since: nothing reported.
    expect(summaries(await collector.collect(deadline()))).toEqual([]);
  });

  it('reports a column type change with both types', async () => {
    await db.query('ALTER TABLE orders ALTER COLUMN amount TYPE numeric(12,2)');
    const c = await collector.collect(deadline());
    expect(summaries(c)).toEqual([
      'column public.orders.amount changed: numeric(10,2) NOT NULL → numeric(12,2) NOT NULL',
    ]);
  });
});

describe.skipIf(!installed)('Postgres settings change tracking on a private server', () => {
  let server: PrivatePostgres;
  let admin: pg.Client;
  let collector: Collector;

  beforeAll(async () => {
    server = await startPrivatePostgres();
    admin = new pg.Client({ connectionString: server.url() });
    await admin.connect();
    collector = createPostgresCollector(targetAt(server.port, 'postgres'));
  }, 60_000);
  afterAll(async () => {
    await collector?.close();
    await admin?.end();
    await server?.stop();
  });

  it('reports ALTER SYSTEM SET work_mem once the configuration is reloaded, and only then', async () => {
    expect((await collector.collect(deadline())).changes).toBeUndefined();
    await admin.query(`ALTER SYSTEM SET work_mem = '64MB'`);
    // Written to postgresql.auto.conf, not yet in effect: no change.
    expect((await collector.collect(deadline())).changes).toBeUndefined();
    await admin.query('SELECT pg_reload_conf()');
    const change = await changeSeen(collector, (ch) => ch.objectName === 'work_mem', 'work_mem to change');
    expect(change).toMatchObject({
      kind: 'setting',
      action: 'changed',
      object: 'setting work_mem',
      before: '4096 kB',
      after: '65536 kB',
      summary: 'work_mem: 4096 kB → 65536 kB',
    });
    expect(change.database).toBeUndefined();
  });

  it('leaves pg_wal_size_bytes out, without an error, for a role that may not list pg_wal', async () => {
    await admin.query(`CREATE ROLE vigil_plain LOGIN`);
    const plain = createPostgresCollector(targetAt(server.port, 'postgres', 'vigil_plain'));
    try {
      const c = await plain.collect(deadline());
      expect(c.error).toBeUndefined();
      expect(samplesOf(c, 'pg_wal_size_bytes')).toEqual([]);
      expect(samplesOf(c, 'pg_time_since_last_checkpoint_seconds')).toHaveLength(1);
    } finally {
      await plain.close();
    }
  });
});
