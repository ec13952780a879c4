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
 * executables (p_vaddr from 0x400000) alike. Symbols are kept as three typed arrays sorted by
 * address plus the string table (names are decoded on lookup), so node's 150,000 functions
 * cost ~10 MB, most of it the names.
 *
 * A stripped file (only `.dynsym`, as distributions ship libc) also gets the `.symtab` of its
 * separate debug file where one is installed (`/usr/lib/debug/.build-id/…`, by GNU build id).
 */
import { open, type FileHandle } from 'node:fs/promises';
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

interface Segment {
  readonly offset: number;
  readonly vaddr: number;
  readonly fileSize: number;
}

export class ElfSymbols {
  constructor(
    private readonly segments: readonly Segment[],
    /** Sorted ascending. */
    private readonly starts: Float64Array,
    private readonly sizes: Float64Array,
    private readonly nameOffsets: Uint32Array,
    private readonly names: Buffer,
  ) {}

  get count(): number {
    return this.starts.length;
  }

  /** Memory held, for the cache's bound. */
  get sizeBytes(): number {
    return this.starts.byteLength + this.sizes.byteLength + this.nameOffsets.byteLength + this.names.length;
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
    const from = this.nameOffsets[found]!;
    let to = this.names.indexOf(0, from);
    if (to < 0) to = this.names.length;
    return this.names.toString('utf8', from, to);
  }
}

async function readAt(file: FileHandle, offset: number, length: number): Promise<Buffer> {
  if (length < 0 || length > MAX_TABLE_BYTES) throw new Error(`ELF table of ${length} bytes refused`);
  const buf = Buffer.allocUnsafe(length);
  const { bytesRead } = await file.read(buf, 0, length, offset);
  if (bytesRead !== length) throw new Error('ELF file is truncated');
  return buf;
}

/** A u64 as a number (exact below 2^53; ELF addresses and offsets of user code are). */
function u64(buf: Buffer, at: number): number {
  return buf.readUInt32LE(at + 4) * 0x100000000 + buf.readUInt32LE(at);
}

interface ElfTables {
  readonly segments: Segment[];
  readonly tables: Array<{ symbols: Buffer; strings: Buffer }>;
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

/** Reads the function symbols of `path`; throws when it is not an ELF64 little-endian file. */
export async function readElfSymbols(path: string, options: ReadElfOptions = {}): Promise<ElfSymbols> {
  const main = await readElfTables(path);
  const tables = [...main.tables];
  if (!main.hasSymtab && main.buildId !== undefined && options.debugFiles !== undefined) {
    for (const candidate of options.debugFiles(main.buildId)) {
      try {
        const debug = await readElfTables(candidate);
        if (debug.buildId !== main.buildId || !debug.hasSymtab) continue;
        tables.unshift(...debug.tables);
        break;
      } catch {
        // not there: the next candidate
      }
    }
  }
  return buildSymbols(main.segments, tables);
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
  const file = await open(path, 'r');
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

    const tables: Array<{ symbols: Buffer; strings: Buffer }> = [];
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
          strings: await readAt(file, strtab.offset, strtab.size),
        });
      }
    }
    return { segments, tables, hasSymtab, buildId };
  } finally {
    await file.close();
  }
}

function buildSymbols(
  segments: Segment[],
  tables: ReadonlyArray<{ symbols: Buffer; strings: Buffer }>,
): ElfSymbols {
  // The names of both tables go into one buffer: .dynsym's strings follow .symtab's.
  const names = Buffer.concat(tables.map((t) => t.strings));
  let total = 0;
  for (const t of tables) total += t.symbols.length / SYM_SIZE;
  const starts = new Float64Array(total);
  const sizes = new Float64Array(total);
  const nameOffsets = new Uint32Array(total);
  let n = 0;
  let base = 0;
  for (const t of tables) {
    const syms = t.symbols;
    for (let at = 0; at < syms.length; at += SYM_SIZE) {
      const type = syms[at + 4]! & 0xf;
      if (type !== STT_FUNC && type !== STT_GNU_IFUNC) continue;
      if (syms.readUInt16LE(at + 6) === 0) continue; // undefined: imported from another file
      const value = u64(syms, at + 8);
      const name = syms.readUInt32LE(at);
      if (value === 0 || name === 0 || name >= t.strings.length) continue;
      starts[n] = value;
      sizes[n] = u64(syms, at + 16);
      nameOffsets[n] = base + name;
      n++;
    }
    base += t.strings.length;
  }
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  // By address; for one address the larger size first, so the duplicate dropped is the smaller.
  order.sort((a, b) => starts[a]! - starts[b]! || sizes[b]! - sizes[a]!);
  const outStarts: number[] = [];
  const outSizes: number[] = [];
  const outNames: number[] = [];
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    if (outStarts.length > 0 && outStarts[outStarts.length - 1] === starts[i]) continue;
    outStarts.push(starts[i]!);
    outSizes.push(sizes[i]!);
    outNames.push(nameOffsets[i]!);
  }
  return new ElfSymbols(
    segments,
    Float64Array.from(outStarts),
    Float64Array.from(outSizes),
    Uint32Array.from(outNames),
    names,
  );
}
