/**
 * The embedded metric store (packages/storage/src/metrics) on chDB:
 *
 * 1. Insert: 1M samples = 10k node-exporter-like series × 100 samples, sent as 10 batches of
 *    10 samples per series. CPU is this process's (all threads, chDB's included, from /proc),
 *    per million samples, for the first batch (10k new series rows) and the 9 steady-state
 *    batches (samples only). Merges are stopped while inserting (they would land on whichever
 *    batch runs; their cost is reported separately as OPTIMIZE).
 * 2. Storage: 1k series × 24 h at 15 s (5.76M samples), bytes per sample after OPTIMIZE FINAL.
 * 3. Select: latency of MetricStore.select on that data (1k series × 24 h, narrower cases),
 *    before and after merging, the RowBinary path against the same arrays as JSONEachRow, and
 *    the SQL rate grid (timeSeriesRateToGrid) against raw selection.
 *
 * Run: node --import tsx bench/metric-store.ts
 */
import { makeTempDir } from '@vigil/testkit';
import { MetricStore, openDatabase, runMigrations, sql, type Database } from '@vigil/storage';
import type { MetricSeries } from '@vigil/protocols';
// Test-data generator of the metric store (moves to @vigil/testkit with the store's wiring).
import {
  batchesOf,
  syntheticMetricSeries,
} from '../packages/storage/src/metrics/testing/synthetic-metrics.ts';
import { describeMachine, machineInfo } from './lib/machine-info.ts';
import { diffThreads, processCpuSeconds, threadCpuSeconds } from './lib/proc-stats.ts';
import { summarize, timed } from './lib/stats.ts';
import { columnSizes, tableSize } from './lib/table-size.ts';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const pid = process.pid;
const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;

console.log(`machine: ${describeMachine(machineInfo())}`);
const temp = makeTempDir('vigil-bench-metrics-');

async function freshStore(name: string): Promise<{ db: Database; store: MetricStore }> {
  const db = await openDatabase({ dataDir: temp.dir, database: name });
  await runMigrations(db);
  return { db, store: new MetricStore(db) };
}

async function insertAll(store: MetricStore, batches: MetricSeries[][]): Promise<void> {
  for (const batch of batches) {
    const outcome = await store.insert(batch);
    if (outcome.kind !== 'ok') throw outcome.error;
  }
}

// ---- 1. insert CPU ----------------------------------------------------------------------
const insertStart = Math.floor(Date.now() / DAY_MS) * DAY_MS - DAY_MS;
const warm = await freshStore('bench_metrics_warmup');
await insertAll(
  warm.store,
  batchesOf(
    syntheticMetricSeries({ series: 10_000, samplesPerSeries: 30, startMs: insertStart, seed: 9 }),
    10,
  ),
);
await warm.db.close();

const ins = await freshStore('bench_metrics_insert');
await ins.db.command(sql`SYSTEM STOP MERGES ${ins.db.table('metrics_samples')}`);
const batches = batchesOf(
  syntheticMetricSeries({ series: 10_000, samplesPerSeries: 100, startMs: insertStart }),
  10,
);
const samplesPerBatch = batches[0]!.reduce((n, s) => n + s.values.length, 0);

const cpu0 = processCpuSeconds(pid);
const threads0 = threadCpuSeconds(pid);
const first = await timed(() => insertAll(ins.store, batches.slice(0, 1)));
const cpu1 = processCpuSeconds(pid);
const steady = await timed(() => insertAll(ins.store, batches.slice(1)));
const cpu2 = processCpuSeconds(pid);
const threads2 = threadCpuSeconds(pid);
await ins.db.command(sql`SYSTEM START MERGES ${ins.db.table('metrics_samples')}`);
const optimize = await timed(() =>
  ins.db.command(sql`OPTIMIZE TABLE ${ins.db.table('metrics_samples')} FINAL`),
);
const cpu3 = processCpuSeconds(pid);
const steadySamples = samplesPerBatch * (batches.length - 1);
const insertFigures = {
  samples: samplesPerBatch * batches.length,
  firstBatch: {
    samples: samplesPerBatch,
    newSeries: 10_000,
    wallMs: round(first.ms, 0),
    cpuSecondsPerMillion: round(((cpu1 - cpu0) / samplesPerBatch) * 1e6),
  },
  steadyState: {
    samples: steadySamples,
    wallMs: round(steady.ms, 0),
    samplesPerSecond: Math.round(steadySamples / (steady.ms / 1000)),
    cpuSecondsPerMillion: round(((cpu2 - cpu1) / steadySamples) * 1e6),
  },
  allBatchesCpuSecondsPerMillion: round(((cpu2 - cpu0) / (samplesPerBatch * batches.length)) * 1e6),
  optimizeFinal: {
    wallMs: round(optimize.ms, 0),
    cpuSecondsPerMillion: round(((cpu3 - cpu2) / (samplesPerBatch * batches.length)) * 1e6),
  },
  threadsCpuSeconds: Object.fromEntries(diffThreads(threads0, threads2).map(([n, s]) => [n, round(s)])),
};
console.log('\ninsert (10k series x 100 samples, 10 batches):', JSON.stringify(insertFigures, null, 2));
await ins.db.close();

