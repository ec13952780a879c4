/**
 * PromQL range-query latency: Vigil (embedded store + its PromQL engine, through the server's
 * Prometheus API) against Prometheus 2.42 from Debian on the same data.
 *
 *   data    10k series (100 targets × 100: counters, gauges, a classic histogram) × 24 h at 15 s
 *           = 57.6M samples (lib/promql-data.ts). Vigil: MetricStore inserts in a child process,
 *           merges settled (lib/promql-load-vigil.ts). Prometheus: OpenMetrics text streamed to a
 *           file, then `promtool tsdb create-blocks-from openmetrics --max-block-duration=24h`
 *           (remote write refuses old samples), the blocks a compacted day would have.
 *   servers `vigil server` child (VIGIL_METRICS_TTL=60 so a kept data set stays whole) and
 *           `prometheus` on the blocks, both on loopback, started after the load
 *   queries rate, sum by, histogram_quantile, topk, gauge aggregations (lib/promql-queries.ts),
 *           each over 1 h (step 60 s) and 24 h (step 300 s); the answers compared once, then
 *           warm-ups and timed runs alternating between the two servers, wall time of the HTTP
 *           request including reading the JSON body, and each server's CPU for the request
 *
 * Goal (issue): Vigil no slower than Prometheus on any query (p50), faster on 24 h aggregations.
 * Run: npm run bench:promql -- [--instances 100] [--samples 10] [--reuse DIR] [--optimize]
 * `--reuse DIR` loads into DIR once and keeps it (load ~4 min); later runs skip the load.
 * Writes bench/.out/promql.json. Figures are only meaningful on an otherwise idle machine.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync, readdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { makeTempDir, PROMTOOL_BIN, startPrometheus, type PrometheusServer } from '@vigil/testkit';
import { runJsonChild } from './lib/json-child.ts';
import { machineFacts } from './lib/report.ts';
import { formatProfileSummary, summarizeCpuProfile, type ProfileSummary } from './lib/cpu-profile.ts';
import { diffThreads, processCpuSeconds, processMemory, threadCpuSeconds } from './lib/proc-stats.ts';
import { DAY_MS, SERIES_PER_INSTANCE, STEP_MS, writeOpenMetrics, type DataSpec } from './lib/promql-data.ts';
import type { LoadJob, LoadResult } from './lib/promql-load-vigil.ts';
import {
  compareAnswers,
  promqlCases,
  QUERIES,
  queryRangePath,
  summarizeAnswer,
  type AnswerSummary,
} from './lib/promql-queries.ts';
import { REPO_ROOT, startServerProcess, type ServerProcess } from './lib/server-process.ts';
import { summarize, type LatencySummary } from './lib/stats.ts';

const USAGE = `options: --instances N (100 targets x 100 series)  --samples N (10 timed runs per query and server)
         --warmups N (2)  --case-budget S (90: stop sampling a query after this many seconds)
         --reuse DIR (load once into DIR, reuse later)  --optimize (OPTIMIZE FINAL Vigil's tables after the load)
         --keep-openmetrics (keep the backfill file)  --timeout S (180 per request)
         --profile (Vigil under node --cpu-prof: where its main thread spends the timed runs)
         --no-rollups (Vigil answers from samples only: VIGIL_METRICS_ROLLUPS=false)`;

const { values: args } = parseArgs({
  options: {
    instances: { type: 'string', default: '100' },
    samples: { type: 'string', default: '10' },
    warmups: { type: 'string', default: '2' },
    'case-budget': { type: 'string', default: '90' },
    timeout: { type: 'string', default: '180' },
    reuse: { type: 'string' },
    optimize: { type: 'boolean', default: false },
    'keep-openmetrics': { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
    'no-rollups': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const int = (name: 'instances' | 'samples' | 'warmups' | 'case-budget' | 'timeout', min = 1): number => {
  const n = Number(args[name]);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}\n${USAGE}`);
  return n;
};
const opt = {
  instances: int('instances'),
  samples: int('samples'),
  warmups: int('warmups', 0),
  caseBudgetS: int('case-budget'),
  timeoutS: int('timeout'),
  reuse: args.reuse,
  optimize: args.optimize,
  profile: args.profile,
  rollups: !args['no-rollups'],
};
const METRICS_TTL_DAYS = 60;
const ADMIN_PASSWORD = 'bench-admin-password'; // what server-process.ts sets
const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;
const n0 = (x: number): string => Math.round(x).toLocaleString('en-US');

interface PrometheusLoad {
  openMetricsBytes: number;
  writeSeconds: number;
  promtoolSeconds: number;
  blocks: number;
  bytesOnDisk: number;
}
interface Meta {
  spec: DataSpec;
  series: number;
  samples: number;
  loadedAt: string;
  vigil: LoadResult;
  prometheus: PrometheusLoad;
}

const machine = machineFacts();
console.log(
  `# promql on ${machine.cores} cores (${machine.cpuModel}), ${round(machine.memoryBytes / 2 ** 30)} GiB, ` +
    `node ${machine.node}; load average ${machine.loadAverageAtStart.join(' ')}`,
);
const temp = opt.reuse === undefined ? makeTempDir('vigil-bench-promql-') : undefined;
const dir = temp?.dir ?? path.resolve(opt.reuse!);
mkdirSync(dir, { recursive: true });
const metaPath = path.join(dir, 'bench-meta.json');
const vigilDir = path.join(dir, 'vigil');
const promDir = path.join(dir, 'prometheus');

function runPromtool(file: string, outDir: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      PROMTOOL_BIN,
      ['tsdb', 'create-blocks-from', 'openmetrics', '--max-block-duration=24h', file, outDir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out = (out + c.toString('utf8')).slice(-20_000)));
    child.stderr.on('data', (c: Buffer) => (out = (out + c.toString('utf8')).slice(-20_000)));
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`promtool failed: ${out}`))));
  });
}

function duBytes(p: string): number {
  const st = statSync(p);
  if (!st.isDirectory()) return st.size;
  return readdirSync(p).reduce((n, f) => n + duBytes(path.join(p, f)), 0);
}

// ---- 1. the data, once per directory -------------------------------------------------------
let meta: Meta;
if (existsSync(metaPath)) {
  meta = JSON.parse(readFileSync(metaPath, 'utf8')) as Meta;
  console.log(
    `reusing ${dir}: ${n0(meta.series)} series × ${meta.spec.points} points = ${n0(meta.samples)} samples, loaded ${meta.loadedAt}`,
  );
  if (meta.spec.instances !== opt.instances)
    console.log(`  (--instances ${opt.instances} ignored: the kept data set has ${meta.spec.instances})`);
} else {
  const spec: DataSpec = {
    instances: opt.instances,
    startMs: Math.floor(Date.now() / 3_600_000) * 3_600_000 - DAY_MS,
    points: DAY_MS / STEP_MS,
  };
  const series = spec.instances * SERIES_PER_INSTANCE;
  const samples = series * spec.points;
  console.log(`loading ${n0(series)} series × ${spec.points} points = ${n0(samples)} samples into ${dir}`);
  rmSync(vigilDir, { recursive: true, force: true });
  rmSync(promDir, { recursive: true, force: true });
  mkdirSync(vigilDir, { recursive: true });
  const job: LoadJob = {
    dataDir: vigilDir,
    spec,
    metricsTtlDays: METRICS_TTL_DAYS,
    targetsPerInsert: 2,
    optimize: opt.optimize,
  };
  const vigil = await runJsonChild<LoadResult>('bench/lib/promql-load-vigil.ts', job);
  console.log(
    `Vigil: inserted in ${round(vigil.insertSeconds)} s (${n0(samples / vigil.insertSeconds)} samples/s, ` +
      `${round((vigil.insertCpuSeconds / samples) * 1e6, 2)} CPU-s per million), merges settled in ${vigil.settleSeconds} s` +
      `${opt.optimize ? `, OPTIMIZE FINAL ${round(vigil.optimizeSeconds)} s` : ''}; metrics_samples ${vigil.samplesTable.parts} parts, ` +
      `${round(vigil.samplesTable.bytesOnDisk / 1e6)} MB (${round(vigil.samplesTable.bytesOnDisk / samples, 2)} B/sample); ` +
      `5-minute rollups built in ${round(vigil.rollupSeconds)} s (${round(vigil.rollupCpuSeconds)} CPU-s), ` +
      `${round(vigil.rollupTable.bytesOnDisk / 1e6)} MB (${round(vigil.rollupTable.bytesOnDisk / vigil.samplesTable.bytesOnDisk, 2)}× the samples)`,
  );
  const omFile = path.join(dir, 'backfill.om');
  let t0 = performance.now();
  const openMetricsBytes = await writeOpenMetrics(omFile, spec);
  const writeSeconds = (performance.now() - t0) / 1000;
  console.log(
    `OpenMetrics file: ${round(openMetricsBytes / 1e9, 2)} GB in ${round(writeSeconds)} s; promtool…`,
  );
  t0 = performance.now();
  const promtoolOut = await runPromtool(omFile, promDir);
  const promtoolSeconds = (performance.now() - t0) / 1000;
  if (!args['keep-openmetrics']) rmSync(omFile, { force: true });
  const prometheus: PrometheusLoad = {
    openMetricsBytes,
    writeSeconds,
    promtoolSeconds,
    blocks: promtoolOut.split('\n').filter((l) => /^[0-9A-Z]{26}\s/.test(l)).length,
    bytesOnDisk: duBytes(promDir),
  };
  console.log(
    `Prometheus: promtool ${round(promtoolSeconds)} s (${n0(samples / promtoolSeconds)} samples/s), ${prometheus.blocks} blocks, ` +
      `${round(prometheus.bytesOnDisk / 1e6)} MB (${round(prometheus.bytesOnDisk / samples, 2)} B/sample)`,
  );
  meta = { spec, series, samples, loadedAt: new Date().toISOString(), vigil, prometheus };
  writeFileSync(metaPath, JSON.stringify(meta, null, 2));
}
const ageDays = (Date.now() - meta.spec.startMs) / DAY_MS;
if (ageDays > METRICS_TTL_DAYS - 2)
  throw new Error(`the data in ${dir} is ${round(ageDays)} days old, near Vigil's TTL: delete the directory`);

// ---- 2. both servers -----------------------------------------------------------------------
process.env.VIGIL_METRICS_TTL = `${METRICS_TTL_DAYS}d`;
const vigilSettings = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('VIGIL_')));
let vigil: ServerProcess | undefined;
const profileDir = path.join(REPO_ROOT, 'bench/.out/promql-profile');
let prom: PrometheusServer | undefined;
const stopAll = async (): Promise<void> => {
  await vigil?.stop(60_000).catch(() => undefined);
  await prom?.stop().catch(() => undefined);
};
try {
  rmSync(profileDir, { recursive: true, force: true });
  vigil = await startServerProcess({
    dataDir: vigilDir,
    apiKey: 'vk_bench_promql_unused_key',
    nodeArgs: opt.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
    // Queries only: the metrics cache's refreshes would run between the timed requests.
    env: { VIGIL_CACHE_ENABLED: 'false', VIGIL_METRICS_ROLLUPS: String(opt.rollups) },
  });
  prom = await startPrometheus({ dataDir: promDir });
} catch (e) {
  await stopAll();
  throw e;
}
const login = await fetch(`${vigil.apiUrl}/api/v1/login`, {
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
});
if (login.status !== 200) {
  await stopAll();
  throw new Error(`Vigil login failed: ${login.status} ${await login.text()}`);
}
const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
if (opt.rollups) await rollupsBuilt(vigil.apiUrl);

/**
 * Waits until the server's rollups cover the data (a data set kept from before rollups existed
 * is built by the server when it starts), so the build does not run between timed requests.
 * New buckets are built an hour at a time, so up to ~67 minutes of lag is the normal state.
 */
