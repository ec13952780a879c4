/**
 * What continuous CPU profiling costs a busy machine: one CPU-bound worker per core (the C
 * burner of the profiling tests, `burn <seconds>`, counting its iterations) runs for a fixed
 * time without the profiler and with it (the profiler's bpftrace at 99 Hz per CPU, and this
 * process reading, symbolising and aggregating its rounds, as the agent does; nothing is sent),
 * in alternating pairs. Reported: the workers' throughput loss (wall clock, and per CPU-second
 * they got: the latter is the sampling's cost inside them, the former also moves with whatever
 * else runs on the machine), the CPU of bpftrace and of this process while profiling, their
 * memory, and the spread over pairs.
 *
 * Each profiled run starts the profiler anew (bpftrace's compile is outside the measured window),
 * so its first round loads the symbol tables of every sampled process: steady state costs less.
 *
 * Run (as root, bpftrace installed): npm run bench:profiling-overhead
 *   BENCH_RUN_S (20)  BENCH_PAIRS (4)  BENCH_HZ (99)  BENCH_DUMP_S (10)
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { silentLogger } from '@vigil/core';
import { startNodeProfiling, type NodeProfiling } from '../apps/node-agent/src/profiling/node-profiling.ts';
import { compileBurner } from '../apps/node-agent/src/profiling/testing/burn-programs.ts';
import { describeMachine, machineInfo } from './lib/machine-info.ts';
import { machineBusyCpuSeconds, processCpuSeconds, processMemory } from './lib/proc-stats.ts';

const RUN_S = Number(process.env.BENCH_RUN_S ?? 20);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 4);
const HZ = Number(process.env.BENCH_HZ ?? 99);
const DUMP_S = Number(process.env.BENCH_DUMP_S ?? 10);
const WORKERS = cpus().length;

interface Run {
  readonly profiled: boolean;
  readonly iterations: number;
  /** CPU-seconds the workers got: with others' load on the machine, fewer than cores × run. */
  readonly workerCpuS: number;
  /** Busy CPU-seconds of the whole machine during the run (others' work shows here). */
  readonly machineCpuS: number;
  readonly bpftraceCpuS?: number;
  readonly agentCpuS?: number;
  readonly bpftraceRssBytes?: number;
  readonly bpftraceAnonBytes?: number;
  readonly agentRssBytes?: number;
  readonly samples?: number;
}

const work = mkdtempSync(path.join(tmpdir(), 'vigil-profiling-bench-'));
const burner = compileBurner(work, { name: 'vigil-bench-burn' });

/** Runs the workers for RUN_S; resolves with their summed iterations and CPU-seconds. */
async function runWorkers(): Promise<{ iterations: number; cpuS: number }> {
  const runs = Array.from({ length: WORKERS }, async () => {
    const child = spawn(burner, [String(RUN_S)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
    await once(child, 'close');
    const match = /iterations (\d+) cpu_ns (\d+)/.exec(out);
    if (match === null) throw new Error(`the burner printed no count: ${out}`);
    return { iterations: Number(match[1]), cpuS: Number(match[2]) / 1e9 };
  });
  const done = await Promise.all(runs);
  return {
    iterations: done.reduce((a, b) => a + b.iterations, 0),
    cpuS: done.reduce((a, b) => a + b.cpuS, 0),
  };
}

function anonBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^RssAnon:\s+(\d+) kB/m.exec(status)?.[1] ?? NaN) * 1024;
}

