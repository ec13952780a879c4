/**
 * The executable mappings of a process, from `/proc/<pid>/maps`, to tell which file (and where
 * in it) a sampled user address belongs to:
 *
 * ```
 * 55d0c4a00000-55d0c4a9c000 r-xp 00021000 fd:01 1835   /usr/bin/ls
 * start        end          perms offset  dev   inode  path
 * file offset of an address = address - start + offset
 * ```
 *
 * Only executable mappings are kept (a sampled instruction pointer is in one). Anonymous ones
 * (JIT code of Node.js or a JVM) keep an empty path and are named from the perf map.
 */
import { readFile } from 'node:fs/promises';

export interface Mapping {
  readonly start: number;
  readonly end: number;
  readonly offset: number;
  /** `major:minor:inode path` of the file (the symbol cache's key); '' for anonymous memory. */
  readonly fileKey: string;
  /** The file's path in the process's mount namespace, `[vdso]`-style names, or ''. */
  readonly path: string;
}

export class ProcessMaps {
  /** Sorted by start; executable mappings do not overlap. */
  constructor(readonly mappings: readonly Mapping[]) {}

  /** The mapping holding `address`, or undefined. */
  find(address: number): Mapping | undefined {
    const list = this.mappings;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const m = list[mid]!;
      if (address < m.start) hi = mid - 1;
      else if (address >= m.end) lo = mid + 1;
      else return m;
    }
    return undefined;
  }
}

/** Parses the text of a maps file (executable mappings only). */
export function parseProcessMaps(text: string): ProcessMaps {
  const out: Mapping[] = [];
  let pos = 0;
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const line = text.slice(pos, end);
    pos = end + 1;
    // "start-end perms offset dev inode path": the path (which may contain spaces) is the rest.
    const dash = line.indexOf('-');
    const s1 = line.indexOf(' ', dash);
    if (dash <= 0 || s1 < 0 || line.charCodeAt(s1 + 3) !== 120 /* x */) continue;
    const s2 = line.indexOf(' ', s1 + 1);
    const s3 = line.indexOf(' ', s2 + 1);
    const s4 = line.indexOf(' ', s3 + 1);
    if (s2 < 0 || s3 < 0 || s4 < 0) continue;
    let s5 = line.indexOf(' ', s4 + 1);
    if (s5 < 0) s5 = line.length;
    const inode = line.slice(s4 + 1, s5);
    const path = line.slice(s5).trim();
    out.push({
      start: parseInt(line.slice(0, dash), 16),
      end: parseInt(line.slice(dash + 1, s1), 16),
      offset: parseInt(line.slice(s2 + 1, s3), 16),
      fileKey: inode === '0' ? '' : `${line.slice(s3 + 1, s4)}:${inode} ${path}`,
      path,
    });
  }
  out.sort((a, b) => a.start - b.start);
  return new ProcessMaps(out);
}

/** Reads `/proc/<pid>/maps`; undefined when the process is gone. */
export async function readProcessMaps(pid: number, procDir = '/proc'): Promise<ProcessMaps | undefined> {
  try {
    return parseProcessMaps(await readFile(`${procDir}/${pid}/maps`, 'utf8'));
  } catch {
    return undefined;
  }
}
