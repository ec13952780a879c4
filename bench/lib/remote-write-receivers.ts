/**
 * The three remote-write receivers of bench/remote-write.ts behind one interface, each started
 * fresh (own data directory, loopback port) and measured from the outside through its pid:
 *
 *   vigil       `vigil server` child (bench/lib/server-process.ts), embedded chDB, defaults
 *   vm          Debian's victoria-metrics single node (@vigil/testkit), defaults
 *   prometheus  Debian's prometheus with --web.enable-remote-write-receiver (@vigil/testkit)
 *
 * `drain` waits until what was acknowledged is written the receiver's own way: Vigil's write
 * buffer empty (/metrics), VictoriaMetrics' in-memory rows flushed (/internal/force_flush),
 * nothing for Prometheus (an acknowledged request is already in the head and the WAL).
 * `storedSamples` reads the receiver's own count of samples taken in, to check against the
 * acknowledged count.
 */
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { openDatabase, sql } from '@vigil/storage';
import {
  makeTempDir,
  PROMETHEUS_BIN,
  startPrometheus,
  startVictoriaMetrics,
  VICTORIA_METRICS_BIN,
} from '@vigil/testkit';
import { metricValue, startServerProcess } from './server-process.ts';

export type ReceiverName = 'vigil' | 'vm' | 'prometheus';
export const RECEIVERS: readonly ReceiverName[] = ['vigil', 'vm', 'prometheus'];
export const RECEIVER_LABEL: Record<ReceiverName, string> = {
  vigil: 'Vigil',
  vm: 'VictoriaMetrics',
  prometheus: 'Prometheus',
};

export interface Receiver {
  name: ReceiverName;
  version: string;
  pid: number;
  writeUrl: string;
  headers: Record<string, string>;
  /** Resolves with the milliseconds it took. */
  drain(): Promise<number>;
  /** The receiver's own count of samples accepted so far (undefined when unknown). */
  acceptedSamples(): Promise<number | undefined>;
  /** Stops the process; for Vigil, also counts the stored samples in its data directory. */
  stop(): Promise<StopResult>;
}

export interface StopResult {
  code: number | null;
  /** Rows in Vigil's metrics_samples after the stop (Vigil only). */
  storedSamples?: number;
  /** Last lines the receiver wrote (warnings, errors). */
  output: string[];
  /** Vigil's --cpu-prof file of the main thread, when profiled. */
  profileFile?: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Sum of every sample of `name` in Prometheus text (all label combinations). */
export function metricSum(text: string, name: string, filter?: (line: string) => boolean): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (!(rest.startsWith(' ') || rest.startsWith('{'))) continue;
    if (filter && !filter(line)) continue;
    sum += Number(rest.slice(rest.lastIndexOf(' ') + 1));
  }
  return sum;
}

const scrape = async (url: string): Promise<string> => (await fetch(url)).text();

/** The Debian package's version (the binaries' own -version is empty in Debian's VictoriaMetrics). */
function packageVersion(pkg: string): string {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Version}', pkg], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

async function startVigil(opts: {
  nodeArgs: string[];
  profileDir?: string;
  withCache: boolean;
}): Promise<Receiver> {
  const data = makeTempDir('vigil-bench-rw-');
  const apiKey = `vk_bench_${randomBytes(12).toString('hex')}`;
  const nodeArgs = [...opts.nodeArgs];
  if (opts.profileDir) {
    rmSync(opts.profileDir, { recursive: true, force: true });
    nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${opts.profileDir}`);
  }
  // The metrics cache off unless asked for: the other receivers only ingest, and the cache's
  // cost is bench/metrics-cache's subject (with 1M series it is most of the machine).
  const env: Record<string, string> = opts.withCache ? {} : { VIGIL_CACHE_ENABLED: 'false' };
  const server = await startServerProcess({ dataDir: data.dir, apiKey, nodeArgs, env }).catch(
    (e: unknown) => {
      data.cleanup();
      throw e;
    },
  );
  return {
    name: 'vigil',
    version: 'vigil server (this tree), embedded chDB',
    pid: server.pid,
    writeUrl: `${server.apiUrl}/api/v1/write`,
    headers: { 'x-api-key': apiKey },
    drain: async () => {
      const t0 = performance.now();
      for (;;) {
        const queued = metricValue(await server.metrics(), 'vigil_ingest_queue_items', 'metrics');
        if (queued === 0 || queued === undefined) return performance.now() - t0;
        if (performance.now() - t0 > 300_000)
          throw new Error(`Vigil still holds ${queued} series after 300 s`);
        await sleep(100);
      }
    },
    acceptedSamples: async () => metricValue(await server.metrics(), 'vigil_ingest_items_total', 'metrics'),
    stop: async () => {
      const stopped = await server.stop();
      const result: StopResult = { code: stopped.code, output: server.output().slice(-10) };
      try {
        const db = await openDatabase({ dataDir: data.dir, database: 'vigil' });
        const [row] = await db.query<{ n: number | string }>(
          sql`SELECT count() AS n FROM ${db.table('metrics_samples')}`,
        );
        result.storedSamples = Number(row?.n);
        await db.close();
      } finally {
        data.cleanup();
      }
      if (opts.profileDir) {
        // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile; thread 0 is the main thread.
        const file = readdirSync(opts.profileDir).find(
          (f) => f.includes(`.${server.pid}.0.`) && f.endsWith('.cpuprofile'),
        );
        if (file) result.profileFile = path.join(opts.profileDir, file);
      }
      return result;
    },
  };
}

async function startVm(): Promise<Receiver> {
  const vm = await startVictoriaMetrics();
  return {
    name: 'vm',
    version: `victoria-metrics ${packageVersion('victoria-metrics')} (${VICTORIA_METRICS_BIN})`,
    pid: vm.pid,
    writeUrl: `${vm.url}/api/v1/write`,
    headers: {},
    drain: async () => {
      const t0 = performance.now();
      await fetch(`${vm.url}/internal/force_flush`);
      return performance.now() - t0;
    },
    acceptedSamples: async () =>
      metricSum(await scrape(`${vm.url}/metrics`), 'vm_rows_inserted_total', (l) =>
        l.includes('type="promremotewrite"'),
      ),
    stop: async () => {
      await vm.stop();
      return { code: 0, output: [] };
    },
  };
}

async function startProm(): Promise<Receiver> {
  const prom = await startPrometheus({ extraArgs: ['--web.enable-remote-write-receiver'] });
  return {
    name: 'prometheus',
    version: `prometheus ${packageVersion('prometheus')} (${PROMETHEUS_BIN})`,
    pid: prom.pid,
    writeUrl: `${prom.url}/api/v1/write`,
    headers: {},
    drain: () => Promise.resolve(0),
    acceptedSamples: async () =>
      metricSum(await scrape(`${prom.url}/metrics`), 'prometheus_tsdb_head_samples_appended_total'),
    stop: async () => {
      await prom.stop();
      return { code: 0, output: [] };
    },
  };
}

export function startReceiver(
  name: ReceiverName,
  opts: { vigilNodeArgs: string[]; vigilProfileDir?: string; vigilWithCache: boolean },
): Promise<Receiver> {
  if (name === 'vigil')
    return startVigil({
      nodeArgs: opts.vigilNodeArgs,
      withCache: opts.vigilWithCache,
      ...(opts.vigilProfileDir ? { profileDir: opts.vigilProfileDir } : {}),
    });
  return name === 'vm' ? startVm() : startProm();
}
