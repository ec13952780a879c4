/** The node-agent benchmark's result record (also written as JSON) and its printed table. */
import type { MachineFacts } from '../lib/report.ts';
import type { LoadResult } from './connection-load.ts';
import type { StretchStats } from './sampler.ts';

/** Issue #4's goals, for the agent and its bpftrace together after steady state. */
export const GOALS = { cpuShare: 0.02, rssBytes: 200e6 } as const;

export interface SteadyResult {
  readonly seconds: number;
  readonly agent: StretchStats;
  /** CPU of the short-lived children the agent waited for (`ss`, `nsenter`): cutime + cstime. */
  readonly agentChildren: StretchStats;
  readonly bpftrace: StretchStats;
  readonly together: StretchStats;
  readonly exporter: StretchStats;
  /** tsx's esbuild service, a child of the agent only because it runs from TypeScript source. */
  readonly esbuild: StretchStats;
  readonly generatorCpuShare: number;
  /** Busy share of one core the machine spent on everything not measured above. */
  readonly othersShare: number;
  readonly agentThreads: ReadonlyArray<readonly [string, number]>;
  /** RSS at the end of the window: anonymous (heap, stacks) and file-backed (mapped libraries). */
  /**
   * Agent + bpftrace at the window's end with every physical page counted once (pages shared
   * between them, e.g. two bpftrace processes' LLVM, count once; resident-pages.ts).
   */
  readonly togetherUniqueRssBytes: number;
  /** Agent + bpftrace CPU share in consecutive slices of one scrape interval over the window. */
  readonly cpuSlices: readonly number[];
  readonly rssSplit: {
    readonly agentAnonBytes: number;
    readonly agentFileBytes: number;
    readonly bpftraceAnonBytes: number;
    readonly bpftraceFileBytes: number;
  };
  readonly eventsPerSecond: number;
  readonly lostEvents: number;
  readonly pushes: number;
  readonly samplesPerPush: number;
  readonly bytesPerPush: number;
  readonly exporterSeries: number;
  readonly exporterScrapes: number;
  readonly load: LoadResult;
}

export interface StartupResult {
  /** Max of the per-second samples during the first 60 s after the agent was spawned. */
  readonly agentRssMaxBytes: number;
  readonly bpftraceRssMaxBytes: number;
  readonly togetherRssMaxBytes: number;
  /** VmHWM at the end of the window: peaks between samples are in it. */
  readonly agentVmHwmBytes: number;
  readonly bpftraceVmHwmBytes: number;
  readonly readySeconds: number;
}

export interface BurstResult {
  readonly targetRate: number;
  readonly load: LoadResult;
  /** Completed connections per second of the phase. */
  readonly achievedRate: number;
  /** Events the agent read per second during the phase (its counter's growth / phase time). */
  readonly handledPerSecond: number;
  /** 2 per completed connection (connect, close) + 1 per failed connect. */
  readonly expectedEvents: number;
  readonly eventsDuring: number;
  /** Counted once the counter stopped growing after the phase (the pipe's backlog read). */
  readonly eventsAfterDrain: number;
  readonly drainSeconds: number;
  readonly lostEvents: number;
  readonly agentCpuShare: number;
  readonly bpftraceCpuShare: number;
}

export interface NodeAgentBenchResult {
  readonly date: string;
  readonly machine: MachineFacts;
  readonly commit: string;
  readonly settings: {
    readonly agentEntry: string;
    readonly agentNodeArgs: readonly string[];
    readonly scrapeIntervalSeconds: number;
  };
  readonly containers: number;
  readonly agentSaw: { containers: number; dockerContainers: number; series: number };
  readonly exporterVersion: string;
  readonly startup: StartupResult;
  readonly steady: SteadyResult;
  readonly bursts: readonly BurstResult[];
  readonly bpftraceStarts: number;
  /** `aot`: the TCP program ran compiled under bpftrace-aotrt; `jit`: under bpftrace -e. */
  readonly ebpfRuntime: string;
  /** CLOCK_MONOTONIC µs of the window (to cut a `.cpuprofile` to it: bench/lib/cpu-profile.ts). */
  readonly windowMonotonicUs: readonly [number, number];
  readonly profileFile?: string;
}

