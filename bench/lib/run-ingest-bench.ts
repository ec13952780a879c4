/**
 * The OTLP/HTTP ingest benchmark, shared by ingest-traces.ts and ingest-logs.ts:
 *
 *   1. encode N distinct OTLP/protobuf bodies (before the clock starts), check the round trip
 *   2. start `vigil server` alone as a child (fresh data dir, loopback, log level warn)
 *   3. replay the bodies from several keep-alive senders for a fixed time, honouring 429
 *   4. drain: wait until /metrics says the write buffer is empty (the forceFlush equivalent)
 *   5. SIGTERM the server, open its data dir here and check count() = acknowledged items
 *   6. engine reference in a child process: same rows as Native files and as the server's TSV
 *
 * CPU of the server comes from /proc (all threads, chDB's too); the sender's own CPU and the
 * whole machine's are measured alongside, because on a small machine they share the cores.
 */
import { loadServerConfig } from '@vigil/server';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase, sql } from '@vigil/storage';
import { makeTempDir } from '@vigil/testkit';
import { summarizeCpuProfile, type ProfileSummary } from './cpu-profile.ts';
import type { EngineJob, EngineResult } from './engine-reference.ts';
import { runJsonChild } from './json-child.ts';
import { sendLoad } from './load-sender.ts';
import {
  diffThreads,
  machineBusyCpuSeconds,
  processCpuSeconds,
  processMemory,
  threadCpuSeconds,
} from './proc-stats.ts';
import { machineFacts, printReport, type BenchOptions, type BenchResult } from './report.ts';
import { startSampler } from './server-sampler.ts';
import { metricValue, REPO_ROOT, startServerProcess, type ServerProcess } from './server-process.ts';
import {
  checkRoundTrip,
  encodeBodies,
  makeRecords,
  SIGNALS,
  workloadParams,
  type Signal,
} from './workload.ts';

const USAGE = `options: --seconds N (30)  --senders N (8)  --bodies N (200)  --items-per-body N
         --engine-seconds N (60, cap per engine phase)  --skip-engine  --profile  --keep-data
         --server-node-args="<flags>" (with "=", e.g. --server-node-args=--max-semi-space-size=64)
server settings come from the environment as usual (VIGIL_BATCH_MAX_ITEMS, VIGIL_BUFFER_MAX_ITEMS…)`;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);
const benchCpuSeconds = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};

function options(signal: Signal): BenchOptions {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '30' },
      senders: { type: 'string', default: '8' },
      bodies: { type: 'string', default: '200' },
      'items-per-body': { type: 'string', default: String(SIGNALS[signal].defaultItemsPerBody) },
      'engine-seconds': { type: 'string', default: '60' },
      'skip-engine': { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      'keep-data': { type: 'boolean', default: false },
      'server-node-args': { type: 'string', default: '' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const int = (name: keyof typeof values): number => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer\n${USAGE}`);
    return n;
  };
  return {
    seconds: int('seconds'),
    senders: int('senders'),
    bodies: int('bodies'),
    itemsPerBody: int('items-per-body'),
    engineSeconds: int('engine-seconds'),
    skipEngine: values['skip-engine'],
    profile: values.profile,
    keepData: values['keep-data'],
    serverNodeArgs: values['server-node-args'].split(/\s+/).filter((a) => a !== ''),
  };
}

/** Polls the queue gauge until it reads 0; returns how long that took. */
async function drain(metrics: () => Promise<string>, signal: Signal, timeoutMs = 300_000): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const queued = metricValue(await metrics(), 'vigil_ingest_queue_items', signal);
    if (queued === 0) return performance.now() - t0;
    if (performance.now() - t0 > timeoutMs)
      throw new Error(`write buffer still holds ${queued} items after ${timeoutMs} ms`);
    // Each scrape costs the server a little CPU (prom-client collects process metrics).
    await sleep(100);
  }
}

function runEngineReference(job: EngineJob): Promise<EngineResult> {
  return runJsonChild<EngineResult>('bench/lib/engine-reference.ts', job);
}

/** Steps 3-5: load, drain, stop; CPU and memory of the server over send + drain. */
async function measureServer(
  server: ServerProcess,
  signal: Signal,
  opt: BenchOptions,
  bodies: readonly Buffer[],
  itemsPerBody: readonly number[],
  apiKey: string,
) {
  process.stdout.write(
    `# server pid ${server.pid} ready at ${server.otlpUrl}; sending for ${opt.seconds} s with ${opt.senders} senders…\n`,
  );
  const snapshot = () => ({
    server: processCpuSeconds(server.pid),
    threads: threadCpuSeconds(server.pid),
    bench: benchCpuSeconds(),
    machine: machineBusyCpuSeconds(),
    monotonicUs: monotonicUs(),
  });
  const start = snapshot();
  const sampler = startSampler(server, signal);
  const send = await sendLoad({
    url: `${server.otlpUrl}${SIGNALS[signal].path}`,
    apiKey,
    bodies,
    itemsPerBody,
    senders: opt.senders,
    durationMs: opt.seconds * 1000,
  });
  const benchSendCpu = benchCpuSeconds() - start.bench;
  const drainMs = await drain(() => server.metrics(), signal);
  const samples = await sampler.stop();
  const end = snapshot();
  const memory = processMemory(server.pid);
  const metricsText = await server.metrics();
  const stopped = await server.stop(); // SIGTERM flushes whatever is left (nothing, after drain)
  return { send, benchSendCpu, drainMs, start, end, samples, memory, metricsText, stopped };
}

