/**
 * The node agent's own cost on a busy node (issue #4), against Debian's
 * `prometheus-node-exporter` on the same machine at the same interval:
 *
 *   1. 50 busybox containers (real Docker, host network; every fifth in a light loop)
 *   2. node exporter on a free loopback port, scraped by the bench every 15 s; a remote write
 *      sink answering 204
 *   3. `vigil node-agent` as its own process (from source, through tsx), scrape interval 15 s,
 *      pushing to the sink through its disk spool, eBPF through its bpftrace child
 *   4. 200 new TCP connections/s from a generator child to loopback listeners in the bench
 *   5. warm-up (BENCH_WARMUP_S, 300), then the measured window (BENCH_WINDOW_S, 120): CPU
 *      (utime+stime from /proc) of the agent and its bpftrace child, and of node exporter, per
 *      second of wall time; their RSS (VmRSS) sampled every second; start-up peak = the max
 *      during the first 60 s after the agent was spawned
 *   6. event-rate phases (BENCH_BURST_RATES, 1000,2500,5000 connections/s for BENCH_BURST_S,
 *      20 s each): events read per second and events lost, from the agent's own counters
 *
 * Goal (issue #4): agent + bpftrace ≤ 2% of one core and ≤ 200 MB RSS after steady state.
 * Run (as root, eBPF): npm run bench:node-agent   (--help lists the settings)
 * Writes bench/.out/node-agent.json. Figures are only meaningful on an otherwise idle machine.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freeLoopbackPort } from '@vigil/testkit';
import { formatProfileSummary, summarizeCpuProfile } from './lib/cpu-profile.ts';
import { machineFacts } from './lib/report.ts';
import { REPO_ROOT } from './lib/server-process.ts';
import { startAgent } from './node-agent/agent-process.ts';
import { ensureDocker, removeContainers, startContainers } from './node-agent/containers.ts';
import { startListeners } from './node-agent/load.ts';
import { startScrapedExporter, startSink } from './node-agent/peers.ts';
import {
  agentView,
  measureBurst,
  measureSteady,
  processGroups,
  startupPeaks,
  type Run,
} from './node-agent/phases.ts';
import { formatReport, type BurstResult, type NodeAgentBenchResult } from './node-agent/report.ts';
import { takeRunLock } from './node-agent/run-lock.ts';
import { Sampler } from './node-agent/sampler.ts';
import { readSettings } from './node-agent/settings.ts';

const settings = readSettings();
if (process.getuid?.() !== 0) {
  console.error(
    'bench:node-agent must run as root: the agent needs root for eBPF (bpftrace). Rerun with sudo.',
  );
  process.exit(1);
}
const outDir = path.join(REPO_ROOT, 'bench/.out');

/** Teardown steps, run newest first, once, on the way out or on SIGINT/SIGTERM. */
const cleanups: Array<[string, () => unknown]> = [];
const defer = (name: string, step: () => unknown): void => void cleanups.push([name, step]);
let cleaning: Promise<void> | undefined;
let interrupted = false;
function cleanUp(): Promise<void> {
  cleaning ??= (async () => {
    for (const [name, step] of cleanups.splice(0).reverse()) {
      try {
        await step();
      } catch (err) {
        console.error(`cleanup: ${name} failed: ${(err as Error).message}`);
      }
    }
  })();
  return cleaning;
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    interrupted = true;
    console.error(`\n${signal}: removing containers and stopping processes…`);
    void cleanUp().finally(() => process.exit(130));
  });
}

/** HEAD, and the agent's files with uncommitted changes (others edit it meanwhile). */
function agentCommit(): string {
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: REPO_ROOT, encoding: 'utf8' });
  const paths = ['apps/node-agent', 'apps/cli', 'packages/agent-kit', 'packages/core'];
  // Porcelain lines are `XY path`: the status letters, a space, the path.
  const dirty = git('status', '--porcelain', '--', ...paths)
    .split('\n')
    .filter((l) => l.length > 3)
    .map((l) => l.slice(3));
  const head = git('log', '-1', '--format=%h %cI').trim();
  return dirty.length === 0 ? head : `${head} + uncommitted changes to ${dirty.join(', ')}`;
}

