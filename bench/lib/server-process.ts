/**
 * Runs `vigil server` as a child process for a benchmark: its own data directory, loopback
 * listeners on ports the OS picks (read back from the start-up banner, so two benches on one
 * machine cannot collide), log level warn, and a clean SIGTERM stop that waits for the flush.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServerOptions {
  dataDir: string;
  apiKey: string;
  /** Extra node flags, e.g. `--cpu-prof`. */
  nodeArgs?: readonly string[];
  /** Extra environment (settings), over the bench's own environment. */
  env?: Readonly<Record<string, string>>;
  readyTimeoutMs?: number;
}

export interface ServerProcess {
  readonly pid: number;
  /** UI/API base URL (for /ready and /metrics). */
  readonly apiUrl: string;
  /** OTLP/HTTP base URL. */
  readonly otlpUrl: string;
  /** Last lines the server wrote (warnings, errors), for the report. */
  output(): string[];
  /** Scrapes /metrics. */
  metrics(): Promise<string>;
  /** SIGTERM, then waits for exit (SIGKILL after `timeoutMs`); resolves with the exit code. */
  stop(timeoutMs?: number): Promise<{ code: number | null; killed: boolean; stopMs: number }>;
}

/** A sample value from Prometheus text, e.g. `metricValue(text, 'vigil_ingest_queue_items', 'traces')`. */
export function metricValue(text: string, name: string, signal?: string): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (!(rest.startsWith(' ') || rest.startsWith('{'))) continue;
    if (signal !== undefined && !rest.includes(`signal="${signal}"`)) continue;
    return Number(rest.slice(rest.lastIndexOf(' ') + 1));
  }
  return undefined;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function waitForExit(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/** Node flags of `npm start` (package.json), so a benchmark measures the server users run. */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=64'];

export async function startServerProcess(opts: ServerOptions): Promise<ServerProcess> {
  const loopback = '127.0.0.1:0';
  const child = spawn(
    process.execPath,
    [...SERVER_NODE_FLAGS, ...(opts.nodeArgs ?? []), '--import', 'tsx', 'apps/cli/src/main.ts', 'server'],
    {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        VIGIL_DATA_DIR: opts.dataDir,
        VIGIL_LISTEN: loopback,
        VIGIL_OTLP_HTTP_LISTEN: loopback,
        VIGIL_OTLP_GRPC_LISTEN: loopback,
        VIGIL_API_KEY: opts.apiKey,
        VIGIL_ADMIN_PASSWORD: 'bench-admin-password',
        VIGIL_LOG_LEVEL: 'warn',
        ...opts.env,
      },
    },
  );
  const lines: string[] = [];
  let apiUrl: string | undefined;
  let otlpUrl: string | undefined;
  const onData = (chunk: Buffer): void => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      lines.push(line);
      if (lines.length > 50) lines.shift();
      apiUrl ??= /UI and API:\s+(http:\/\/\S+)/.exec(line)?.[1];
      otlpUrl ??= /OTLP HTTP:\s+(http:\/\/\S+)/.exec(line)?.[1];
    }
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = waitForExit(child);

  const deadline = Date.now() + (opts.readyTimeoutMs ?? 120_000);
  const fail = (why: string): never => {
    child.kill('SIGKILL');
    throw new Error(`vigil server ${why}\n${lines.join('\n')}`);
  };
  for (;;) {
    if (child.exitCode !== null) fail(`exited with code ${child.exitCode} during start-up`);
    if (Date.now() > deadline) fail('did not become ready in time');
    if (apiUrl !== undefined && otlpUrl !== undefined) {
      const ready = await fetch(`${apiUrl}/ready`).then(
        (r) => r.ok,
        () => false,
      );
      if (ready) break;
    }
    await sleep(100);
  }

  lines.length = 0; // keep what comes after start-up (the banner is no news)
  const pid = child.pid!;
  const base = apiUrl!;
  return {
    pid,
    apiUrl: base,
    otlpUrl: otlpUrl!,
    output: () => [...lines],
    metrics: async () => {
      const res = await fetch(`${base}/metrics`);
      return res.text();
    },
    stop: async (timeoutMs = 300_000) => {
      const started = performance.now();
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      return { code, killed: child.signalCode === 'SIGKILL', stopMs: performance.now() - started };
    },
  };
}