async function rollupsBuilt(url: string): Promise<void> {
  const t0 = performance.now();
  for (;;) {
    const text = await (await fetch(`${url}/metrics`)).text();
    const lag = Number(/^vigil_metrics_rollup_lag_seconds\{[^}]*\} (\S+)$/m.exec(text)?.[1] ?? NaN);
    const dirty = Number(/^vigil_metrics_rollup_dirty_ranges\{[^}]*\} (\S+)$/m.exec(text)?.[1] ?? NaN);
    if (lag < 7_500 && dirty === 0) {
      console.log(
        `Vigil's rollups: built to ${round(lag / 60)} min ago (waited ${round((performance.now() - t0) / 1000)} s)`,
      );
      return;
    }
    if (performance.now() - t0 > 1_800_000)
      throw new Error(`rollups not built after 30 min (lag ${lag} s, ${dirty} dirty)`);
    await new Promise((r) => setTimeout(r, 2_000));
  }
}

type Target = 'vigil' | 'prometheus';
const base: Record<Target, string> = { vigil: vigil.apiUrl, prometheus: prom.url };
const pid: Record<Target, number> = { vigil: vigil.pid, prometheus: prom.pid };
const headers: Record<Target, Record<string, string>> = { vigil: { cookie }, prometheus: {} };

