/**
 * Native inserts on the real engine: the encoder's bytes against chDB's own, and every row read
 * back identical to the same records inserted as TSV (the format proven over the remote path).
 */
import { createHash } from 'node:crypto';
import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticLogs, syntheticSpans, uniqueDatabaseName } from '@vigil/testkit';
import { openDatabase, type Database } from './connection.ts';
import { encodeLogsTsv, LOG_COLUMNS } from './encode/logs.ts';
import { encodeLogsNative, LOG_NATIVE_COLUMNS } from './encode/native/logs.ts';
import { NativeWriter } from './encode/native/writer.ts';
import { encodeSpansTsv, SPAN_COLUMNS } from './encode/spans.ts';
import { insertOutcome } from './filters.ts';
import { LogStore } from './log-store.ts';
import { runMigrations } from './migrations.ts';
import { sql } from './sql.ts';
import { TraceStore } from './trace-store.ts';
import { edgeLogs, edgeSpans } from './testing/edge-records.ts';
import { openTestDatabase, type TestDatabase } from './testing/test-database.ts';

const NOW = Math.floor(Date.now() / 60_000) * 60_000;
const START_NS = BigInt(NOW - 3_600_000) * 1_000_000n;

let t: TestDatabase;
let tsv: Database; // same engine, own database: the TSV reference
let insertDir: string;

beforeAll(async () => {
  t = await openTestDatabase();
  tsv = await openDatabase({ dataDir: t.dataDir, database: uniqueDatabaseName('vigil_tsv') });
  await runMigrations(tsv);
  insertDir = path.join(t.dataDir, 'clickhouse', 'tmp-inserts');
});
afterAll(async () => {
  await tsv?.close();
  await t?.cleanup();
});

/**
 * Every stored row as JSON, sorted, so two tables compare regardless of part order. Rows with
 * the 1 MB value are shortened to length + hash, so a failure prints a readable diff.
 */
async function rows(db: Database, table: string): Promise<string[]> {
  const result = await db.query<Record<string, unknown>>(
    // Duration as text: JSON numbers would hide a difference beyond 2^53.
    sql`SELECT *, ${table === 'otel_traces' ? sql`toString(Duration)` : sql`''`} AS exact FROM ${db.table(table)}`,
  );
  const short = (json: string): string =>
    json.length < 10_000
      ? json
      : `${json.length} chars, sha1 ${createHash('sha1').update(json).digest('hex')}`;
  return result.map((r) => short(JSON.stringify(r))).sort();
}

