import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceGate } from '@vigil/testkit';
import type { Collector } from '../collector.ts';
import { targetAddress } from '../target.ts';
import { createMysqlCollector } from './collector.ts';
import {
  MYSQL_URL,
  mysqlAvailable,
  openSession,
  samplesOf,
  sharedTarget,
  until,
  valueOf,
} from './testing.ts';

const available = serviceGate('MariaDB', await mysqlAvailable(), `nothing answers at ${MYSQL_URL.host}`);
const target = sharedTarget();
const table = `vigil_ca_locks_${process.pid}`;
const deadline = (): AbortSignal => AbortSignal.timeout(10_000);

let admin: mysql.Connection;
let collector: Collector;

beforeAll(async () => {
  if (!available) return;
  admin = await openSession(target);
  await admin.query(`DROP TABLE IF EXISTS ${table}`);
  await admin.query(`CREATE TABLE ${table} (id INT PRIMARY KEY, v INT NOT NULL) ENGINE=InnoDB`);
  await admin.query(`INSERT INTO ${table} VALUES (1, 0), (2, 0)`);
  collector = createMysqlCollector(target);
});

afterAll(async () => {
  if (!available) return;
  await collector.close();
  await admin.query(`DROP TABLE IF EXISTS ${table}`);
  await admin.end();
});

/**
 * Starts an UPDATE of row 1 in `waiter` and waits until InnoDB reports it waiting for the lock.
 * The pending UPDATE is wrapped: an async function returning the bare promise would wait for it.
 */
async function blockedUpdate(waiter: mysql.Connection): Promise<{ waiting: Promise<unknown> }> {
  await waiter.query('SET SESSION innodb_lock_wait_timeout = 30');
  const waiting = waiter.query(`UPDATE ${table} SET v = v + 1 WHERE id = 1`);
  waiting.catch(() => undefined);
  await until(async () => {
    const [rows] = await admin.query(
      // By thread id: the cache can still hold the previous test's waiter on the same table.
      `SELECT 1 FROM information_schema.INNODB_TRX WHERE trx_state = 'LOCK WAIT' AND trx_mysql_thread_id = ?`,
      [waiter.threadId],
    );
    return Array.isArray(rows) && rows.length === 1;
  }, 'the UPDATE to wait on the row lock');
  return { waiting };
}

describe.skipIf(!available)('the MySQL collector against the shared MariaDB', () => {
  it('reports the server up, its version and status counters, all labelled with the address', async () => {
    const c = await collector.collect(deadline());
    expect(c.error).toBeUndefined();
    expect(valueOf(c, 'mysql_up')).toBe(1);
    const [info] = samplesOf(c, 'mysql_info');
    expect(info?.labels.server_version).toMatch(/^\d+\.\d+\.\d+/);
    expect(info?.labels.server_id).toMatch(/^\d+$/);
    expect(info?.labels).toHaveProperty('server_uuid');
    expect(valueOf(c, 'mysql_connections_max')).toBeGreaterThan(0);
    // This collector and the test's own session at least.
    expect(valueOf(c, 'mysql_connections_current')).toBeGreaterThanOrEqual(2);
    expect(valueOf(c, 'mysql_connections_total')).toBeGreaterThanOrEqual(2);
    expect(valueOf(c, 'mysql_connections_aborted_total')).toBeGreaterThanOrEqual(0);
    expect(valueOf(c, 'mysql_traffic_received_bytes_total')).toBeGreaterThan(0);
    expect(valueOf(c, 'mysql_traffic_sent_bytes_total')).toBeGreaterThan(0);
    expect(valueOf(c, 'mysql_slow_queries_total')).toBeGreaterThanOrEqual(0);
    expect(samplesOf(c, 'mysql_replication_io_status')).toEqual([]);
    const perfSchema = valueOf(c, 'mysql_performance_schema_available');
    if (perfSchema === 0) {
      expect(c.families.filter((f) => f.name.startsWith('mysql_top_'))).toEqual([]);
    }
    for (const family of c.families) {
      for (const s of family.samples) expect(s.labels.address).toBe(targetAddress(target));
    }
  });

  it('counts every statement clients send in mysql_queries_total', async () => {
    const before = valueOf(await collector.collect(deadline()), 'mysql_queries_total');
    const n = 50;
    for (let i = 0; i < n; i++) await admin.query('SELECT ?', [i]);
    const after = valueOf(await collector.collect(deadline()), 'mysql_queries_total');
    expect(after - before).toBeGreaterThanOrEqual(n);
  });

  it('counts a transaction waiting on a row lock against the statement its holder is running', async () => {
    const holder = await openSession(target);
    const waiter = await openSession(target);
    const marker = `vigil_holder_${process.pid}`;
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT * FROM ${table} WHERE id = 1 FOR UPDATE`);
      // Ended by KILL QUERY below, which MariaDB reports as "Query execution was interrupted".
      const holding = holder.query(`SELECT SLEEP(30) AS ${marker}`).catch(() => undefined);
      const { waiting } = await blockedUpdate(waiter);

      const c = await collector.collect(deadline());
      expect(c.error).toBeUndefined();
      const awaiting = samplesOf(c, 'mysql_lock_awaiting_queries', {
        schema: 'test',
        blocking_query: `SELECT SLEEP(?) AS ${marker}`,
      });
      expect(awaiting).toHaveLength(1);
      expect(awaiting[0]?.labels.user).toBe(target.credentials?.username);
      expect(awaiting[0]?.value).toBe(1);

      await admin.query(`KILL QUERY ${holder.threadId}`);
      await holding;
      await holder.query('ROLLBACK');
      await waiting;
    } finally {
      // A failed assertion must not leave the SLEEP holding the row for the tests after it.
      await admin.query(`KILL ${holder.threadId}`).catch(() => undefined);
      holder.destroy();
      waiter.destroy();
    }
  });

  it('counts a waiter behind a holder idle in its transaction, with an empty query without performance_schema', async () => {
    const holder = await openSession(target);
    const waiter = await openSession(target);
    try {
      await holder.query('BEGIN');
      await holder.query(`SELECT * FROM ${table} WHERE id = 1 FOR UPDATE`);
      const { waiting } = await blockedUpdate(waiter);

      const c = await collector.collect(deadline());
      expect(c.error).toBeUndefined();
      const awaiting = samplesOf(c, 'mysql_lock_awaiting_queries', { schema: 'test' });
      expect(awaiting.reduce((sum, s) => sum + s.value, 0)).toBeGreaterThanOrEqual(1);
      if (valueOf(c, 'mysql_performance_schema_available') === 0) {
        expect(awaiting.map((s) => s.labels.blocking_query)).toContain('');
      }

      await holder.query('ROLLBACK');
      await waiting;
    } finally {
      holder.destroy();
      waiter.destroy();
    }
  });
});
