/**
 * The metrics cache keeping 300 registry-like queries fresh over 1,000 containers (50 nodes,
 * ~18.6k series) in the embedded store at a 15 s step:
 *
 * 1. one hour of samples is inserted into the metric store (MetricStore.insert, as ingestion does);
 * 2. the cache back-fills that hour (VIGIL_CACHE_BACKFILL default): time and CPU;
 * 3. steady state for STEADY_MINUTES in real time: every 15 s the newest samples of every series
 *    are inserted (the agents' push) and the cache refreshes, as the refresher's loop does.
 *    Reported: CPU share of one core spent inside refreshes (process CPU, all threads, measured
 *    around each refresh), the process's CPU over the whole period minus the inserts' (adds
 *    background merges), CPU by thread, refresh duration, points and range queries per refresh,
 *    the other processes' CPU (the machine is shared: read the figure with it);
 * 4. bytes on disk per cached point after merging (OPTIMIZE FINAL).
 *
 * Run: node --import tsx bench/metrics-cache.ts   (STEADY_MINUTES=5 by default)
 */
import { loadavg } from 'node:os';
import { silentLogger } from '@vigil/core';
import { makeTempDir } from '@vigil/testkit';
import { MetricStore, openDatabase, runMigrations, sql } from '@vigil/storage';
import { CacheStore } from '../apps/server/src/metrics-cache/cache-store.ts';
import { SharedSelectEvaluator } from '../apps/server/src/metrics-cache/evaluator.ts';
import { MetricsCache } from '../apps/server/src/metrics-cache/metrics-cache.ts';
import { QueryRegistry } from '../apps/server/src/metrics-cache/query-registry.ts';
import { Refresher } from '../apps/server/src/metrics-cache/refresher.ts';
import { corootMetrics, corootSeriesCount } from '../apps/server/src/metrics-cache/testing/coroot-metrics.ts';
import { benchQueries } from './lib/cache-queries.ts';
import { describeMachine, machineInfo } from './lib/machine-info.ts';
import { diffThreads, machineBusyCpuSeconds, processCpuSeconds, threadCpuSeconds } from './lib/proc-stats.ts';
import { summarize } from './lib/stats.ts';
import { tableSize } from './lib/table-size.ts';

const STEP = 15_000;
const NODES = Number(process.env.NODES ?? 50);
const CONTAINERS = Number(process.env.CONTAINERS ?? 1_000);
const QUERIES = 300;
const HOUR = 3_600_000;
const STEADY_MINUTES = Number(process.env.STEADY_MINUTES ?? 5);
const pid = process.pid;
const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

console.log(`machine: ${describeMachine(machineInfo())}`);
const temp = makeTempDir('vigil-bench-cache-');
const db = await openDatabase({ dataDir: temp.dir, database: 'bench_cache' });
await runMigrations(db);
const metricStore = new MetricStore(db);

// ---- 1. one hour of history ------------------------------------------------------------
const series = corootSeriesCount(NODES, CONTAINERS);
const startMs = Date.now();
/** Agents scrape 3 s after each grid time; the next scrape not yet inserted. */
let nextScrapeMs = Math.floor((startMs - HOUR) / STEP) * STEP + 3_000;

/** Inserts every scrape up to `nowMs` (what the agents have pushed by then). */
async function pushUpTo(nowMs: number): Promise<number> {
  let samples = 0;
  while (nextScrapeMs <= nowMs) {
    const endMs = Math.min(nowMs + 1, nextScrapeMs + 10 * 60_000);
    const batch = corootMetrics({
      nodes: NODES,
      containers: CONTAINERS,
      startMs: nextScrapeMs,
      endMs,
      stepMs: STEP,
      offsetMs: 0,
    });
    const outcome = await metricStore.insert(batch);
    if (outcome.kind !== 'ok') throw new Error(`insert: ${outcome.kind}`);
    const scrapes = batch[0]!.timestampsMs.length;
    samples += scrapes * batch.length;
    nextScrapeMs += scrapes * STEP;
  }
  return samples;
}

const t0 = performance.now();
const historySamples = await pushUpTo(Date.now());
console.log(
  `history: ${series} series x 1 h at 15 s (${historySamples} samples) inserted in ${round((performance.now() - t0) / 1000, 1)} s`,
);