/** Containers, peers and the agent, each with its teardown registered before it starts. */
async function setUp(): Promise<{ run: Run; containers: number; pushes: () => number }> {
  defer('run lock', takeRunLock());
  console.log(`# docker: ${await ensureDocker()}`);
  defer('containers', removeContainers);
  const lifetime = settings.warmupSeconds + settings.windowSeconds + 40 * settings.burstRates.length + 900;
  const names = await startContainers(settings.containers, lifetime);
  console.log(`# ${names.length} containers running`);
  const sink = await startSink();
  defer('sink', sink.close);
  const listeners = await startListeners(4);
  defer('listeners', listeners.close);
  const exporter = await startScrapedExporter(settings.scrapeIntervalSeconds);
  defer('node exporter', exporter.stop);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'vigil-bench-node-agent-'));
  defer('data dir', () => rmSync(dataDir, { recursive: true, force: true }));
  const agent = startAgent({
    port: await freeLoopbackPort(),
    scrapeIntervalSeconds: settings.scrapeIntervalSeconds,
    collectorUrl: sink.url,
    dataDir,
    nodeArgs: settings.agentNodeArgs,
    profileDir: path.join(outDir, 'node-agent-profile'),
    entry: settings.agentEntry,
  });
  defer('agent', agent.stop);
  const load = { pid: -1 };
  const sampler = new Sampler(processGroups(agent.pid, exporter.pid, () => load.pid));
  sampler.start();
  defer('sampler', () => sampler.stop());
  const run: Run = { settings, defer, agent, exporter, listeners, sampler, load };
  return { run, containers: names.length, pushes: () => sink.received().requests };
}

async function main(): Promise<NodeAgentBenchResult> {
  const machine = machineFacts();
  const commit = agentCommit();
  console.log(
    `# node-agent on ${machine.cores} cores (${machine.cpuModel}), load average ${machine.loadAverageAtStart.join(' ')}`,
  );
  const { run, containers, pushes } = await setUp();
  const { agent, sampler } = run;
  const spawned = sampler.samples[0]!;
  await agent.ready();
  const readySeconds = (performance.now() - spawned.ms) / 1000;
  console.log(
    `# agent pid ${agent.pid} ready in ${readySeconds.toFixed(1)} s; node exporter pid ${run.exporter.pid}`,
  );

  const steady = await measureSteady(run);
  const startup = startupPeaks(sampler, spawned, readySeconds);
  const bursts: BurstResult[] = [];
  if (settings.burstRates.length > 0) console.log(`# event rate: ${settings.burstSeconds} s per phase`);
  for (const rate of settings.burstRates) bursts.push(await measureBurst(run, rate));
  const agentSaw = await agentView(agent);
  const { bpftraceStarts, ebpfRuntime } = await agent.counters();
  const profile = await agent.stop();
  if (pushes() === 0) throw new Error('the sink received no push from the agent');
  const [from, to] = run.window!;
  if (profile !== undefined) {
    const summary = summarizeCpuProfile(profile, [from.monotonicUs, to.monotonicUs], 25);
    console.log(`\nagent CPU profile, JS main thread over the window:\n${formatProfileSummary(summary)}`);
  }
  return {
    date: new Date().toISOString(),
    machine,
    commit,
    settings,
    containers,
    agentSaw,
    exporterVersion: run.exporter.version,
    startup,
    steady,
    bursts,
    bpftraceStarts,
    ebpfRuntime,
    windowMonotonicUs: [from.monotonicUs, to.monotonicUs],
    ...(profile === undefined ? {} : { profileFile: path.relative(REPO_ROOT, profile) }),
  };
}

try {
  mkdirSync(outDir, { recursive: true });
  const result = await main();
  process.stdout.write(formatReport(result));
  writeFileSync(path.join(outDir, 'node-agent.json'), `${JSON.stringify(result, null, 2)}\n`);
} catch (err) {
  if (!interrupted) console.error(err);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
