/**
 * The benchmark's phases: warm-up and the measured window at the steady connection rate, the
 * event-rate phases after it, and the start-up peaks and the agent's own view read at the end.
 */
import { diffThreads, machineBusyCpuSeconds, threadCpuSeconds } from '../lib/proc-stats.ts';
import { residentUnionBytes } from '../lib/resident-pages.ts';
import { ebpfCountersIn, type AgentCounters, type AgentProcess } from './agent-process.ts';
import { startLoad, type Listeners } from './load.ts';
import type { ScrapedExporter } from './peers.ts';
import { childrenNamed, ProcessGroup, reapedChildrenCpuSeconds } from './process-meter.ts';
import type { BurstResult, NodeAgentBenchResult, StartupResult, SteadyResult } from './report.ts';
import type { Sample, Sampler } from './sampler.ts';
import type { BenchSettings } from './settings.ts';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const STARTUP_MS = 60_000;
/** The goal's process groups: the agent, the children it ran and waited for, its bpftrace. */
const AGENT = ['agent', 'agent-children', 'bpftrace'];

/** What the phases share: the processes under test and the sampler watching them. */
export interface Run {
  readonly settings: BenchSettings;
  /** Registers a teardown step (run on the way out, also on SIGINT). */
  readonly defer: (name: string, step: () => unknown) => void;
  readonly agent: AgentProcess;
  readonly exporter: ScrapedExporter;
  readonly listeners: Listeners;
  readonly sampler: Sampler;
  /** The running generator's pid (-1 between phases). */
  readonly load: { pid: number };
  /** The measured window's first and last samples. */
  window?: [Sample, Sample];
}

export function processGroups(
  agentPid: number,
  exporterPid: number,
  generatorPid: () => number,
): ProcessGroup[] {
  return [
    new ProcessGroup('agent', () => [agentPid]),
    new ProcessGroup('agent-children', () => [agentPid], { cpuOf: reapedChildrenCpuSeconds, memory: false }),
    new ProcessGroup('bpftrace', () => childrenNamed(agentPid, 'bpftrace')),
    new ProcessGroup('esbuild', () => childrenNamed(agentPid, 'esbuild')),
    new ProcessGroup('node-exporter', () => [exporterPid]),
    new ProcessGroup('generator', () => (generatorPid() > 0 ? [generatorPid()] : [])),
  ];
}

/** Sleeps `seconds`, printing the agent's CPU and RSS of the last minute every minute. */
async function waitWithProgress(r: Run, label: string, seconds: number): Promise<void> {
  const end = performance.now() + seconds * 1000;
  for (let left = seconds * 1000; left > 0; left = end - performance.now()) {
    await sleep(Math.min(60_000, left));
    const now = performance.now();
    const first = r.sampler.nearest(now - 60_000);
    if (first === undefined || end - now < 1000) continue;
    const s = r.sampler.stats(AGENT, first, r.sampler.sampleNow());
    console.log(
      `  ${label}: ${((end - now) / 1000).toFixed(0)} s left; last minute agent + bpftrace ` +
        `${(s.cpuShare * 100).toFixed(2)}% CPU, RSS ${(s.rssMaxBytes / 1e6).toFixed(0)} MB`,
    );
  }
}

export async function measureSteady(r: Run): Promise<SteadyResult> {
  const { ports, host } = r.listeners;
  const seconds = r.settings.warmupSeconds + r.settings.windowSeconds + 5;
  const load = startLoad({ host, ports, ratePerSecond: r.settings.connectionsPerSecond, seconds });
  r.defer('steady load', load.stop);
  r.load.pid = load.pid;
  console.log(`# ${r.settings.connectionsPerSecond} connections/s; warm-up ${r.settings.warmupSeconds} s…`);
  await waitWithProgress(r, 'warm-up', r.settings.warmupSeconds);

  const from = r.sampler.sampleNow();
  const [c0, threads0, busy0, scrapes0] = [
    await r.agent.counters(),
    threadCpuSeconds(r.agent.pid),
    machineBusyCpuSeconds(),
    r.exporter.scrapes().count,
  ];
  console.log(`# measuring ${r.settings.windowSeconds} s…`);
  await waitWithProgress(r, 'window', r.settings.windowSeconds);
  const to = r.sampler.sampleNow();
  r.window = [from, to];
  const togetherUniqueRssBytes = residentUnionBytes([r.agent.pid, ...childrenNamed(r.agent.pid, 'bpftrace')]);
  // The window in slices of one scrape interval: periodic work shows up as a slice standing out.
  // Slices run between the samples nearest their edges (the sampler can miss seconds when the
  // bench's own event loop is busy; samples only inside a slice could cover a fraction of it).
  const sliceMs = r.settings.scrapeIntervalSeconds * 1000;
  const cpuSlices: number[] = [];
  for (let start = from.ms; start + sliceMs <= to.ms + 500; start += sliceMs) {
    const [a, b] = [r.sampler.nearest(start), r.sampler.nearest(start + sliceMs)];
    if (a !== undefined && b !== undefined && b.ms > a.ms)
      cpuSlices.push(r.sampler.stats(AGENT, a, b).cpuShare);
  }
  const [c1, threads1, busy1] = [
    await r.agent.counters(),
    threadCpuSeconds(r.agent.pid),
    machineBusyCpuSeconds(),
  ];
  const loadResult = await load.done;
  r.load.pid = -1;

  const stats = (names: string[]) => r.sampler.stats(names, from, to);
  const measured = stats([...AGENT, 'esbuild', 'node-exporter', 'generator']);
  const pushes = c1.pushedRequests - c0.pushedRequests;
  return {
    seconds: measured.seconds,
    agent: stats(['agent']),
    agentChildren: stats(['agent-children']),
    bpftrace: stats(['bpftrace']),
    together: stats(AGENT),
    exporter: stats(['node-exporter']),
    esbuild: stats(['esbuild']),
    generatorCpuShare: stats(['generator']).cpuShare,
    othersShare: (busy1 - busy0 - measured.cpuSeconds) / measured.seconds,
    agentThreads: diffThreads(threads0, threads1),
    togetherUniqueRssBytes,
    cpuSlices,
    rssSplit: {
      agentAnonBytes: to.groups.get('agent')?.anonBytes ?? NaN,
      agentFileBytes: to.groups.get('agent')?.fileBytes ?? NaN,
      bpftraceAnonBytes: to.groups.get('bpftrace')?.anonBytes ?? NaN,
      bpftraceFileBytes: to.groups.get('bpftrace')?.fileBytes ?? NaN,
    },
    eventsPerSecond: (c1.events - c0.events) / measured.seconds,
    lostEvents: c1.lostEvents - c0.lostEvents,
    pushes,
    samplesPerPush: (c1.pushedSamples - c0.pushedSamples) / pushes,
    bytesPerPush: (c1.pushedBytes - c0.pushedBytes) / pushes,
    exporterSeries: r.exporter.scrapes().lastSeries,
    exporterScrapes: r.exporter.scrapes().count - scrapes0,
    load: loadResult,
  };
}

