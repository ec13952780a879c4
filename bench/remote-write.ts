/**
 * Prometheus remote write 1.0 ingest: Vigil against VictoriaMetrics and Prometheus (Debian's
 * binaries), the same pre-encoded requests to each, one receiver at a time on the same machine.
 *
 *   1. 1M active series shaped like node agents' (lib/remote-write-workload.ts: ~10 labels, 50
 *      metric names, requests of 2000 series as Prometheus's max_samples_per_send), one sample
 *      per series per pass; every pass patched with new timestamps (+15 s) and values and
 *      snappy-compressed before any clock starts, and checked by decoding
 *   2. per receiver: start it fresh; send pass 0 whole (every series is new to it: series
 *      creation, measured on its own, capped by --create-seconds) and drain; then passes 1… from
 *      keep-alive senders for --seconds (429 honoured), drain, let it settle a few seconds, read
 *      its own sample count, stop (Vigil: count the stored rows)
 *   3. CPU of the receiver process (utime+stime of all threads from /proc) per phase, per million
 *      acknowledged samples (steady phase: over send + drain + settle); peak RSS (VmHWM); rate =
 *      acknowledged samples / (send + drain) seconds
 *
 * A 30 s run of 1M series could not otherwise leave pass 0: creating 1M series costs every
 * receiver 20-70 CPU-s, so the steady figure (one scrape of 1M active series every 15 s is
 * 67k samples/s) is measured after it, and pass 0 reported next to it.
 *
 * Goal (issue): CPU-seconds per million samples, Vigil / VictoriaMetrics ≤ 1.0.
 * Run: npm run bench:remote-write -- [--seconds 30] [--series 1000000] [--senders 4]
 *        [--only vigil,vm,prometheus] [--passes N] [--settle 5] [--create-seconds 300] [--profile]
 * Writes bench/.out/remote-write.json. Figures are only meaningful on an otherwise idle machine.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { formatProfileSummary, summarizeCpuProfile, type ProfileSummary } from './lib/cpu-profile.ts';
import {
  diffThreads,
  machineBusyCpuSeconds,
  processCpuSeconds,
  processMemory,
  threadCpuSeconds,
} from './lib/proc-stats.ts';
import {
  RECEIVER_LABEL,
  RECEIVERS,
  startReceiver,
  type Receiver,
  type ReceiverName,
  type StopResult,
} from './lib/remote-write-receivers.ts';
import { sendRemoteWrite, type RemoteWriteSendResult } from './lib/remote-write-sender.ts';
import {
  buildWorkload,
  checkPassRequest,
  compressPass,
  METRIC_NAMES,
  PASS_INTERVAL_MS,
} from './lib/remote-write-workload.ts';
import { machineFacts } from './lib/report.ts';
import { REPO_ROOT } from './lib/server-process.ts';

const USAGE = `options: --seconds N (30)  --series N (1000000)  --batch N (2000 series per request)
         --senders N (4)  --passes N (enough for 800k samples/s)  --settle N (5 s counted after drain)
         --create-seconds N (300: cap on pass 0, which creates every series)
         --pause N (10 s idle before each receiver)  --only vigil,vm,prometheus  --profile
         --server-node-args="<flags>" (Vigil's node flags)
         --with-cache (keep Vigil's metrics cache on; off by default: see lib/remote-write-receivers.ts)`;

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '30' },
    series: { type: 'string', default: '1000000' },
    batch: { type: 'string', default: '2000' },
    senders: { type: 'string', default: '4' },
    passes: { type: 'string' },
    settle: { type: 'string', default: '5' },
    'create-seconds': { type: 'string', default: '300' },
    pause: { type: 'string', default: '10' },
    only: { type: 'string', default: RECEIVERS.join(',') },
    profile: { type: 'boolean', default: false },
    'server-node-args': { type: 'string', default: '' },
    'with-cache': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const int = (
  name: 'seconds' | 'series' | 'batch' | 'senders' | 'settle' | 'pause' | 'create-seconds',
  min = 1,
): number => {
  const n = Number(args[name]);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}\n${USAGE}`);
  return n;
};
const opt = {
  seconds: int('seconds'),
  series: int('series'),
  batch: int('batch'),
  senders: int('senders'),
  settle: int('settle', 0),
  createSeconds: int('create-seconds'),
  pause: int('pause', 0),
  // Enough passes that no receiver runs out before the deadline at up to 800k samples/s.
  passes: args.passes === undefined ? 0 : Number(args.passes),
  receivers: args.only.split(',').map((s) => s.trim()) as ReceiverName[],
  profile: args.profile,
  serverNodeArgs: args['server-node-args'].split(/\s+/).filter((a) => a !== ''),
  withCache: args['with-cache'],
};
for (const r of opt.receivers)
  if (!RECEIVERS.includes(r)) throw new Error(`--only: unknown receiver ${r}\n${USAGE}`);
// Pass 0 creates the series; the steady phase needs enough passes after it.
if (opt.passes === 0) opt.passes = Math.ceil((opt.seconds * 800_000) / opt.series) + 2;
if (!Number.isInteger(opt.passes) || opt.passes < 2)
  throw new Error(`--passes must be ≥ 2 (pass 0 creates the series)\n${USAGE}`);

const outDir = path.join(REPO_ROOT, 'bench/.out');
mkdirSync(outDir, { recursive: true });
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const cpuOfBench = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1e6;
};
const round = (x: number, digits = 2): number => Math.round(x * 10 ** digits) / 10 ** digits;
const n0 = (x: number): string => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '-');
const mib = (bytes: number): string => `${n0(bytes / 2 ** 20)} MiB`;

const machine = machineFacts();
console.log(
  `# remote-write on ${machine.cores} cores (${machine.cpuModel}), ${round(machine.memoryBytes / 2 ** 30, 1)} GiB, ` +
    `node ${machine.node}; load average ${machine.loadAverageAtStart.join(' ')}`,
);

// ---- 1. the requests, before any clock --------------------------------------------------
// All timestamps in the past (the newest pass a minute ago), advancing by 15 s per pass.
const startMs = Math.floor(Date.now() / 1000) * 1000 - (opt.passes + 4) * PASS_INTERVAL_MS;
let t0 = performance.now();
const workload = buildWorkload(opt.series, opt.batch, startMs);
const buildSeconds = (performance.now() - t0) / 1000;
console.log(
  `encoded ${n0(opt.series)} series (${round(workload.labelsPerSeries, 1)} labels each, ${METRIC_NAMES} metric names) ` +
    `in ${workload.templates.length} requests: ${mib(workload.uncompressedBytes)} uncompressed, ${round(buildSeconds, 1)} s`,
);
t0 = performance.now();
const passes: Buffer[][] = [];
let compressedBytes = 0;
for (let p = 0; p < opt.passes; p++) {
  const pass = await compressPass(workload, p);
  checkPassRequest(workload, p, 0, pass[0]!);
  checkPassRequest(workload, p, pass.length - 1, pass[pass.length - 1]!);
  compressedBytes += pass.reduce((n, b) => n + b.length, 0);
  passes.push(pass);
}
const compressSeconds = (performance.now() - t0) / 1000;
const samplesPerRequest = workload.templates.map((t) => t.sampleOffsets.length);
console.log(
  `${opt.passes} passes patched and snappy-compressed in ${round(compressSeconds, 1)} s: ` +
    `${round(compressedBytes / opt.passes / opt.series, 1)} bytes/sample, ${mib(compressedBytes)} in all; ` +
    `first and last request of each pass decoded and checked; bench RSS ${mib(process.memoryUsage().rss)}`,
);

// ---- 2. each receiver in turn ------------------------------------------------------------
/** One measured phase of a receiver's run. */
interface Phase {
  send: RemoteWriteSendResult;
  drainSeconds: number;
  /** Seconds CPU was still counted after the drain (merges the load set off). */
  settleSeconds: number;
  /** send + drain: the denominator of samplesPerSecond. */
  wallSeconds: number;
  samplesPerSecond: number;
  cpuSeconds: number;
  cpuSecondsPerMillion: number;
  /** Over send + drain only, without the settle window. */
  sendDrainCpuSecondsPerMillion: number;
  threads: Array<[string, number]>;
  benchCpuSeconds: number;
  /** Share of the cores neither the receiver nor the bench used (other processes). */
  othersShare: number;
}
interface ReceiverResult {
  name: ReceiverName;
  version: string;
  loadAverageBefore: number[];
  /** Pass 0: every series is new to the receiver. */
  create: Phase;
  /** Passes 1…: appends to existing series for --seconds; the figures the goal is about. */
  steady: Phase;
  peakRssBytes: number;
  rssBytes: number;
  /** The receiver's own count of accepted samples (Vigil/VM/Prometheus self-metrics). */
  receiverCount: number | undefined;
  /** Rows in Vigil's metrics_samples after the stop. */
  storedSamples: number | undefined;
  acknowledgedSamples: number;
  stop: Omit<StopResult, 'profileFile'>;
  profile?: ProfileSummary;
  profileFile?: string;
}