async function request(
  target: Target,
  pathAndQuery: string,
): Promise<{ ms: number; cpuMs: number; status: number; text: string }> {
  const cpu0 = processCpuSeconds(pid[target]);
  const t0 = performance.now();
  try {
    const res = await fetch(`${base[target]}${pathAndQuery}`, {
      headers: headers[target],
      signal: AbortSignal.timeout(opt.timeoutS * 1000),
    });
    const text = await res.text();
    const ms = performance.now() - t0;
    return { ms, cpuMs: (processCpuSeconds(pid[target]) - cpu0) * 1000, status: res.status, text };
  } catch (e) {
    return {
      ms: performance.now() - t0,
      cpuMs: 0,
      status: 0,
      text: `request failed: ${(e as Error).message}`,
    };
  }
}

/**
 * Prometheus's block count and compactions so far: a compaction during the timed runs would land
 * on its figures. Blocks from promtool with --max-block-duration=24h are aligned to 18 h and not
 * compacted further while the next range (54 h) is incomplete, so none is expected.
 */
async function prometheusState(): Promise<string> {
  const text = await (await fetch(`${prom!.url}/metrics`)).text();
  const v = (name: string): string => new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? '?';
  return `${v('prometheus_tsdb_blocks_loaded')} blocks, ${v('prometheus_tsdb_compactions_total')} compactions`;
}

