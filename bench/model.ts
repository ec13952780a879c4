/**
 * The world model and the audit at cluster scale (issue #6, "bench/model"): a synthetic cluster of
 * N applications (~5 instances each on N/10 nodes, 4 outbound connections per instance; see
 * lib/model-cluster.ts) served from memory as the metrics cache would answer the model's
 * queries, over a 1 h window at a 15 s step (241 points per series).
 *
 *   in memory  per size (default 250, 500, 1000 apps), in a child process of its own: the data
 *              pre-generated once, then a warm-up and --reps timed runs (fewer, but at least two,
 *              once a size has used --budget seconds: a run at 1,000 apps takes over a minute) of
 *              (a) buildWorld, (b) every application audited as AuditService does (SLO report
 *              with the default objectives, detectDeployments, auditApplication with default
 *              thresholds), (c) serviceMap; then, outside the total, (d) every report's charts
 *              drawn (the audit draws them only when read: what opening every application's
 *              page would add). Median and max per stage; heap: the largest
 *              `usedHeapSize` V8 saw before any GC of a stage (v8.GCProfiler — a timer cannot
 *              sample inside synchronous code) and at its end, with the typed arrays' off-heap
 *              memory (`external`) beside it, and the world's retained size after a forced GC;
 *              peak RSS of the process (VmHWM, reset before each run).
 *   server     (--server-apps N, default 100; 0 skips) a real server (startTestServer, embedded
 *              chDB, VIGIL_CACHE_STEP=15s) in a child process: 65 min of the same cluster's raw
 *              samples by remote write, the cache back-fill awaited, then
 *              `GET /api/v1/overview/applications` over the last hour: cold (world built from the
 *              cache and audited), repeated (the world and audits kept 30 s: views only), and
 *              rebuilt (the range shifted by one step: world rebuilt from a warm cache).
 *
 * Goal (issue #6): 1,000 apps / 5,000 instances / 20,000 connections built and audited in ≤ 1 s
 * with ≤ 1 GiB of heap. No peer runs on this machine (Coroot cannot be installed here).
 * Run: npm run bench:model -- [--sizes 250,500,1000] [--reps 5] [--budget 150] [--server-apps 100]
 * (2,000 apps is left out of the default: from the growth up to 1,000, a run would take ~3 min
 * and ~9 GiB.) Under `node --cpu-prof` each child writes its own profile; the server result
 * carries the cold request's CLOCK_MONOTONIC window to cut it with bench/lib/cpu-profile.ts.
 * Writes bench/.out/model.json.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { buildWorld, serviceMap } from '@vigil/model';
import { modelReads, PrebuiltSource } from './lib/model-cluster-reads.ts';
import { buildCluster } from './lib/model-cluster.ts';
import {
  auditAll,
  drawCharts,
  gridNow,
  median,
  n0,
  peakRss,
  r1,
  resetPeakRss,
  settle,
  watched,
} from './lib/model-measure.ts';
import { runServer, type ServerResult } from './lib/model-server.ts';
import { machineFacts } from './lib/report.ts';
import { REPO_ROOT } from './lib/server-process.ts';

const MIB = 2 ** 20;
const GOAL = { seconds: 1, heapBytes: 2 ** 30, apps: 1000 };
const SCRIPT = fileURLToPath(import.meta.url);

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '250,500,1000' },
    reps: { type: 'string', default: '5' },
    budget: { type: 'string', default: '150' },
    'server-apps': { type: 'string', default: '100' },
    child: { type: 'string' },
  },
});

// ---- child: one size in memory ----------------------------------------------------------------------

interface StageFigures {
  ms: number[];
  heap: number[];
  heapAndExternal: number[];
  gcMs: number[];
}
interface SizeResult {
  apps: number;
  input: {
    nodes: number;
    instances: number;
    connections: number;
    series: number;
    points: number;
    seriesByQuery: Record<string, number>;
    generateSeconds: number;
    /** Heap and external after generating the input, GC'd: the baseline under every figure. */
    baselineHeap: number;
    baselineExternal: number;
  };
  world: {
    applications: number;
    external: number;
    instances: number;
    connections: number;
    resolved: number;
    nodes: number;
    reports: number;
    statuses: Record<string, number>;
    deployments: number;
    edges: number;
  };
  stages: Record<'build' | 'audit' | 'map' | 'total' | 'charts', StageFigures>;
  peakRss: number[];
  retained: { worldHeap: number; worldExternal: number; auditHeap: number; auditExternal: number };
}