type Snapshot = ReturnType<typeof snapshot>;
function snapshot(pid: number) {
  return {
    cpu: processCpuSeconds(pid),
    threads: threadCpuSeconds(pid),
    bench: cpuOfBench(),
    machine: machineBusyCpuSeconds(),
    ms: performance.now(),
    monotonicUs: Number(process.hrtime.bigint() / 1000n),
  };
}

/** Sends `phasePasses`, drains, waits `settleS`; CPU from the receiver's /proc entries. */
async function runPhase(
  receiver: Receiver,
  phasePasses: readonly Buffer[][],
  durationS: number,
  settleS: number,
): Promise<Phase & { start: Snapshot; afterDrain: Snapshot }> {
  const start = snapshot(receiver.pid);
  const send = await sendRemoteWrite({
    url: receiver.writeUrl,
    headers: receiver.headers,
    passes: phasePasses,
    samplesPerRequest,
    senders: opt.senders,
    durationMs: durationS * 1000,
  });
  const drainMs = await receiver.drain();
  const afterDrain = snapshot(receiver.pid);
  if (settleS > 0) await sleep(settleS * 1000);
  const end = snapshot(receiver.pid);
  const acked = send.acknowledgedSamples;
  const cpu = end.cpu - start.cpu;
  const wallSeconds = (send.elapsedMs + drainMs) / 1000;
  return {
    start,
    afterDrain,
    send,
    drainSeconds: drainMs / 1000,
    settleSeconds: (end.ms - afterDrain.ms) / 1000,
    wallSeconds,
    samplesPerSecond: acked / wallSeconds,
    cpuSeconds: cpu,
    cpuSecondsPerMillion: (cpu / acked) * 1e6,
    sendDrainCpuSecondsPerMillion: ((afterDrain.cpu - start.cpu) / acked) * 1e6,
    // proc-stats names the thread whose id is the pid 'main (JS)'; only Vigil's runs JS.
    threads: diffThreads(start.threads, end.threads).map(([t, sec]): [string, number] => [
      receiver.name !== 'vigil' && t === 'main (JS)' ? 'main thread' : t,
      sec,
    ]),
    benchCpuSeconds: end.bench - start.bench,
    othersShare:
      Math.max(0, end.machine - start.machine - cpu - (end.bench - start.bench)) /
      (((end.ms - start.ms) / 1000) * machine.cores),
  };
}

