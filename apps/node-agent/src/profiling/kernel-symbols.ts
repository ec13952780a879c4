/**
 * Kernel function names from `/proc/kallsyms` (`ffffffff821f94c3 T schedule`), for the kernel
 * frames bpftrace printed without a name. bpftrace 0.17 names kernel frames itself (it has no
 * raw stack mode), so this table is only loaded the first time such a frame shows up.
 *
 * Addresses are kept as their low 52 bits (see stack-dump.ts), sorted, in a typed array; the
 * names in one string joined by newlines, sliced on lookup. Without root, kallsyms shows zeros:
 * the table is then empty and frames stay `[kernel]+0x…`.
 */
import { readFile } from 'node:fs/promises';
import { kernelAddressKey } from './stack-dump.ts';
import { lastAtOrBelow } from './sorted-search.ts';

export class KernelSymbols {
  constructor(
    private readonly starts: Float64Array,
    private readonly nameEnds: Uint32Array,
    private readonly names: string,
  ) {}

  get count(): number {
    return this.starts.length;
  }

  /** The function holding `address` (low 52 bits), or undefined. */
  lookup(address: number): string | undefined {
    const starts = this.starts;
    const found = lastAtOrBelow(starts, address);
    if (found < 0) return undefined;
    const from = found === 0 ? 0 : this.nameEnds[found - 1]! + 1;
    return this.names.slice(from, this.nameEnds[found]!);
  }
}

/** Parses kallsyms text, keeping text symbols (`t`, `T`, `w`, `W`) with a non-zero address. */
export function parseKallsyms(text: string): KernelSymbols {
  const entries: Array<{ start: number; name: string }> = [];
  let pos = 0;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const s1 = text.indexOf(' ', pos);
    if (s1 > pos && s1 + 3 < end) {
      const type = text.charCodeAt(s1 + 1) | 0x20; // lower case
      if (type === 116 /* t */ || type === 119 /* w */) {
        const start = kernelAddressKey(text.slice(pos, s1));
        // "name\t[module]" for module symbols: keep the name (search the line only).
        const line = text.slice(s1 + 3, end);
        const tab = line.indexOf('\t');
        if (start > 0) entries.push({ start, name: tab < 0 ? line : line.slice(0, tab) });
      }
    }
    pos = end + 1;
  }
  entries.sort((a, b) => a.start - b.start);
  const starts = new Float64Array(entries.length);
  const nameEnds = new Uint32Array(entries.length);
  let names = '';
  entries.forEach((e, i) => {
    starts[i] = e.start;
    names += i === 0 ? e.name : `\n${e.name}`;
    nameEnds[i] = names.length;
  });
  return new KernelSymbols(starts, nameEnds, names);
}

/** Reads `/proc/kallsyms` (empty table when unreadable). */
export async function readKernelSymbols(path = '/proc/kallsyms'): Promise<KernelSymbols> {
  try {
    return parseKallsyms(await readFile(path, 'utf8'));
  } catch {
    return parseKallsyms('');
  }
}
