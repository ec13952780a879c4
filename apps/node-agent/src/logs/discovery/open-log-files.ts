/**
 * Files under /var/log that a process holds open for writing: its fds (`/proc/<pid>/fd/*` links)
 * whose target is under /var/log — except the runtimes' and journald's own directories, read
 * elsewhere — opened write-only or read-write (`flags:` in `/proc/<pid>/fdinfo/<fd>`, octal).
 *
 * The path is the one the process sees; the agent reads it through `/proc/<pid>/root`, so a file
 * inside a container's own filesystem is found too.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

const EXCLUDED_PREFIXES = ['/var/log/pods/', '/var/log/containers/', '/var/log/journal/'];
const O_ACCMODE = 0o3;
const O_WRONLY = 0o1;
const O_RDWR = 0o2;

/** Paths (as the process sees them) of /var/log files `pid` has open for writing. */
export function openLogFiles(pid: number, procRoot = '/proc'): Promise<string[]> {
  return Promise.resolve(openLogFilesNow(pid, procRoot));
}

/**
 * {@link openLogFiles}, synchronously: procfs answers from memory, and a walk makes one call per
 * fd, so thread-pool round trips would cost far more than the reads.
 */
export function openLogFilesNow(pid: number, procRoot = '/proc'): string[] {
  let fds: string[];
  try {
    fds = readdirSync(`${procRoot}/${pid}/fd`);
  } catch {
    return [];
  }
  const out = new Set<string>();
  for (const fd of fds) {
    let target: string;
    try {
      target = readlinkSync(`${procRoot}/${pid}/fd/${fd}`);
    } catch {
      continue;
    }
    if (!isLogPath(target)) continue;
    const flags = fdFlags(pid, fd, procRoot);
    if (flags === undefined) continue;
    const mode = flags & O_ACCMODE;
    if (mode === O_WRONLY || mode === O_RDWR) out.add(target);
  }
  return [...out];
}

/**
 * The walks of {@link openLogFilesNow}, remembered per process for `refreshMs` (default 30 s):
 * walking every fd of every process each interval cost more than everything else the agent
 * does per interval. A process seen for the first time is walked at once; one that opens a new
 * log file later is noticed within `refreshMs`.
 */
export class OpenLogFilesCache {
  private byPid = new Map<number, { readonly files: string[]; readonly atMs: number }>();

  constructor(
    private readonly refreshMs = 30_000,
    private readonly now: () => number = Date.now,
  ) {}

  filesOf(pid: number, procRoot = '/proc'): string[] {
    const now = this.now();
    const known = this.byPid.get(pid);
    if (known !== undefined && now - known.atMs < this.refreshMs) return known.files;
    const files = openLogFilesNow(pid, procRoot);
    this.byPid.set(pid, { files, atMs: now });
    return files;
  }

  /** Forgets processes not among `pids` (call once per interval with all live pids). */
  retain(pids: ReadonlySet<number>): void {
    for (const pid of this.byPid.keys()) if (!pids.has(pid)) this.byPid.delete(pid);
  }
}

/** Whether an fd target is a log file this module picks up. */
export function isLogPath(target: string): boolean {
  if (!target.startsWith('/var/log/') || target.endsWith(' (deleted)')) return false;
  return !EXCLUDED_PREFIXES.some((prefix) => target.startsWith(prefix));
}

function fdFlags(pid: number, fd: string, procRoot: string): number | undefined {
  try {
    const text = readFileSync(`${procRoot}/${pid}/fdinfo/${fd}`, 'utf8');
    const match = /^flags:\s+([0-7]+)$/m.exec(text);
    return match ? parseInt(match[1]!, 8) : undefined;
  } catch {
    return undefined;
  }
}
