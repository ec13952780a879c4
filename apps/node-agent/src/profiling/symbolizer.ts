/**
 * Names the frames of sampled stacks. User addresses go through the process's executable
 * mappings (process-maps.ts) to an ELF file's symbols (elf-symbols.ts), read through
 * `/proc/<pid>/root` so a container's files resolve (or `/proc/<pid>/map_files/…` when the file
 * was deleted or replaced), or, in anonymous memory, to the process's perf map (perf-map.ts: JIT
 * code). Stripped files are completed from their debug files where installed (elf-symbols.ts).
 * Kernel frames keep bpftrace's names; kallsyms is read only for frames it left unnamed.
 *
 * Reading files is asynchronous, naming is not: a round is first `prepare`d (maps of its pids,
 * perf maps, then the ELF files its addresses fall in), then every frame is named synchronously.
 *
 * | cache | key | bound | refreshed |
 * |---|---|---|---|
 * | symbol tables | device:inode + path | `maxSymbolBytes` (LRU) | never (a new file is a new inode) |
 * | process maps, perf map | pid | pids seen in the last `keepRounds` rounds | once per round while the process lives |
 * | frame names | pid, address | one round | each round |
 *
 * A process that exited keeps its last maps for `keepRounds` rounds, so its final samples are
 * still named when it was sampled before. Frames nothing names become `<file>+0x<offset>`, or
 * `[unknown]` outside any mapping.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readElfSymbols, type ElfSymbols } from './elf-symbols.ts';
import { readKernelSymbols, type KernelSymbols } from './kernel-symbols.ts';
import { PerfMap } from './perf-map.ts';
import { readProcessMaps, type Mapping, type ProcessMaps } from './process-maps.ts';
import { newParsedStack, parseStackKey, type ParsedStack } from './stack-dump.ts';

export const UNKNOWN_FRAME = '[unknown]';

export interface SymbolizerOptions {
  readonly procDir?: string;
  /** Bound on the symbol tables kept (default 16 MiB: ~800,000 functions; names stay on disk). */
  readonly maxSymbolBytes?: number;
  /** Rounds a pid's maps are kept after it was last sampled (default 6). */
  readonly keepRounds?: number;
}

interface ProcessState {
  /** The process's name (its main thread's `comm`), '' until read. */
  comm: string;
  maps: ProcessMaps | undefined;
  mapsRound: number;
  lastSeenRound: number;
  perfMap: PerfMap | undefined;
  names: Map<number, string>;
}

export interface SymbolizerStats {
  readonly processes: number;
  readonly symbolFiles: number;
  readonly symbolBytes: number;
  readonly failedFiles: number;
}

export class Symbolizer {
  private readonly procDir: string;
  private readonly maxSymbolBytes: number;
  private readonly keepRounds: number;
  private readonly processes = new Map<number, ProcessState>();
  /** LRU: a hit moves the entry to the end. */
  private readonly files = new Map<string, ElfSymbols>();
  private fileBytes = 0;
  /** Files that are not ELF or could not be read (bounded; retried after eviction). */
  private readonly failed = new Set<string>();
  private kernel: KernelSymbols | undefined;
  private round = 0;
  private readonly scratch: ParsedStack = newParsedStack();

  constructor(options: SymbolizerOptions = {}) {
    this.procDir = options.procDir ?? '/proc';
    this.maxSymbolBytes = options.maxSymbolBytes ?? 16 * 1024 * 1024;
    this.keepRounds = options.keepRounds ?? 6;
  }

  stats(): SymbolizerStats {
    return {
      processes: this.processes.size,
      symbolFiles: this.files.size,
      symbolBytes: this.fileBytes,
      failedFiles: this.failed.size,
    };
  }

  /** Reads what naming the stacks of `keys` (map dump keys) needs. */
  async prepare(keys: readonly string[]): Promise<void> {
    this.round++;
    const stack = this.scratch;
    const pids = new Set<number>();
    let unnamedKernel = false;
    for (const key of keys) {
      if (!parseStackKey(key, stack)) continue;
      pids.add(stack.pid);
      if (!unnamedKernel)
        for (let i = 0; i < stack.kernelCount; i++) if (stack.kernelNames[i] === '') unnamedKernel = true;
    }
    for (const pid of pids) await this.refreshProcess(pid);
    const needed = new Map<string, { pid: number; mapping: Mapping }>();
    const used = new Set<string>();
    for (const key of keys) {
      if (!parseStackKey(key, stack)) continue;
      const maps = this.processes.get(stack.pid)?.maps;
      if (maps === undefined) continue;
      for (let i = 0; i < stack.userCount; i++) {
        const m = maps.find(stack.user[i]!);
        if (m === undefined || m.fileKey === '' || m.path.startsWith('[')) continue;
        if (used.has(m.fileKey)) continue;
        used.add(m.fileKey);
        if (this.files.has(m.fileKey)) this.touch(m.fileKey);
        else if (!this.failed.has(m.fileKey)) needed.set(m.fileKey, { pid: stack.pid, mapping: m });
      }
    }
    for (const [fileKey, { pid, mapping }] of needed) await this.loadFile(fileKey, pid, mapping);
    if (unnamedKernel && this.kernel === undefined) this.kernel = await readKernelSymbols();
    for (const [pid, state] of this.processes) {
      if (this.round - state.lastSeenRound > this.keepRounds) this.processes.delete(pid);
    }
  }

