/**
 * A container's block I/O per disk, for Coroot's
 * `container_resources_disk_{reads,read_bytes,writes,written_bytes}_total{mount_point,device,volume}`
 * and `container_resources_disk_delay_seconds_total`:
 *
 * | figure | cgroup v2 (`io.stat`) | cgroup v1 (`blkio.throttle.*_recursive`) |
 * |---|---|---|
 * | reads / writes | `rios` / `wios` | `io_serviced` `Read` / `Write` |
 * | bytes read / written | `rbytes` / `wbytes` | `io_service_bytes` `Read` / `Write` |
 *
 * Both are keyed by the disk's `major:minor` (a partition's I/O is the disk's); the device name
 * is the disk's `DEVNAME` in `/sys/dev/block/<maj:min>/uevent`. The mount point is one of the
 * container's own mounts (`/proc/<pid>/mountinfo`) of that disk or a partition of it, a
 * directory, a whole file system (`root` `/`) first, then the shortest; '' when the container
 * mounts nothing of the disk (a Docker container writing to its overlay layer). `volume` needs
 * the runtime's volume names and is ''.
 *
 * Caveats, seen on this project's machines:
 *
 * - v1 counts only I/O submitted in the container's context: direct I/O, and buffered writes
 *   written back by the writer's own `fsync`; background writeback is charged to the root group
 *   (v1 has no writeback attribution; v2 with the memory and io controllers has).
 * - On recent kernels (this machine's 6.18) blk-throttle is set up on a disk only once some
 *   group has a throttle rule for it; until then every `blkio.throttle.*` counter stays 0.
 *   Any rule (even a limit of 2^40 B/s on one group) switches counting on for the disk.
 * - I/O through device-mapper is counted at the dm device and again at the disk under it.
 *
 * Disk delay (time threads waited for block I/O, `delayacct_blkio_ticks`, field 42 of
 * `/proc/<pid>/task/<tid>/stat`, in 1/100 s) is kept only while `kernel.task_delayacct` is 1
 * (off by default since Linux 5.14), as for Coroot, whose taskstats figure is the same one.
 */
import { realpath, stat } from 'node:fs/promises';
import { readText as readTextSync } from '../discovery/procfs-sync.ts';
import path from 'node:path';
import type { MetricFamily, Sample } from '@vigil/agent-kit';
import type { CgroupPaths } from '../discovery/proc-cgroup.ts';
import type { CgroupLayout } from './container-resources.ts';
import { readPerThread } from './cpu-delay.ts';

export interface DiskIoCounts {
  reads: number;
  readBytes: number;
  writes: number;
  writtenBytes: number;
}

export interface DiskIo extends DiskIoCounts {
  /** The disk's `major:minor`. */
  readonly majorMinor: string;
  /** `vda`, `sda`, `nvme0n1`, `dm-0`; the `major:minor` when sysfs does not name it. */
  readonly device: string;
  /** Where the container mounts the disk, '' when it does not. */
  readonly mountPoint: string;
}

export interface DiskIoOptions {
  /** A process of the container, to find its mounts; without it every mount point is ''. */
  readonly pid?: number;
  readonly procRoot?: string;
  readonly sysRoot?: string;
}

/** Clock ticks per second of `/proc/<pid>/stat` times (USER_HZ, 100 on every Linux ABI). */
const USER_HZ = 100;

const zero = (): DiskIoCounts => ({ reads: 0, readBytes: 0, writes: 0, writtenBytes: 0 });

/** v2 `io.stat`: `8:0 rbytes=… wbytes=… rios=… wios=… dbytes=… dios=…` per line. */
export function parseIoStat(text: string): Map<string, DiskIoCounts> {
  const out = new Map<string, DiskIoCounts>();
  for (const line of text.split('\n')) {
    const [device, ...pairs] = line.trim().split(/\s+/);
    if (device === undefined || !/^\d+:\d+$/.test(device)) continue;
    const counts = zero();
    for (const pair of pairs) {
      const [key, value] = pair.split('=');
      const n = Number(value);
      if (key === 'rbytes') counts.readBytes = n;
      else if (key === 'wbytes') counts.writtenBytes = n;
      else if (key === 'rios') counts.reads = n;
      else if (key === 'wios') counts.writes = n;
    }
    out.set(device, counts);
  }
  return out;
}

/**
 * v1 `blkio.throttle.io_service_bytes` and `blkio.throttle.io_serviced` (or their `_recursive`):
 * `8:0 Read 4096` … `8:0 Total 4096` per device, then `Total N`.
 */