const n0 = (x: number): string => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : '-');
const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
const pct = (share: number): string => `${(share * 100).toFixed(2)}%`;
const verdict = (ok: boolean): string => (ok ? 'met' : 'MISSED');
const row = (cells: readonly string[], widths = [44, 34, 22, 22]): string =>
  cells.map((c, i) => c.padEnd(widths[i] ?? 20)).join('');

/** Events per second the bench's own connections made (2 each: connect, close). */
export function eventsMadePerSecond(s: SteadyResult): number {
  return (2 * s.load.completed) / (s.load.elapsedMs / 1000);
}

/**
 * Whether the window measured what it should: nothing lost, events counted at the rate the
 * bench's connections make them, and not many more (bpftrace sees the whole machine: another
 * process's connections would be counted as the agent's work). The kernel's counts reach the
 * agent once per scrape interval, so the slack is one interval's worth (at least 5%).
 */
export function windowProblem(s: SteadyResult, intervalSeconds: number): string | undefined {
  const made = eventsMadePerSecond(s);
  const slack = Math.max(0.05, intervalSeconds / s.seconds);
  if (s.lostEvents > 0 || s.eventsPerSecond < (1 - slack) * made)
    return 'events lost: the agent did not keep up';
  if (s.eventsPerSecond > (1 + slack + 0.05) * made) return 'other processes made TCP connections too';
  return undefined;
}