  /**
   * The name of the process (its main thread's `comm`, read with its maps), or '' when it was
   * gone before it was first read. A sample's own `comm` is its thread's (`C2 CompilerThre`).
   */
  processName(pid: number): string {
    return this.processes.get(pid)?.comm ?? '';
  }

  /** The name of a user frame of `pid` (after `prepare` for the round it came in). */
  userFrame(pid: number, address: number): string {
    const state = this.processes.get(pid);
    if (state === undefined) return UNKNOWN_FRAME;
    let name = state.names.get(address);
    if (name === undefined) {
      name = this.nameUser(state, address);
      state.names.set(address, name);
    }
    return name;
  }

  /** The name of a kernel frame: bpftrace's, else kallsyms'. */
  kernelFrame(address: number, bpftraceName: string): string {
    if (bpftraceName !== '') return bpftraceName;
    return this.kernel?.lookup(address) ?? '[kernel]';
  }

  private nameUser(state: ProcessState, address: number): string {
    const m = state.maps?.find(address);
    if (m === undefined) return state.perfMap?.lookup(address) ?? UNKNOWN_FRAME;
    if (m.fileKey === '' || m.path.startsWith('[anon') || m.path.startsWith('/memfd:')) {
      return state.perfMap?.lookup(address) ?? (m.path === '' ? UNKNOWN_FRAME : m.path);
    }
    if (m.path.startsWith('[')) return m.path; // [vdso], [vsyscall]
    const fileOffset = address - m.start + m.offset;
    const symbols = this.files.get(m.fileKey);
    const name = symbols?.lookupFileOffset(fileOffset);
    if (name !== undefined) return name;
    return `${path.basename(m.path.replace(/ \(deleted\)$/, ''))}+0x${fileOffset.toString(16)}`;
  }

  private async refreshProcess(pid: number): Promise<void> {
    let state = this.processes.get(pid);
    if (state === undefined) {
      state = {
        comm: '',
        maps: undefined,
        mapsRound: 0,
        lastSeenRound: 0,
        perfMap: undefined,
        names: new Map(),
      };
      this.processes.set(pid, state);
    }
    state.lastSeenRound = this.round;
    state.names.clear();
    if (state.mapsRound === this.round) return;
    state.mapsRound = this.round;
    const maps = await readProcessMaps(pid, this.procDir);
    if (maps === undefined) return; // gone: keep what was read before
    if (state.comm === '') {
      state.comm = await readFile(`${this.procDir}/${pid}/comm`, 'utf8').then(
        (text) => text.trimEnd(),
        () => '',
      );
    }
    state.maps = maps;
    if (maps.mappings.some((m) => m.fileKey === '' && m.path === '')) {
      state.perfMap ??= await this.findPerfMap(pid);
      await state.perfMap?.refresh();
    }
  }

  /** `/tmp/perf-<pid>.map` as the process sees it (in a container: its own pid there). */
  private async findPerfMap(pid: number): Promise<PerfMap | undefined> {
    let nsPid = pid;
    try {
      const status = await readFile(`${this.procDir}/${pid}/status`, 'utf8');
      const line = /^NSpid:\s*([\d\s]+)$/m.exec(status)?.[1];
      const last = line?.trim().split(/\s+/).pop();
      if (last !== undefined && /^\d+$/.test(last)) nsPid = Number(last);
    } catch {
      return undefined;
    }
    for (const candidate of [`${this.procDir}/${pid}/root/tmp/perf-${nsPid}.map`, `/tmp/perf-${pid}.map`]) {
      const map = new PerfMap(candidate);
      if (await map.refresh()) return map;
    }
    return undefined;
  }

  private async loadFile(fileKey: string, pid: number, m: Mapping): Promise<void> {
    const hex = (n: number) => n.toString(16);
    const candidates = [
      `${this.procDir}/${pid}/root${m.path}`,
      `${this.procDir}/${pid}/map_files/${hex(m.start)}-${hex(m.end)}`,
    ];
    if (m.path.endsWith(' (deleted)')) candidates.shift();
    for (const file of candidates) {
      try {
        const symbols = await readElfSymbols(file, {
          debugFiles: (id) => {
            const tail = `usr/lib/debug/.build-id/${id.slice(0, 2)}/${id.slice(2)}.debug`;
            return [`${this.procDir}/${pid}/root/${tail}`, `/${tail}`];
          },
        });
        this.files.set(fileKey, symbols);
        this.fileBytes += symbols.sizeBytes;
        this.evict(fileKey);
        return;
      } catch {
        // try the next way to the file
      }
    }
    if (this.failed.size >= 4096) this.failed.clear();
    this.failed.add(fileKey);
  }

  /** Drops the least recently loaded tables beyond the bound (never `keep`). */
  private evict(keep: string): void {
    for (const [key, symbols] of this.files) {
      if (this.fileBytes <= this.maxSymbolBytes) break;
      if (key === keep) continue;
      this.files.delete(key);
      this.fileBytes -= symbols.sizeBytes;
      symbols.close();
    }
  }

  /** Closes the files symbol names are read from (at shutdown). */
  close(): void {
    for (const symbols of this.files.values()) symbols.close();
    this.files.clear();
    this.fileBytes = 0;
  }

  /** Marks a table used, for the LRU order. */
  private touch(fileKey: string): void {
    const symbols = this.files.get(fileKey);
    if (symbols === undefined) return;
    this.files.delete(fileKey);
    this.files.set(fileKey, symbols);
  }
}