export function parseBlkioThrottle(bytesText: string, servicedText: string): Map<string, DiskIoCounts> {
  const out = new Map<string, DiskIoCounts>();
  const read = (text: string, into: (c: DiskIoCounts, op: string, n: number) => void): void => {
    for (const line of text.split('\n')) {
      const [device, op, value] = line.trim().split(/\s+/);
      if (device === undefined || op === undefined || !/^\d+:\d+$/.test(device)) continue;
      let counts = out.get(device);
      if (counts === undefined) out.set(device, (counts = zero()));
      into(counts, op, Number(value));
    }
  };
  read(bytesText, (c, op, n) => {
    if (op === 'Read') c.readBytes = n;
    else if (op === 'Write') c.writtenBytes = n;
  });
  read(servicedText, (c, op, n) => {
    if (op === 'Read') c.reads = n;
    else if (op === 'Write') c.writes = n;
  });
  return out;
}

export interface MountInfo {
  readonly majorMinor: string;
  /** The directory of the file system mounted (`/` for a whole file system). */
  readonly root: string;
  readonly mountPoint: string;
}

/** `/proc/<pid>/mountinfo` lines → mounts (octal escapes such as `\040` decoded). */
export function parseMountInfo(text: string): MountInfo[] {
  const out: MountInfo[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(' ');
    if (f.length < 5 || !/^\d+:\d+$/.test(f[2]!)) continue;
    out.push({ majorMinor: f[2]!, root: unescapeMount(f[3]!), mountPoint: unescapeMount(f[4]!) });
  }
  return out;
}

function unescapeMount(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(Number.parseInt(octal, 8)));
}

/** The container's I/O per disk (disks with no I/O left out), from its v2 or v1 group. */
export async function readContainerDiskIo(
  paths: CgroupPaths,
  layout: CgroupLayout,
  options: DiskIoOptions = {},
): Promise<DiskIo[]> {
  const sysRoot = options.sysRoot ?? '/sys';
  const procRoot = options.procRoot ?? '/proc';
  const counts = await readCounts(paths, layout);
  const active = [...counts].filter(([, c]) => c.reads + c.writes + c.readBytes + c.writtenBytes > 0);
  if (active.length === 0) return [];
  const mounts =
    options.pid === undefined
      ? []
      : parseMountInfo((await readText(path.join(procRoot, String(options.pid), 'mountinfo'))) ?? '');
  return Promise.all(
    active.map(async ([majorMinor, c]) => ({
      majorMinor,
      device: (await deviceName(majorMinor, sysRoot)) ?? majorMinor,
      mountPoint:
        options.pid === undefined
          ? ''
          : await mountPointOf(majorMinor, mounts, options.pid, procRoot, sysRoot),
      ...c,
    })),
  );
}

async function readCounts(paths: CgroupPaths, layout: CgroupLayout): Promise<Map<string, DiskIoCounts>> {
  const v2Group = paths.get('');
  if (v2Group !== undefined && layout.v2Root !== undefined) {
    const ioStat = await readText(path.join(layout.v2Root, v2Group, 'io.stat'));
    if (ioStat !== undefined) return parseIoStat(ioStat);
  }
  const v1Group = paths.get('blkio');
  if (v1Group === undefined) return new Map();
  const dir = path.join(layout.v1Root, 'blkio', v1Group);
  const file = async (name: string): Promise<string> =>
    (await readText(path.join(dir, `${name}_recursive`))) ?? (await readText(path.join(dir, name))) ?? '';
  const [bytes, serviced] = await Promise.all([
    file('blkio.throttle.io_service_bytes'),
    file('blkio.throttle.io_serviced'),
  ]);
  return parseBlkioThrottle(bytes, serviced);
}

/** Disks and partitions hardly change while the agent runs: their sysfs answers are kept. */
const names = new Map<string, string | undefined>();
const disks = new Map<string, string>();

async function deviceName(majorMinor: string, sysRoot: string): Promise<string | undefined> {
  const key = `${sysRoot}\u0000${majorMinor}`;
  if (names.has(key)) return names.get(key);
  const uevent = await readText(path.join(sysRoot, 'dev/block', majorMinor, 'uevent'));
  const name = uevent === undefined ? undefined : /^DEVNAME=(.+)$/m.exec(uevent)?.[1];
  names.set(key, name);
  return name;
}