async function seriesCount(target: Target): Promise<string> {
  const time = String(Math.floor((meta.spec.startMs + DAY_MS) / 1000) - 60);
  const res = await request(
    target,
    `/api/v1/query?${new URLSearchParams({ query: 'count({__name__=~".+"})', time })}`,
  );
  const answer = summarizeAnswer(res.status, res.text);
  if (!answer.ok) return `error ${answer.error}`;
  const body = JSON.parse(res.text) as { data: { result: Array<{ value: [number, string] }> } };
  return `${body.data.result[0]?.value[1] ?? 0} series (${round(res.ms)} ms)`;
}

// ---- 3. queries ----------------------------------------------------------------------------
interface CaseResult {
  name: string;
  query: string;
  range: '1h' | '24h';
  stepS: number;
  goal: 'no slower' | 'faster';
  vigil: AnswerSummary & Partial<LatencySummary> & { meanCpuMs?: number; firstMs: number };
  prometheus: AnswerSummary & Partial<LatencySummary> & { meanCpuMs?: number; firstMs: number };
  /** Vigil p50 / Prometheus p50. */
  ratioP50?: number;
  met?: boolean;
  /** Undefined when the answers are equal; else the first difference. */
  difference?: string;
}

const results: CaseResult[] = [];
const promState = { before: '', after: '' };
const IDLE_SECONDS = 15;
let idleCpu: Record<Target, number> | undefined;
/** Vigil's CPU per thread over all query runs, and the window for its CPU profile. */
const timedWindow = { threads: new Map<string, number>(), fromUs: 0, toUs: 0 };
let vigilThreads: Array<[string, number]> | undefined;
let memory: Record<Target, { peakRssBytes: number; rssBytes: number }> | undefined;
try {
  console.log(
    `servers up: Vigil pid ${vigil.pid} (count: ${await seriesCount('vigil')}), ` +
      `Prometheus pid ${prom.pid} (count: ${await seriesCount('prometheus')}); load average ${loadavg()[0]!.toFixed(2)}`,
  );
  promState.before = await prometheusState();
  // Background work while nobody queries (Vigil's metrics cache refreshes on its own): it shares
  // the cores with the timed queries, so it is part of the picture.
  const idle0 = {
    vigil: processCpuSeconds(vigil.pid),
    prometheus: processCpuSeconds(prom.pid),
    ms: performance.now(),
  };
  await new Promise((r) => setTimeout(r, IDLE_SECONDS * 1000));
  const idleS = (performance.now() - idle0.ms) / 1000;
  idleCpu = {
    vigil: round((processCpuSeconds(vigil.pid) - idle0.vigil) / idleS, 3),
    prometheus: round((processCpuSeconds(prom.pid) - idle0.prometheus) / idleS, 3),
  };
  console.log(
    `idle for ${IDLE_SECONDS} s: Vigil used ${round(idleCpu.vigil * 100)}% of a core, Prometheus ${round(idleCpu.prometheus * 100)}%`,
  );

  const cases = promqlCases(meta.spec.startMs, meta.spec.startMs + DAY_MS - STEP_MS);
  timedWindow.threads = threadCpuSeconds(vigil.pid);
  timedWindow.fromUs = Number(process.hrtime.bigint() / 1000n);
  console.log(
    `\n${'query'.padEnd(44)}${'Vigil p50'.padStart(10)}${'p95'.padStart(8)}${'Prom p50'.padStart(10)}${'p95'.padStart(8)}` +
      `${'V/P'.padStart(7)}  goal`,
  );
  // First every query once on both (the answers, compared; this also warms both servers up),
  // then each query's warm-ups and timed runs.
  const firsts: CaseResult[] = [];
  for (const c of cases) {
    const p = queryRangePath(c);
    const first = { vigil: await request('vigil', p), prometheus: await request('prometheus', p) };
    const vSum = summarizeAnswer(first.vigil.status, first.vigil.text);
    const pSum = summarizeAnswer(first.prometheus.status, first.prometheus.text);
    const r: CaseResult = {
      name: c.name,
      query: c.query,
      range: c.range,
      stepS: c.stepS,
      goal: c.range === '24h' && /sum|avg|max|topk|histogram/.test(c.query) ? 'faster' : 'no slower',
      vigil: { ...vSum, firstMs: round(first.vigil.ms) },
      prometheus: { ...pSum, firstMs: round(first.prometheus.ms) },
    };
    if (vSum.ok && pSum.ok) r.difference = compareAnswers(first.vigil.text, first.prometheus.text);
    firsts.push(r);
  }
  for (const [k, c] of cases.entries()) {
    const p = queryRangePath(c);
    const r = firsts[k]!;
    const goal = r.goal;
    const timed: Record<Target, { ms: number[]; cpuMs: number[] }> = {
      vigil: { ms: [], cpuMs: [] },
      prometheus: { ms: [], cpuMs: [] },
    };
    const targets = (['vigil', 'prometheus'] as const).filter((t) => r[t].ok);
    for (let w = 1; w < opt.warmups; w++) for (const t of targets) await request(t, p);
    const caseStart = performance.now();
    for (let i = 0; i < opt.samples; i++) {
      // Alternate who goes first, so a slow moment of the machine does not favour one.
      const order = i % 2 === 0 ? targets : [...targets].reverse();
      for (const t of order) {
        const res = await request(t, p);
        timed[t].ms.push(res.ms);
        timed[t].cpuMs.push(res.cpuMs);
      }
      if (i >= 2 && (performance.now() - caseStart) / 1000 > opt.caseBudgetS) break;
    }
    for (const t of targets) {
      const s = summarize(timed[t].ms);
      const cpu = timed[t].cpuMs.reduce((a, b) => a + b, 0) / timed[t].cpuMs.length;
      Object.assign(r[t], s, { meanCpuMs: round(cpu) });
    }
    if (r.vigil.p50Ms !== undefined && r.prometheus.p50Ms !== undefined) {
      r.ratioP50 = round(r.vigil.p50Ms / r.prometheus.p50Ms, 2);
      r.met = goal === 'faster' ? r.ratioP50 < 1 : r.ratioP50 <= 1;
    }
    results.push(r);
    const col = (x: number | undefined, w: number): string =>
      (x === undefined ? '-' : x.toFixed(1)).padStart(w);
    console.log(
      `${c.name.padEnd(44)}${col(r.vigil.p50Ms, 10)}${col(r.vigil.p95Ms, 8)}${col(r.prometheus.p50Ms, 10)}${col(r.prometheus.p95Ms, 8)}` +
        `${(r.ratioP50 === undefined ? '-' : r.ratioP50.toFixed(2)).padStart(7)}  ${goal}${r.met === undefined ? '' : r.met ? ' met' : ' MISSED'}` +
        (r.difference ? '  ANSWERS DIFFER' : ''),
    );
    if (!r.vigil.ok) console.log(`    Vigil failed: ${r.vigil.error}`);
    if (!r.prometheus.ok) console.log(`    Prometheus failed: ${r.prometheus.error}`);
  }
  timedWindow.toUs = Number(process.hrtime.bigint() / 1000n);
  vigilThreads = diffThreads(timedWindow.threads, threadCpuSeconds(vigil.pid));
  promState.after = await prometheusState();
  memory = { vigil: processMemory(vigil.pid), prometheus: processMemory(prom.pid) };
} finally {
  await stopAll();
}
let profile: ProfileSummary | undefined;
let profileFile: string | undefined;
if (opt.profile && existsSync(profileDir)) {
  // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile; thread 0 is the main thread.
  const f = readdirSync(profileDir).find((n) => n.includes(`.${vigil.pid}.0.`) && n.endsWith('.cpuprofile'));
  if (f) {
    profileFile = path.join(profileDir, f);
    profile = summarizeCpuProfile(profileFile, [timedWindow.fromUs, timedWindow.toUs], 25);
  }
}

