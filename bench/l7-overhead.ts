/**
 * What the node agent's L7 tracing costs an HTTP server under load (issue #5): nginx on
 * loopback answers a fixed rate of requests from a fixed-rate load generator
 * (bench/tools/fixed-rate-http.c, built with the machine's gcc: 50 keep-alive connections,
 * latency from each request's due time, to the nanosecond), in rounds of runs: without the
 * agent, with the agent but L7 tracing off (its own interval work, logs and connection
 * tracking), with the agent as deployed (the bundle, eBPF and L7 on), and any extra arms.
 *
 * Per run: the whole machine's CPU (busy time of all cores from /proc/stat: the server, the load
 * generator, the agent, bpftrace, and the eBPF probes' time charged to the traced processes'
 * syscalls), the p99 latency, and with the agent, what it costs by its own accounts: the agent's
 * and its bpftrace children's CPU time (/proc) plus the time the kernel spent in its eBPF
 * programs (their run-time counters, bpf-run-time.ts). The whole-machine difference is what the
 * goal names (≤ 10% of one core); on a shared VM it moves by several points between identical
 * runs, so the agent's own accounts are reported beside it. p99 is compared within each round
 * (the runs of a round are minutes apart; rounds drift) against the goal of ≤ 5% added.
 *
 * Why not hey: it rounds latencies to 0.1 ms, the size of the 5% goal at its own ~2 ms p99
 * (most of which is hey's Go runtime, not nginx), and it takes a third of a core itself.
 *
 * Run (as root, eBPF, Docker running, gcc and nginx installed): npm run bench:l7-overhead
 *   BENCH_RPS (10000)  BENCH_RUN_S (20)  BENCH_PAIRS (3: rounds)  BENCH_AGENT_ENTRY (dist/vigil-node-agent.mjs)
 *   BENCH_EXTRA_ARMS="K=V,…;K=V": more arms, the agent with that environment, to price one feature
 *   BENCH_AGENT_WARMUP_S (25): load on a fresh agent before its measured run (steady state, not startup)
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { bpfRunTime, enableBpfStats } from './lib/bpf-run-time.ts';
import { machineBusyCpuSeconds, processCpuSeconds } from './lib/proc-stats.ts';
import { startAgent, type AgentProcess } from './node-agent/agent-process.ts';
import { childrenNamed, reapedChildrenCpuSeconds } from './node-agent/process-meter.ts';

const RPS = Number(process.env.BENCH_RPS ?? 10_000);
const RUN_S = Number(process.env.BENCH_RUN_S ?? 20);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 3);
const ENTRY = process.env.BENCH_AGENT_ENTRY ?? 'dist/vigil-node-agent.mjs';
const CONNECTIONS = 50;
const NGINX_PORT = 18_480;
const AGENT_PORT = 18_481;

/** Without the agent, the agent with L7 tracing off, the agent as deployed (L7 on). */
type Arm = string;

/**
 * BENCH_EXTRA_ARMS="K=V,K=V;K=V": more arms, each the agent with that environment (e.g.
 * `VIGIL_PROFILING=off`, `TRACES_SAMPLING=0`, `VIGIL_L7_READ_ARGS=entry`), to price one feature.
 */
const EXTRA_ARMS: Record<string, Record<string, string>> = Object.fromEntries(
  (process.env.BENCH_EXTRA_ARMS ?? '')
    .split(';')
    .filter((arm) => arm !== '')
    .map((arm) => [
      arm,
      Object.fromEntries(
        arm.split(',').map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]),
      ),
    ]),
);
/** Load on the agent before a measured run: its first rounds (symbol tables, spool files) are startup, not steady state. */
const AGENT_WARMUP_S = Number(process.env.BENCH_AGENT_WARMUP_S ?? 25);

interface RunResult {
  readonly arm: Arm;
  readonly seconds: number;
  readonly cores: number;
  readonly requests: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  /** Index of the round the run belongs to (p99 is compared within a round). */
  readonly round: number;
  /** The agent's and its bpftrace children's CPU-seconds per second of the run (NaN without it). */
  readonly agentCores: number;
  /** 200s of the warm-up and the run together. */
  readonly answered: number;
  /** Nanoseconds the agent's eBPF programs ran per request of the run (NaN without the agent). */
  readonly bpfNsPerRequest: number;
}

const work = mkdtempSync(path.join(tmpdir(), 'vigil-l7-bench-'));

