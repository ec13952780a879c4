import type mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceGate } from '@vigil/testkit';
import type { Collection, Collector } from '../collector.ts';
import type { Target } from '../target.ts';
import { createMysqlCollector } from './collector.ts';
import { mariadbInstalled, startPrivateMariadb, type PrivateMariadb } from './testing/private-mariadb.ts';
import { MYSQL_URL, mysqlAvailable, openSession, sharedTarget } from './testing.ts';

const available = serviceGate('MariaDB', await mysqlAvailable(), `nothing answers at ${MYSQL_URL.host}`);
const installed = serviceGate('mariadbd', mariadbInstalled(), 'install mariadb-server');
const db = `vigil_ca_changes_${process.pid}`;
const deadline = (): AbortSignal => AbortSignal.timeout(10_000);

describe.skipIf(!available)('MySQL schema change tracking against the shared MariaDB', () => {
  let admin: mysql.Connection;
  let collector: Collector;
  /** Changes in the test's database: other tests create tables and databases on the server. */
  const ours = (c: Collection): string[] =>
    (c.changes ?? []).filter((ch) => ch.database === db).map((ch) => ch.summary);

  beforeAll(async () => {
    admin = await openSession(sharedTarget());
    await admin.query(`DROP DATABASE IF EXISTS ${db}`);
    await admin.query(`CREATE DATABASE ${db}`);
    await admin.query(`CREATE TABLE ${db}.orders (id INT PRIMARY KEY, amount DECIMAL(10,2) NOT NULL)`);
    await admin.query(`CREATE TABLE ${db}.scratch (id INT)`);
    collector = createMysqlCollector(sharedTarget(), { schemaIntervalMs: 0 });
  });
  afterAll(async () => {
    await collector.close();
    await admin.query(`DROP DATABASE IF EXISTS ${db}`);
    await admin.end();
  });

  it('reports nothing on the first round, then a column added, an index created and a table dropped', async () => {
    const first = await collector.collect(deadline());
    expect(first.error).toBeUndefined();
    expect(first.changes).toBeUndefined();

    await admin.query(`ALTER TABLE ${db}.orders ADD COLUMN note VARCHAR(20) NOT NULL DEFAULT 'none'`);
    await admin.query(`CREATE INDEX orders_amount ON ${db}.orders (amount)`);
    await admin.query(`DROP TABLE ${db}.scratch`);
    const c = await collector.collect(deadline());
    expect(c.error).toBeUndefined();
    expect(ours(c).sort()).toEqual(
      [
        `column ${db}.orders.note added (varchar(20) NOT NULL DEFAULT 'none')`,
        `index ${db}.orders.orders_amount added (INDEX orders_amount (amount) USING BTREE)`,
        `table ${db}.scratch dropped`,
      ].sort(),
    );
    const column = c.changes?.find((ch) => ch.object === `column ${db}.orders.note`);
    expect(column).toMatchObject({ kind: 'schema', action: 'added', database: db, objectName: 'orders' });
    expect(column?.schema).toBeUndefined();
    expect(ours(await collector.collect(deadline()))).toEqual([]);
  });

  it('reports a database dropped', async () => {
    await admin.query(`DROP DATABASE ${db}`);
    expect(ours(await collector.collect(deadline()))).toEqual([`database ${db} dropped`]);
  });
});

describe.skipIf(!installed)('MySQL settings change tracking on a private MariaDB', () => {
  let server: PrivateMariadb;
  let target: Target;
  let admin: mysql.Connection;
  let collector: Collector;

  beforeAll(async () => {
    server = await startPrivateMariadb();
    target = {
      type: 'mysql',
      host: '127.0.0.1',
      port: server.port,
      credentials: { username: 'root', password: '' },
    };
    admin = await openSession(target);
    collector = createMysqlCollector(target);
  }, 60_000);
  afterAll(async () => {
    await collector?.close();
    await admin?.end();
    await server?.stop();
  });

  it('reports SET GLOBAL max_connections with both values, and the way back', async () => {
    expect((await collector.collect(deadline())).changes).toBeUndefined();
    const [rows] = await admin.query('SELECT @@GLOBAL.max_connections AS n');
    const before = String((rows as Array<{ n: number }>)[0]?.n);
    const after = String(Number(before) + 7);
    await admin.query(`SET GLOBAL max_connections = ${after}`);
    const c = await collector.collect(deadline());
    expect(c.changes).toEqual([
      expect.objectContaining({
        kind: 'setting',
        action: 'changed',
        object: 'setting max_connections',
        before,
        after,
        summary: `max_connections: ${before} → ${after}`,
      }),
    ]);
    await admin.query(`SET GLOBAL max_connections = ${before}`);
    const back = await collector.collect(deadline());
    expect(back.changes?.map((ch) => ch.summary)).toEqual([`max_connections: ${after} → ${before}`]);
  });
});
