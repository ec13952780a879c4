/**
 * Synchronous reads of procfs, sysfs and cgroupfs files. These files are generated in memory by
 * the kernel and answer at once; reading them through fs/promises costs a thread-pool round trip
 * and four promise-wrapped syscalls per file, which made a scan of a node with 50 containers
 * (several thousand small files) cost about 0.5 s of CPU (docs/perf.md). Never used for files on
 * real disks.
 */
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** The file's text, or undefined when it cannot be read (gone, not permitted). */
export function readText(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The link's target, or undefined. */
export function readLink(file: string): string | undefined {
  try {
    return readlinkSync(file);
  } catch {
    return undefined;
  }
}

/** The directory's entries, or [] when it cannot be read. */
export function listDir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