/**
 * nginx as a daemon: its master leaves this process's tree, so the agent names it `/host/nginx`
 * (a child of this node process would count as part of `/host/node`).
 */
function startNginx(): { stop(): void } {
  const conf = path.join(work, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes 1;
daemon on;
pid ${work}/nginx.pid;
error_log ${work}/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 100000000;
  server {
    listen 127.0.0.1:${NGINX_PORT};
    location / { return 200 "ok\\n"; }
  }
}
`,
  );
  execFileSync('nginx', ['-c', conf, '-p', work], { stdio: 'inherit' });
  return { stop: () => execFileSync('nginx', ['-c', conf, '-p', work, '-s', 'stop'], { stdio: 'inherit' }) };
}

/** The load generator, compiled once per run of the bench. */
function buildLoadGenerator(): string {
  const binary = path.join(work, 'fixed-rate-http');
  const source = path.join(import.meta.dirname, 'tools', 'fixed-rate-http.c');
  execFileSync('gcc', ['-O2', '-Wall', '-o', binary, source], { stdio: 'inherit' });
  return binary;
}

interface Load {
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
  readonly errors: number;
}

/** The generator's one line of key=value pairs. */
function parseLoad(out: string): Load {
  const v = Object.fromEntries(
    out
      .trim()
      .split(/\s+/)
      .map((kv) => [kv.slice(0, kv.indexOf('=')), Number(kv.slice(kv.indexOf('=') + 1))]),
  ) as Record<string, number>;
  const field = (k: string): number => {
    if (!Number.isFinite(v[k])) throw new Error(`the load generator printed no ${k}: ${out}`);
    return v[k]!;
  };
  return {
    rps: field('rps'),
    p50Ms: field('p50_us') / 1000,
    p99Ms: field('p99_us') / 1000,
    requests: field('status_2xx'),
    errors: field('errors') + field('status_other'),
  };
}

let loadGenerator = '';

function runLoad(seconds: number): Promise<Load> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      loadGenerator,
      [String(NGINX_PORT), String(CONNECTIONS), String(RPS), String(seconds)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(parseLoad(out)) : reject(new Error(`the load generator exited ${code}`)),
    );
  });
}

/** CPU-seconds of the agent and its bpftrace children so far. */
function agentCpuSeconds(agentPid: number, bpftrace: readonly number[]): number {
  let sum = processCpuSeconds(agentPid) + reapedChildrenCpuSeconds(agentPid);
  for (const pid of bpftrace) sum += processCpuSeconds(pid);
  return sum;
}

async function measure(arm: Arm, round: number, agentPid?: number): Promise<RunResult> {
  const warm = await runLoad(3); // connections up, caches warm
  const bpftrace = agentPid === undefined ? [] : childrenNamed(agentPid, 'bpftrace');
  const t0 = performance.now();
  const busy0 = machineBusyCpuSeconds();
  const bpf0 = bpfRunTime(bpftrace);
  const agent0 = agentPid === undefined ? NaN : agentCpuSeconds(agentPid, bpftrace);
  const load = await runLoad(RUN_S);
  const agent1 = agentPid === undefined ? NaN : agentCpuSeconds(agentPid, bpftrace);
  const bpf1 = bpfRunTime(bpftrace);
  const busy1 = machineBusyCpuSeconds();
  const seconds = (performance.now() - t0) / 1000;
  return {
    arm,
    round,
    seconds,
    cores: (busy1 - busy0) / seconds,
    agentCores: (agent1 - agent0) / seconds,
    ...load,
    answered: warm.requests + load.requests,
    bpfNsPerRequest: agentPid === undefined ? NaN : (bpf1.ns - bpf0.ns) / load.requests,
  };
}

function sink(): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.statusCode = 204;
      res.end();
    });
  });
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r(server)));
}

const stats = (xs: number[]): { mean: number; min: number; max: number } => ({
  mean: xs.reduce((a, b) => a + b, 0) / xs.length,
  min: Math.min(...xs),
  max: Math.max(...xs),
});

async function main(): Promise<void> {
  for (const tool of ['gcc', 'nginx']) {
    try {
      execFileSync('which', [tool], { stdio: 'ignore' });
    } catch {
      throw new Error(`${tool} is not installed (Debian packages gcc and nginx-light)`);
    }
  }
  loadGenerator = buildLoadGenerator();
  const restoreBpfStats = enableBpfStats();
  const nginx = startNginx();
  const receiver = await sink();
  const collectorUrl = `http://127.0.0.1:${(receiver.address() as net.AddressInfo).port}`;
  const runs: RunResult[] = [];
  let inboundCounted = NaN;
  try {
    await new Promise((r) => setTimeout(r, 500));
    for (let pair = 0; pair < PAIRS; pair++) {
      runs.push(await measure('none', pair));
      console.log(`  without agent:    ${fmt(runs.at(-1)!)}`);
      for (const arm of ['no-l7', 'agent', ...Object.keys(EXTRA_ARMS)]) {
        const agent: AgentProcess = startAgent({
          port: AGENT_PORT,
          scrapeIntervalSeconds: 15,
          collectorUrl,
          dataDir: path.join(work, `agent-${pair}-${arm}`),
          nodeArgs: [],
          profileDir: work,
          entry: ENTRY,
          env: arm === 'no-l7' ? { VIGIL_L7: 'off' } : (EXTRA_ARMS[arm] ?? {}),
        });
        try {
          await agent.ready();
          await runLoad(AGENT_WARMUP_S);
          // The warm-up's requests reach the agent's counters at its next interval: wait for it
          // before taking the starting count.
          if (arm === 'agent') await new Promise((r) => setTimeout(r, 16_000));
          const before = await inbound(agent);
          runs.push(await measure(arm, pair, agent.pid));
          console.log(
            `  ${arm === 'agent' ? 'with agent:      ' : arm === 'no-l7' ? 'agent, L7 off:   ' : `agent, ${arm}: `} ${fmt(runs.at(-1)!)}`,
          );
          if (arm === 'agent') {
            await new Promise((r) => setTimeout(r, 16_000)); // one interval: the kernel's counts read
            inboundCounted = ((await inbound(agent)) - before) / runs.at(-1)!.answered;
            console.log(`  the agent counted ${(100 * inboundCounted).toFixed(1)}% of nginx's answers`);
          }
        } finally {
          await agent.stop();
        }
      }
    }
  } finally {
    restoreBpfStats();
    nginx.stop();
    receiver.close();
    rmSync(work, { recursive: true, force: true });
  }
  report(runs, inboundCounted);
}