/** The disk a block device belongs to: itself, or for a partition the disk holding it. */
async function diskOf(majorMinor: string, sysRoot: string): Promise<string> {
  const key = `${sysRoot}\u0000${majorMinor}`;
  const known = disks.get(key);
  if (known !== undefined) return known;
  const dir = path.join(sysRoot, 'dev/block', majorMinor);
  const isPartition = (await readText(path.join(dir, 'partition'))) !== undefined;
  // A partition's sysfs directory sits inside its disk's (<disk>/<partition>); /sys/dev/block
  // holds symlinks, so `..` is taken after resolving them.
  const real = isPartition ? await realpath(dir).catch(() => undefined) : undefined;
  const parent = real === undefined ? undefined : (await readText(path.join(real, '..', 'dev')))?.trim();
  const disk = parent ?? majorMinor;
  disks.set(key, disk);
  return disk;
}

async function mountPointOf(
  disk: string,
  mounts: readonly MountInfo[],
  pid: number,
  procRoot: string,
  sysRoot: string,
): Promise<string> {
  const candidates: MountInfo[] = [];
  for (const m of mounts) {
    if (m.majorMinor.startsWith('0:')) continue; // no block device: tmpfs, overlay, proc
    if (m.majorMinor !== disk && (await diskOf(m.majorMinor, sysRoot)) !== disk) continue;
    // Bind mounts of single files (Docker's /etc/hosts, /etc/resolv.conf) are not mount points
    // anyone would look for; the container's root directory makes the path the container's.
    const isDir = await stat(path.join(procRoot, String(pid), 'root', m.mountPoint)).then(
      (s) => s.isDirectory(),
      () => false,
    );
    if (isDir) candidates.push(m);
  }
  candidates.sort(
    (a, b) =>
      Number(b.root === '/') - Number(a.root === '/') ||
      a.mountPoint.length - b.mountPoint.length ||
      // Code-unit order, not localeCompare: that would load ICU's collation data (MBs of RSS).
      (a.mountPoint < b.mountPoint ? -1 : a.mountPoint > b.mountPoint ? 1 : 0),
  );
  return candidates[0]?.mountPoint ?? '';
}

/**
 * `delayacct_blkio_ticks` of every live thread of `pids`, in seconds, by thread id; all 0
 * unless `kernel.task_delayacct` is 1. Feed it to a {@link DelayCounter} for a counter.
 */
export function readThreadBlkioDelays(
  pids: readonly number[],
  procRoot = '/proc',
): Promise<Map<number, number>> {
  return readPerThread(pids, procRoot, 'stat', (text) => {
    // Fields after the `(comm)`, which may hold spaces: state is field 3, blkio ticks field 42.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    const ticks = fields[42 - 3];
    return ticks === undefined ? undefined : Number(ticks) / USER_HZ;
  });
}

/** Whether the kernel keeps block I/O delays (`kernel.task_delayacct`). */
export async function blkioDelayAccounted(procRoot = '/proc'): Promise<boolean> {
  return (await readText(path.join(procRoot, 'sys/kernel/task_delayacct')))?.trim() === '1';
}

/**
 * The disk families for many containers; `labels` are each container's own (`container_id`,
 * `app_id`). A container without a `delaySeconds` (delay accounting off) has no delay sample.
 */
export function diskFamilies(
  containers: Iterable<{
    readonly labels: Readonly<Record<string, string>>;
    readonly disks: readonly DiskIo[];
    readonly delaySeconds?: number;
  }>,
): MetricFamily[] {
  const reads: Sample[] = [];
  const readBytes: Sample[] = [];
  const writes: Sample[] = [];
  const writtenBytes: Sample[] = [];
  const delay: Sample[] = [];
  for (const c of containers) {
    for (const d of c.disks) {
      const labels = { ...c.labels, mount_point: d.mountPoint, device: d.device, volume: '' };
      reads.push({ labels, value: d.reads });
      readBytes.push({ labels, value: d.readBytes });
      writes.push({ labels, value: d.writes });
      writtenBytes.push({ labels, value: d.writtenBytes });
    }
    if (c.delaySeconds !== undefined) delay.push({ labels: c.labels, value: c.delaySeconds });
  }
  const counter = (name: string, help: string, samples: Sample[]): MetricFamily => ({
    name,
    type: 'counter',
    help,
    samples,
  });
  return [
    counter('container_resources_disk_reads_total', 'Block device reads', reads),
    counter('container_resources_disk_read_bytes_total', 'Bytes read from block devices', readBytes),
    counter('container_resources_disk_writes_total', 'Block device writes', writes),
    counter('container_resources_disk_written_bytes_total', 'Bytes written to block devices', writtenBytes),
    counter('container_resources_disk_delay_seconds_total', 'Time threads waited for block I/O', delay),
  ];
}

function readText(file: string): Promise<string | undefined> {
  return Promise.resolve(readTextSync(file));
}
