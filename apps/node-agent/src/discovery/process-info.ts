/**
 * What the agent reads about one process from procfs: parent, name, command line, executable,
 * cgroup identity and application type. Reading another user's `/proc/<pid>/exe` needs root;
 * without it `exe` is undefined and everything else still works.
 */
import { readFile, readlink, readdir } from 'node:fs/promises';
import path from 'node:path';
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

/** Reads a process; undefined when it is gone (or is a kernel thread, with no command line). */
export async function readProcess(pid: number, procRoot = '/proc'): Promise<ProcessInfo | undefined> {
  const dir = path.join(procRoot, String(pid));
  try {
    const [stat, cmdlineRaw, cgroupText] = await Promise.all([
      readFile(path.join(dir, 'stat'), 'utf8'),
      readFile(path.join(dir, 'cmdline'), 'utf8'),
      readFile(path.join(dir, 'cgroup'), 'utf8'),
    ]);
    const cmdline = cmdlineRaw.split('\0');
    while (cmdline.length > 0 && cmdline[cmdline.length - 1] === '') cmdline.pop();
    if (cmdline.length === 0) return undefined;
    const { comm, ppid, cpuTicks, startTicks, rssPages } = parseStat(stat);
    const exe = await readlink(path.join(dir, 'exe')).catch(() => undefined);
    const cgroupPaths = parseProcCgroup(cgroupText);
    const cgroupPath = identifyingPath(cgroupPaths);
    return {
      pid,
      ppid,
      comm,
      cmdline,
      exe,
      cgroupPaths,
      cgroupPath,
      cpuTicks,
      startTicks,
      rssPages,
      identity: identifyCgroup(cgroupPath),
      appType: detectAppType(cmdline, exe),
    };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ESRCH') {
      return undefined;
    }
    throw err;
  }
}

/** The pids under `procRoot`, ascending. */
export async function listPids(procRoot = '/proc'): Promise<number[]> {
  const names = await readdir(procRoot);
  return names
    .filter((n) => /^\d+$/.test(n))
    .map(Number)
    .sort((a, b) => a - b);
}

/** Every process readable now (those that exit while being read are left out). */
export async function readProcesses(procRoot = '/proc'): Promise<ProcessInfo[]> {
  const read = await Promise.all((await listPids(procRoot)).map((pid) => readProcess(pid, procRoot)));
  return read.filter((p): p is ProcessInfo => p !== undefined);
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
