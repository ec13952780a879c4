/**
 * Function symbols of an ELF64 little-endian file (executables, shared libraries, PIE or not),
 * read from `.symtab` and `.dynsym` with positioned reads: only the headers, the symbol tables
 * and their string tables are read, never the whole file (node is ~100 MB).
 *
 * A sampled address becomes a symbol in two steps:
 *
 * ```
 * file offset = address - mapping start + mapping offset              (process-maps.ts)
 * vaddr       = file offset - p_offset + p_vaddr   of the PT_LOAD segment holding that offset
 * symbol      = the function whose [st_value, st_value + st_size) holds vaddr
 * ```
 *
 * which is right for PIE executables and shared libraries (p_vaddr from 0) and for fixed-address
 * executables (p_vaddr from 0x400000) alike. Symbols are kept as typed arrays sorted by address:
 * start, size and where the name is in the file. Names are not kept: a lookup reads its name from
 * the file (one positioned read, through a descriptor held open so a replaced or deleted file
 * still reads as it was) and remembers the last few thousand. Node's 78,000 functions cost
 * ~2 MB this way instead of ~14 MB with its string table in memory; a profile names the same few
 * thousand frames round after round.
 *
 * A stripped file (only `.dynsym`, as distributions ship libc) also gets the `.symtab` of its
 * separate debug file where one is installed (`/usr/lib/debug/.build-id/…`, by GNU build id).
 */
import { closeSync, openSync, read, readSync } from 'node:fs';
import { promisify } from 'node:util';
import { lastAtOrBelow } from './sorted-search.ts';

const SHT_SYMTAB = 2;
const SHT_DYNSYM = 11;
const SHT_NOTE = 7;
const NT_GNU_BUILD_ID = 3;
const PT_LOAD = 1;
const STT_FUNC = 2;
const STT_GNU_IFUNC = 10;
const SYM_SIZE = 24;
/** Refuse absurd tables (a corrupt header) rather than allocate gigabytes. */
const MAX_TABLE_BYTES = 256 * 1024 * 1024;
/** Longest name read (C++ and Rust names run to a few hundred bytes; longer ones are cut). */
const MAX_NAME_BYTES = 4096;
/** Names remembered per file. */
const NAME_CACHE_ENTRIES = 4096;
const readAsync = promisify(read);

function closeAll(fds: readonly number[]): void {
  for (const fd of fds) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
  }
}

/** Closes the descriptors of tables that were dropped without {@link ElfSymbols.close}. */
const descriptors = new FinalizationRegistry<readonly number[]>(closeAll);

interface Segment {
  readonly offset: number;
  readonly vaddr: number;
  readonly fileSize: number;
}

export class ElfSymbols {
  private readonly names = new Map<number, string>();
  private scratch = Buffer.allocUnsafe(256);
  private closed = false;

  constructor(
    private readonly segments: readonly Segment[],
    /** Sorted ascending. */
    private readonly starts: Float64Array,
    private readonly sizes: Float64Array,
    /** File offset of each symbol's name, in the file `nameFiles[i]` indexes in `fds`. */
    private readonly nameOffsets: Float64Array,
    private readonly nameFiles: Uint8Array,
    private readonly fds: readonly number[],
  ) {
    descriptors.register(this, fds, this);
  }

  get count(): number {
    return this.starts.length;
  }

  /**
   * Memory held by the tables, for the cache's bound. The same from loading to eviction (the
   * cache adds it on one and subtracts it on the other); the remembered names, at most
   * {@link NAME_CACHE_ENTRIES}, are left out.
   */
  get sizeBytes(): number {
    return (
      this.starts.byteLength + this.sizes.byteLength + this.nameOffsets.byteLength + this.nameFiles.byteLength
    );
  }

  /** Closes the files names are read from; lookups then name nothing. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    descriptors.unregister(this);
    closeAll(this.fds);
  }

  /** The virtual address (as symbols give them) of a file offset; undefined outside PT_LOAD. */
  vaddrOf(fileOffset: number): number | undefined {
    for (const s of this.segments) {
      if (fileOffset >= s.offset && fileOffset < s.offset + s.fileSize)
        return fileOffset - s.offset + s.vaddr;
    }
    return undefined;
  }

  /** The function at a file offset (see {@link vaddrOf}), or undefined. */
  lookupFileOffset(fileOffset: number): string | undefined {
    const vaddr = this.vaddrOf(fileOffset);
    return vaddr === undefined ? undefined : this.lookup(vaddr);
  }