const describePhase = (label: string, p: Phase): string =>
  `  ${label}: ${n0(p.send.acknowledgedSamples)} samples acknowledged in ${round(p.send.elapsedMs / 1000, 1)} s + drain ` +
  `${round(p.drainSeconds, 1)} s: ${n0(p.samplesPerSecond)} samples/s, ${round(p.cpuSecondsPerMillion)} CPU-s per million`;

// Settings the server child inherits from this environment (the metrics cache, buffer sizes…).
const vigilSettings = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith('VIGIL_')));
const results: ReceiverResult[] = [];
for (const name of opt.receivers) {
  if (opt.pause > 0) {
    console.log(
      `\n# idle ${opt.pause} s before ${RECEIVER_LABEL[name]} (load average ${loadavg()[0]!.toFixed(2)})`,
    );
    await sleep(opt.pause * 1000);
  }
  const loadAverageBefore = loadavg().map((l) => round(l));
  const profileDir = opt.profile && name === 'vigil' ? path.join(outDir, 'remote-write-profile') : undefined;
  const receiver = await startReceiver(name, {
    vigilNodeArgs: opt.serverNodeArgs,
    vigilWithCache: opt.withCache,
    ...(profileDir ? { vigilProfileDir: profileDir } : {}),
  });
  console.log(
    `# ${RECEIVER_LABEL[name]} (${receiver.version}) pid ${receiver.pid}: pass 0 (new series, up to ` +
      `${opt.createSeconds} s), then ${opt.senders} senders for ${opt.seconds} s…`,
  );
  let measured;
  try {
    const create = await runPhase(receiver, passes.slice(0, 1), opt.createSeconds, 0);
    console.log(
      describePhase('pass 0', create) +
        (create.send.exhausted ? '' : ' (INCOMPLETE: raise --create-seconds)'),
    );
    const steady = await runPhase(receiver, passes.slice(1), opt.seconds, opt.settle);
    console.log(
      describePhase(`passes 1… (${steady.send.passesCompleted} complete)`, steady) +
        (steady.send.exhausted ? ' (all passes sent before the deadline: raise --passes)' : ''),
    );
    const receiverCount = await receiver.acceptedSamples();
    const memory = processMemory(receiver.pid);
    measured = { create, steady, receiverCount, memory };
  } catch (e) {
    await receiver.stop().catch(() => undefined);
    throw e;
  }
  const stopped = await receiver.stop();
  const { create, steady, receiverCount, memory } = measured;
  const phase = ({ start: _s, afterDrain: _a, ...rest }: Phase & { start: Snapshot; afterDrain: Snapshot }) =>
    rest;
  const r: ReceiverResult = {
    name,
    version: receiver.version,
    loadAverageBefore,
    create: phase(create),
    steady: phase(steady),
    peakRssBytes: memory.peakRssBytes,
    rssBytes: memory.rssBytes,
    receiverCount,
    storedSamples: stopped.storedSamples,
    acknowledgedSamples: create.send.acknowledgedSamples + steady.send.acknowledgedSamples,
    stop: {
      code: stopped.code,
      output: stopped.output,
      ...(stopped.storedSamples === undefined ? {} : { storedSamples: stopped.storedSamples }),
    },
  };
  if (stopped.profileFile) {
    r.profileFile = path.relative(REPO_ROOT, stopped.profileFile);
    r.profile = summarizeCpuProfile(
      stopped.profileFile,
      [steady.start.monotonicUs, steady.afterDrain.monotonicUs],
      25,
    );
  }
  results.push(r);
}

