/**
 * CPU and resident memory of a group of processes (the agent, its bpftrace child, node
 * exporter) sampled from /proc once a second. CPU is utime+stime; a group's CPU counter adds
 * the last reading of every pid it ever had, so a bpftrace restarted under a new pid does not
 * make the counter go back (its last second before exiting is lost, and the restart is counted).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { CLOCK_TICKS_PER_SECOND, processCpuSeconds } from '../lib/proc-stats.ts';

/**
 * pids of the children of `ppid` whose comm is `comm` or starts with `comm-` (`bpftrace` also
 * finds `bpftrace-aotrt`, the runtime of compiled programs); scans /proc: no `children` file here.
 */
export function childrenNamed(ppid: number, comm: string): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === ppid && (name === comm || name.startsWith(`${comm}-`))) out.push(Number(entry));
    } catch {
      // exited between readdir and read
    }
  }
  return out;
}

export interface GroupReading {
  /** Cumulative CPU-seconds of every pid the group had. */
  readonly cpuSeconds: number;
  /** Sum of VmRSS of the live pids. */
  readonly rssBytes: number;
  /** Sum of VmHWM (peak RSS since each process started) of the live pids. */
  readonly peakRssBytes: number;
  /** The RSS split: anonymous (heap) and file-backed (mapped code, shared with other processes). */
  readonly anonBytes: number;
  readonly fileBytes: number;
  readonly pids: readonly number[];
}

/**
 * cutime + cstime: CPU of the children a process has waited for (the agent's `ss`, `nsenter`
 * runs each interval), which its own utime + stime leave out.
 */
export function reapedChildrenCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state); cutime and cstime are fields 16 and 17.
  return (Number(rest[13]) + Number(rest[14])) / CLOCK_TICKS_PER_SECOND;
}

export interface GroupOptions {
  /** CPU-seconds of a pid so far; default its own utime + stime. */
  readonly cpuOf?: (pid: number) => number;
  /** false: CPU only (a second view of processes whose memory another group counts). */
  readonly memory?: boolean;
}

/** One named group; `findPids` is asked again only when a known pid has gone. */
export class ProcessGroup {
  private readonly cpuByPid = new Map<number, number>();
  private pids: number[] = [];
  private lastSearchMs = 0;

  constructor(
    readonly name: string,
    private readonly findPids: () => number[],
    private readonly options: GroupOptions = {},
  ) {}

  read(): GroupReading {
    // Searched again every 10 s (a process started later, e.g. the profiler's bpftrace, joins
    // the group), and at most every 2 s while a pid is missing (restart) or none is known yet.
    const now = Date.now();
    const missing = this.pids.length === 0 || this.pids.some((p) => !alive(p));
    if (now - this.lastSearchMs > (missing ? 2000 : 10_000)) {
      this.pids = this.findPids();
      this.lastSearchMs = now;
    }
    const memory = { rssBytes: 0, peakRssBytes: 0, anonBytes: 0, fileBytes: 0 };
    for (const pid of this.pids) {
      try {
        this.cpuByPid.set(pid, (this.options.cpuOf ?? processCpuSeconds)(pid));
        if (this.options.memory === false) continue;
        const status = readFileSync(`/proc/${pid}/status`, 'utf8');
        memory.rssBytes += statusBytes(status, 'VmRSS');
        memory.peakRssBytes += statusBytes(status, 'VmHWM');
        memory.anonBytes += statusBytes(status, 'RssAnon');
        memory.fileBytes += statusBytes(status, 'RssFile');
      } catch {
        // gone: its last CPU reading stays counted
      }
    }
    let cpuSeconds = 0;
    for (const s of this.cpuByPid.values()) cpuSeconds += s;
    return { cpuSeconds, ...memory, pids: this.pids };
  }
}

/** A `Name:  123 kB` line of /proc/<pid>/status, in bytes (0 when absent). */
function statusBytes(status: string, name: string): number {
  const at = status.indexOf(`${name}:`);
  return at < 0 ? 0 : Number.parseInt(status.slice(at + name.length + 1).trimStart(), 10) * 1024;
}

function alive(pid: number): boolean {
  try {
    readFileSync(`/proc/${pid}/stat`, 'utf8');
    return true;
  } catch {
    return false;
  }
}