  /** The function holding virtual address `vaddr`, or undefined. */
  lookup(vaddr: number): string | undefined {
    const starts = this.starts;
    const found = lastAtOrBelow(starts, vaddr);
    if (found < 0) return undefined;
    const size = this.sizes[found]!;
    // Symbols without a size (hand-written assembly) cover up to the next symbol.
    if (size > 0 && vaddr >= starts[found]! + size) return undefined;
    let name = this.names.get(found);
    if (name === undefined) {
      name = this.readName(found);
      if (name === undefined) return undefined;
      if (this.names.size >= NAME_CACHE_ENTRIES) this.names.clear();
      this.names.set(found, name);
    }
    return name;
  }

  /** Reads the NUL-terminated name of symbol `i` from its string table. */
  private readName(i: number): string | undefined {
    if (this.closed) return undefined;
    const fd = this.fds[this.nameFiles[i]!]!;
    const at = this.nameOffsets[i]!;
    let length = this.scratch.length;
    for (;;) {
      let bytesRead: number;
      try {
        bytesRead = readSync(fd, this.scratch, 0, length, at);
      } catch {
        return undefined;
      }
      const end = this.scratch.indexOf(0);
      if (end >= 0 && end < bytesRead) return this.scratch.toString('utf8', 0, end);
      if (bytesRead < length || length >= MAX_NAME_BYTES) return this.scratch.toString('utf8', 0, bytesRead);
      length = Math.min(length * 2, MAX_NAME_BYTES);
      this.scratch = Buffer.allocUnsafe(length);
    }
  }
}

async function readAt(fd: number, offset: number, length: number): Promise<Buffer> {
  if (length < 0 || length > MAX_TABLE_BYTES) throw new Error(`ELF table of ${length} bytes refused`);
  const buf = Buffer.allocUnsafe(length);
  const { bytesRead } = await readAsync(fd, buf, 0, length, offset);
  if (bytesRead !== length) throw new Error('ELF file is truncated');
  return buf;
}

/** A u64 as a number (exact below 2^53; ELF addresses and offsets of user code are). */
function u64(buf: Buffer, at: number): number {
  return buf.readUInt32LE(at + 4) * 0x100000000 + buf.readUInt32LE(at);
}

interface SymbolTable {
  readonly symbols: Buffer;
  /** Where its string table is in the file, and its length. */
  readonly stringsOffset: number;
  readonly stringsSize: number;
  /** Index of the file (descriptor) it came from. */
  readonly file: number;
}

interface ElfTables {
  /** Open on the file; the caller closes it. */
  readonly fd: number;
  readonly segments: Segment[];
  readonly tables: Array<Omit<SymbolTable, 'file'>>;
  /** Whether a full `.symtab` is among the tables (else only `.dynsym`: a stripped file). */
  readonly hasSymtab: boolean;
  /** The GNU build id (hex), which names the file's separate debug file. */
  readonly buildId: string | undefined;
}

export interface ReadElfOptions {
  /**
   * Where the separate debug file of a stripped file with build id `id` may be (e.g.
   * `/usr/lib/debug/.build-id/ab/cdef….debug`); its `.symtab` adds the local functions.
   */
  readonly debugFiles?: (buildId: string) => readonly string[];
}

/**
 * Reads the function symbols of `path`; throws when it is not an ELF64 little-endian file. The
 * result holds the file (and its debug file) open until {@link ElfSymbols.close}.
 */
export async function readElfSymbols(path: string, options: ReadElfOptions = {}): Promise<ElfSymbols> {
  const main = await readElfTables(path);
  const fds = [main.fd];
  const tables: SymbolTable[] = main.tables.map((t) => ({ ...t, file: 0 }));
  try {
    if (!main.hasSymtab && main.buildId !== undefined && options.debugFiles !== undefined) {
      for (const candidate of options.debugFiles(main.buildId)) {
        let debug: ElfTables;
        try {
          debug = await readElfTables(candidate);
        } catch {
          continue; // not there: the next candidate
        }
        if (debug.buildId !== main.buildId || !debug.hasSymtab) {
          closeSync(debug.fd);
          continue;
        }
        fds.push(debug.fd);
        tables.unshift(...debug.tables.map((t) => ({ ...t, file: 1 })));
        break;
      }
    }
    return buildSymbols(main.segments, tables, fds);
  } catch (err) {
    closeAll(fds);
    throw err;
  }
}

/** The GNU build id in a note section's contents, as hex. */
function buildIdOf(notes: Buffer): string | undefined {
  let at = 0;
  while (at + 12 <= notes.length) {
    const nameSize = notes.readUInt32LE(at);
    const descSize = notes.readUInt32LE(at + 4);
    const type = notes.readUInt32LE(at + 8);
    const nameAt = at + 12;
    const descAt = nameAt + ((nameSize + 3) & ~3);
    if (descAt + descSize > notes.length) return undefined;
    if (type === NT_GNU_BUILD_ID && notes.toString('latin1', nameAt, nameAt + nameSize) === 'GNU\0') {
      return notes.toString('hex', descAt, descAt + descSize);
    }
    at = descAt + ((descSize + 3) & ~3);
  }
  return undefined;
}