/** The median of the per-round ratios `arm`/`base` of `value`, as a percentage change. */
function perRoundChange(runs: readonly RunResult[], arm: Arm, base: Arm, value: (r: RunResult) => number) {
  const changes: number[] = [];
  for (const r of runs.filter((x) => x.arm === arm)) {
    const b = runs.find((x) => x.arm === base && x.round === r.round);
    if (b !== undefined) changes.push((value(r) / value(b) - 1) * 100);
  }
  changes.sort((x, y) => x - y);
  return { median: changes[Math.floor((changes.length - 1) / 2)] ?? NaN, all: changes };
}

function report(runs: readonly RunResult[], inboundCounted: number): void {
  const of = (arm: Arm): RunResult[] => runs.filter((r) => r.arm === arm);
  const cpu = (arm: Arm) => stats(of(arm).map((r) => r.cores));
  const p99 = (arm: Arm) => stats(of(arm).map((r) => r.p99Ms));
  const rps = (arm: Arm) =>
    stats(of(arm).map((r) => r.rps))
      .mean.toFixed(0)
      .padEnd(30);
  const bpf = (arm: Arm) => stats(of(arm).map((r) => r.bpfNsPerRequest / 1000));
  /** The agent's own accounts: its processes' CPU plus its eBPF programs' run time, in % of a core. */
  const own = (arm: Arm) =>
    stats(of(arm).map((r) => (r.agentCores + (r.bpfNsPerRequest * r.requests) / 1e9 / r.seconds) * 100));
  const ebpfShare = (arm: Arm) =>
    stats(of(arm).map((r) => ((r.bpfNsPerRequest * r.requests) / 1e9 / r.seconds) * 100));
  const agentShare = (arm: Arm) => stats(of(arm).map((r) => r.agentCores * 100));
  const diff = (cpu('agent').mean - cpu('none').mean) * 100;
  const probes = (cpu('agent').mean - cpu('no-l7').mean) * 100;
  const p99Change = perRoundChange(runs, 'agent', 'none', (r) => r.p99Ms);
  const pct = (s: { mean: number; min: number; max: number }): string =>
    `${s.mean.toFixed(1)}% (${s.min.toFixed(1)}-${s.max.toFixed(1)})`.padEnd(30);
  const rounds = Math.max(...runs.map((r) => r.round)) + 1;
  console.log(`
## L7 overhead, ${new Date().toISOString()}: nginx at ${RPS} requests/s (fixed-rate-http, ${CONNECTIONS} connections), ${rounds} rounds of ${RUN_S} s runs
                         without agent                  agent, L7 off                  agent (${ENTRY})
machine CPU (cores)      ${c(cpu('none'))}          ${c(cpu('no-l7'))}          ${c(cpu('agent'))}
p99 latency (ms)         ${m3(p99('none'))}          ${m3(p99('no-l7'))}          ${m3(p99('agent'))}
requests/s achieved      ${rps('none')} ${rps('no-l7')} ${rps('agent')}
eBPF µs per request      ${'-'.padEnd(30)} ${m(bpf('no-l7'))}           ${m(bpf('agent'))}
agent processes, % core  ${'-'.padEnd(30)} ${pct(agentShare('no-l7'))} ${pct(agentShare('agent'))}
eBPF programs, % core    ${'-'.padEnd(30)} ${pct(ebpfShare('no-l7'))} ${pct(ebpfShare('agent'))}
agent's own cost         ${'-'.padEnd(30)} ${pct(own('no-l7'))} ${pct(own('agent'))}
CPU goal (≤ 10% of one core): the agent's own cost ${own('agent').mean.toFixed(1)}% (${own('agent').mean <= 10 ? 'met' : 'MISSED'}); whole-machine difference ${diff.toFixed(1)}% (${cpuVerdict(diff, ebpfShare('agent').mean)}); agent − agent with L7 off ${probes.toFixed(1)}%
p99 goal (≤ 5% added): median of the per-round changes ${p99Change.median.toFixed(1)}% (${p99Change.median <= 5 ? 'met' : 'MISSED'}); rounds: ${p99Change.all.map((x) => `${x.toFixed(1)}%`).join(', ')}
agent's inbound count    ${(100 * inboundCounted).toFixed(1)}% of nginx's answers in the last run (warm-up and run)`);
  for (const arm of Object.keys(EXTRA_ARMS)) {
    const saved = (cpu('agent').mean - cpu(arm).mean) * 100;
    const change = perRoundChange(runs, arm, 'none', (r) => r.p99Ms);
    console.log(
      `agent with ${arm}: machine CPU ${c(cpu(arm))}, own cost ${pct(own(arm))}, p99 ${m3(p99(arm))} ms (per-round change, median ${change.median.toFixed(1)}%), eBPF ${m(bpf(arm))} µs per request; machine CPU ${saved.toFixed(1)}% of a core less than as deployed`,
    );
  }
}