async function runSize(apps: number, reps: number, budgetSeconds: number): Promise<SizeResult> {
  const g0 = performance.now();
  const cluster = buildCluster(apps);
  const grid = gridNow();
  const reads = modelReads(cluster, grid);
  const generateSeconds = (performance.now() - g0) / 1000;
  const seriesByQuery: Record<string, number> = {};
  let series = 0;
  let points = 0;
  for (const [id, list] of reads) {
    if (list.length > 0) seriesByQuery[id] = list.length;
    series += list.length;
    for (const s of list) points += s.values.length;
  }
  const source = new PrebuiltSource(reads);
  await settle();
  const base = process.memoryUsage();
  const stages: SizeResult['stages'] = {
    build: { ms: [], heap: [], heapAndExternal: [], gcMs: [] },
    audit: { ms: [], heap: [], heapAndExternal: [], gcMs: [] },
    map: { ms: [], heap: [], heapAndExternal: [], gcMs: [] },
    total: { ms: [], heap: [], heapAndExternal: [], gcMs: [] },
    charts: { ms: [], heap: [], heapAndExternal: [], gcMs: [] },
  };
  const rss: number[] = [];
  let facts: SizeResult['world'] | undefined;
  let retained: SizeResult['retained'] | undefined;
  const deadline = performance.now() + budgetSeconds * 1000;
  let lastRunMs = 0;
  for (let rep = 0; rep <= reps; rep++) {
    // At least two timed runs; more while the size's time budget lasts.
    if (rep >= 3 && performance.now() + lastRunMs > deadline) break;
    await settle();
    resetPeakRss();
    const r0 = performance.now();
    if (rep === 0) {
      // The warm-up: not timed; it measures what the world and the audits keep alive (a forced GC
      // after each) and what was built.
      const m0 = process.memoryUsage();
      const world = await buildWorld(source, grid);
      await settle();
      const m1 = process.memoryUsage();
      const audits = auditAll(world);
      await settle();
      const m2 = process.memoryUsage();
      const map = serviceMap(world);
      retained = {
        worldHeap: m1.heapUsed - m0.heapUsed,
        worldExternal: m1.external - m0.external,
        auditHeap: m2.heapUsed - m1.heapUsed,
        auditExternal: m2.external - m1.external,
      };
      const statuses: Record<string, number> = {};
      let reports = 0;
      for (const a of audits.values())
        for (const r of a.reports) {
          reports++;
          const k = r.noData !== undefined ? 'no data' : r.status;
          statuses[k] = (statuses[k] ?? 0) + 1;
        }
      const conns = world.applications.flatMap((a) => a.upstreams);
      facts = {
        applications: world.applications.length,
        external: world.applications.filter((a) => a.kind === 'external').length,
        instances: world.applications.reduce((n, a) => n + a.instances.length, 0),
        connections: conns.length,
        resolved: conns.filter((c) => c.toInstance !== undefined).length,
        nodes: world.nodes.length,
        reports,
        statuses,
        deployments: [...audits.values()].reduce((n, a) => n + a.deployments.length, 0),
        edges: map.edges.length,
      };
      lastRunMs = performance.now() - r0;
      continue;
    }
    const build = await watched(() => buildWorld(source, grid));
    const world = build.value;
    const audit = await watched(() => auditAll(world));
    const map = await watched(() => serviceMap(world));
    // Not part of the total: the overview reads statuses only; this is what opening every
    // application's page would add (each report's charts drawn and their JSON arrays made).
    const charts = await watched(() => drawCharts(audit.value));
    rss.push(peakRss());
    lastRunMs = performance.now() - r0;
    const stagesRun = { build, audit, map, charts };
    for (const [k, s] of Object.entries(stagesRun)) {
      const f = stages[k as 'build' | 'audit' | 'map' | 'charts'];
      f.ms.push(s.ms);
      f.heap.push(s.peak.heap - base.heapUsed);
      f.heapAndExternal.push(s.peak.heapAndExternal - base.heapUsed - base.external);
      f.gcMs.push(s.peak.gcMs);
    }
    stages.total.ms.push(build.ms + audit.ms + map.ms);
    stages.total.heap.push(Math.max(build.peak.heap, audit.peak.heap, map.peak.heap) - base.heapUsed);
    stages.total.heapAndExternal.push(
      Math.max(build.peak.heapAndExternal, audit.peak.heapAndExternal, map.peak.heapAndExternal) -
        base.heapUsed -
        base.external,
    );
    stages.total.gcMs.push(build.peak.gcMs + audit.peak.gcMs + map.peak.gcMs);
  }
  return {
    apps,
    input: {
      nodes: cluster.nodes,
      instances: cluster.instances,
      connections: cluster.connections,
      series,
      points,
      seriesByQuery,
      generateSeconds,
      baselineHeap: base.heapUsed,
      baselineExternal: base.external,
    },
    world: facts!,
    stages,
    peakRss: rss,
    retained: retained!,
  };
}

// ---- parent -------------------------------------------------------------------------------------

