/**
 * CPU delay: the time a container's threads were runnable but waiting for a CPU, for Coroot's
 * `container_resources_cpu_delay_seconds_total`. Coroot asks taskstats (netlink) for it; the
 * same figure, `sched_info.run_delay`, is the second field of `/proc/<pid>/task/<tid>/schedstat`
 * (`<on-cpu ns> <run-delay ns> <timeslices>`), readable without netlink (needs
 * CONFIG_SCHED_INFO, which distribution kernels have; no sysctl).
 *
 * `/proc/<pid>/schedstat` alone is the main thread's: a multi-threaded process (a JVM, Node's
 * libuv pool) is read thread by thread. Threads that exit take their delay with them, so a sum
 * over live threads can fall; {@link DelayCounter} adds only each thread's growth between
 * readings, which keeps the container's total a counter.
 */
import { listDir, readText } from '../discovery/procfs-sync.ts';
import type { MetricFamily } from '@vigil/agent-kit';

/** Seconds of delay per thread id, of one reading. */
export type ThreadReadings = ReadonlyMap<number, number>;

/** `run_delay` of every live thread of `pids`, in seconds, by thread id. */
export async function readThreadRunDelays(
  pids: readonly number[],
  procRoot = '/proc',
): Promise<Map<number, number>> {
  return readPerThread(pids, procRoot, 'schedstat', (text) => {
    const ns = text.split(' ')[1];
    return ns === undefined ? undefined : Number(ns) / 1e9;
  });
}

/** The summed `run_delay` of the live threads of `pids`, in seconds (not monotonic: see the header). */
export async function readCpuDelaySeconds(pids: readonly number[], procRoot = '/proc'): Promise<number> {
  let seconds = 0;
  for (const value of (await readThreadRunDelays(pids, procRoot)).values()) seconds += value;
  return seconds;
}

/** `container_resources_cpu_delay_seconds_total` for many containers (totals of a {@link DelayCounter}). */
export function cpuDelayFamily(
  containers: Iterable<{ readonly labels: Readonly<Record<string, string>>; readonly seconds: number }>,
): MetricFamily {
  return {
    name: 'container_resources_cpu_delay_seconds_total',
    type: 'counter',
    help: 'Time the container’s threads were runnable but waited for a CPU',
    samples: [...containers].map(({ labels, seconds }) => ({ labels, value: seconds })),
  };
}

/**
 * Per-container totals (seconds) that only grow, from readings per thread. Each `update` gets every
 * container's current readings; a thread's growth since its last reading is added, a thread
 * seen for the first time adds all it has (it started since the last reading, or the agent
 * did), and a value lower than the last one means the thread id was reused (added whole).
 * Containers absent from an update are forgotten.
 */
export class DelayCounter {
  private readonly lastByContainer = new Map<string, ThreadReadings>();
  private readonly totalsByContainer = new Map<string, number>();

  /** The totals as of the last update. */
  get totals(): ReadonlyMap<string, number> {
    return this.totalsByContainer;
  }

  update(readings: ReadonlyMap<string, ThreadReadings>): ReadonlyMap<string, number> {
    for (const container of this.totalsByContainer.keys()) {
      if (!readings.has(container)) {
        this.totalsByContainer.delete(container);
        this.lastByContainer.delete(container);
      }
    }
    for (const [container, threads] of readings) {
      const last = this.lastByContainer.get(container);
      let total = this.totalsByContainer.get(container) ?? 0;
      for (const [tid, value] of threads) {
        const before = last?.get(tid);
        total += before === undefined || value < before ? value : value - before;
      }
      this.totalsByContainer.set(container, total);
      this.lastByContainer.set(container, threads);
    }
    return this.totalsByContainer;
  }
}

/**
 * Reads `/proc/<pid>/task/<tid>/<file>` for every thread of `pids` and parses each; threads
 * that exit meanwhile, or files that do not parse, are left out.
 */
export async function readPerThread(
  pids: readonly number[],
  procRoot: string,
  file: string,
  parse: (text: string) => number | undefined,
): Promise<Map<number, number>> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    const taskDir = `${procRoot}/${pid}/task`;
    for (const tid of listDir(taskDir)) {
      const text = readText(`${taskDir}/${tid}/${file}`);
      const value = text === undefined ? undefined : parse(text);
      if (value !== undefined && Number.isFinite(value)) out.set(Number(tid), value);
    }
  }
  return out;
}
