/**
 * The memory a group of processes holds, each physical page counted once: the union of the
 * page frames their mappings have resident (`/proc/<pid>/pagemap`, root only). Summing VmRSS
 * counts a page shared by two processes twice (two bpftrace processes map the same LLVM
 * libraries); this is the figure a memory cgroup holding just the group would come closest to.
 *
 * pagemap has one u64 per virtual page: bit 63 "present", bits 0-54 the page frame number.
 */
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';

const PAGE = 4096;
/** Pagemap entries read at a time (1 MiB). */
const CHUNK_ENTRIES = 131_072;

/** Bytes of distinct resident pages of `pids` (processes gone are skipped). */
export function residentUnionBytes(pids: readonly number[]): number {
  const frames = new Set<number>();
  const buf = Buffer.allocUnsafe(CHUNK_ENTRIES * 8);
  for (const pid of pids) {
    let maps: string;
    let fd: number;
    try {
      maps = readFileSync(`/proc/${pid}/maps`, 'utf8');
      fd = openSync(`/proc/${pid}/pagemap`, 'r');
    } catch {
      continue;
    }
    try {
      for (const line of maps.split('\n')) {
        const dash = line.indexOf('-');
        const space = line.indexOf(' ');
        if (dash < 0 || space < dash || line.endsWith('[vsyscall]')) continue;
        const start = Number.parseInt(line.slice(0, dash), 16) / PAGE;
        const end = Number.parseInt(line.slice(dash + 1, space), 16) / PAGE;
        for (let page = start; page < end; page += CHUNK_ENTRIES) {
          const count = Math.min(CHUNK_ENTRIES, end - page);
          let got: number;
          try {
            got = readSync(fd, buf, 0, count * 8, page * 8);
          } catch {
            break;
          }
          for (let at = 0; at + 8 <= got; at += 8) {
            const high = buf.readUInt32LE(at + 4);
            if ((high & 0x80000000) === 0) continue; // not present
            const frame = (high & 0x7fffff) * 0x100000000 + buf.readUInt32LE(at);
            if (frame !== 0) frames.add(frame);
          }
        }
      }
    } finally {
      closeSync(fd);
    }
  }
  return frames.size * PAGE;
}
