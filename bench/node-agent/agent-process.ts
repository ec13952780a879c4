/**
 * `vigil node-agent` as its own process, the way users run it from source
 * (`node --import tsx apps/cli/src/main.ts node-agent`), pushing to the bench's sink every
 * scrape interval through its disk spool. Counters are read from `/health`, which costs the
 * agent no collection; `/metrics` (a full collection) is read only outside the measured window.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { metricValue, REPO_ROOT } from '../lib/server-process.ts';

export interface AgentCounters {
  readonly events: number;
  readonly lostEvents: number;
  readonly bpftraceStarts: number;
  /** How the TCP program ran at the end: `aot` (bpftrace-aotrt) or `jit` (bpftrace -e). */
  readonly ebpfRuntime: string;
  readonly pushedRequests: number;
  readonly pushedSamples: number;
  readonly pushedBytes: number;
  readonly spoolBytes: number;
  /** Containers and host applications the registry saw in its last scan. */
  readonly containers: number;
}

interface Health {
  capabilities?: { ebpf?: boolean; ebpfUnavailable?: string; docker?: boolean };
  ebpf?: { events?: number; lostEvents?: number; starts?: number; runtime?: string };
  push?: { sentRequests?: number; sentSamples?: number; sentBytes?: number; queuedBytes?: number };
  containers?: number;
}

export interface AgentProcess {
  readonly pid: number;
  readonly url: string;
  /** Resolves once /health answers with eBPF and Docker in use (rejects otherwise). */
  ready(timeoutMs?: number): Promise<void>;
  counters(): Promise<AgentCounters>;
  /** One `/metrics` scrape (a full collection: not during the measured window). */
  metrics(): Promise<string>;
  output(): string[];
  /** SIGTERM, SIGKILL after 15 s; the `.cpuprofile` written, if the agent ran under --cpu-prof. */
  stop(): Promise<string | undefined>;
}

export interface AgentOptions {
  readonly port: number;
  readonly scrapeIntervalSeconds: number;
  readonly collectorUrl: string;
  readonly dataDir: string;
  readonly nodeArgs: readonly string[];
  readonly profileDir: string;
  /** Default apps/cli/src/main.ts (`vigil`); a `.mjs`/`.js` bundle runs without tsx. */
  readonly entry?: string;
  /** More environment for the agent (e.g. `VIGIL_L7: 'off'`). */
  readonly env?: Readonly<Record<string, string>>;
}

export function startAgent(options: AgentOptions): AgentProcess {
  const profiling = options.nodeArgs.includes('--cpu-prof');
  const entry = options.entry ?? 'apps/cli/src/main.ts';
  const args = [
    ...options.nodeArgs,
    ...(profiling ? [`--cpu-prof-dir=${options.profileDir}`] : []),
    // A built bundle (npm run build:node-agent) runs with plain node, as it would be deployed.
    ...(/\.[cm]?js$/.test(entry) ? [] : ['--import', 'tsx']),
    entry,
    'node-agent',
    '--listen',
    `127.0.0.1:${options.port}`,
  ];
  const child = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      VIGIL_SCRAPE_INTERVAL: `${options.scrapeIntervalSeconds}s`,
      VIGIL_COLLECTOR_URL: options.collectorUrl,
      VIGIL_DATA_DIR: options.dataDir,
      ...options.env,
    },
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer): void => {
    lines.push(
      ...chunk
        .toString('utf8')
        .split('\n')
        .filter((l) => l !== ''),
    );
    lines.splice(0, Math.max(0, lines.length - 40));
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `http://127.0.0.1:${options.port}`;
  const health = async (): Promise<Health> => (await (await fetch(`${url}/health`)).json()) as Health;

  return {
    pid: child.pid ?? -1,
    url,
    output: () => lines,
    async ready(timeoutMs = 120_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (child.exitCode !== null) throw new Error(`the agent exited: ${lines.join('\n')}`);
        const h = await health().catch(() => undefined);
        if (h?.capabilities?.ebpf === false)
          throw new Error(`the agent runs without eBPF: ${h.capabilities.ebpfUnavailable ?? '?'}`);
        if (h?.capabilities?.ebpf === true) {
          if (h.capabilities.docker !== true) throw new Error('the agent does not reach Docker');
          return;
        }
        await new Promise((r) => setTimeout(r, 250));
      }
      throw new Error(`the agent was not ready within ${timeoutMs} ms: ${lines.join('\n')}`);
    },
    async counters() {
      const h = await health();
      return {
        events: h.ebpf?.events ?? NaN,
        lostEvents: h.ebpf?.lostEvents ?? NaN,
        bpftraceStarts: h.ebpf?.starts ?? NaN,
        ebpfRuntime: h.ebpf?.runtime ?? '?',
        pushedRequests: h.push?.sentRequests ?? NaN,
        pushedSamples: h.push?.sentSamples ?? NaN,
        pushedBytes: h.push?.sentBytes ?? NaN,
        spoolBytes: h.push?.queuedBytes ?? NaN,
        containers: h.containers ?? NaN,
      };
    },
    metrics: async () => (await fetch(`${url}/metrics`)).text(),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        await exited;
        clearTimeout(killer);
      }
      return profiling ? profileOf(options.profileDir, child.pid ?? -1) : undefined;
    },
  };
}

/** Node names profiles `CPU.<date>.<time>.<pid>.<tid>.<seq>.cpuprofile`. */
function profileOf(dir: string, pid: number): string | undefined {
  if (!existsSync(dir)) return undefined;
  const file = readdirSync(dir).find((f) => f.endsWith('.cpuprofile') && f.includes(`.${pid}.`));
  return file === undefined ? undefined : path.join(dir, file);
}

/** The agent's own event counters as `/metrics` exposes them (a cross-check of `/health`). */
export function ebpfCountersIn(exposition: string): { events?: number; lost?: number } {
  return {
    events: metricValue(exposition, 'vigil_node_agent_ebpf_events_total'),
    lost: metricValue(exposition, 'vigil_node_agent_ebpf_lost_events_total'),
  };
}