function child<T>(job: unknown): Promise<T> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [...process.execArgv, SCRIPT, '--child', JSON.stringify(job)], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    p.stdout.on('data', (c: Buffer) => (out += c.toString('utf8')));
    p.once('error', reject);
    p.once('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as T);
      else reject(new Error(`child ${JSON.stringify(job)} exited with ${code}: ${out.slice(-2000)}`));
    });
  });
}

if (args.child) {
  const job = JSON.parse(args.child) as
    { kind: 'size'; apps: number; reps: number; budget: number } | { kind: 'server'; apps: number };
  const result =
    job.kind === 'size' ? await runSize(job.apps, job.reps, job.budget) : await runServer(job.apps);
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

const sizes = args.sizes
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => n > 0);
const reps = Number(args.reps);
const budget = Number(args.budget);
const serverApps = Number(args['server-apps']);
if (!sizes.every((n) => Number.isInteger(n)) || !(reps >= 1))
  throw new Error('--sizes a,b,c and --reps N ≥ 1');
if (typeof (globalThis as { gc?: unknown }).gc !== 'function')
  console.log('(run with node --expose-gc for clean baselines: npm run bench:model does)');

const machine = machineFacts();
const started = new Date();
console.log(
  `# model and audit, ${started.toISOString()}, ${machine.cores} cores (${machine.cpuModel}), ` +
    `${r1(machine.memoryBytes / 2 ** 30)} GiB, Node ${machine.node}, load average ${machine.loadAverageAtStart.join(' ')}`,
);
console.log(
  `# 1 h window at a 15 s step (241 points); ${reps} timed runs after a warm-up, each size in its own process\n`,
);

const results: SizeResult[] = [];
const mib = (b: number) => n0(b / MIB);
const ms = (xs: readonly number[]) => `${n0(median(xs))} / ${n0(Math.max(...xs))}`;
const mibs = (xs: readonly number[]) => `${mib(median(xs))} / ${mib(Math.max(...xs))}`;
for (const apps of sizes) {
  const t0 = performance.now();
  const r = await child<SizeResult>({ kind: 'size', apps, reps, budget });
  results.push(r);
  const w = r.world;
  console.log(
    `## ${n0(apps)} apps: ${n0(r.input.instances)} instances on ${n0(r.input.nodes)} nodes, ${n0(r.input.connections)} connections; ` +
      `input ${n0(r.input.series)} series, ${n0(r.input.points)} points (generated in ${r1(r.input.generateSeconds)} s, ` +
      `${mib(r.input.baselineHeap)} MiB heap)`,
  );
  console.log(
    `   world: ${n0(w.applications)} applications (${w.external} external), ${n0(w.instances)} instances, ${n0(w.connections)} connections ` +
      `(${n0(w.resolved)} resolved to an instance), ${w.nodes} nodes; ${n0(w.reports)} reports ` +
      `(${Object.entries(w.statuses)
        .map(([k, v]) => `${k} ${n0(v)}`)
        .join(', ')}), ${w.deployments} deployments, ${n0(w.edges)} map edges`,
  );
  console.log(
    `   ${r.stages.total.ms.length} timed runs; peak heap and heap + external (typed arrays' buffers) above the input's`,
  );
  console.log('   stage              ms median / max   heap MiB median / max   + external MiB   GC ms');
  for (const [name, f] of Object.entries(r.stages))
    console.log(
      `   ${(name === 'charts' ? 'charts (extra)' : name).padEnd(18)} ${ms(f.ms).padStart(17)}   ${mibs(f.heap).padStart(21)}   ${mibs(f.heapAndExternal).padStart(14)}   ${n0(median(f.gcMs)).padStart(5)}`,
    );
  console.log(
    `   peak RSS ${mibs(r.peakRss)} MiB; retained after GC: world ${mib(r.retained.worldHeap)} MiB heap + ${mib(r.retained.worldExternal)} MiB external, ` +
      `audits ${mib(r.retained.auditHeap)} + ${mib(r.retained.auditExternal)} MiB (${r1((performance.now() - t0) / 1000)} s for this size)\n`,
  );
}

// Input size per query id.
const ids = [...new Set(results.flatMap((r) => Object.keys(r.input.seriesByQuery)))].sort(
  (a, b) => (results.at(-1)!.input.seriesByQuery[b] ?? 0) - (results.at(-1)!.input.seriesByQuery[a] ?? 0),
);
console.log(`series per query id (${ids.length} of the model's queries have data here):`);
console.log(`   ${'query id'.padEnd(38)}${sizes.map((s) => `${n0(s)} apps`.padStart(12)).join('')}`);
for (const id of ids)
  console.log(
    `   ${id.padEnd(38)}${results.map((r) => n0(r.input.seriesByQuery[id] ?? 0).padStart(12)).join('')}`,
  );
