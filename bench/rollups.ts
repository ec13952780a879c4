/**
 * What the 5-minute rollups cost and what they save, at a scale above the PromQL benchmark's:
 *
 *   data   --instances × 100 series (the PromQL benchmark's families) × --hours at 15 s, loaded
 *          through MetricStore.insert into a fresh embedded store, merges settled
 *   build  the whole range from scratch (catch-up), then the steady state: a dirty hour and a
 *          dirty bucket rebuilt (the same INSERT … SELECT an hourly build runs), CPU-s each
 *   disk   rollup bytes against sample bytes
 *   query  `sum by (job) (rate(http_requests_total[5m]))` and `max by (job) (max_over_time(
 *          queue_depth[5m]))` over the whole range at a 5 m step, in process: rollups against
 *          samples only (same engine), p50 of 5 after a warm-up, answers compared
 *
 * Run: npm run bench:rollups -- [--instances 1000] [--hours 6]
 * Writes bench/.out/rollups.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { MetricStore, openDatabase, runMigrations } from '@vigil/storage';
import { makeTempDir } from '@vigil/testkit';
import { EmbeddedMetricsQueryService } from '../apps/server/src/metrics/embedded-query-service.ts';
import { processCpuSeconds } from './lib/proc-stats.ts';
import { seriesByInstance, SERIES_PER_INSTANCE, STEP_MS, type DataSpec } from './lib/promql-data.ts';
import { machineFacts } from './lib/report.ts';
import { REPO_ROOT } from './lib/server-process.ts';
import { summarize } from './lib/stats.ts';
import { settleMerges, tableSize } from './lib/table-size.ts';

const { values: args } = parseArgs({
  options: { instances: { type: 'string', default: '1000' }, hours: { type: 'string', default: '6' } },
});
const instances = Number(args.instances);
const hours = Number(args.hours);
if (!Number.isInteger(instances) || instances < 1) throw new Error('--instances must be a positive integer');
if (!Number.isInteger(hours) || hours < 2) throw new Error('--hours must be an integer ≥ 2');

const HOUR_MS = 3_600_000;
const BUCKET_MS = 300_000;
const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;
const machine = machineFacts();
console.log(
  `# rollups on ${machine.cores} cores (${machine.cpuModel}), load average ${machine.loadAverageAtStart.join(' ')}`,
);

const temp = makeTempDir('vigil-bench-rollups-');
const db = await openDatabase({ dataDir: temp.dir, database: 'bench_rollups' });
const pid = process.pid;
try {
  await runMigrations(db);
  // The clock the builder sees: the data ends an hour before it, so every bucket is closed.
  const endMs = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - HOUR_MS;
  const spec: DataSpec = { instances, startMs: endMs - hours * HOUR_MS, points: (hours * HOUR_MS) / STEP_MS };
  const clock = () => endMs + HOUR_MS;
  // Rollups off while loading: the builder would otherwise only start after the load anyway.
  const loader = new MetricStore(db, { rollups: false });
  const series = instances * SERIES_PER_INSTANCE;
  const samples = series * spec.points;
  console.log(
    `loading ${series.toLocaleString('en-US')} series × ${spec.points} points = ${samples.toLocaleString('en-US')} samples`,
  );
  let t0 = performance.now();
  let pending: Parameters<MetricStore['insert']>[0][number][] = [];
  for (const batch of seriesByInstance(spec)) {
    pending.push(...batch);
    if (pending.length >= 2 * SERIES_PER_INSTANCE) {
      const outcome = await loader.insert(pending);
      if (outcome.kind !== 'ok') throw outcome.error;
      pending = [];
    }
  }
  if (pending.length > 0) {
    const outcome = await loader.insert(pending);
    if (outcome.kind !== 'ok') throw outcome.error;
  }
  const loadSeconds = (performance.now() - t0) / 1000;
  const settleSeconds = await settleMerges(db, 900);
  console.log(`loaded in ${round(loadSeconds, 1)} s, merges settled in ${settleSeconds} s`);

  const store = new MetricStore(db, { clock });
  const measure = async <T>(
    what: () => Promise<T>,
  ): Promise<{ seconds: number; cpuSeconds: number; value: T }> => {
    const start = performance.now();
    const cpu = processCpuSeconds(pid);
    const value = await what();
    return { seconds: (performance.now() - start) / 1000, cpuSeconds: processCpuSeconds(pid) - cpu, value };
  };
  const full = await measure(() => store.rollups!.catchUp());
  if (!full.value.done || store.rollupState.coveredUntil! < endMs)
    throw new Error('rollups not built to the end');
  await settleMerges(db, 900);
  console.log(
    `built ${full.value.built} buckets (all ${hours} h) in ${round(full.seconds, 1)} s, ${round(full.cpuSeconds, 1)} CPU-s ` +
      `(${round((full.cpuSeconds / samples) * 1e6, 3)} CPU-s per million samples)`,
  );

  // Steady state: rebuilding a dirty range runs the same INSERT … SELECT as an hourly build.
  const probe = [...seriesByInstance({ ...spec, instances: 1 })][0]![0]!;
  const rebuild = async (fromMs: number, toMs: number) => {
    const timestampsMs = [fromMs + 1, toMs];
    const outcome = await store.insert([{ labels: probe.labels, timestampsMs, values: [0, 0] }]);
    if (outcome.kind !== 'ok') throw outcome.error;
    return measure(() => store.rollups!.catchUp());
  };
  const midHour = spec.startMs + Math.floor(hours / 2) * HOUR_MS;
  const hour = await rebuild(midHour, midHour + HOUR_MS);
  const bucket = await rebuild(midHour + HOUR_MS, midHour + HOUR_MS + BUCKET_MS - 1);
  console.log(
    `steady state: an hour of buckets (${hour.value.rebuilt}) ${round(hour.cpuSeconds)} CPU-s, ` +
      `one bucket (${bucket.value.rebuilt}) ${round(bucket.cpuSeconds)} CPU-s, for ${series.toLocaleString('en-US')} series`,
  );
  await settleMerges(db, 900);
  const rollupTable = await tableSize(db, 'metrics_rollup_5m');
  const samplesTable = await tableSize(db, 'metrics_samples');
  console.log(
    `disk: rollups ${round(rollupTable.bytesOnDisk / 1e6, 1)} MB, samples ${round(samplesTable.bytesOnDisk / 1e6, 1)} MB ` +
      `(${round(rollupTable.bytesOnDisk / samplesTable.bytesOnDisk)}×)`,
  );

  const viaRollups = new EmbeddedMetricsQueryService(store, { timeoutMs: 600_000 });
  const viaSamples = new EmbeddedMetricsQueryService(store, { timeoutMs: 600_000 }, { windows: 'off' });
  const start = spec.startMs + 2 * BUCKET_MS;
  const queries: Record<string, { rollupsMs: number; samplesMs: number; speedup: number }> = {};
  for (const query of [
    'sum by (job) (rate(http_requests_total[5m]))',
    'max by (job) (max_over_time(queue_depth[5m]))',
  ]) {
    const time = async (svc: EmbeddedMetricsQueryService) => {
      const runs: number[] = [];
      let answer = '';
      for (let i = 0; i < 6; i++) {
        t0 = performance.now();
        const r = await svc.rangeQuery(query, start, endMs, BUCKET_MS);
        if (i > 0) runs.push(performance.now() - t0);
        answer = JSON.stringify(r.result);
      }
      return { p50: summarize(runs).p50Ms, answer };
    };
    const r = await time(viaRollups);
    const s = await time(viaSamples);
    if (r.answer !== s.answer) throw new Error(`answers differ for ${query}`);
    queries[query] = {
      rollupsMs: round(r.p50, 1),
      samplesMs: round(s.p50, 1),
      speedup: round(s.p50 / r.p50, 1),
    };
    console.log(
      `${query}: rollups ${round(r.p50, 1)} ms, samples ${round(s.p50, 1)} ms (${round(s.p50 / r.p50, 1)}×), same answer`,
    );
  }
  const out = path.join(REPO_ROOT, 'bench/.out');
  mkdirSync(out, { recursive: true });
  writeFileSync(
    path.join(out, 'rollups.json'),
    JSON.stringify(
      {
        machine,
        series,
        hours,
        samples,
        build: { seconds: full.seconds, cpuSeconds: full.cpuSeconds, buckets: full.value.built },
        steadyState: { hourCpuSeconds: hour.cpuSeconds, bucketCpuSeconds: bucket.cpuSeconds },
        disk: { rollupBytes: rollupTable.bytesOnDisk, sampleBytes: samplesTable.bytesOnDisk },
        queries,
      },
      null,
      2,
    ),
  );
} finally {
  await db.close();
  temp.cleanup();
}