/** The CPU goal's verdict; a difference below the eBPF time alone is the machine's noise, not a result. */
function cpuVerdict(diffPercent: number, bpfFloorPercent: number): string {
  if (diffPercent < bpfFloorPercent)
    return 'NOT SHOWN: below the eBPF time alone, the whole-machine figure is noise in this run';
  return diffPercent <= 10 ? 'met' : 'MISSED';
}

/** nginx's answers as the agent counted them (container_http_inbound_requests_total, all statuses). */
async function inbound(agent: AgentProcess): Promise<number> {
  const text = await agent.metrics();
  let sum = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('container_http_inbound_requests_total{') && line.includes('nginx'))
      sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

const c = (s: { mean: number; min: number; max: number }): string =>
  `${s.mean.toFixed(3)} (${s.min.toFixed(3)}-${s.max.toFixed(3)})`.padEnd(20);
const m = (s: { mean: number; min: number; max: number }): string =>
  `${s.mean.toFixed(2)} (${s.min.toFixed(2)}-${s.max.toFixed(2)})`.padEnd(20);
const m3 = (s: { mean: number; min: number; max: number }): string =>
  `${s.mean.toFixed(3)} (${s.min.toFixed(3)}-${s.max.toFixed(3)})`.padEnd(20);
const fmt = (r: RunResult): string =>
  `${r.cores.toFixed(3)} cores, ${r.rps.toFixed(0)} req/s, p50 ${r.p50Ms.toFixed(3)} ms, p99 ${r.p99Ms.toFixed(3)} ms, errors ${r.errors}${Number.isNaN(r.bpfNsPerRequest) ? '' : `, eBPF ${(r.bpfNsPerRequest / 1000).toFixed(2)} µs/request, agent processes ${(100 * r.agentCores).toFixed(1)}% of a core`}`;

await main();