// ---- 2. storage + 3. select on 1k series x 24 h ------------------------------------------
const day = await freshStore('bench_metrics_day');
const dayStart = insertStart - DAY_MS;
const dayEnd = dayStart + DAY_MS - 1;
await day.db.command(sql`SYSTEM STOP MERGES ${day.db.table('metrics_samples')}`);
await insertAll(
  day.store,
  batchesOf(syntheticMetricSeries({ series: 1000, samplesPerSeries: 5760, startMs: dayStart }), 240),
);

const all = [{ name: 'job', op: '=' as const, value: 'node' }];
const oneHost = [{ name: 'instance', op: '=' as const, value: '10.0.7.10:9100' }];
const oneSeries = [{ name: '__name__', op: '=' as const, value: 'node_load1' }, ...oneHost];

/** Wall-time percentiles of `runs` calls after one warm-up call. */
async function latency(
  runs: number,
  fn: () => Promise<unknown>,
): Promise<{ runs: number; p50Ms: number; p95Ms: number; maxMs: number }> {
  await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) ms.push((await timed(fn)).ms);
  const s = summarize(ms);
  return { runs: s.samples, p50Ms: s.p50Ms, p95Ms: s.p95Ms, maxMs: s.maxMs };
}
const countSamples = async (
  matchers: typeof all,
  startMs: number,
  endMs: number,
): Promise<{ seriesReturned: number; samplesReturned: number }> => {
  const result = await day.store.select(matchers, startMs, endMs);
  return { seriesReturned: result.length, samplesReturned: result.reduce((n, s) => n + s.values.length, 0) };
};

const unmergedParts = (await tableSize(day.db, 'metrics_samples')).parts;
const selectUnmerged = await latency(5, () => day.store.select(all, dayStart, dayEnd));
await day.db.command(sql`SYSTEM START MERGES ${day.db.table('metrics_samples')}`);
await day.db.command(sql`OPTIMIZE TABLE ${day.db.table('metrics_samples')} FINAL`);
await day.db.command(sql`OPTIMIZE TABLE ${day.db.table('metrics_series')} FINAL`);
const size = await tableSize(day.db, 'metrics_samples');
const columns = await columnSizes(day.db, 'metrics_samples');
const storage = {
  samples: size.rows,
  bytesPerSample: round(size.compressedBytes / size.rows, 3),
  bytesOnDiskPerSample: round(size.bytesOnDisk / size.rows, 3),
  columnsBytesPerSample: Object.fromEntries(
    columns.map((c) => [c.column, round(c.compressedBytes / size.rows, 3)]),
  ),
  seriesTableBytes: (await tableSize(day.db, 'metrics_series')).bytesOnDisk,
};
console.log('\nstorage (1k series x 24 h at 15 s, after OPTIMIZE FINAL):', JSON.stringify(storage, null, 2));

const lastHour = [dayEnd - HOUR_MS + 1, dayEnd] as const;
const cases: Array<
  [string, () => Promise<unknown>, () => Promise<{ seriesReturned: number; samplesReturned: number }>]
> = [
  [
    '1k series x 24 h',
    () => day.store.select(all, dayStart, dayEnd),
    () => countSamples(all, dayStart, dayEnd),
  ],
  ['1k series x 1 h', () => day.store.select(all, ...lastHour), () => countSamples(all, ...lastHour)],
  [
    '50 series (one host) x 24 h',
    () => day.store.select(oneHost, dayStart, dayEnd),
    () => countSamples(oneHost, dayStart, dayEnd),
  ],
  [
    '1 series x 1 h',
    () => day.store.select(oneSeries, ...lastHour),
    () => countSamples(oneSeries, ...lastHour),
  ],
];
const select: Record<string, unknown> = {
  [`1k series x 24 h before merges (${unmergedParts} parts, FINAL)`]: selectUnmerged,
};
for (const [name, fn, counted] of cases) select[name] = { ...(await counted()), ...(await latency(5, fn)) };

// The same per-series arrays as JSONEachRow, the format `Database.query` uses.
const jsonArrays = await latency(3, () =>
  day.db.query(sql`
    SELECT SeriesId, groupArray(toUnixTimestamp64Milli(Timestamp)) AS t, groupArray(Value) AS v
    FROM ${day.db.table('metrics_samples')} FINAL
    WHERE Timestamp >= fromUnixTimestamp64Milli(${dayStart}) AND Timestamp <= fromUnixTimestamp64Milli(${dayEnd})
    GROUP BY SeriesId`),
);
select['1k series x 24 h, arrays as JSONEachRow (query only, no labels)'] = jsonArrays;
select['windows of rate(5m) every 1 m, 1k series x 24 h, in SQL (selectWindows)'] = await latency(5, () =>
  day.store.selectWindows({
    matchers: all,
    firstEndMs: dayStart + 300_000,
    stepMs: 60_000,
    steps: Math.floor((dayEnd - dayStart - 300_000) / 60_000) + 1,
    rangeMs: 300_000,
  }),
);
console.log('\nselect latency (ms):', JSON.stringify(select, null, 2));
await day.db.close();
temp.cleanup();
