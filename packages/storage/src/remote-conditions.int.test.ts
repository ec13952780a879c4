/**
 * The remote path under conditions a real deployment meets: a server of an older release in a
 * non-UTC time zone, concurrent load, a server that dies, and one that stops accepting our password. The real
 * engine runs behind the HTTP interface emulator (packages/testkit/src/clickhouse-http).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  startClickHouseEmulator,
  syntheticLogs,
  syntheticSpans,
  uniqueDatabaseName,
  type ClickHouseEmulator,
} from '@vigil/testkit';
import { openDatabase, type Database } from './connection.ts';
import { encodeSpansJson, SPAN_COLUMNS } from './encode/spans.ts';
import { LogStore } from './log-store.ts';
import { runMigrations } from './migrations.ts';
import { listServices } from './services.ts';
import { sql } from './sql.ts';
import { TraceStore } from './trace-store.ts';
import { openTestDatabase, type TestDatabase } from './testing/test-database.ts';

const USER = 'vigil';
const HOUR_MS = 3_600_000;
const NOW = Math.floor(Date.now() / 60_000) * 60_000;
const START_NS = BigInt(NOW - HOUR_MS) * 1_000_000n;

describe('against an older server in another time zone (compatibility 24.8, Asia/Kathmandu)', () => {
  // Before 25.8 JSON output quoted 64-bit integers by default, and a server's time zone is often
  // local (+05:45 shifts neither whole hours nor ten-minute steps); the stores must not depend on either.
  let old: ClickHouseEmulator;
  let db: Database;
  let local: TestDatabase;
  beforeAll(async () => {
    old = await startClickHouseEmulator({ compatibility: '24.8', timezone: 'Asia/Kathmandu' });
    db = await openDatabase({ url: old.url, dataDir: '/x', database: 'vigil' });
    await runMigrations(db);
    local = await openTestDatabase();
  });
  afterAll(async () => {
    await db?.close();
    await local?.cleanup();
    await old?.stop();
  });

  it('really has those defaults', async () => {
    const [row] = await db.query<{ n: unknown; tz: string }>(sql`SELECT toUInt64(1) AS n, timezone() AS tz`);
    expect(row).toEqual({ n: '1', tz: 'Asia/Kathmandu' });
  });

  it('answers searches, traces, histograms and services like embedded chDB', async () => {
    const spans = syntheticSpans(3000, 7, START_NS);
    const logs = syntheticLogs(3000, 7, START_NS);
    const [traces, logStore] = [new TraceStore(db), new LogStore(db)];
    expect(await traces.insert(spans)).toEqual({ kind: 'ok' });
    expect(await logStore.insert(logs)).toEqual({ kind: 'ok' });
    const [localTraces, localLogs] = [new TraceStore(local.db), new LogStore(local.db)];
    expect(await localTraces.insert(spans)).toEqual({ kind: 'ok' });
    expect(await localLogs.insert(logs)).toEqual({ kind: 'ok' });
    const window = { fromMs: NOW - 2 * HOUR_MS, toMs: NOW + HOUR_MS, attributes: {} };
    expect(await traces.search({ ...window, limit: 20 })).toEqual(
      await localTraces.search({ ...window, limit: 20 }),
    );
    const id = spans[0]!.traceId;
    expect(await traces.getTrace(id)).toEqual(await localTraces.getTrace(id));
    expect(await logStore.search({ ...window, limit: 20 })).toEqual(
      await localLogs.search({ ...window, limit: 20 }),
    );
    expect(await logStore.histogram({ ...window, limit: 0 }, 600_000)).toEqual(
      await localLogs.histogram({ ...window, limit: 0 }, 600_000),
    );
    expect(await listServices(db, window.fromMs, window.toMs)).toEqual(
      await listServices(local.db, window.fromMs, window.toMs),
    );
  });
});

describe('under concurrent load', () => {
  it('serves parallel inserts (TSV and JSONEachRow) and queries without losing a row', async () => {
    const ch = await startClickHouseEmulator();
    const db = await openDatabase({ url: ch.url, dataDir: '/x', database: uniqueDatabaseName('busy') });
    try {
      await runMigrations(db);
      const store = new TraceStore(db);
      const batches = [0, 1, 2, 3].map((seed) => syntheticSpans(500, seed + 10, START_NS));
      const results = await Promise.all([
        ...batches.map((b) => store.insert(b)),
        db.insertRaw(
          'otel_traces',
          SPAN_COLUMNS,
          'JSONEachRow',
          encodeSpansJson(syntheticSpans(500, 20, START_NS)),
        ),
        ...Array.from({ length: 10 }, (_, i) => db.query<{ v: number }>(sql`SELECT ${i} AS v`)),
      ]);
      expect(results.slice(0, 4)).toEqual(Array(4).fill({ kind: 'ok' }));
      expect(results.slice(5).map((r) => (r as Array<{ v: number }>)[0]?.v)).toEqual([
        0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
      ]);
      const [row] = await db.query<{ n: number }>(sql`SELECT count() AS n FROM ${db.table('otel_traces')}`);
      expect(row?.n).toBe(2500);
    } finally {
      await db.close();
      await ch.stop();
    }
  });
});

describe('when the server goes away', () => {
  it('fails queries as unavailable, inserts as retryable, and ping answers false', async () => {
    const doomed = await startClickHouseEmulator();
    const db = await openDatabase({ url: doomed.url, dataDir: '/x', database: 'vigil' });
    try {
      await runMigrations(db);
      expect(await db.ping()).toBe(true);
      await doomed.kill();
      await expect(db.query(sql`SELECT 1`)).rejects.toMatchObject({ code: 'unavailable' });
      const outcome = await new TraceStore(db).insert(syntheticSpans(10, 1, START_NS));
      expect(outcome.kind).toBe('retryable');
      expect(await db.ping()).toBe(false);
    } finally {
      await db.close();
      await doomed.stop();
    }
  });

  it('answers ping false once the server refuses our credentials', async () => {
    const before = await startClickHouseEmulator({ user: USER, password: 'first' });
    const db = await openDatabase({ url: before.urlWithCredentials(), dataDir: '/x', database: 'vigil' });
    let after: ClickHouseEmulator | undefined;
    try {
      expect(await db.ping()).toBe(true);
      // Same address and data, rotated password: /ping alone would still answer "Ok.".
      await before.kill();
      after = await startClickHouseEmulator({
        dataDir: before.dataDir,
        port: before.port,
        user: USER,
        password: 'second',
      });
      expect(await db.ping()).toBe(false);
      await expect(db.query(sql`SELECT 1`)).rejects.toMatchObject({ code: 'unavailable' });
    } finally {
      await db.close();
      await after?.stop();
      await before.stop();
    }
  });
});
