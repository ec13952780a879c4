/**
 * Loads the PromQL benchmark's data set into a Vigil data directory through the embedded store's
 * own write path (MetricStore.insert: series rows, Native sample inserts), in a child process
 * because chDB binds one data directory per process and the server will open this one next.
 * Remote write would reach the same tables through the same store, only slower (HTTP, snappy,
 * protobuf decode, validation: ~10 CPU-s per million samples in bench/remote-write.ts against
 * ~1 here), and old samples are accepted either way.
 *
 * One insert per `targetsPerInsert` scrape targets (100 series × 24 h each), then waits for
 * merges to settle (as a day-old table would have), optionally OPTIMIZE FINAL; then builds the
 * 5-minute rollups, as the server would have in the background while the day's samples came in.
 * Usage (from bench/promql.ts): node --import tsx bench/lib/promql-load-vigil.ts '<json LoadJob>'
 * Prints one JSON line (LoadResult) on stdout.
 */
import { MetricStore, openDatabase, runMigrations, sql } from '@vigil/storage';
import { processCpuSeconds } from './proc-stats.ts';
import { seriesByInstance, type DataSpec } from './promql-data.ts';
import { settleMerges, tableSize, type TableSize } from './table-size.ts';

export interface LoadJob {
  dataDir: string;
  spec: DataSpec;
  metricsTtlDays: number;
  targetsPerInsert: number;
  optimize: boolean;
}

export interface LoadResult {
  samples: number;
  series: number;
  insertSeconds: number;
  insertCpuSeconds: number;
  settleSeconds: number;
  optimizeSeconds: number;
  /** Building the 5-minute rollups of the whole day (MetricStore.rollups), after the merges. */
  rollupSeconds: number;
  rollupCpuSeconds: number;
  rollupTable: TableSize;
  samplesTable: TableSize;
  seriesTable: TableSize;
}

async function load(job: LoadJob): Promise<LoadResult> {
  const db = await openDatabase({ dataDir: job.dataDir, database: 'vigil' });
  try {
    await runMigrations(db, { metricsTtlDays: job.metricsTtlDays });
    const store = new MetricStore(db);
    let samples = 0;
    let series = 0;
    const t0 = performance.now();
    const cpu0 = processCpuSeconds(process.pid);
    let pending: Parameters<MetricStore['insert']>[0][number][] = [];
    let targets = 0;
    const flush = async (): Promise<void> => {
      if (pending.length === 0) return;
      const outcome = await store.insert(pending);
      if (outcome.kind !== 'ok') throw outcome.error;
      pending = [];
    };
    for (const batch of seriesByInstance(job.spec)) {
      for (const s of batch) samples += s.values.length;
      series += batch.length;
      pending.push(...batch);
      if (++targets % job.targetsPerInsert === 0) await flush();
    }
    await flush();
    const insertSeconds = (performance.now() - t0) / 1000;
    const insertCpuSeconds = processCpuSeconds(process.pid) - cpu0;
    const settleSeconds = await settleMerges(db, 900);
    let optimizeSeconds = 0;
    if (job.optimize) {
      const t1 = performance.now();
      for (const table of ['metrics_samples', 'metrics_series'])
        await db.command(sql`OPTIMIZE TABLE ${db.table(table)} FINAL`);
      optimizeSeconds = (performance.now() - t1) / 1000;
    }
    const t2 = performance.now();
    const cpu2 = processCpuSeconds(process.pid);
    const built = await store.rollups!.catchUp();
    if (!built.done) throw new Error('rollups not built to the end');
    const rollupSeconds = (performance.now() - t2) / 1000;
    const rollupCpuSeconds = processCpuSeconds(process.pid) - cpu2;
    await settleMerges(db, 900);
    return {
      rollupSeconds,
      rollupCpuSeconds,
      rollupTable: await tableSize(db, 'metrics_rollup_5m'),
      samples,
      series,
      insertSeconds,
      insertCpuSeconds,
      settleSeconds,
      optimizeSeconds,
      samplesTable: await tableSize(db, 'metrics_samples'),
      seriesTable: await tableSize(db, 'metrics_series'),
    };
  } finally {
    await db.close();
  }
}

const job = JSON.parse(process.argv[2] ?? '{}') as LoadJob;
const result = await load(job);
process.stdout.write(`${JSON.stringify(result)}\n`);