console.log(`   ${'total series'.padEnd(38)}${results.map((r) => n0(r.input.series).padStart(12)).join('')}`);
console.log(
  `   ${'total points'.padEnd(38)}${results.map((r) => n0(r.input.points).padStart(12)).join('')}\n`,
);

// Growth per doubling.
console.log('growth (median of the larger size / median of the smaller):');
const growthRows: Array<[string, (r: SizeResult) => number]> = [
  ['build', (r) => median(r.stages.build.ms)],
  ['audit', (r) => median(r.stages.audit.ms)],
  ['service map', (r) => median(r.stages.map.ms)],
  ['total', (r) => median(r.stages.total.ms)],
  ['peak heap', (r) => median(r.stages.total.heap)],
  ['peak heap + external', (r) => median(r.stages.total.heapAndExternal)],
  ['peak RSS', (r) => median(r.peakRss)],
  ['input series', (r) => r.input.series],
];
const pairs = results.slice(1).map((r, i) => [results[i]!, r] as const);
console.log(`   ${''.padEnd(22)}${pairs.map(([a, b]) => `${a.apps}→${b.apps}`.padStart(12)).join('')}`);
for (const [name, f] of growthRows)
  console.log(
    `   ${name.padEnd(22)}${pairs.map(([a, b]) => `×${(f(b) / f(a)).toFixed(2)}`.padStart(12)).join('')}`,
  );

const atGoal = results.find((r) => r.apps === GOAL.apps);
if (atGoal) {
  const total = median(atGoal.stages.total.ms) / 1000;
  const heap = Math.max(...atGoal.stages.total.heap);
  const withInput = heap + atGoal.input.baselineHeap;
  const heapExt = Math.max(...atGoal.stages.total.heapAndExternal);
  console.log(
    `\ngoal at ${GOAL.apps} apps (${atGoal.stages.total.ms.length} runs): build + audit + map ${r1(total)} s median ` +
      `(goal ≤ ${GOAL.seconds} s: ${total <= GOAL.seconds ? 'met' : 'MISSED'}); peak heap ${mib(heap)} MiB above the input, ` +
      `${mib(withInput)} MiB with it (goal ≤ 1024 MiB: ${withInput <= GOAL.heapBytes ? 'met' : 'MISSED'}); ` +
      `heap + the typed arrays' off-heap buffers ${mib(heapExt)} MiB above the input (${heapExt <= GOAL.heapBytes ? 'within' : 'over'} 1 GiB)`,
  );
}

let server: ServerResult | undefined;
if (serverApps > 0) {
  console.log(
    `\nserver path (${serverApps} apps): remote write → chDB → metrics cache → GET /api/v1/overview/applications`,
  );
  const t0 = performance.now();
  server = await child<ServerResult>({ kind: 'server', apps: serverApps });
  if (server.error) console.log(`   FAILED: ${server.error}`);
  console.log(
    `   ${n0(server.series)} series, ${n0(server.samples)} samples written in ${r1(server.writeSeconds)} s; ` +
      `cache back-fill of the model's queries done ${r1(server.backfillSeconds)} s later`,
  );
  console.log(
    `   overview, cold (cache read + build + audit + views): ${n0(server.coldMs)} ms, ${server.rows} rows, ` +
      `incomplete ${JSON.stringify(server.incomplete)}; peak RSS ${mib(server.peakRssCold)} MiB (${mib(server.rssBefore)} before)`,
  );
  console.log(
    `   overview, same range again (world and audits kept 30 s): ${server.repeatedMs.map((x) => n0(x)).join(', ')} ms`,
  );
  console.log(
    `   overview, range shifted by one step (world rebuilt from the warm cache): ${server.rebuiltMs.map((x) => n0(x)).join(', ')} ms; ` +
      `peak RSS ${mib(server.peakRssRebuilt)} MiB`,
  );
  console.log(
    `   the same cluster in memory: build ${n0(server.inMemoryMs.build)} ms + audit ${n0(server.inMemoryMs.audit)} ms; ` +
      `the cache read, the views and HTTP take the other ${n0(server.coldMs - server.inMemoryMs.build - server.inMemoryMs.audit)} ms ` +
      `of the cold request (${r1((performance.now() - t0) / 1000)} s for this part)`,
  );
}

console.log(
  '\npeer: none — Coroot (the product whose model this follows) cannot be installed on this machine, so there is no same-machine figure or ratio.',
);

const outDir = path.join(REPO_ROOT, 'bench/.out');
mkdirSync(outDir, { recursive: true });
writeFileSync(
  path.join(outDir, 'model.json'),
  JSON.stringify({ date: started.toISOString(), machine, reps, sizes: results, server }, null, 2),
);
console.log(`JSON: bench/.out/model.json`);
