/**
 * What the node agent's L7 tracing costs an HTTP server under load (issue #5): nginx on
 * loopback answers a fixed rate of requests from `hey` (Debian's package, 50 keep-alive workers),
 * in alternating runs without and with the agent (the bundle, eBPF and L7 on). Per run: the
 * whole machine's CPU (busy time of all cores from /proc/stat: the server, the load generator,
 * the agent, bpftrace, and the eBPF probes' time charged to the traced processes' syscalls) and
 * the p99 latency hey measured. Reported: both sides, the difference and the spread over runs,
 * against the goals (≤ 10% of one core, ≤ 5% added p99), and what the agent counted.
 *
 * Run (as root, eBPF, Docker running): npm run bench:l7-overhead
 *   BENCH_RPS (10000)  BENCH_RUN_S (20)  BENCH_PAIRS (3)  BENCH_AGENT_ENTRY (dist/vigil-node-agent.mjs)
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { machineBusyCpuSeconds } from './lib/proc-stats.ts';
import { startAgent, type AgentProcess } from './node-agent/agent-process.ts';

const RPS = Number(process.env.BENCH_RPS ?? 10_000);
const RUN_S = Number(process.env.BENCH_RUN_S ?? 20);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 3);
const ENTRY = process.env.BENCH_AGENT_ENTRY ?? 'dist/vigil-node-agent.mjs';
const WORKERS = 50;
const NGINX_PORT = 18_480;
const AGENT_PORT = 18_481;

interface RunResult {
  readonly withAgent: boolean;
  readonly seconds: number;
  readonly cores: number;
  readonly requests: number;
  readonly rps: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  /** 200s of the warm-up and the run together. */
  readonly answered: number;
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

/** hey's summary: requests/s, the latency distribution, the status code counts. */
function parseHey(out: string): {
  rps: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  errors: number;
} {
  const num = (re: RegExp): number => Number(re.exec(out)?.[1] ?? NaN);
  const ok = num(/\[200\]\s+(\d+) responses/);
  const all = [...out.matchAll(/\[(\d+)\]\s+(\d+) responses/g)].reduce((n, m) => n + Number(m[2]), 0);
  return {
    rps: num(/Requests\/sec:\s+([\d.]+)/),
    p50Ms: num(/50% in ([\d.]+) secs/) * 1000,
    p99Ms: num(/99% in ([\d.]+) secs/) * 1000,
    requests: ok,
    errors: all - ok + [...out.matchAll(/\[(\d+)\]\s+Get/g)].reduce((n, e) => n + Number(e[1]), 0),
  };
}

function runLoad(seconds: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'hey',
      [
        '-z',
        `${seconds}s`,
        '-c',
        String(WORKERS),
        '-q',
        String(RPS / WORKERS),
        `http://127.0.0.1:${NGINX_PORT}/`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`hey exited ${code}`))));
  });
}

async function measure(withAgent: boolean): Promise<RunResult> {
  const warm = parseHey(await runLoad(3)); // connections up, caches warm
  const t0 = performance.now();
  const busy0 = machineBusyCpuSeconds();
  const out = await runLoad(RUN_S);
  const busy1 = machineBusyCpuSeconds();
  const seconds = (performance.now() - t0) / 1000;
  const hey = parseHey(out);
  return {
    withAgent,
    seconds,
    cores: (busy1 - busy0) / seconds,
    ...hey,
    answered: warm.requests + hey.requests,
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
  for (const tool of ['hey', 'nginx']) {
    try {
      execFileSync('which', [tool], { stdio: 'ignore' });
    } catch {
      throw new Error(`${tool} is not installed (Debian packages hey and nginx-light)`);
    }
  }
  const nginx = startNginx();
  const receiver = await sink();
  const collectorUrl = `http://127.0.0.1:${(receiver.address() as net.AddressInfo).port}`;
  const runs: RunResult[] = [];
  let inboundCounted = NaN;
  try {
    await new Promise((r) => setTimeout(r, 500));
    for (let pair = 0; pair < PAIRS; pair++) {
      runs.push(await measure(false));
      console.log(`  without agent: ${fmt(runs.at(-1)!)}`);
      const agent: AgentProcess = startAgent({
        port: AGENT_PORT,
        scrapeIntervalSeconds: 15,
        collectorUrl,
        dataDir: path.join(work, `agent-${pair}`),
        nodeArgs: [],
        profileDir: work,
        entry: ENTRY,
      });
      try {
        await agent.ready();
        const before = await inbound(agent);
        runs.push(await measure(true));
        console.log(`  with agent:    ${fmt(runs.at(-1)!)}`);
        await new Promise((r) => setTimeout(r, 16_000)); // one interval: the kernel's counts read
        const made = runs.at(-1)!.answered;
        inboundCounted = ((await inbound(agent)) - before) / made;
        console.log(`  the agent counted ${(100 * inboundCounted).toFixed(1)}% of nginx's answers`);
      } finally {
        await agent.stop();
      }
    }
  } finally {
    nginx.stop();
    receiver.close();
    rmSync(work, { recursive: true, force: true });
  }
  const off = runs.filter((r) => !r.withAgent);
  const on = runs.filter((r) => r.withAgent);
  const cpuOff = stats(off.map((r) => r.cores));
  const cpuOn = stats(on.map((r) => r.cores));
  const p99Off = stats(off.map((r) => r.p99Ms));
  const p99On = stats(on.map((r) => r.p99Ms));
  const diff = (cpuOn.mean - cpuOff.mean) * 100;
  const addedP99 = ((p99On.mean - p99Off.mean) / p99Off.mean) * 100;
  console.log(`
## L7 overhead, ${new Date().toISOString()}: nginx at ${RPS} requests/s from hey (${WORKERS} workers), ${PAIRS} pairs of ${RUN_S} s runs
                         without agent                  with agent (${ENTRY})
machine CPU (cores)      ${c(cpuOff)}          ${c(cpuOn)}
p99 latency (ms)         ${m(p99Off)}          ${m(p99On)}
requests/s achieved      ${stats(off.map((r) => r.rps))
    .mean.toFixed(0)
    .padEnd(30)} ${stats(on.map((r) => r.rps)).mean.toFixed(0)}
CPU difference           ${diff.toFixed(1)}% of one core (goal ≤ 10%: ${diff <= 10 ? 'met' : 'MISSED'})
added p99                ${addedP99.toFixed(1)}% (goal ≤ 5%: ${addedP99 <= 5 ? 'met' : 'MISSED'})
agent's inbound count    ${(100 * inboundCounted).toFixed(1)}% of nginx's answers in the last run (warm-up and run)`);
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
const fmt = (r: RunResult): string =>
  `${r.cores.toFixed(3)} cores, ${r.rps.toFixed(0)} req/s, p50 ${r.p50Ms.toFixed(2)} ms, p99 ${r.p99Ms.toFixed(2)} ms, errors ${r.errors}`;

await main();