/**
 * Waits until the event counter reaches `expected` or stops growing for longer than a round of
 * the kernel's counts (`roundSeconds`), ≤ 60 s.
 */
async function drained(
  agent: AgentProcess,
  after: AgentCounters,
  from: number,
  expected: number,
  roundSeconds: number,
): Promise<[AgentCounters, number]> {
  const t0 = performance.now();
  let last = after;
  let stillSince = t0;
  for (;;) {
    await sleep(1000);
    const now = await agent.counters();
    const t = performance.now();
    if (now.events !== last.events) stillSince = t;
    if (now.events - from >= expected || t - stillSince > (roundSeconds + 2) * 1000 || t - t0 > 60_000)
      return [now, (t - t0) / 1000];
    last = now;
  }
}

export async function measureBurst(r: Run, rate: number): Promise<BurstResult> {
  const { ports, host } = r.listeners;
  const c0 = await r.agent.counters();
  const from = r.sampler.sampleNow();
  const load = startLoad({
    host,
    ports,
    ratePerSecond: rate,
    seconds: r.settings.burstSeconds,
    maxInFlight: 4000,
  });
  r.defer(`load ${rate}/s`, load.stop);
  r.load.pid = load.pid;
  const result = await load.done;
  const to = r.sampler.sampleNow();
  const c1 = await r.agent.counters();
  r.load.pid = -1;
  const expectedEvents = 2 * result.completed + result.failed;
  const [c2, drainSeconds] = await drained(
    r.agent,
    c1,
    c0.events,
    expectedEvents,
    Math.min(15, r.settings.scrapeIntervalSeconds),
  );
  const seconds = (to.ms - from.ms) / 1000;
  const burst: BurstResult = {
    targetRate: rate,
    load: result,
    achievedRate: result.completed / (result.elapsedMs / 1000),
    handledPerSecond: (c1.events - c0.events) / seconds,
    expectedEvents,
    eventsDuring: c1.events - c0.events,
    eventsAfterDrain: c2.events - c0.events,
    drainSeconds,
    lostEvents: c2.lostEvents - c0.lostEvents,
    agentCpuShare: r.sampler.stats(['agent', 'agent-children'], from, to).cpuShare,
    bpftraceCpuShare: r.sampler.stats(['bpftrace'], from, to).cpuShare,
  };
  console.log(
    `  ${rate}/s: ${Math.round(burst.achievedRate)} connections/s, ${Math.round(burst.handledPerSecond)} events/s read, ` +
      `${burst.eventsAfterDrain}/${burst.expectedEvents} events after ${drainSeconds.toFixed(0)} s, lost ${burst.lostEvents}`,
  );
  await sleep(5000);
  return burst;
}

export function startupPeaks(sampler: Sampler, spawned: Sample, readySeconds: number): StartupResult {
  const early = sampler.samples.filter((s) => s.ms - spawned.ms <= STARTUP_MS);
  const rss = (s: Sample, names: string[]): number =>
    names.reduce((n, g) => n + (s.groups.get(g)?.rssBytes ?? 0), 0);
  const max = (names: string[]): number => Math.max(0, ...early.map((s) => rss(s, names)));
  const last = sampler.samples[sampler.samples.length - 1]!;
  return {
    agentRssMaxBytes: max(['agent']),
    bpftraceRssMaxBytes: max(['bpftrace']),
    togetherRssMaxBytes: max(AGENT),
    agentVmHwmBytes: last.groups.get('agent')?.peakRssBytes ?? NaN,
    bpftraceVmHwmBytes: last.groups.get('bpftrace')?.peakRssBytes ?? NaN,
    readySeconds,
  };
}

/** What the agent's /metrics says it saw (read after the window: a scrape is a collection). */
export async function agentView(agent: AgentProcess): Promise<NodeAgentBenchResult['agentSaw']> {
  const text = await agent.metrics();
  const info = text.split('\n').filter((l) => l.startsWith('container_info{'));
  const counters = ebpfCountersIn(text);
  console.log(`# /metrics: events ${counters.events}, lost ${counters.lost} (the counters /health gave)`);
  return {
    containers: info.length,
    dockerContainers: info.filter((l) => l.includes('container_id="/docker/')).length,
    series: text.split('\n').filter((l) => l !== '' && !l.startsWith('#')).length,
  };
}
