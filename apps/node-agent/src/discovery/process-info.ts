/**
 * What the agent reads about one process from procfs: parent, name, command line, executable,
 * cgroup identity and application type. Reading another user's `/proc/<pid>/exe` needs root;
 * without it `exe` is undefined and everything else still works.
 */
import { readdir } from 'node:fs/promises';
import { readLink, readText } from './procfs-sync.ts';
import { detectAppType } from './app-type.ts';
import { identifyCgroup, type CgroupIdentity } from './cgroup-identity.ts';
import { identifyingPath, parseProcCgroup, type CgroupPaths } from './proc-cgroup.ts';

export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  /** The kernel's name for it (`comm`, at most 15 bytes). */
  readonly comm: string;
  readonly cmdline: readonly string[];
  readonly exe: string | undefined;
  /** Every hierarchy's path (for reading the container's cgroup files). */
  readonly cgroupPaths: CgroupPaths;
  /** The path that names its container (proc-cgroup.ts `identifyingPath`). */
  readonly cgroupPath: string;
  /** User plus system CPU time so far, in clock ticks (USER_HZ, 100 on Linux). */
  readonly cpuTicks: number;
  /** When it started, in clock ticks after boot: with the pid, it tells a reused pid apart. */
  readonly startTicks: number;
  /** Resident set, in pages. */
  readonly rssPages: number;
  readonly identity: CgroupIdentity;
  readonly appType: string | undefined;
}

/**
 * What does not change while a process runs one program: command line, executable, type. Kept
 * by pid with its start time and `comm`, which an exec changes (an exec keeps the start time).
 */
export type ProcessCache = Map<
  number,
  {
    readonly startTicks: number;
    readonly comm: string;
    readonly cmdline: readonly string[];
    readonly exe: string | undefined;
    readonly appType: string | undefined;
  }
>;

/**
 * Reads a process; undefined when it is gone (or is a kernel thread, with no command line).
 * With a `cache`, a process seen before costs two reads (stat, cgroup) instead of four.
 */
export async function readProcess(
  pid: number,
  procRoot = '/proc',
  cache?: ProcessCache,
): Promise<ProcessInfo | undefined> {
  return readProcessNow(pid, procRoot, cache);
}

function readProcessNow(
  pid: number,
  procRoot: string,
  cache: ProcessCache | undefined,
): ProcessInfo | undefined {
  const dir = `${procRoot}/${pid}`;
  const stat = readText(`${dir}/stat`);
  const cgroupText = readText(`${dir}/cgroup`);
  if (stat === undefined || cgroupText === undefined) return undefined;
  const { comm, ppid, cpuTicks, startTicks, rssPages } = parseStat(stat);
  let known = cache?.get(pid);
  if (known === undefined || known.startTicks !== startTicks || known.comm !== comm) {
    const cmdline = (readText(`${dir}/cmdline`) ?? '').split('\0');
    while (cmdline.length > 0 && cmdline[cmdline.length - 1] === '') cmdline.pop();
    const exe = readLink(`${dir}/exe`);
    known = {
      startTicks,
      comm,
      cmdline,
      exe,
      appType: cmdline.length === 0 ? undefined : detectAppType(cmdline, exe),
    };
    cache?.set(pid, known);
  }
  if (known.cmdline.length === 0) return undefined;
  const cgroupPaths = parseProcCgroup(cgroupText);
  const cgroupPath = identifyingPath(cgroupPaths);
  return {
    pid,
    ppid,
    comm,
    cmdline: known.cmdline,
    exe: known.exe,
    cgroupPaths,
    cgroupPath,
    cpuTicks,
    startTicks,
    rssPages,
    identity: identifyCgroup(cgroupPath),
    appType: known.appType,
  };
}

/** The pids under `procRoot`, ascending. */
export async function listPids(procRoot = '/proc'): Promise<number[]> {
  const names = await readdir(procRoot);
  return names
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .sort((a, b) => a - b);
}

/**
 * Every process readable now (those that exit while being read are left out). With a `cache`,
 * entries of processes gone are dropped from it.
 */
export async function readProcesses(procRoot = '/proc', cache?: ProcessCache): Promise<ProcessInfo[]> {
  const pids = await listPids(procRoot);
  const out: ProcessInfo[] = [];
  for (const pid of pids) {
    const proc = readProcessNow(pid, procRoot, cache);
    if (proc !== undefined) out.push(proc);
  }
  if (cache !== undefined) {
    const live = new Set(pids);
    for (const pid of cache.keys()) if (!live.has(pid)) cache.delete(pid);
  }
  return out;
}

export interface StatFields {
  readonly comm: string;
  readonly ppid: number;
  readonly cpuTicks: number;
  readonly startTicks: number;
  readonly rssPages: number;
}

/**
 * What the agent uses of `/proc/<pid>/stat`: `pid (comm) state ppid …` (proc(5)), where comm
 * may itself hold spaces and parentheses, so it runs to the last ')'. After it come state (3),
 * ppid (4), utime (14), stime (15), starttime (22) and rss (24), by proc(5)'s numbering.
 */
export function parseStat(stat: string): StatFields {
  const open = stat.indexOf('(');
  const close = stat.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`unreadable /proc stat line: ${stat.slice(0, 80)}`);
  const fields = stat.slice(close + 2).split(' ');
  const field = (n: number): number => Number(fields[n - 3] ?? 0); // fields[0] is field 3
  return {
    comm: stat.slice(open + 1, close),
    ppid: field(4),
    cpuTicks: field(14) + field(15),
    startTicks: field(22),
    rssPages: field(24),
  };
}
