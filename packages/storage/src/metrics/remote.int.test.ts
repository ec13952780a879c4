/**
 * The metric store over ClickHouse's HTTP interface (TSV inserts, RowBinary reads through
 * @clickhouse/client), against the real engine behind the emulator in
 * packages/testkit/src/clickhouse-http. Answers must equal embedded chDB's in this process.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LabelMatcher, MetricSeries } from '@vigil/protocols';
import { startClickHouseEmulator, uniqueDatabaseName, type ClickHouseEmulator } from '@vigil/testkit';
import { openDatabase, type Database } from '../connection.ts';
import { runMigrations } from '../migrations.ts';
import { openTestDatabase, type TestDatabase } from '../testing/test-database.ts';
import { DAY_MS } from './known-series.ts';
import { MetricStore } from './metric-store.ts';
import { syntheticMetricSeries } from './testing/synthetic-metrics.ts';

const T0 = Math.floor(Date.now() / DAY_MS) * DAY_MS - DAY_MS;
const TRICKY = "quote ' back\\slash\nnewline\ttab\r ünï 日本 🎉 {p0:String}";

let emulator: ClickHouseEmulator;
let remoteDb: Database;
let local: TestDatabase;
let remote: MetricStore;
let embedded: MetricStore;

const special: MetricSeries = {
  labels: [
    { name: '__name__', value: `odd_${'x'.repeat(3)}` },
    { name: 'tricky', value: TRICKY },
  ],
  // Out of order, a duplicate, a staleness marker, NaN, infinities, tiny and huge values.
  timestampsMs: [
    T0 + 60_000,
    T0,
    T0 + 15_000,
    T0 + 30_000,
    T0 + 45_000,
    T0 + 75_000,
    T0 + 90_000,
    T0 + 30_000,
  ],
  values: [4, 0.1, NaN, 5e-324, Infinity, -Infinity, 1.7976931348623157e308, -0],
  staleIndexes: [2],
};

beforeAll(async () => {
  emulator = await startClickHouseEmulator({ user: 'vigil', password: 's3cret' });
  remoteDb = await openDatabase({
    url: emulator.urlWithCredentials(),
    dataDir: '/nonexistent',
    database: uniqueDatabaseName('vigil_metrics_remote'),
  });
  await runMigrations(remoteDb);
  local = await openTestDatabase();
  remote = new MetricStore(remoteDb);
  embedded = new MetricStore(local.db);
  const data = [...syntheticMetricSeries({ series: 120, samplesPerSeries: 40, startMs: T0 }), special];
  const metadata = [{ metricFamilyName: 'up', type: 'gauge' as const, help: TRICKY, unit: 'seconds' }];
  for (const store of [remote, embedded]) {
    expect(await store.insert(data.slice(0, 60), metadata)).toEqual({ kind: 'ok' });
    expect(await store.insert(data.slice(60))).toEqual({ kind: 'ok' });
  }
});
afterAll(async () => {
  await remoteDb?.close();
  await local?.cleanup();
  await emulator?.stop();
});

const RANGE = [T0 - 60_000, T0 + DAY_MS] as const;

describe('MetricStore over HTTP answers like embedded chDB', () => {
  const selections: Record<string, LabelMatcher[]> = {
    'one metric': [{ name: '__name__', op: '=', value: 'node_load1' }],
    'regex and negative matchers': [
      { name: '__name__', op: '=~', value: 'node_cpu_.*' },
      { name: 'mode', op: '!~', value: 'idle|user' },
      { name: 'cpu', op: '!=', value: '0' },
    ],
    'empty-string matcher': [
      { name: 'device', op: '=', value: '' },
      { name: 'job', op: '=', value: 'node' },
    ],
    'special values and labels': [{ name: 'tricky', op: '=', value: TRICKY }],
  };
  for (const [name, matchers] of Object.entries(selections)) {
    it(`select: ${name}`, async () => {
      const expected = await embedded.select(matchers, ...RANGE);
      expect(expected.length).toBeGreaterThan(0);
      expect(await remote.select(matchers, ...RANGE)).toEqual(expected);
    });
  }

  it('stores markers, NaN, infinities and extreme values exactly', async () => {
    const [s] = await remote.select([{ name: 'tricky', op: '=', value: TRICKY }], ...RANGE);
    expect([...s!.timestampsMs].map((ms) => ms - T0)).toEqual([
      0, 15_000, 30_000, 45_000, 60_000, 75_000, 90_000,
    ]);
    expect([...s!.values]).toEqual([0.1, NaN, -0, Infinity, 4, -Infinity, 1.7976931348623157e308]);
    expect(s!.staleIndexes).toEqual([1]);
  });

  it('label names, values, series and metadata', async () => {
    const m: LabelMatcher[] = [{ name: 'job', op: '=', value: 'node' }];
    expect(await remote.labelNames(m, ...RANGE)).toEqual(await embedded.labelNames(m, ...RANGE));
    expect(await remote.labelValues('mode', m, ...RANGE)).toEqual(
      await embedded.labelValues('mode', m, ...RANGE),
    );
    expect(await remote.series([m], ...RANGE)).toEqual(await embedded.series([m], ...RANGE));
    expect(await remote.metadata()).toEqual([
      { metricFamilyName: 'up', type: 'gauge', help: TRICKY, unit: 'seconds' },
    ]);
  });
});
