import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceGate } from '@vigil/testkit';
import type { Collection, Collector } from '../collector.ts';
import type { Target } from '../target.ts';
import { createMysqlCollector } from './collector.ts';
import { mariadbInstalled, startPrivateMariadb, type PrivateMariadb } from './testing/private-mariadb.ts';
import { openSession, samplesOf, until, valueOf } from './testing.ts';

const available = serviceGate(
  'mariadbd',
  mariadbInstalled(),
  'mariadbd or mariadb-install-db is not installed (apt-get install mariadb-server)',
);
const deadline = (): AbortSignal => AbortSignal.timeout(10_000);

let server: PrivateMariadb;
let target: Target;
let admin: mysql.Connection;
let collector: Collector;

beforeAll(async () => {
  if (!available) return;
  server = await startPrivateMariadb([
    '--performance-schema=ON',
    // Off by default on MariaDB; with it the holder's last statement names an idle lock holder.
    '--performance-schema-consumer-events-statements-current=ON',
  ]);
  target = { type: 'mysql', host: '127.0.0.1', port: server.port, credentials: { username: 'root' } };
  admin = await openSession(target);
  await admin.query('CREATE DATABASE app');
  await admin.query('CREATE TABLE app.items (id INT PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB');
  await admin.query('INSERT INTO app.items VALUES (1, 0), (2, 0)');
  target = { ...target, params: { database: 'app' } };
  collector = createMysqlCollector(target);
});

afterAll(async () => {
  if (!available) return;
  await collector.close();
  await admin.end();
  await server.stop();
});

/** Timed so that the interval the collector used is known to lie between two bounds. */
async function timedCollect(): Promise<{ c: Collection; startMs: number; endMs: number }> {
  const startMs = performance.now();
  const c = await collector.collect(deadline());
  return { c, startMs, endMs: performance.now() };
}

describe.skipIf(!available)('the MySQL collector with performance_schema ON (private mariadbd)', () => {
  it('reports the calls of a digest run 20 times between two collections', async () => {
    const first = await timedCollect();
    expect(first.c.error).toBeUndefined();
    expect(valueOf(first.c, 'mysql_performance_schema_available')).toBe(1);
    // The first call only takes the snapshots.
    expect(samplesOf(first.c, 'mysql_top_query_calls_per_second')).toEqual([]);

    const session = await openSession(target);
    try {
      for (let i = 0; i < 20; i++)
        await session.query(`SELECT v AS vigil_digest_probe FROM items WHERE id = ${i}`);
    } finally {
      await session.end();
    }
    const second = await timedCollect();
    expect(second.c.error).toBeUndefined();
    // MariaDB's digest text: identifiers back-quoted, `id` turned into the keyword ID, literals `?`.
    const labels = { schema: 'app', query: 'SELECT `v` AS `vigil_digest_probe` FROM `items` WHERE ID = ?' };
    const perSecond = valueOf(second.c, 'mysql_top_query_calls_per_second', labels);
    // Each snapshot was read somewhere inside its collect call.
    const shortestSeconds = (second.startMs - first.endMs) / 1000;
    const longestSeconds = (second.endMs - first.startMs) / 1000;
    expect(perSecond * shortestSeconds).toBeLessThanOrEqual(20.001);
    expect(perSecond * longestSeconds).toBeGreaterThanOrEqual(19.999);
    expect(valueOf(second.c, 'mysql_top_query_time_per_second', labels)).toBeGreaterThan(0);
    expect(valueOf(second.c, 'mysql_top_query_lock_time_per_second', labels)).toBeGreaterThanOrEqual(0);
    expect(samplesOf(second.c, 'mysql_top_query_calls_per_second').length).toBeLessThanOrEqual(20);
  });

  it('reports table I/O wait time per table and operation', async () => {
    await collector.collect(deadline());
    for (let i = 0; i < 20; i++)
      await admin.query(`UPDATE app.items SET v = v + 1 WHERE id = ${1 + (i % 2)}`);
    const c = await collector.collect(deadline());
    const io = samplesOf(c, 'mysql_top_table_io_wait_time_per_second', { schema: 'app', table: 'items' });
    expect(io.map((s) => s.labels.operation).sort()).toEqual(['read', 'write']);
    expect(io.reduce((sum, s) => sum + s.value, 0)).toBeGreaterThan(0);
  });

  it('names an idle lock holder by its last statement from events_statements_current', async () => {
    const holder = await openSession(target);
    const waiter = await openSession(target);
    try {
      await holder.query('BEGIN');
      await holder.query('SELECT * FROM items WHERE id = 2 FOR UPDATE');
      const waiting = waiter.query('UPDATE items SET v = v + 1 WHERE id = 2');
      waiting.catch(() => undefined);
      await until(async () => {
        const [rows] = await admin.query(
          "SELECT 1 FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT' AND trx_mysql_thread_id = ?",
          [waiter.threadId],
        );
        return Array.isArray(rows) && rows.length === 1;
      }, 'the UPDATE to wait on the row lock');
      const c = await collector.collect(deadline());
      expect(c.error).toBeUndefined();
      expect(
        valueOf(c, 'mysql_lock_awaiting_queries', {
          schema: 'app',
          user: 'root',
          blocking_query: 'SELECT * FROM items WHERE id = ? FOR UPDATE',
        }),
      ).toBe(1);
      await holder.query('ROLLBACK');
      await waiting;
    } finally {
      holder.destroy();
      waiter.destroy();
    }
  });

  it('reconnects on the next call after its connection was killed', async () => {
    expect(valueOf(await collector.collect(deadline()), 'mysql_up')).toBe(1);
    // On this private server the only other sessions are the test's own.
    const [rows] = await admin.query(
      "SELECT ID AS id FROM information_schema.PROCESSLIST WHERE COMMAND = 'Sleep' AND ID <> CONNECTION_ID()",
    );
    const ids = (rows as Array<{ id: number }>).map((r) => r.id);
    expect(ids).toHaveLength(1);
    await admin.query(`KILL ${ids[0]}`);
    // The call that meets the dead connection may fail; the one after it must connect again.
    const first = await collector.collect(deadline());
    // A query sent on the dead connection must fail with it, not hang until the deadline.
    expect(first.error ?? '').not.toMatch(/aborted at the deadline/);
    // (It may also half-fail: one section meets the dead connection, the rest reconnect.)
    const clean = valueOf(first, 'mysql_up') === 1 && first.error === undefined;
    const up = clean ? first : await collector.collect(deadline());
    expect(valueOf(up, 'mysql_up')).toBe(1);
    expect(up.error).toBeUndefined();
  });
});