// ---- 2. back-fill ----------------------------------------------------------------------
const registry = new QueryRegistry(benchQueries(QUERIES));
const store = await CacheStore.open({
  dataDir: temp.dir,
  database: 'bench_cache_cache',
  ttlDays: 30,
  logger: silentLogger,
});
const refresher = new Refresher({
  projectId: 'bench',
  registry,
  store,
  evaluator: new SharedSelectEvaluator(metricStore),
  backfillMs: HOUR,
  logger: silentLogger,
});
const cache = new MetricsCache('bench', registry, store, refresher, HOUR);
await refresher.load();
const cpuB0 = processCpuSeconds(pid);
const tB0 = performance.now();
let rounds = 0;
do {
  await refresher.refreshOnce();
  rounds++;
} while (refresher.pendingBackfill() > 0 && rounds < 200);
const backfillS = (performance.now() - tB0) / 1000;
console.log(
  `back-fill: ${QUERIES} queries x 1 h (step detected: ${refresher.stepMs / 1000} s, ${refresher.stepSource}) in ${round(backfillS, 1)} s, ` +
    `${round(processCpuSeconds(pid) - cpuB0, 1)} CPU-s, ${rounds} refreshes`,
);

// ---- 3. steady state -------------------------------------------------------------------
const refreshCpu: number[] = [];
const refreshMs: number[] = [];
const points: number[] = [];
const rangeQueries: number[] = [];
let insertCpu = 0;
let pushed = 0;
const cpuS0 = processCpuSeconds(pid);
const threadsS0 = threadCpuSeconds(pid);
const busyS0 = machineBusyCpuSeconds();
const load0 = loadavg()[0]!;
const wall0 = performance.now();
const endAt = Date.now() + STEADY_MINUTES * 60_000;
while (Date.now() < endAt) {
  const now = Date.now();
  await sleep(Math.floor(now / STEP) * STEP + STEP + 250 - now);
  const c0 = processCpuSeconds(pid);
  pushed += await pushUpTo(Date.now()); // the scrape 12 s ago
  const c1 = processCpuSeconds(pid);
  const r0 = performance.now();
  await refresher.refreshOnce();
  refreshMs.push(performance.now() - r0);
  refreshCpu.push(processCpuSeconds(pid) - c1);
  points.push(refresher.lastRefresh?.points ?? 0);
  rangeQueries.push(refresher.lastRefresh?.queries ?? 0);
  insertCpu += c1 - c0;
}
const wallS = (performance.now() - wall0) / 1000;
const threads = diffThreads(threadsS0, threadCpuSeconds(pid));
const processCpuS = processCpuSeconds(pid) - cpuS0;
const machineBusyS = machineBusyCpuSeconds() - busyS0;
const inRefresh = refreshCpu.reduce((a, b) => a + b, 0);
const lags = cache.lags().map((l) => l.lagMs ?? Infinity);
const dur = summarize(refreshMs);
console.log(
  `steady state: ${refreshMs.length} refreshes over ${round(wallS, 0)} s, load average ${round(load0)} at start`,
);
console.log(
  `  CPU in refreshes: ${round((inRefresh / wallS) * 100, 1)}% of one core (${round(inRefresh / refreshMs.length, 3)} CPU-s per refresh)`,
);
console.log(
  `  process CPU minus inserts (adds background merges): ${round(((processCpuS - insertCpu) / wallS) * 100, 1)}% of one core`,
);
console.log(
  `  inserting the agents' samples (${pushed} samples): ${round((insertCpu / wallS) * 100, 1)}% of one core`,
);
console.log(
  `  other processes on the machine: ${round(((machineBusyS - processCpuS) / wallS) * 100, 1)}% of one core`,
);
console.log(
  `  refresh duration p50 ${dur.p50Ms} ms, p95 ${dur.p95Ms} ms, max ${dur.maxMs} ms; points written per refresh ${round(summarize(points).p50Ms, 0)}; range queries per refresh ${Math.min(...rangeQueries)}-${Math.max(...rangeQueries)}`,
);
console.log(
  `  by thread (whole period): ${threads.map(([n, c]) => `${n} ${round((c / wallS) * 100, 1)}%`).join(', ')}`,
);
console.log(`  lag after the last refresh: max ${round(Math.max(...lags) / 1000, 1)} s`);

const failing = (await cache.status()).queries.filter((q) => q.lastError !== null);
console.log(
  `  queries failing: ${failing.length}${failing[0] ? ` (e.g. ${failing[0].id}: ${failing[0].lastError})` : ''}`,
);

// ---- 4. bytes per cached point ----------------------------------------------------------
await store.db.command(sql`OPTIMIZE TABLE ${store.db.table('cache_points')} FINAL`);
const pts = await tableSize(store.db, 'cache_points');
const others = [await tableSize(store.db, 'cache_series'), await tableSize(store.db, 'cache_chunks')];
const otherBytes = others.reduce((n, t) => n + t.bytesOnDisk, 0);
console.log(
  `disk: ${pts.rows} points, ${round(pts.bytesOnDisk / pts.rows)} bytes/point (points table, compression ${pts.ratio}x); ` +
    `${round((pts.bytesOnDisk + otherBytes) / pts.rows)} bytes/point with series and chunk tables`,
);

await store.close();
await db.close();
temp.cleanup();