// ---- 4. report -----------------------------------------------------------------------------
const out: string[] = [
  '',
  `## promql  (${new Date().toISOString()})`,
  `machine   ${machine.cores} cores (${machine.cpuModel}), ${round(machine.memoryBytes / 2 ** 30)} GiB, node ${machine.node}, ` +
    `linux ${machine.kernel}; load average at start ${machine.loadAverageAtStart.join(' ')}`,
  `data      ${n0(meta.series)} series × ${meta.spec.points} points at 15 s = ${n0(meta.samples)} samples, 24 h from ${new Date(meta.spec.startMs).toISOString()}`,
  `          Vigil: loaded in ${round(meta.vigil.insertSeconds)} s + merges ${meta.vigil.settleSeconds} s; metrics_samples ${meta.vigil.samplesTable.parts} parts, ` +
    `${round(meta.vigil.samplesTable.bytesOnDisk / meta.samples, 2)} B/sample on disk`,
  `          Prometheus: OpenMetrics ${round(meta.prometheus.openMetricsBytes / 1e9, 2)} GB written in ${round(meta.prometheus.writeSeconds)} s, ` +
    `promtool ${round(meta.prometheus.promtoolSeconds)} s, ${meta.prometheus.blocks} blocks, ${round(meta.prometheus.bytesOnDisk / meta.samples, 2)} B/sample on disk; ` +
    `before the queries ${promState.before}, after ${promState.after}`,
  `runs      every query once on both (answers compared), then ${Math.max(0, opt.warmups - 1)} more warm-up(s), then up to ${opt.samples} timed runs per server, alternating; ` +
    'wall time of the HTTP request incl. reading the body; CPU = the server process, all threads',
  '',
  `${'query'.padEnd(44)}${'Vigil p50'.padStart(10)}${'p95'.padStart(8)}${'CPU ms'.padStart(8)}${'Prom p50'.padStart(10)}${'p95'.padStart(8)}` +
    `${'CPU ms'.padStart(8)}${'V/P p50'.padStart(9)}  goal`,
];
for (const r of results) {
  const col = (x: number | undefined, w: number): string =>
    (x === undefined ? '-' : x.toFixed(1)).padStart(w);
  out.push(
    `${r.name.padEnd(44)}${col(r.vigil.p50Ms, 10)}${col(r.vigil.p95Ms, 8)}${col(r.vigil.meanCpuMs, 8)}` +
      `${col(r.prometheus.p50Ms, 10)}${col(r.prometheus.p95Ms, 8)}${col(r.prometheus.meanCpuMs, 8)}` +
      `${(r.ratioP50 === undefined ? '-' : r.ratioP50.toFixed(2)).padStart(9)}  ${r.goal}: ${r.met === undefined ? 'n/a' : r.met ? 'met' : 'MISSED'}`,
  );
}
out.push('', 'answers (first run of each query):');
for (const r of results) {
  const v = r.vigil.ok ? `${r.vigil.series} series/${n0(r.vigil.points)} points` : `ERROR ${r.vigil.error}`;
  const p = r.prometheus.ok
    ? `${r.prometheus.series}/${n0(r.prometheus.points)}`
    : `ERROR ${r.prometheus.error}`;
  out.push(
    `  ${r.name.padEnd(42)} Vigil ${v}, Prometheus ${p}: ${r.vigil.ok && r.prometheus.ok ? (r.difference ? `DIFFER: ${r.difference.slice(0, 300)}` : 'same') : '-'}`,
  );
}
out.push(
  '',
  `background CPU while idle (${IDLE_SECONDS} s before the queries): Vigil ${idleCpu ? round(idleCpu.vigil * 100) : '-'}% of a core, ` +
    `Prometheus ${idleCpu ? round(idleCpu.prometheus * 100) : '-'}%; Vigil settings: ${JSON.stringify(vigilSettings)}`,
  `server peak RSS (VmHWM): Vigil ${n0((memory?.vigil.peakRssBytes ?? NaN) / 2 ** 20)} MiB, Prometheus ${n0((memory?.prometheus.peakRssBytes ?? NaN) / 2 ** 20)} MiB`,
  `queries: ${QUERIES.map((q) => `${q.name}: ${q.query} (${q.reads})`).join('; ')}`,
);
out.push(
  `Vigil CPU by thread over all query runs (CPU-s): ${(vigilThreads ?? [])
    .slice(0, 8)
    .map(([t, sec]) => `${t} ${sec.toFixed(1)}`)
    .join(', ')}`,
);
if (profile)
  out.push(
    '',
    'Vigil UNDER --cpu-prof (latencies include profiler overhead); main thread over all query runs:',
    formatProfileSummary(profile),
  );
const lines = vigil.output().slice(-8);
if (lines.length > 0) out.push('', 'last Vigil output:', ...lines.map((l) => `  ${l.slice(0, 300)}`));
console.log(out.join('\n'));

const report = {
  name: 'promql',
  date: new Date().toISOString(),
  machine,
  options: opt,
  dataDir: dir,
  meta,
  promState,
  idleCpu,
  vigilSettings,
  memory,
  vigilThreads,
  profileFile: profileFile && path.relative(REPO_ROOT, profileFile),
  profile,
  results,
};
mkdirSync(path.join(REPO_ROOT, 'bench/.out'), { recursive: true });
const file = path.join(REPO_ROOT, 'bench/.out/promql.json');
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nJSON: ${path.relative(REPO_ROOT, file)}${opt.reuse ? `\ndata kept in ${dir}` : ''}`);
temp?.cleanup();
if (results.some((r) => !r.vigil.ok || !r.prometheus.ok)) process.exitCode = 1;
