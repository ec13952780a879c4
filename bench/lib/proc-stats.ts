/**
 * CPU and memory of a process from Linux /proc, so the benchmark measures the server child from
 * the outside: every thread (JS, libuv pool, chDB's native pools) without changing the server.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Kernel clock ticks per second (USER_HZ), the unit of /proc/<pid>/stat times. */
export const CLOCK_TICKS_PER_SECOND =
  Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/** utime + stime of a /proc stat line, in seconds. The comm field may contain spaces and ')'. */
function statCpuSeconds(statLine: string): number {
  const rest = statLine.slice(statLine.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state); utime and stime are fields 14 and 15.
  return (Number(rest[11]) + Number(rest[12])) / CLOCK_TICKS_PER_SECOND;
}

/** CPU-seconds (user + system, all threads, including exited ones) a process has used. */
export function processCpuSeconds(pid: number): number {
  return statCpuSeconds(readFileSync(`/proc/${pid}/stat`, 'utf8'));
}

/** Peak (VmHWM) and current (VmRSS) resident memory in bytes. */
export function processMemory(pid: number): { peakRssBytes: number; rssBytes: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string): number =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { peakRssBytes: kb('VmHWM'), rssBytes: kb('VmRSS') };
}

/**
 * CPU-seconds per thread name of the live threads (digits stripped, so a pool's threads add up:
 * `QueryPipelineEx`, `libuv-worker`…). Threads that ended are missing; the process total is not.
 */
export function threadCpuSeconds(pid: number): Map<string, number> {
  const out = new Map<string, number>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const line = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const comm = line.slice(line.indexOf('(') + 1, line.lastIndexOf(')'));
      // Node 20 leaves its own helper threads named after the process: the libuv pool (where
      // chDB's async calls run) and V8's GC/compiler workers.
      const name =
        tid === String(pid)
          ? 'main (JS)'
          : comm === 'node'
            ? 'node helpers (libuv pool, V8)'
            : comm.replace(/[\d]+$/, '').replace(/[-_:]$/, '') || comm;
      out.set(name, (out.get(name) ?? 0) + statCpuSeconds(line));
    } catch {
      // The thread ended between readdir and read.
    }
  }
  return out;
}

/** Per-name difference `after - before` (threads born in between count from zero). */
export function diffThreads(
  before: Map<string, number>,
  after: Map<string, number>,
): Array<[string, number]> {
  return [...after]
    .map(([name, s]): [string, number] => [name, s - (before.get(name) ?? 0)])
    .filter(([, s]) => s > 0.005)
    .sort((a, b) => b[1] - a[1]);
}

/** Busy CPU-seconds of the whole machine (all cores) from /proc/stat, to see who else was running. */
export function machineBusyCpuSeconds(): number {
  const cpu = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal: busy is everything but idle and iowait.
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = cpu;
  return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS_PER_SECOND;
}
