/**
 * What the insert path stores: staleness markers, duplicates, out-of-order samples, series rows
 * written once, the series id, retention. Real embedded engine (chDB).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Label, MetricSeries } from '@vigil/protocols';
import { runMigrations } from '../migrations.ts';
import { sql } from '../sql.ts';
import { openTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { DAY_MS } from './known-series.ts';
import { MetricStore } from './metric-store.ts';
import { SAMPLES_TABLE, SERIES_TABLE } from './schema.ts';
import { canonicalLabels, seriesIdText, seriesIdWords } from './series-id.ts';
import { syntheticMetricSeries } from './testing/synthetic-metrics.ts';

const DAY0 = Math.floor(Date.now() / DAY_MS) * DAY_MS - 2 * DAY_MS;
const T0 = DAY0 + 10 * 3_600_000;

let t: TestDatabase;

beforeAll(async () => {
  t = await openTestDatabase();
  // Rows stay as written, so counting them counts writes.
  await t.db.command(sql`SYSTEM STOP MERGES ${t.db.table(SERIES_TABLE)}`);
});
afterAll(async () => {
  await t?.cleanup();
});

const byName = (name: string): Label[] => [
  { name: '__name__', value: name },
  { name: 'job', value: 'test' },
];
const one = (
  name: string,
  timestampsMs: number[],
  values: number[],
  staleIndexes?: number[],
): MetricSeries => ({
  labels: byName(name),
  timestampsMs,
  values,
  ...(staleIndexes ? { staleIndexes } : {}),
});
const selectOne = async (store: MetricStore, name: string, startMs = T0 - DAY_MS, endMs = T0 + DAY_MS) =>
  (await store.select([{ name: '__name__', op: '=', value: name }], startMs, endMs))[0];

describe('samples', () => {
  it('keeps staleness markers as an explicit flag, distinct from ordinary NaN', async () => {
    const store = new MetricStore(t.db);
    const ts = [T0, T0 + 15_000, T0 + 30_000, T0 + 45_000];
    expect(await store.insert([one('stale_test', ts, [1, NaN, NaN, 4], [2])])).toEqual({ kind: 'ok' });
    const s = await selectOne(store, 'stale_test');
    expect(s!.staleIndexes).toEqual([2]);
    expect([...s!.values].map((v) => (Number.isNaN(v) ? 'NaN' : v))).toEqual([1, 'NaN', 'NaN', 4]);
    // The stored bits are Prometheus's StaleNaN for the marker and a plain NaN for the other.
    const bits = await t.db.query<{ b: string }>(
      sql`SELECT hex(reinterpretAsUInt64(Value)) AS b FROM ${t.db.table(SAMPLES_TABLE)}
          WHERE SeriesId = ${BigInt(seriesIdText(...seriesIdWords(byName('stale_test'))))} ORDER BY Timestamp`,
    );
    expect(bits.map((r) => r.b)).toEqual([
      '3FF0000000000000',
      '7FF8000000000000',
      '7FF0000000000002',
      '4010000000000000',
    ]);
  });

  it('reads a duplicate timestamp once, with the value written last', async () => {
    const store = new MetricStore(t.db);
    await store.insert([one('dup_test', [T0, T0 + 15_000], [1, 2])]);
    await store.insert([one('dup_test', [T0 + 15_000, T0 + 30_000], [20, 3])]);
    await store.insert([one('dup_test', [T0 + 15_000], [200])]);
    const s = await selectOne(store, 'dup_test');
    expect([...s!.timestampsMs]).toEqual([T0, T0 + 15_000, T0 + 30_000]);
    expect([...s!.values]).toEqual([1, 200, 3]);
  });

  it('reads a retried batch (identical copies) once, staleness marker included', async () => {
    const store = new MetricStore(t.db);
    const batch = {
      ...one('retry_test', [T0, T0 + 15_000, T0 + 30_000], [5, NaN, 7]),
      staleIndexes: [1],
    };
    await store.insert([batch]);
    await store.insert([batch]);
    await store.insert([one('retry_test_other', [T0], [1])]);
    const s = await selectOne(store, 'retry_test');
    expect([...s!.timestampsMs]).toEqual([T0, T0 + 15_000, T0 + 30_000]);
    expect([...s!.values]).toEqual([5, NaN, 7]);
    expect(s!.staleIndexes).toEqual([1]);
  });

  it('keeps the later of duplicates within one batch', async () => {
    const store = new MetricStore(t.db);
    await store.insert([one('dup_batch', [T0, T0, T0], [1, 2, 3])]);
    const s = await selectOne(store, 'dup_batch');
    expect([...s!.values]).toEqual([3]);
  });

  it('accepts out-of-order samples and returns them in time order', async () => {
    const store = new MetricStore(t.db);
    await store.insert([one('ooo_test', [T0 + 60_000, T0, T0 + 30_000], [4, 1, 3])]);
    await store.insert([one('ooo_test', [T0 + 15_000], [2])]);
    const s = await selectOne(store, 'ooo_test');
    expect([...s!.timestampsMs].map((ms) => ms - T0)).toEqual([0, 15_000, 30_000, 60_000]);
    expect([...s!.values]).toEqual([1, 2, 3, 4]);
  });
});

describe('series rows', () => {
  const rowsOf = async (name: string): Promise<Array<{ first: number; last: number }>> =>
    t.db.query<{ first: number; last: number }>(
      sql`SELECT toUnixTimestamp64Milli(FirstSeen) AS first, toUnixTimestamp64Milli(LastSeen) AS last
          FROM ${t.db.table(SERIES_TABLE)} WHERE MetricName = ${name} ORDER BY last`,
    );

  it('are written the first time a series is seen, not on later inserts', async () => {
    const store = new MetricStore(t.db);
    for (let i = 0; i < 5; i++) await store.insert([one('once_test', [T0 + i * 15_000], [i])]);
    expect(await rowsOf('once_test')).toEqual([{ first: T0, last: T0 }]);
    expect(store.knownSeries).toBeGreaterThan(0);
    // A new process (or a forgotten cache) writes the row once more.
    const restarted = new MetricStore(t.db);
    await restarted.insert([one('once_test', [T0 + 100_000], [9])]);
    await restarted.insert([one('once_test', [T0 + 115_000], [9])]);
    expect(await rowsOf('once_test')).toHaveLength(2);
  });

  it('are written again when samples reach a new day, so LastSeen and the TTL follow', async () => {
    const store = new MetricStore(t.db);
    await store.insert([one('daily_test', [T0], [1])]);
    await store.insert([one('daily_test', [T0 + 3_600_000], [1])]); // same day: no row
    await store.insert([one('daily_test', [T0 + DAY_MS], [1])]);
    await store.insert([one('daily_test', [T0 - DAY_MS], [1])]); // an older day: FirstSeen moves
    expect(await rowsOf('daily_test')).toEqual([
      { first: T0, last: T0 },
      { first: T0, last: T0 + DAY_MS },
      { first: T0 - DAY_MS, last: T0 + DAY_MS },
    ]);
  });

  it('are written once for a series listed twice in one batch, with ids equal to ClickHouse xxHash64', async () => {
    const store = new MetricStore(t.db);
    const generated = syntheticMetricSeries({ series: 200, samplesPerSeries: 2, startMs: T0, seed: 7 });
    const withUnicode = {
      labels: [...byName('ids_test'), { name: 'v', value: 'ü日本🎉' }],
      timestampsMs: [T0],
      values: [1],
    };
    expect(await store.insert([...generated, withUnicode, withUnicode])).toEqual({ kind: 'ok' });
    expect(await rowsOf('ids_test')).toHaveLength(1);
    // Prometheus's labels.Hash(): name 0xFF value 0xFF … over the sorted labels incl. __name__.
    const rows = await t.db.query<{ n: number; mismatched: number }>(sql`
      SELECT count() AS n, countIf(SeriesId != xxHash64(arrayStringConcat(arrayMap(
        p -> concat(p.1, unhex('FF'), p.2, unhex('FF')),
        arraySort(p -> p.1, arrayConcat([('__name__', MetricName)], arrayZip(mapKeys(Labels), mapValues(Labels)))))))
      ) AS mismatched
      FROM ${t.db.table(SERIES_TABLE)} WHERE MetricName LIKE 'node_%' OR MetricName IN ('up', 'ids_test')`);
    expect(rows[0]).toEqual({ n: 201, mismatched: 0 });
    const words = seriesIdWords(canonicalLabels(withUnicode.labels));
    const stored = await t.db.query<{ id: string }>(
      sql`SELECT toString(SeriesId) AS id FROM ${t.db.table(SERIES_TABLE)} WHERE MetricName = 'ids_test'`,
    );
    expect(stored[0]!.id).toBe(seriesIdText(...words));
  });
});

describe('retention', () => {
  it('puts metricsTtlDays in every TTL clause and follows a changed setting', async () => {
    const ttlOf = async (): Promise<string[]> => {
      const rows = await t.db.query<{ name: string; q: string }>(
        sql`SELECT name, create_table_query AS q FROM system.tables
            WHERE database = ${t.db.database} AND name LIKE 'metrics_%' AND name != 'metrics_rollup_state'
            ORDER BY name`,
      );
      return rows.map(
        (r) => `${r.name}: ${/TTL (.*?) SETTINGS|TTL (.*)$/.exec(r.q)?.slice(1).find(Boolean)}`,
      );
    };
    expect(await ttlOf()).toEqual([
      "metrics_metadata: toDateTime(UpdatedAt) + toIntervalDay(_CAST(7, 'UInt32'))",
      "metrics_rollup_5m: BucketEnd + toIntervalDay(_CAST(7, 'UInt32'))",
      "metrics_samples: toDateTime(Timestamp) + toIntervalDay(_CAST(7, 'UInt32'))",
      "metrics_series: (toDateTime(LastSeen) + 86400) + toIntervalDay(_CAST(7, 'UInt32'))",
    ]);
    // MODIFY TTL rewrites parts as a mutation, which waits for merges to run.
    await t.db.command(sql`SYSTEM START MERGES ${t.db.table(SERIES_TABLE)}`);
    await runMigrations(t.db, { metricsTtlDays: 30 });
    const days = (await ttlOf()).map((line) => /toIntervalDay\((?:_CAST\()?(\d+)/.exec(line)?.[1]);
    expect(days).toEqual(['30', '30', '30', '30']);
  });
});
