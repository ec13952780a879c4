/**
 * What the agent reads about one process from procfs: parent, name, command line, executable,
 * cgroup identity and application type. Reading another user's `/proc/<pid>/exe` needs root;
 * without it `exe` is undefined and everything else still works.
 */
import { readFile, readlink, readdir } from 'node:fs/promises';
import path from 'node:path';
import { detectAppType } from './app-type.ts';
import { identifyCgroup, type CgroupIdentity } from './cgroup-identity.ts';
import { identifyingPath, parseProcCgroup } from './proc-cgroup.ts';

export interface ProcessInfo {
  readonly pid: number;
  readonly ppid: number;
  /** The kernel's name for it (`comm`, at most 15 bytes). */
  readonly comm: string;
  readonly cmdline: readonly string[];
  readonly exe: string | undefined;
  readonly cgroupPath: string;
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
    const { comm, ppid } = parseStat(stat);
    const exe = await readlink(path.join(dir, 'exe')).catch(() => undefined);
    const cgroupPath = identifyingPath(parseProcCgroup(cgroupText));
    return {
      pid,
      ppid,
      comm,
      cmdline,
      exe,
      cgroupPath,
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

/**
 * `comm` and `ppid` from `/proc/<pid>/stat`: `pid (comm) state ppid …`, where comm may itself
 * hold spaces and parentheses, so it runs to the last ')'.
 */
export function parseStat(stat: string): { comm: string; ppid: number } {
  const open = stat.indexOf('(');
  const close = stat.lastIndexOf(')');
  if (open < 0 || close < open) throw new Error(`unreadable /proc stat line: ${stat.slice(0, 80)}`);
  const fields = stat.slice(close + 2).split(' ');
  return { comm: stat.slice(open + 1, close), ppid: Number(fields[1]) };
}
