/**
 * The remote path (`openDatabase({ url })`) against the real ClickHouse engine behind the HTTP
 * interface emulator (packages/testkit/src/clickhouse-http), in a child process with its own data
 * directory. Results are compared with embedded chDB in this process, so "remote" must mean
 * "the same answers", not merely "no error".
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogSearchQuery, TraceSearchQuery } from '@vigil/spec';
import { AppError } from '@vigil/core';
import {
  startClickHouseEmulator,
  syntheticLogs,
  syntheticSpans,
  uniqueDatabaseName,
  type ClickHouseEmulator,
} from '@vigil/testkit';
import { openDatabase, type Database } from './connection.ts';
import { encodeLogsNative, LOG_NATIVE_COLUMNS } from './encode/native/logs.ts';
import { insertOutcome } from './filters.ts';
import { LogStore } from './log-store.ts';
import { MIGRATIONS, runMigrations } from './migrations.ts';
import { listServices } from './services.ts';
import { sql } from './sql.ts';
import { TraceStore } from './trace-store.ts';
import { openTestDatabase, type TestDatabase } from './testing/test-database.ts';

const USER = 'vigil';
// Characters that must survive URL encoding of the credentials.
const PASSWORD = 'p@ss:w/rd%?#';
const HOUR_MS = 3_600_000;
const NOW = Math.floor(Date.now() / 60_000) * 60_000;
const START_NS = BigInt(NOW - HOUR_MS) * 1_000_000n;

let emulator: ClickHouseEmulator;
let local: TestDatabase;
let remote: Database;

beforeAll(async () => {
  emulator = await startClickHouseEmulator({ user: USER, password: PASSWORD });
  local = await openTestDatabase();
  remote = await openDatabase({
    url: emulator.urlWithCredentials(),
    dataDir: '/nonexistent', // unused in remote mode
    database: uniqueDatabaseName('vigil_remote'),
  });
  await runMigrations(remote);
});
afterAll(async () => {
  await remote?.close();
  await local?.cleanup();
  await emulator?.stop();
});

describe('openDatabase over HTTP', () => {
  it('opens in remote mode, answers ping and runs the migrations once', async () => {
    expect(remote.mode).toBe('remote');
    expect(await remote.ping()).toBe(true);
    const rows = await remote.query<{ id: string }>(
      sql`SELECT id FROM ${remote.table('schema_migrations')} FINAL ORDER BY id`,
    );
    expect(rows.map((r) => r.id)).toEqual(MIGRATIONS.map((m) => m.id));
    expect(await runMigrations(remote)).toEqual([]);
  });

  it('creates the database named in the URL path when it does not exist yet', async () => {
    const database = uniqueDatabaseName('vigil_in_path');
    const db = await openDatabase({
      url: `${emulator.urlWithCredentials()}/${database}`,
      dataDir: '/x',
      database,
    });
    try {
      expect(await runMigrations(db)).toEqual(MIGRATIONS.map((m) => m.id));
      const tables = await db.query<{ name: string }>(
        sql`SELECT name FROM system.tables WHERE database = ${database} AND name LIKE 'otel_%' ORDER BY name`,
      );
      expect(tables.map((t) => t.name)).toEqual([
        'otel_logs',
        'otel_traces',
        'otel_traces_trace_id_ts',
        'otel_traces_trace_id_ts_mv',
      ]);
    } finally {
      await db.close();
    }
  });
});

describe('stores over HTTP answer exactly like embedded chDB', () => {
  const spans = syntheticSpans(3000, 7, START_NS);
  const logs = syntheticLogs(3000, 7, START_NS);
  let remoteTraces: TraceStore;
  let localTraces: TraceStore;
  let remoteLogs: LogStore;
  let localLogs: LogStore;

  beforeAll(async () => {
    remoteTraces = new TraceStore(remote);
    localTraces = new TraceStore(local.db);
    remoteLogs = new LogStore(remote);
    localLogs = new LogStore(local.db);
    // Two batches each, so the remote side also sees more than one insert per table.
    for (const half of [spans.slice(0, 1500), spans.slice(1500)]) {
      expect(await remoteTraces.insert(half)).toEqual({ kind: 'ok' });
      expect(await localTraces.insert(half)).toEqual({ kind: 'ok' });
    }
    for (const half of [logs.slice(0, 1500), logs.slice(1500)]) {
      expect(await remoteLogs.insert(half)).toEqual({ kind: 'ok' });
      expect(await localLogs.insert(half)).toEqual({ kind: 'ok' });
    }
  });

  const window = { fromMs: NOW - 2 * HOUR_MS, toMs: NOW + HOUR_MS, attributes: {} };
  const traceQueries: Record<string, TraceSearchQuery> = {
    'everything, newest first': { ...window, limit: 50 },
    'one service': { ...window, service: 'checkout', limit: 50 },
    'errors only': { ...window, status: 'error', limit: 50 },
    'slow spans': { ...window, minDurationMs: 100, limit: 50 },
    'by attribute': { ...window, attributes: { 'http.method': 'POST' }, limit: 50 },
  };
  for (const [name, query] of Object.entries(traceQueries)) {
    it(`searches traces: ${name}`, async () => {
      const expected = await localTraces.search(query);
      expect(expected.length).toBeGreaterThan(0);
      expect(await remoteTraces.search(query)).toEqual(expected);
    });
  }

  it('reads whole traces back identically', async () => {
    const ids = [...new Set(spans.map((s) => s.traceId))].slice(0, 5);
    for (const id of ids) {
      const expected = await localTraces.getTrace(id);
      expect(expected?.spans.length).toBeGreaterThan(0);
      expect(await remoteTraces.getTrace(id)).toEqual(expected);
    }
    expect(await remoteTraces.getTrace('0'.repeat(32))).toBeNull();
  });

  const logQueries: Record<string, LogSearchQuery> = {
    'everything, newest first': { ...window, limit: 100 },
    'by severity': { ...window, severity: 'error', limit: 100 },
    'by token': { ...window, search: 'authorized', limit: 100 },
    'one service': { ...window, service: 'payment', limit: 100 },
  };
  for (const [name, query] of Object.entries(logQueries)) {
    it(`searches logs: ${name}`, async () => {
      const expected = await localLogs.search(query);
      expect(expected.length).toBeGreaterThan(0);
      expect(await remoteLogs.search(query)).toEqual(expected);
    });
  }

  it('counts logs per bucket and severity identically', async () => {
    const query = { ...window, limit: 0 };
    const expected = await localLogs.histogram(query, 5 * 60_000);
    expect(expected.buckets.length).toBeGreaterThan(0);
    expect(await remoteLogs.histogram(query, 5 * 60_000)).toEqual(expected);
  });

  it('lists services identically', async () => {
    const expected = await listServices(local.db, window.fromMs, window.toMs);
    expect(expected.map((s) => s.name)).toContain('frontend');
    expect(await listServices(remote, window.fromMs, window.toMs)).toEqual(expected);
  });
});

describe('parameter binding over HTTP', () => {
  const hostile = [
    'quote \' double " backtick `',
    'back\\slash \\n not-a-newline \\\\ \\N \\0',
    'newline\nand\ttab\rand carriage',
    'ünïcödé 日本語 🎉 \u2028 \uFEFF',
    '{p0:String} {p1:UInt8} $1 ? %s',
    "'); DROP DATABASE system; --",
    '',
  ];

  it.each(hostile.map((s) => [JSON.stringify(s), s]))('round-trips %s as a String', async (_name, value) => {
    const [row] = await remote.query<{ v: string; n: number }>(
      sql`SELECT ${value} AS v, length(${value}) AS n`,
    );
    expect(row?.v).toBe(value);
    expect(Number(row?.n)).toBe(Buffer.byteLength(value));
  });

  it('round-trips arrays and maps of hostile strings', async () => {
    const map = Object.fromEntries(hostile.map((s, i) => [`${s}#${i}`, s]));
    const [row] = await remote.query<{ a: string[]; m: Record<string, string> }>(
      sql`SELECT ${hostile} AS a, ${sql.param(map, 'Map(String, String)')} AS m`,
    );
    expect(row?.a).toEqual(hostile);
    expect(row?.m).toEqual(map);
  });

  it('finds stored hostile text through filters', async () => {
    const store = new LogStore(remote);
    const [template] = syntheticLogs(1, 99, START_NS);
    const records = hostile.map((s, i) => ({
      ...template!,
      timeUnixNano: BigInt(NOW - 60_000) * 1_000_000n + BigInt(i),
      serviceName: 'hostile',
      body: `${s} marker${i}`,
      attributes: { [s || 'empty']: s },
    }));
    expect(await store.insert(records)).toEqual({ kind: 'ok' });
    const found = await store.search({
      fromMs: NOW - HOUR_MS,
      toMs: NOW + HOUR_MS,
      service: 'hostile',
      attributes: {},
      limit: 50,
    });
    expect(new Set(found.map((l) => l.body))).toEqual(new Set(records.map((r) => r.body)));
    for (const s of hostile) {
      const key = s || 'empty';
      const hits = await store.search({
        fromMs: NOW - HOUR_MS,
        toMs: NOW + HOUR_MS,
        attributes: { [key]: s },
        limit: 5,
      });
      expect(hits.map((h) => h.attributes[key])).toEqual([s]);
    }
  });
});

describe('errors over HTTP', () => {
  it('maps a syntax error to an internal AppError naming the ClickHouse error', async () => {
    const err = await remote.query(sql`SELEC 1`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ code: 'internal', expose: false });
    expect((err as AppError).message).toMatch(/SYNTAX_ERROR 62/);
  });

  it('maps an unparsable bound value to bad_request, the one error shown to clients', async () => {
    await expect(remote.query(sql`SELECT ${sql.param('not a number', 'UInt8')} AS v`)).rejects.toMatchObject({
      code: 'bad_request',
      expose: true,
    });
  });

  it('reports an insert ClickHouse cannot parse as failed, not retryable', async () => {
    const outcome = await insertOutcome('insert', () =>
      remote.insertRaw('otel_logs', ['Timestamp', 'Body'], 'TSV', Buffer.from('not a time\tbody\n')),
    );
    expect(outcome.kind).toBe('failed');
    expect(await new LogStore(remote).insert([])).toEqual({ kind: 'ok' });
  });

  it('sends Native inserts over HTTP, as the stores do, and refuses a malformed block', async () => {
    const table = remote.table('otel_logs');
    const count = async (): Promise<number> =>
      Number((await remote.query<{ n: string }>(sql`SELECT count() AS n FROM ${table}`))[0]?.n);
    const before = await count();
    const logs = syntheticLogs(25, 43, START_NS);
    await remote.insertNative('otel_logs', LOG_NATIVE_COLUMNS, encodeLogsNative(logs));
    expect(await count()).toBe(before + 25);
    const truncated = encodeLogsNative(logs).subarray(0, 500);
    const outcome = await insertOutcome('insert', () =>
      remote.insertNative('otel_logs', LOG_NATIVE_COLUMNS, truncated),
    );
    expect(outcome.kind).toBe('failed');
    expect(await count()).toBe(before + 25);
    const spans = syntheticSpans(20, 41, START_NS);
    expect(await new TraceStore(remote).insert(spans)).toEqual({ kind: 'ok' });
  });

  it('refuses a wrong password as unavailable (a deployment problem, not the caller’s)', async () => {
    const err = await openDatabase({
      url: emulator.urlWithCredentials(USER, 'wrong'),
      dataDir: '/x',
      database: 'vigil',
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'unavailable' });
    expect((err as AppError).message).toMatch(/AUTHENTICATION_FAILED 516/);
  });
});