export async function runIngestBench(signal: Signal): Promise<void> {
  const opt = options(signal);
  const spec = SIGNALS[signal];
  const name = `ingest-${signal}`;
  const outDir = path.join(REPO_ROOT, 'bench/.out');
  mkdirSync(outDir, { recursive: true });
  const facts = machineFacts();
  process.stdout.write(`# ${name}: encoding ${opt.bodies} bodies of ${opt.itemsPerBody} ${spec.items}…\n`);

  // 1. Workload, before any clock.
  const t0 = performance.now();
  const params = workloadParams(signal, opt.bodies, opt.itemsPerBody);
  const records = makeRecords(params);
  const bodies = encodeBodies(signal, records, opt.itemsPerBody);
  const encodeSeconds = (performance.now() - t0) / 1000;
  const checkedBodies = checkRoundTrip(signal, records, bodies, opt.itemsPerBody);
  const itemsPerBody = bodies.map((_, i) =>
    Math.min(opt.itemsPerBody, records.length - i * opt.itemsPerBody),
  );
  const distinctItems = records.length;
  records.length = 0; // the server gets bytes; let the objects go

  // The server's settings that shape ingest; the engine reference uses the same batch size.
  const serverSettings = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => /^VIGIL_(BATCH|BUFFER|MAX)_/.test(k)),
  );
  const batchItems = loadServerConfig({ argv: [], env: process.env }).batchMaxItems;

  // 2. Server, alone.
  const data = makeTempDir('vigil-bench-ingest-');
  const apiKey = `vk_bench_${randomBytes(12).toString('hex')}`;
  const profileDir = path.join(outDir, `${name}-profile`);
  rmSync(profileDir, { recursive: true, force: true });
  const server = await startServerProcess({
    dataDir: data.dir,
    apiKey,
    nodeArgs: [...opt.serverNodeArgs, ...(opt.profile ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [])],
  });
  // A failure below must not leave a server running or its data dir behind.
  const measured = await measureServer(server, signal, opt, bodies, itemsPerBody, apiKey).catch(
    async (e: unknown) => {
      await server.stop(10_000);
      if (!opt.keepData) data.cleanup();
      throw e;
    },
  );
  const { send, benchSendCpu, drainMs, start, end, samples, memory, metricsText, stopped } = measured;
  const m = (metric: string): number => metricValue(metricsText, metric, signal) ?? NaN;
  const db = await openDatabase({ dataDir: data.dir, database: 'vigil' });
  const [row] = await db.query<{ n: number | string }>(sql`SELECT count() AS n FROM ${db.table(spec.table)}`);
  const storedRows = Number(row?.n);
  await db.close();
  if (!opt.keepData) data.cleanup();

  // 6. Engine reference, with the server gone (the cores are its alone).
  const engine = opt.skipEngine
    ? undefined
    : await runEngineReference({
        workload: params,
        targetRows: Math.max(send.acknowledgedItems, distinctItems),
        maxSeconds: opt.engineSeconds,
        batchItems,
      });

  let profile: ProfileSummary | undefined;
  let profileFile: string | undefined;
  if (opt.profile) {
    // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile; thread 1 is tsx's loader-hooks thread.
    const file = readdirSync(profileDir).find(
      (f) => f.includes(`.${server.pid}.0.`) && f.endsWith('.cpuprofile'),
    );
    if (file) {
      profileFile = path.join(profileDir, file);
      profile = summarizeCpuProfile(profileFile, [start.monotonicUs, end.monotonicUs], 25);
    }
  }

  const wallSeconds = (send.elapsedMs + drainMs) / 1000;
  const serverCpu = end.server - start.server;
  const benchCpu = end.bench - start.bench;
  const result: BenchResult = {
    name,
    date: new Date().toISOString(),
    machine: facts,
    options: opt,
    serverSettings,
    batchItems,
    workload: {
      ...params,
      distinctItems,
      bytesPerBody: bodies.reduce((n, b) => n + b.length, 0) / bodies.length,
      encodeSeconds,
      checkedBodies,
    },
    spec,
    send,
    drainSeconds: drainMs / 1000,
    wallSeconds,
    itemsPerSecond: send.acknowledgedItems / wallSeconds,
    server: {
      cpuSeconds: serverCpu,
      cpuSecondsPerMillion: (serverCpu / send.acknowledgedItems) * 1e6,
      threads: diffThreads(start.threads, end.threads),
      peakRssBytes: memory.peakRssBytes,
      rssBytes: memory.rssBytes,
      samples,
      stop: stopped,
      batches: m('vigil_ingest_batch_size_count'),
      meanBatchItems: m('vigil_ingest_batch_size_sum') / m('vigil_ingest_batch_size_count'),
      insertSeconds: m('vigil_ingest_insert_duration_seconds_sum'),
      lastLines: server.output().slice(-10),
    },
    bench: { cpuSeconds: benchCpu, sendCpuSeconds: benchSendCpu },
    machineBusyCpuSeconds: end.machine - start.machine,
    storedRows,
    engine,
    profile,
    profileFile,
  };
  printReport(result);
  const jsonFile = path.join(outDir, `${name}.json`);
  writeFileSync(jsonFile, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(
    `\nJSON: ${path.relative(REPO_ROOT, jsonFile)}${profileFile ? `\nprofile: ${path.relative(REPO_ROOT, profileFile)}` : ''}\n`,
  );
  if (opt.keepData) process.stdout.write(`server data kept in ${data.dir}\n`);
  if (storedRows !== send.acknowledgedItems || stopped.code !== 0) process.exitCode = 1;
}