async function readElfTables(path: string): Promise<ElfTables> {
  const file = openSync(path, 'r');
  try {
    const header = await readAt(file, 0, 64);
    if (header.readUInt32BE(0) !== 0x7f454c46) throw new Error('not an ELF file');
    if (header[4] !== 2 || header[5] !== 1) throw new Error('not a 64-bit little-endian ELF file');
    const phoff = u64(header, 0x20);
    const shoff = u64(header, 0x28);
    const phentsize = header.readUInt16LE(0x36);
    const phnum = header.readUInt16LE(0x38);
    const shentsize = header.readUInt16LE(0x3a);
    const shnum = header.readUInt16LE(0x3c);

    const segments: Segment[] = [];
    if (phnum > 0 && phentsize >= 56) {
      const ph = await readAt(file, phoff, phnum * phentsize);
      for (let i = 0; i < phnum; i++) {
        const at = i * phentsize;
        if (ph.readUInt32LE(at) !== PT_LOAD) continue;
        segments.push({
          offset: u64(ph, at + 0x08),
          vaddr: u64(ph, at + 0x10),
          fileSize: u64(ph, at + 0x20),
        });
      }
    }

    const tables: Array<Omit<SymbolTable, 'file'>> = [];
    let hasSymtab = false;
    let buildId: string | undefined;
    if (shnum > 0 && shentsize >= 64) {
      const sh = await readAt(file, shoff, shnum * shentsize);
      const section = (i: number) => ({
        type: sh.readUInt32LE(i * shentsize + 4),
        offset: u64(sh, i * shentsize + 0x18),
        size: u64(sh, i * shentsize + 0x20),
        link: sh.readUInt32LE(i * shentsize + 0x28),
      });
      for (let i = 0; i < shnum; i++) {
        const s = section(i);
        if (s.type === SHT_NOTE && buildId === undefined && s.size <= 4096) {
          buildId = buildIdOf(await readAt(file, s.offset, s.size));
          continue;
        }
        if (s.type !== SHT_SYMTAB && s.type !== SHT_DYNSYM) continue;
        if (s.link >= shnum) continue;
        const strtab = section(s.link);
        if (s.type === SHT_SYMTAB) hasSymtab = true;
        tables.push({
          symbols: await readAt(file, s.offset, s.size - (s.size % SYM_SIZE)),
          stringsOffset: strtab.offset,
          stringsSize: strtab.size,
        });
      }
    }
    return { fd: file, segments, tables, hasSymtab, buildId };
  } catch (err) {
    closeSync(file);
    throw err;
  }
}

function buildSymbols(segments: Segment[], tables: readonly SymbolTable[], fds: number[]): ElfSymbols {
  let total = 0;
  for (const t of tables) total += t.symbols.length / SYM_SIZE;
  const starts = new Float64Array(total);
  const sizes = new Float64Array(total);
  const nameOffsets = new Float64Array(total);
  const nameFiles = new Uint8Array(total);
  let n = 0;
  for (const t of tables) {
    const syms = t.symbols;
    for (let at = 0; at < syms.length; at += SYM_SIZE) {
      const type = syms[at + 4]! & 0xf;
      if (type !== STT_FUNC && type !== STT_GNU_IFUNC) continue;
      if (syms.readUInt16LE(at + 6) === 0) continue; // undefined: imported from another file
      const value = u64(syms, at + 8);
      const name = syms.readUInt32LE(at);
      if (value === 0 || name === 0 || name >= t.stringsSize) continue;
      starts[n] = value;
      sizes[n] = u64(syms, at + 16);
      nameOffsets[n] = t.stringsOffset + name;
      nameFiles[n] = t.file;
      n++;
    }
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  // By address; for one address the larger size first, so the duplicate dropped is the smaller.
  order.sort((a, b) => starts[a]! - starts[b]! || sizes[b]! - sizes[a]!);
  let kept = 0;
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    if (kept > 0 && starts[order[kept - 1]!] === starts[i]) continue;
    order[kept++] = i;
  }
  const outStarts = new Float64Array(kept);
  const outSizes = new Float64Array(kept);
  const outNames = new Float64Array(kept);
  const outFiles = new Uint8Array(kept);
  for (let k = 0; k < kept; k++) {
    const i = order[k]!;
    outStarts[k] = starts[i]!;
    outSizes[k] = sizes[i]!;
    outNames[k] = nameOffsets[i]!;
    outFiles[k] = nameFiles[i]!;
  }
  return new ElfSymbols(segments, outStarts, outSizes, outNames, outFiles, fds);
}