describe('Native inserts (embedded chDB)', () => {
  it('writes the bytes chDB itself writes for the same block', async () => {
    const result = await t.db.client.exec({
      query: `SELECT 'x' AS a, map('k', 'v', 'k2', 'ü') AS m, fromUnixTimestamp64Nano(toInt64(1704067200000000001)) AS ts,
        toUInt64(5) AS n, toUInt8(7) AS u, ['p', ''] AS arr FORMAT Native`,
    });
    const chunks: Buffer[] = [];
    for await (const chunk of result.stream) chunks.push(chunk as Buffer);
    const w = new NativeWriter(16);
    w.block(6, 1);
    w.column('a', 'String');
    w.string('x');
    w.column('m', 'Map(String, String)');
    w.uint64(2);
    for (const s of ['k', 'k2', 'v', 'ü']) w.string(s);
    w.column('ts', 'DateTime64(9)');
    w.int64(1_704_067_200_000_000_001n);
    w.column('n', 'UInt64');
    w.uint64(5);
    w.column('u', 'UInt8');
    w.uint8(7);
    w.column('arr', 'Array(String)');
    w.uint64(2);
    w.string('p');
    w.string('');
    expect(w.finish().toString('hex')).toBe(Buffer.concat(chunks).toString('hex'));
  });

  it('stores the same span rows as TSV, synthetic and edge cases', async () => {
    const spans = [...syntheticSpans(3000, 7, START_NS), ...edgeSpans(NOW - 60_000)];
    expect(spans.some((s) => s.events.length > 0)).toBe(true);
    expect(await new TraceStore(t.db).insert(spans)).toEqual({ kind: 'ok' });
    await tsv.insertRaw('otel_traces', SPAN_COLUMNS, 'TSV', encodeSpansTsv(spans));
    const native = await rows(t.db, 'otel_traces');
    expect(native).toHaveLength(spans.length);
    expect(native).toEqual(await rows(tsv, 'otel_traces'));
    const [edge] = await t.db.query<{ ts: string; name: string; huge: number; events: string[] }>(
      sql`SELECT toString(Timestamp) AS ts, SpanName AS name, length(SpanAttributes['huge']) AS huge,
            arrayMap(e -> toString(e), Events.Timestamp) AS events
          FROM ${t.db.table('otel_traces')} WHERE SpanId = '0000000000000002'`,
    );
    expect(edge?.ts).toMatch(/\.000999999$/);
    expect(edge?.name).toBe(edgeSpans(NOW)[1]!.name);
    expect(edge?.huge).toBe(1_000_000);
    expect(edge?.events.map((e) => e.slice(-9))).toEqual(['123456789', '000000005']);
  });

  it('stores the same log rows as TSV, synthetic and edge cases', async () => {
    const logs = [...syntheticLogs(3000, 8, START_NS), ...edgeLogs(NOW - 60_000)];
    expect(await new LogStore(t.db).insert(logs)).toEqual({ kind: 'ok' });
    await tsv.insertRaw('otel_logs', LOG_COLUMNS, 'TSV', encodeLogsTsv(logs));
    const native = await rows(t.db, 'otel_logs');
    expect(native).toHaveLength(logs.length);
    expect(native).toEqual(await rows(tsv, 'otel_logs'));
  });

  it('accepts a record without a time, whose TSV text makes the whole batch fail', async () => {
    // A database of its own: the row lands in the 1970 partition, which TTL drops in the
    // background, and would change the other tests' counts at a random moment.
    const own = await openDatabase({ dataDir: t.dataDir, database: uniqueDatabaseName('vigil_timeless') });
    try {
      await runMigrations(own);
      const [timeless] = edgeLogs(NOW).map((r) => ({ ...r, timeUnixNano: 0n, body: 'no time' }));
      expect(await new LogStore(own).insert([timeless!])).toEqual({ kind: 'ok' });
      const viaTsv = await insertOutcome('insert', () =>
        own.insertRaw('otel_logs', LOG_COLUMNS, 'TSV', encodeLogsTsv([timeless!])),
      );
      expect(viaTsv).toMatchObject({ kind: 'failed' }); // CANNOT_PARSE_DATETIME on `0.000000000`
    } finally {
      await own.close();
    }
  });

  it('inserts every block of a body holding several', async () => {
    const before = await count(t.db, 'otel_logs');
    const body = Buffer.concat(
      [100, 1, 250].map((n, i) => encodeLogsNative(syntheticLogs(n, 20 + i, START_NS))),
    );
    await t.db.insertNative('otel_logs', LOG_NATIVE_COLUMNS, body);
    expect((await count(t.db, 'otel_logs')) - before).toBe(351);
    expect(readdirSync(insertDir)).toEqual([]);
  });

  it('reports a body ClickHouse cannot read as failed, not retryable, and deletes its file', async () => {
    const body = encodeLogsNative(syntheticLogs(50, 9, START_NS));
    const broken = [
      body.subarray(0, body.length - 7), // CANNOT_READ_ALL_DATA
      Buffer.from('not a Native block at all'), // same, from a nonsense header
      Buffer.concat([body, Buffer.from([5])]), // ATTEMPT_TO_READ_AFTER_EOF in a second block
    ];
    for (const bytes of broken) {
      const outcome = await insertOutcome('insert', () =>
        t.db.insertNative('otel_logs', LOG_NATIVE_COLUMNS, bytes),
      );
      expect(outcome).toMatchObject({ kind: 'failed' });
      expect(readdirSync(insertDir)).toEqual([]);
    }
  });

  it('refuses column names that are not plain identifiers before writing anything', async () => {
    const outcome = await insertOutcome('insert', () =>
      t.db.insertNative('otel_logs', [{ name: 'Body`, x', type: 'String' }], Buffer.from([1, 1])),
    );
    expect(outcome).toMatchObject({ kind: 'failed' });
    expect(readdirSync(insertDir)).toEqual([]);
  });

  it('removes insert files a killed process left behind when the engine opens again', async () => {
    writeFileSync(path.join(insertDir, 'stale.native'), 'left over');
    await tsv.close();
    await t.db.close();
    const reopened = await openDatabase({ dataDir: t.dataDir, database: t.db.database });
    try {
      expect(readdirSync(insertDir)).toEqual([]);
      expect(await new LogStore(reopened).insert(syntheticLogs(10, 30, START_NS))).toEqual({ kind: 'ok' });
    } finally {
      await reopened.close();
    }
  });
});

async function count(db: Database, table: string): Promise<number> {
  const [row] = await db.query<{ n: number | string }>(sql`SELECT count() AS n FROM ${db.table(table)}`);
  return Number(row?.n);
}
