import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, uniqueDatabaseName } from '@vigil/testkit';
import { openDatabase } from './connection.ts';
import { insertOutcome } from './filters.ts';
import { sql } from './sql.ts';
import { TraceStore } from './trace-store.ts';
import { syntheticSpans } from '@vigil/testkit';
import { openTestDatabase, type TestDatabase } from './testing/test-database.ts';

describe('openDatabase (embedded chDB)', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await openTestDatabase();
  });
  afterAll(() => t.cleanup());

  it('reports its mode and database and answers ping', async () => {
    expect(t.db.mode).toBe('embedded');
    expect(await t.db.ping()).toBe(true);
    const [row] = await t.db.query<{ n: number }>(
      sql`SELECT count() AS n FROM system.databases WHERE name = ${t.db.database}`,
    );
    expect(row?.n).toBe(1);
  });

  it('shares the engine between databases on the same data directory until the last one closes', async () => {
    const other = await openDatabase({ dataDir: t.dataDir, database: uniqueDatabaseName('second') });
    expect(await other.ping()).toBe(true);
    await other.close();
    expect(await other.ping()).toBe(false);
    expect(await t.db.ping()).toBe(true);
  });

  it('refuses a second data directory in the same process', async () => {
    const elsewhere = makeTempDir('vigil-other-');
    try {
      await expect(openDatabase({ dataDir: elsewhere.dir, database: 'x' })).rejects.toThrow(
        /one data directory per process/,
      );
    } finally {
      elsewhere.cleanup();
    }
  });

  it('refuses a database name that is not a plain identifier before touching the engine', async () => {
    await expect(openDatabase({ dataDir: t.dataDir, database: 'a-b; DROP' })).rejects.toMatchObject({
      code: 'bad_request',
    });
  });

  it('serves concurrent queries and inserts', async () => {
    const store = new TraceStore(t.db);
    const batches = [0, 1, 2, 3].map((seed) =>
      syntheticSpans(500, seed + 10, BigInt(Date.now() - 60_000) * 1_000_000n),
    );
    const results = await Promise.all([
      ...batches.map((b) => store.insert(b)),
      ...Array.from({ length: 10 }, (_, i) => t.db.query<{ v: number }>(sql`SELECT ${i} AS v`)),
    ]);
    expect(results.slice(0, 4)).toEqual(Array(4).fill({ kind: 'ok' }));
    expect(results.slice(4).map((r) => (r as Array<{ v: number }>)[0]?.v)).toEqual([
      0, 1, 2, 3, 4, 5, 6, 7, 8, 9,
    ]);
    const [row] = await t.db.query<{ n: number }>(sql`SELECT count() AS n FROM ${t.db.table('otel_traces')}`);
    expect(row?.n).toBe(2000);
  });

  it('reports a batch ClickHouse cannot parse as failed, not retryable', async () => {
    const outcome = await insertOutcome('insert', () =>
      t.db.insertRaw('otel_logs', ['Timestamp', 'Body'], 'TSV', Buffer.from('not a time\tbody\n')),
    );
    expect(outcome.kind).toBe('failed');
  });
});

describe('openDatabase (remote URL)', () => {
  it('fails as unavailable when nothing listens at the URL', async () => {
    // The rest of the remote path runs against the HTTP interface emulator (remote-*.int.test.ts).
    await expect(
      openDatabase({ url: 'http://127.0.0.1:1', dataDir: '/nonexistent', database: 'vigil' }),
    ).rejects.toMatchObject({ code: 'unavailable' });
  });
});
