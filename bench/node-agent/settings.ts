/**
 * The node-agent benchmark's settings, from the environment (the figures come from the
 * defaults; small values are for trying the script out).
 */

export interface BenchSettings {
  /** Busybox containers running beside the agent. */
  readonly containers: number;
  /** New TCP connections per second during warm-up and the measured window. */
  readonly connectionsPerSecond: number;
  /** Steady state reached before measuring (the issue: 5 minutes). */
  readonly warmupSeconds: number;
  readonly windowSeconds: number;
  /** The agent's scrape/push interval, and how often the bench scrapes node exporter. */
  readonly scrapeIntervalSeconds: number;
  /** Connection rates of the event-rate phases after the window, one phase each. */
  readonly burstRates: readonly number[];
  readonly burstSeconds: number;
  /** Extra node flags for the agent, e.g. `--cpu-prof` (BENCH_PROFILE=1 adds it). */
  readonly agentNodeArgs: readonly string[];
  readonly profile: boolean;
  /** The script run as `node --import tsx <entry> node-agent --listen …` (an A/B of an entry point). */
  readonly agentEntry: string;
}

const USAGE = `environment: BENCH_WARMUP_S (300)  BENCH_WINDOW_S (120)  BENCH_CONTAINERS (50)
             BENCH_CONN_RATE (200 connections/s)  BENCH_SCRAPE_INTERVAL_S (15)
             BENCH_BURST_RATES (1000,2500,5000 connections/s; empty: none)  BENCH_BURST_S (20)
             BENCH_PROFILE=1 (agent under --cpu-prof)  BENCH_AGENT_NODE_ARGS="<node flags>"
             BENCH_AGENT_ENTRY (apps/cli/src/main.ts; dist/vigil-node-agent.mjs: the bundle, without tsx)`;

function int(name: string, fallback: number, min: number): number {
  const raw = process.env[name];
  const n = raw === undefined || raw.trim() === '' ? fallback : Number(raw);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer ≥ ${min}\n${USAGE}`);
  return n;
}

function rates(raw: string): number[] {
  const out = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (out.some((n) => !Number.isInteger(n) || n < 1))
    throw new Error(`BENCH_BURST_RATES must list positive integers\n${USAGE}`);
  return out;
}

export function readSettings(): BenchSettings {
  if (process.argv.includes('--help')) {
    console.log(USAGE);
    process.exit(0);
  }
  const profile = process.env.BENCH_PROFILE === '1';
  const extra = (process.env.BENCH_AGENT_NODE_ARGS ?? '').split(/\s+/).filter((a) => a !== '');
  return {
    containers: int('BENCH_CONTAINERS', 50, 0),
    connectionsPerSecond: int('BENCH_CONN_RATE', 200, 1),
    warmupSeconds: int('BENCH_WARMUP_S', 300, 0),
    windowSeconds: int('BENCH_WINDOW_S', 120, 1),
    scrapeIntervalSeconds: int('BENCH_SCRAPE_INTERVAL_S', 15, 1),
    burstRates: rates(process.env.BENCH_BURST_RATES ?? '1000,2500,5000'),
    burstSeconds: int('BENCH_BURST_S', 20, 1),
    agentNodeArgs: profile ? ['--cpu-prof', ...extra] : extra,
    profile,
    agentEntry: process.env.BENCH_AGENT_ENTRY ?? 'apps/cli/src/main.ts',
  };
}