// ---- 3. report ---------------------------------------------------------------------------
const by = (name: ReceiverName): ReceiverResult | undefined => results.find((r) => r.name === name);
const cols = results.map((r) => RECEIVER_LABEL[r.name]);
const line = (label: string, cells: string[]): string =>
  `${label.padEnd(40)}${cells.map((c) => c.padStart(18)).join('')}`;
const cell = (f: (r: ReceiverResult) => string): string[] => results.map(f);
const phaseRows = (title: string, get: (r: ReceiverResult) => Phase): string[] => [
  title,
  line(
    '  samples/s (send + drain)',
    cell((r) => n0(get(r).samplesPerSecond)),
  ),
  line(
    '  CPU-s per million samples',
    cell((r) => get(r).cpuSecondsPerMillion.toFixed(2)),
  ),
  line(
    '    send + drain only',
    cell((r) => get(r).sendDrainCpuSecondsPerMillion.toFixed(2)),
  ),
  line(
    '  samples per CPU-second',
    cell((r) => n0(1e6 / get(r).cpuSecondsPerMillion)),
  ),
  line(
    '  acknowledged samples',
    cell((r) => n0(get(r).send.acknowledgedSamples)),
  ),
  line(
    '  send s + drain s (+ settle s)',
    cell(
      (r) =>
        `${round(get(r).send.elapsedMs / 1000, 1)}+${round(get(r).drainSeconds, 1)}` +
        (get(r).settleSeconds > 0.05 ? `(+${round(get(r).settleSeconds, 1)})` : ''),
    ),
  ),
  line(
    '  429 answers (waited s)',
    cell((r) => `${get(r).send.status429} (${round(get(r).send.retryWaitMs / 1000, 1)})`),
  ),
  line(
    '  request latency p50 / p99 ms',
    cell((r) => `${n0(get(r).send.latencyMs.p50)} / ${n0(get(r).send.latencyMs.p99)}`),
  ),
  line(
    '  receiver CPU, share of the cores',
    cell(
      (r) =>
        `${Math.round((get(r).cpuSeconds / ((get(r).wallSeconds + get(r).settleSeconds) * machine.cores)) * 100)}%`,
    ),
  ),
  line(
    '  other processes, share of the cores',
    cell((r) => `${Math.round(get(r).othersShare * 100)}%`),
  ),
  line(
    '  bench (senders) CPU-s',
    cell((r) => get(r).benchCpuSeconds.toFixed(1)),
  ),
];
const out: string[] = [
  '',
  `## remote-write  (${new Date().toISOString()})`,
  `machine   ${machine.cores} cores (${machine.cpuModel}), ${round(machine.memoryBytes / 2 ** 30, 1)} GiB, node ${machine.node}, ` +
    `linux ${machine.kernel}; load average at start ${machine.loadAverageAtStart.join(' ')}`,
  `workload  ${n0(opt.series)} active series, ${round(workload.labelsPerSeries, 1)} labels, ${METRIC_NAMES} metric names; ` +
    `${workload.templates.length} requests of ${opt.batch} series per pass, ${round(compressedBytes / opt.passes / opt.series, 1)} B/sample snappy; ` +
    `${opt.passes} passes 15 s apart`,
  `run       per receiver: pass 0 (creates every series), drain; then passes 1… from ${opt.senders} keep-alive senders ` +
    `for ${opt.seconds} s, drain, CPU counted ${opt.settle} s more`,
  `          Vigil settings: ${Object.keys(vigilSettings).length > 0 ? JSON.stringify(vigilSettings) : 'defaults'}` +
    (opt.serverNodeArgs.length > 0 ? `; node ${opt.serverNodeArgs.join(' ')}` : ''),
  '',
  line('figure', cols),
  ...phaseRows(`steady state: passes 1… for ${opt.seconds} s (the goal's figure)`, (r) => r.steady),
  ...phaseRows(`pass 0: ${n0(opt.series)} new series`, (r) => r.create),
  line(
    'peak RSS (VmHWM)',
    cell((r) => mib(r.peakRssBytes)),
  ),
  line(
    'acknowledged samples, both phases',
    cell((r) => n0(r.acknowledgedSamples)),
  ),
  line(
    "  receiver's own count",
    cell((r) => (r.receiverCount === undefined ? '-' : n0(r.receiverCount))),
  ),
  line(
    'load average before',
    cell((r) => r.loadAverageBefore[0]!.toFixed(2)),
  ),
];
const vigil = by('vigil');
const vm = by('vm');
const prom = by('prometheus');
const ratios: Record<string, number> = {};
const ratioLines = (other: ReceiverResult, label: string, key: string): void => {
  const v = vigil!;
  ratios[`steadyCpuPerSampleVigilTo${key}`] = round(
    v.steady.cpuSecondsPerMillion / other.steady.cpuSecondsPerMillion,
  );
  ratios[`steadyThroughputVigilTo${key}`] = round(v.steady.samplesPerSecond / other.steady.samplesPerSecond);
  ratios[`createCpuPerSampleVigilTo${key}`] = round(
    v.create.cpuSecondsPerMillion / other.create.cpuSecondsPerMillion,
  );
  const cpu = ratios[`steadyCpuPerSampleVigilTo${key}`]!;
  out.push(
    `Vigil / ${label}, CPU per sample, steady: ${cpu.toFixed(2)}` +
      (key === 'Vm' ? `  (goal ≤ 1.00: ${cpu <= 1 ? 'met' : 'MISSED'})` : ''),
    `Vigil / ${label}, samples/s, steady:      ${ratios[`steadyThroughputVigilTo${key}`]!.toFixed(2)}`,
    `Vigil / ${label}, CPU per sample, pass 0: ${ratios[`createCpuPerSampleVigilTo${key}`]!.toFixed(2)}`,
  );
};
if (vigil && (vm || prom)) out.push('');
if (vigil && vm) ratioLines(vm, 'VictoriaMetrics', 'Vm');
if (vigil && prom) ratioLines(prom, 'Prometheus', 'Prometheus');
for (const r of results) {
  out.push(
    '',
    `${RECEIVER_LABEL[r.name]} threads, steady (CPU-s): ${r.steady.threads
      .slice(0, 8)
      .map(([t, sec]) => `${t} ${sec.toFixed(1)}`)
      .join(', ')}`,
  );
  for (const [label, p] of [
    ['pass 0', r.create],
    ['steady', r.steady],
  ] as const) {
    if (Object.keys(p.send.failures).length > 0)
      out.push(
        `  FAILED REQUESTS (${label}): ${JSON.stringify(p.send.failures)}; first: ${p.send.firstFailure}`,
      );
  }
  if (r.receiverCount !== undefined && r.receiverCount !== r.acknowledgedSamples)
    out.push(`  receiver counted ${n0(r.receiverCount)} samples, ${n0(r.acknowledgedSamples)} acknowledged`);
  if (r.storedSamples !== undefined)
    out.push(
      `  stored rows (metrics_samples count() after stop): ${n0(r.storedSamples)}` +
        (r.storedSamples === r.acknowledgedSamples ? ' = acknowledged' : '  !!! ≠ acknowledged !!!'),
    );
  if (r.stop.code !== 0) out.push(`  !!! exited with code ${r.stop.code} !!!`);
  if (r.stop.output.length > 0) out.push(...r.stop.output.map((l) => `  | ${l.slice(0, 300)}`));
  if (r.profile)
    out.push(
      `  ${RECEIVER_LABEL[r.name]} UNDER --cpu-prof (figures include profiler overhead); main thread, steady send + drain:`,
      formatProfileSummary(r.profile)
        .split('\n')
        .map((l) => `  ${l}`)
        .join('\n'),
    );
}
console.log(out.join('\n'));

const report = {
  name: 'remote-write',
  date: new Date().toISOString(),
  machine,
  options: opt,
  vigilSettings,
  workload: {
    series: opt.series,
    seriesPerRequest: opt.batch,
    requestsPerPass: workload.templates.length,
    labelsPerSeries: workload.labelsPerSeries,
    metricNames: METRIC_NAMES,
    uncompressedBytesPerPass: workload.uncompressedBytes,
    compressedBytesPerPass: compressedBytes / opt.passes,
    passIntervalMs: PASS_INTERVAL_MS,
    firstTimestampMs: startMs,
    buildSeconds,
    compressSeconds,
  },
  results,
  ratios,
};
const file = path.join(outDir, 'remote-write.json');
writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
console.log(`\nJSON: ${path.relative(REPO_ROOT, file)}`);
const bad = results.some(
  (r) =>
    r.stop.code !== 0 ||
    (r.storedSamples !== undefined && r.storedSamples !== r.acknowledgedSamples) ||
    r.steady.send.acknowledgedSamples === 0,
);
if (bad) process.exitCode = 1;
