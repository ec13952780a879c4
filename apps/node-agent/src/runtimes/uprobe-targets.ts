/**
 * Which files the runtime uprobes attach to. A uprobe is set on a file (its inode), not on a
 * process, so every process running that file is probed. For Node.js the file is the `node`
 * executable (libuv is linked into it); for Python it is the C library the interpreter calls
 * `pthread_cond_timedwait` in, which every other program on the host shares too — the Python
 * pids are kept to filter the sums by.
 *
 * A process in a container sees its files under `/proc/<pid>/root`; one path is chosen per file
 * identity (device and inode), preferring one that stays valid: a host path over a path
 * through a container's root. Symbols are checked once per file with `bpftrace -l` (bpftrace
 * refuses a whole program when one probe cannot attach).
 */
import { execFile } from 'node:child_process';
import { readFile, readlink, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Paths that may go into a bpftrace program as they are (no quoting, nothing to inject). */
const SAFE_PATH = /^\/[A-Za-z0-9_./+-]+$/;
const RECHECK_EXE_MS = 60_000;
/** libuv's I/O callbacks; the JavaScript they call runs inside `uv__io_poll`. */
export const LIBUV_IO_CALLBACKS = [
  'uv__stream_io',
  'uv__async_io',
  'uv__poll_io',
  'uv__server_io',
  'uv__udp_io',
];

export interface NodeBinary {
  readonly path: string;
  /** The libuv I/O callbacks the file has symbols for. */
  readonly callbacks: readonly string[];
}

export interface LibcFile {
  readonly path: string;
  /** `pthread_cond_timedwait` as bpftrace names it here (glibc's default version, or musl's). */
  readonly symbol: string;
}

export interface UprobeTargetSet {
  readonly node: readonly NodeBinary[];
  readonly pythonLibc: readonly LibcFile[];
  readonly pythonPids: ReadonlySet<number>;
}

type ListSymbols = (file: string, pattern: string) => Promise<string[]>;

/** Symbols of `file` matching a bpftrace glob, as `bpftrace -l` lists them. */
export const bpftraceSymbols: ListSymbols = async (file, pattern) => {
  const { stdout } = await run('bpftrace', ['-l', `uprobe:${file}:${pattern}`], { timeout: 30_000 });
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('uprobe:'))
    .map((l) => l.slice(l.lastIndexOf(':') + 1));
};

interface PidKind {
  readonly kind: 'node' | 'python' | 'other';
  readonly exe: string;
  readonly checkedAtMs: number;
}

export class UprobeTargets {
  private readonly pids = new Map<number, PidKind>();
  /** `dev:ino` → symbols checked for that file (undefined: not usable). */
  private readonly nodeFiles = new Map<string, NodeBinary | undefined>();
  private readonly libcFiles = new Map<string, LibcFile | undefined>();

  constructor(
    private readonly procRoot = '/proc',
    private readonly listSymbols: ListSymbols = bpftraceSymbols,
    private readonly now: () => number = Date.now,
  ) {}

  async refresh(pids: readonly number[]): Promise<UprobeTargetSet> {
    const node = new Map<string, NodeBinary>();
    const libc = new Map<string, LibcFile>();
    const pythonPids = new Set<number>();
    const live = new Set(pids);
    for (const pid of this.pids.keys()) if (!live.has(pid)) this.pids.delete(pid);
    for (const pid of pids) {
      const kind = await this.kindOf(pid);
      if (kind.kind === 'node') {
        const file = await this.resolve(pid, kind.exe);
        if (file === undefined || node.has(file.identity)) continue;
        const binary = await this.checked(this.nodeFiles, file, (p) => this.nodeBinary(p));
        if (binary !== undefined) node.set(file.identity, binary);
      } else if (kind.kind === 'python') {
        pythonPids.add(pid);
        const mapped = await this.libcOf(pid);
        const file = mapped === undefined ? undefined : await this.resolve(pid, mapped);
        if (file === undefined || libc.has(file.identity)) continue;
        const found = await this.checked(this.libcFiles, file, (p) => this.libcFile(p));
        if (found !== undefined) libc.set(file.identity, found);
      }
    }
    const byPath = <T extends { path: string }>(a: T, b: T): number => a.path.localeCompare(b.path);
    return { node: [...node.values()].sort(byPath), pythonLibc: [...libc.values()].sort(byPath), pythonPids };
  }

  private async kindOf(pid: number): Promise<PidKind> {
    const known = this.pids.get(pid);
    // Looked at again now and then: a launcher script may exec the runtime later.
    if (known !== undefined && (known.kind !== 'other' || this.now() - known.checkedAtMs < RECHECK_EXE_MS))
      return known;
    const exe = await readlink(`${this.procRoot}/${pid}/exe`).catch(() => '');
    const name = path.basename(exe.replace(/ \(deleted\)$/, ''));
    const kind: PidKind = {
      kind: /^node(js)?$/.test(name) ? 'node' : /^python\d*(\.\d+)?$/.test(name) ? 'python' : 'other',
      exe,
      checkedAtMs: this.now(),
    };
    this.pids.set(pid, kind);
    return kind;
  }

  /** The path to probe `file` (as process `pid` sees it) through, and its identity. */
  private async resolve(pid: number, file: string): Promise<{ path: string; identity: string } | undefined> {
    const root = await readlink(`${this.procRoot}/${pid}/root`).catch(() => undefined);
    if (root === undefined) return undefined;
    const through = root === '/' ? file : `${this.procRoot}/${pid}/root${file}`;
    if (!SAFE_PATH.test(through)) return undefined;
    const st = await stat(through).catch(() => undefined);
    return st === undefined ? undefined : { path: through, identity: `${st.dev}:${st.ino}` };
  }

  private async checked<T>(
    cache: Map<string, T | undefined>,
    file: { path: string; identity: string },
    check: (path: string) => Promise<T | undefined>,
  ): Promise<T | undefined> {
    if (!cache.has(file.identity)) cache.set(file.identity, await check(file.path).catch(() => undefined));
    const found = cache.get(file.identity);
    // The same file reached through another path now (the first process may be gone).
    return found === undefined ? undefined : { ...found, path: file.path };
  }

  private async nodeBinary(file: string): Promise<NodeBinary | undefined> {
    const symbols = new Set(await this.listSymbols(file, 'uv__*'));
    if (!symbols.has('uv__io_poll')) return undefined; // stripped, or libuv in a shared library
    return { path: file, callbacks: LIBUV_IO_CALLBACKS.filter((s) => symbols.has(s)) };
  }

  private async libcFile(file: string): Promise<LibcFile | undefined> {
    const symbols = await this.listSymbols(file, 'pthread_cond_timedwait*');
    const symbol =
      symbols.find((s) => s.startsWith('pthread_cond_timedwait@@')) ??
      symbols.find((s) => s === 'pthread_cond_timedwait');
    return symbol === undefined ? undefined : { path: file, symbol };
  }

  /** The C library mapped into the process (glibc's libc.so.6, or musl's loader, which is its libc). */
  private async libcOf(pid: number): Promise<string | undefined> {
    const maps = await readFile(`${this.procRoot}/${pid}/maps`, 'utf8').catch(() => '');
    for (const line of maps.split('\n')) {
      const file = line.slice(line.indexOf('/'));
      if (line.includes('/') && /\/(libc\.so\.6|libc\.musl-[^/]*\.so\.1|ld-musl-[^/]*\.so\.1)$/.test(file))
        return file;
    }
    return undefined;
  }
}