export function formatReport(r: NodeAgentBenchResult): string {
  const s = r.steady;
  const u = r.startup;
  const ratio = s.together.cpuShare / s.exporter.cpuShare;
  const problem = windowProblem(s, Math.min(15, r.settings.scrapeIntervalSeconds));
  const cpuVerdict = problem === undefined ? verdict(s.together.cpuShare <= GOALS.cpuShare) : 'INVALID';
  const out = [
    '',
    `## node agent, ${r.date} (commit ${r.commit})`,
    `machine  ${r.machine.cores} cores (${r.machine.cpuModel}), ${(r.machine.memoryBytes / 2 ** 30).toFixed(1)} GiB, ` +
      `node ${r.machine.node}, linux ${r.machine.kernel}`,
    `load     ${r.containers} containers (the agent saw ${r.agentSaw.dockerContainers} Docker containers, ` +
      `${r.agentSaw.containers} in all, ${n0(r.agentSaw.series)} series on /metrics); ` +
      `${n0(s.load.completed / (s.load.elapsedMs / 1000))} new TCP connections/s; window ${n0(s.seconds)} s`,
    `agent    node ${[...r.settings.agentNodeArgs, ...(/\.[cm]?js$/.test(r.settings.agentEntry) ? [] : ['--import tsx']), r.settings.agentEntry].join(' ')} node-agent, ` +
      `VIGIL_SCRAPE_INTERVAL, push to a local 204 sink`,
    `         MB = 10^6 bytes; CPU as a share of one core (utime+stime from /proc over the window),`,
    `         agent + bpftrace = agent + the children it ran and reaped (ss, nsenter: cutime+cstime) + bpftrace`,
    '',
    row(['steady state', 'agent + bpftrace', `node exporter ${r.exporterVersion}`, 'goal']),
    row([
      'CPU',
      `${pct(s.together.cpuShare)} (${pct(s.agent.cpuShare)} + ${pct(s.agentChildren.cpuShare)} + ${pct(s.bpftrace.cpuShare)})`,
      pct(s.exporter.cpuShare),
      `≤ ${pct(GOALS.cpuShare)}: ${cpuVerdict}`,
    ]),
    row(['CPU per scrape interval in the window', s.cpuSlices.map((x) => pct(x)).join(' ')]),
    row([
      'RSS max (sampled every second)',
      `${mb(s.together.rssMaxBytes)} (${mb(s.agent.rssMaxBytes)} + ${mb(s.bpftrace.rssMaxBytes)})`,
      mb(s.exporter.rssMaxBytes),
      `≤ ${mb(GOALS.rssBytes)}: ${verdict(s.together.rssMaxBytes <= GOALS.rssBytes)}`,
    ]),
    row([
      'RSS mean',
      `${mb(s.together.rssMeanBytes)} (${mb(s.agent.rssMeanBytes)} + ${mb(s.bpftrace.rssMeanBytes)})`,
      mb(s.exporter.rssMeanBytes),
    ]),
    row([
      'start-up RSS peak (first 60 s, sampled)',
      `${mb(u.togetherRssMaxBytes)} (${mb(u.agentRssMaxBytes)} + ${mb(u.bpftraceRssMaxBytes)})`,
    ]),
    row([
      'RSS at window end, shared pages once',
      `${mb(s.togetherUniqueRssBytes)} (union of the resident pages of agent and bpftrace)`,
    ]),
    row([
      'RSS at window end, anonymous / file-backed',
      `agent ${mb(s.rssSplit.agentAnonBytes)} / ${mb(s.rssSplit.agentFileBytes)}`,
    ]),
    row(['', `bpftrace ${mb(s.rssSplit.bpftraceAnonBytes)} / ${mb(s.rssSplit.bpftraceFileBytes)}`]),
    row(['VmHWM (peak since start)', `${mb(u.agentVmHwmBytes)} + ${mb(u.bpftraceVmHwmBytes)}`]),
    row(['ratio CPU agent + bpftrace / node exporter', ratio.toFixed(2)]),
    row([
      'ratio CPU agent without bpftrace / exporter',
      ((s.agent.cpuShare + s.agentChildren.cpuShare) / s.exporter.cpuShare).toFixed(2),
    ]),
    '',
    `eBPF events ${n0(s.eventsPerSecond)}/s read (${n0(eventsMadePerSecond(s))}/s made by the bench), ` +
      `lost ${n0(s.lostEvents)}${problem === undefined ? '' : ` <-- INVALID WINDOW: ${problem}`}; ${s.pushes} pushes of ${n0(s.samplesPerPush)} samples ` +
      `(${n0(s.bytesPerPush)} bytes); node exporter scraped ${s.exporterScrapes} times, ${n0(s.exporterSeries)} series`,
    `agent threads (CPU-s over the window): ${s.agentThreads.map(([t, c]) => `${t} ${c.toFixed(2)}`).join(', ')}`,
    `also: ${
      s.esbuild.rssMaxBytes > 0
        ? `tsx's esbuild child of the agent ${pct(s.esbuild.cpuShare)} CPU, ${mb(s.esbuild.rssMaxBytes)} RSS ` +
          '(not counted: only there because the agent runs from source); '
        : ''
    }connection generator ${pct(s.generatorCpuShare)}; everything else ${pct(s.othersShare)} of one core`,
    `agent ready (eBPF attached) ${u.readySeconds.toFixed(1)} s after spawn; bpftrace starts: ${r.bpftraceStarts}; ` +
      `TCP program ${r.ebpfRuntime === 'aot' ? 'compiled ahead of time (bpftrace-aotrt)' : r.ebpfRuntime === 'jit' ? 'under bpftrace -e' : r.ebpfRuntime}`,
  ];
  if (r.bursts.length > 0) {
    const w = [10, 15, 15, 24, 15, 20, 22];
    out.push(
      '',
      'event rate (each phase after the window, no other load)',
      row(
        [
          'target/s',
          'connections/s',
          'events/s read',
          'events read / expected',
          'after drain',
          'lost / unaccounted',
          'CPU agent + bpftrace',
        ],
        w,
      ),
      ...r.bursts.map((b) =>
        row(
          [
            n0(b.targetRate),
            n0(b.achievedRate),
            n0(b.handledPerSecond),
            `${n0(b.eventsDuring)} / ${n0(b.expectedEvents)}`,
            `${n0(b.eventsAfterDrain)} (${b.drainSeconds.toFixed(0)} s)`,
            `${n0(b.lostEvents)} / ${n0(Math.max(0, b.expectedEvents - b.eventsAfterDrain - b.lostEvents))}`,
            `${pct(b.agentCpuShare)} + ${pct(b.bpftraceCpuShare)}`,
          ],
          w,
        ),
      ),
    );
  }
  if (r.profileFile) out.push('', `AGENT UNDER --cpu-prof (figures include the profiler): ${r.profileFile}`);
  return `${out.join('\n')}\n`;
}
