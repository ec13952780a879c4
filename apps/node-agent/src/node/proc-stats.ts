/**
 * Node-wide counters from procfs, parsed from the files' text (so tests can feed fixtures):
 * `/proc/stat` (CPU time per mode, in USER_HZ ticks: 100 a second on every Linux architecture
 * the agent targets), `/proc/meminfo` (kB), `/proc/diskstats` (sectors of 512 bytes, times in
 * ms) and `/proc/net/dev`.
 */

export const USER_HZ = 100;

export const CPU_MODES = ['user', 'nice', 'system', 'idle', 'iowait', 'irq', 'softirq', 'steal'] as const;
export type CpuMode = (typeof CPU_MODES)[number];

export interface CpuStats {
  /** Seconds per mode, all CPUs together. */
  readonly seconds: Readonly<Record<CpuMode, number>>;
  readonly logicalCores: number;
}

export function parseProcStat(text: string): CpuStats {
  let seconds: Record<CpuMode, number> | undefined;
  let cores = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('cpu ')) {
      const fields = line.trim().split(/\s+/).slice(1).map(Number);
      seconds = Object.fromEntries(CPU_MODES.map((m, i) => [m, (fields[i] ?? 0) / USER_HZ])) as Record<
        CpuMode,
        number
      >;
    } else if (/^cpu\d+ /.test(line)) {
      cores++;
    }
  }
  if (seconds === undefined) throw new Error('/proc/stat has no "cpu" line');
  return { seconds, logicalCores: cores };
}

/** `/proc/meminfo` in bytes, by field name (`MemTotal`, `MemAvailable`, …). */
export function parseMeminfo(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^([^:]+):\s+(\d+)(?:\s+kB)?$/.exec(line.trim());
    if (match) out.set(match[1]!, Number(match[2]) * (line.includes('kB') ? 1024 : 1));
  }
  return out;
}

export interface DiskStats {
  readonly reads: number;
  readonly readBytes: number;
  readonly readSeconds: number;
  readonly writes: number;
  readonly writtenBytes: number;
  readonly writeSeconds: number;
  readonly ioSeconds: number;
}

/** `/proc/diskstats` rows of the devices `keep` accepts (whole disks, as /sys/block lists them). */
export function parseDiskstats(text: string, keep: (device: string) => boolean): Map<string, DiskStats> {
  const out = new Map<string, DiskStats>();
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 14 || !keep(f[2]!)) continue;
    const n = (i: number): number => Number(f[i]);
    out.set(f[2]!, {
      reads: n(3),
      readBytes: n(5) * 512,
      readSeconds: n(6) / 1000,
      writes: n(7),
      writtenBytes: n(9) * 512,
      writeSeconds: n(10) / 1000,
      ioSeconds: n(12) / 1000,
    });
  }
  return out;
}

export interface InterfaceStats {
  readonly receivedBytes: number;
  readonly receivedPackets: number;
  readonly transmittedBytes: number;
  readonly transmittedPackets: number;
}

/** `/proc/net/dev`: `iface: rx bytes packets errs drop fifo frame compressed multicast tx bytes packets …`. */
export function parseNetDev(text: string): Map<string, InterfaceStats> {
  const out = new Map<string, InterfaceStats>();
  for (const line of text.split('\n').slice(2)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const f = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/)
      .map(Number);
    if (f.length < 10) continue;
    out.set(line.slice(0, colon).trim(), {
      receivedBytes: f[0]!,
      receivedPackets: f[1]!,
      transmittedBytes: f[8]!,
      transmittedPackets: f[9]!,
    });
  }
  return out;
}