async function measure(profiled: boolean): Promise<Run> {
  let profiling: NodeProfiling | undefined;
  if (profiled) {
    const started = await startNodeProfiling({
      logger: silentLogger,
      version: 'bench',
      containerOf: (_pid, comm) => `/host/${comm}`,
      appIdOf: (id) => id,
      hz: HZ,
      dumpSeconds: DUMP_S,
      // A period ends inside the run, so encoding pprof is measured too.
      periodMs: Math.max(5_000, Math.floor((RUN_S * 1000) / 2)),
    });
    if ('unavailable' in started) throw new Error(`profiling unavailable: ${started.unavailable}`);
    profiling = started.profiling;
  }
  const bpftracePid = profiling?.status().bpftrace.pid;
  const bpftraceBefore = bpftracePid === undefined ? 0 : processCpuSeconds(bpftracePid);
  const agentBefore = process.cpuUsage();
  const machineBefore = machineBusyCpuSeconds();
  const { iterations, cpuS: workerCpuS } = await runWorkers();
  const machineCpuS = machineBusyCpuSeconds() - machineBefore;
  if (profiling === undefined || bpftracePid === undefined) {
    return { profiled, iterations, workerCpuS, machineCpuS };
  }
  const agent = process.cpuUsage(agentBefore);
  const run: Run = {
    profiled,
    iterations,
    workerCpuS,
    machineCpuS,
    bpftraceCpuS: processCpuSeconds(bpftracePid) - bpftraceBefore,
    agentCpuS: (agent.user + agent.system) / 1e6,
    bpftraceRssBytes: processMemory(bpftracePid).rssBytes,
    bpftraceAnonBytes: anonBytes(bpftracePid),
    agentRssBytes: process.memoryUsage().rss,
    samples: profiling.status().samples,
  };
  await profiling.stop();
  return run;
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const range = (xs: readonly number[], digits: number): string =>
  `${Math.min(...xs).toFixed(digits)} … ${Math.max(...xs).toFixed(digits)}`;
const mib = (bytes: number): string => (bytes / 2 ** 20).toFixed(1);

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('run as root (eBPF)');
  const machine = machineInfo();
  const runs: Run[] = [];
  const losses: number[] = [];
  /** Loss of iterations per worker CPU-second: the sampling's cost inside the workers. */
  const perCpuLosses: number[] = [];
  for (let pair = 0; pair < PAIRS; pair++) {
    const order = pair % 2 === 0 ? [false, true] : [true, false];
    const results: Run[] = [];
    for (const profiled of order) {
      const run = await measure(profiled);
      process.stderr.write(
        `pair ${pair + 1}/${PAIRS} ${profiled ? 'profiled' : 'baseline'}: ${run.iterations} iterations\n`,
      );
      results.push(run);
    }
    const off = results.find((r) => !r.profiled)!;
    const on = results.find((r) => r.profiled)!;
    losses.push(((off.iterations - on.iterations) / off.iterations) * 100);
    const rate = (r: Run): number => r.iterations / r.workerCpuS;
    perCpuLosses.push(((rate(off) - rate(on)) / rate(off)) * 100);
    runs.push(off, on);
  }
  const on = runs.filter((r) => r.profiled);
  const off = runs.filter((r) => !r.profiled);
  const pct = (cpuS: number): number => (cpuS / RUN_S) * 100;
  const rows: Array<[string, string, string]> = [
    ['workers (one per core)', String(WORKERS), ''],
    ['run length', `${RUN_S} s`, `${PAIRS} alternating pairs`],
    [
      'worker iterations, baseline',
      mean(off.map((r) => r.iterations)).toFixed(0),
      range(
        off.map((r) => r.iterations),
        0,
      ),
    ],
    [
      'worker iterations, profiled',
      mean(on.map((r) => r.iterations)).toFixed(0),
      range(
        on.map((r) => r.iterations),
        0,
      ),
    ],
    [
      'throughput loss, wall clock (%)',
      mean(losses).toFixed(2),
      `${range(losses, 2)} (others' load adds noise)`,
    ],
    [
      'iterations per worker CPU-second, loss (%)',
      mean(perCpuLosses).toFixed(2),
      `${range(perCpuLosses, 2)} (sampling cost charged to the workers)`,
    ],
    [
      'worker CPU-s per run, baseline / profiled',
      `${mean(off.map((r) => r.workerCpuS)).toFixed(1)} / ${mean(on.map((r) => r.workerCpuS)).toFixed(1)}`,
      `max ${WORKERS * RUN_S}`,
    ],
    [
      'bpftrace CPU (% of one core)',
      pct(mean(on.map((r) => r.bpftraceCpuS!))).toFixed(2),
      range(
        on.map((r) => pct(r.bpftraceCpuS!)),
        2,
      ),
    ],
    [
      'agent (this process) CPU (% of one core)',
      pct(mean(on.map((r) => r.agentCpuS!))).toFixed(2),
      range(
        on.map((r) => pct(r.agentCpuS!)),
        2,
      ),
    ],
    [
      'bpftrace RSS (MiB)',
      mib(mean(on.map((r) => r.bpftraceRssBytes!))),
      `anonymous ${mib(mean(on.map((r) => r.bpftraceAnonBytes!)))} MiB (the rest: shared libraries)`,
    ],
    [
      'agent (this process) RSS (MiB)',
      mib(mean(on.map((r) => r.agentRssBytes!))),
      'includes tsx and Node itself',
    ],
    [
      'samples read per profiled run',
      mean(on.map((r) => r.samples!)).toFixed(0),
      `rounds read by the run's end (every ${DUMP_S} s); ${HZ} Hz × ${WORKERS} CPUs = ${HZ * WORKERS}/s`,
    ],
    [
      'machine busy CPU-s per run, baseline / profiled',
      `${mean(off.map((r) => r.machineCpuS)).toFixed(1)} / ${mean(on.map((r) => r.machineCpuS)).toFixed(1)}`,
      `max ${WORKERS * RUN_S}: other load on the machine shows here`,
    ],
  ];
  console.log(
    `\nCPU profiling overhead (${HZ} Hz, rounds every ${DUMP_S} s) — ${describeMachine(machine)}\n`,
  );
  console.log('| measure | mean | spread / note |');
  console.log('|---|---|---|');
  for (const [k, v, n] of rows) console.log(`| ${k} | ${v} | ${n} |`);
}

try {
  await main();
} finally {
  rmSync(work, { recursive: true, force: true });
}
