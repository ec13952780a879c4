/**
 * The node's own metrics, with the names and labels of Coroot's node agent (reference:
 * shared/reference/coroot-compat.md): `node_info`, `node_uptime_seconds`,
 * `node_resources_cpu_*`, `node_resources_memory_*_bytes`, `node_resources_disk_*_total`,
 * `node_net_*_total`, `node_net_interface_up` (IFF_UP in /sys/class/net/<if>/flags) and
 * `node_net_interface_ip` (the interface's addresses, as the OS lists them). Read fresh from
 * procfs and sysfs on every collection.
 */
import { readdir, readFile } from 'node:fs/promises';
import { hostname, networkInterfaces } from 'node:os';
import path from 'node:path';
import type { MetricFamily, Sample } from '@vigil/agent-kit';
import {
  CPU_MODES,
  parseDiskstats,
  parseMeminfo,
  parseNetDev,
  parseProcStat,
  type DiskStats,
  type InterfaceStats,
} from './proc-stats.ts';

export interface NodeRoots {
  /** Default `/proc`; `/host/proc` when the agent runs in a container with the host's mounted. */
  readonly proc?: string;
  readonly sys?: string;
}

export async function collectNodeMetrics(roots: NodeRoots = {}): Promise<MetricFamily[]> {
  const proc = roots.proc ?? '/proc';
  const sys = roots.sys ?? '/sys';
  const read = (file: string): Promise<string> => readFile(path.join(proc, file), 'utf8');
  const [stat, meminfo, diskstats, netDev, uptime, kernel, blockDevices, up] = await Promise.all([
    read('stat'),
    read('meminfo'),
    read('diskstats').catch(() => ''),
    read('net/dev').catch(() => ''),
    read('uptime'),
    read('sys/kernel/osrelease').catch(() => ''),
    readdir(path.join(sys, 'block')).catch(() => [] as string[]),
    interfacesUp(sys),
  ]);
  const cpu = parseProcStat(stat);
  const memory = parseMeminfo(meminfo);
  const wholeDisks = new Set(blockDevices.filter((d) => !/^(loop|ram|zram)\d/.test(d)));
  const disks = parseDiskstats(diskstats, (device) => wholeDisks.has(device));
  const interfaces = parseNetDev(netDev);

  const gauge = (name: string, help: string, samples: Sample[]): MetricFamily => ({
    name,
    type: 'gauge',
    help,
    samples,
  });
  const counter = (name: string, help: string, samples: Sample[]): MetricFamily => ({
    name,
    type: 'counter',
    help,
    samples,
  });
  const byDisk = (pick: (d: DiskStats) => number): Sample[] =>
    [...disks].map(([device, d]) => ({ labels: { device }, value: pick(d) }));
  const byInterface = (pick: (i: InterfaceStats) => number): Sample[] =>
    [...interfaces].map(([iface, i]) => ({ labels: { interface: iface }, value: pick(i) }));
  const memoryField = (field: string): Sample[] =>
    memory.has(field) ? [{ labels: {}, value: memory.get(field)! }] : [];

  return [
    gauge('node_info', 'Meta information about the node', [
      { labels: { hostname: hostname(), kernel_version: kernel.trim() }, value: 1 },
    ]),
    gauge('node_uptime_seconds', 'Uptime of the node in seconds', [
      { labels: {}, value: Number(uptime.split(' ')[0]) },
    ]),
    counter(
      'node_resources_cpu_usage_seconds_total',
      'The amount of CPU time spent in each mode',
      CPU_MODES.map((mode) => ({ labels: { mode }, value: cpu.seconds[mode] })),
    ),
    gauge('node_resources_cpu_logical_cores', 'The number of logical CPU cores', [
      { labels: {}, value: cpu.logicalCores },
    ]),
    gauge(
      'node_resources_memory_total_bytes',
      'The total amount of physical memory',
      memoryField('MemTotal'),
    ),
    gauge('node_resources_memory_free_bytes', 'The amount of unassigned memory', memoryField('MemFree')),
    gauge(
      'node_resources_memory_available_bytes',
      'The amount of available memory',
      memoryField('MemAvailable'),
    ),
    gauge(
      'node_resources_memory_cached_bytes',
      'The amount of memory used as page cache',
      memoryField('Cached'),
    ),
    counter(
      'node_resources_disk_reads_total',
      'The number of reads completed',
      byDisk((d) => d.reads),
    ),
    counter(
      'node_resources_disk_writes_total',
      'The number of writes completed',
      byDisk((d) => d.writes),
    ),
    counter(
      'node_resources_disk_read_bytes_total',
      'The number of bytes read',
      byDisk((d) => d.readBytes),
    ),
    counter(
      'node_resources_disk_written_bytes_total',
      'The number of bytes written',
      byDisk((d) => d.writtenBytes),
    ),
    counter(
      'node_resources_disk_read_time_seconds_total',
      'The time spent reading',
      byDisk((d) => d.readSeconds),
    ),
    counter(
      'node_resources_disk_write_time_seconds_total',
      'The time spent writing',
      byDisk((d) => d.writeSeconds),
    ),
    counter(
      'node_resources_disk_io_time_seconds_total',
      'The time spent doing I/Os',
      byDisk((d) => d.ioSeconds),
    ),
    counter(
      'node_net_received_bytes_total',
      'The number of bytes received',
      byInterface((i) => i.receivedBytes),
    ),
    counter(
      'node_net_transmitted_bytes_total',
      'The number of bytes transmitted',
      byInterface((i) => i.transmittedBytes),
    ),
    counter(
      'node_net_received_packets_total',
      'The number of packets received',
      byInterface((i) => i.receivedPackets),
    ),
    counter(
      'node_net_transmitted_packets_total',
      'The number of packets transmitted',
      byInterface((i) => i.transmittedPackets),
    ),
    gauge(
      'node_net_interface_up',
      'Whether the interface is administratively up (1) or not (0)',
      [...up].map(([iface, isUp]) => ({ labels: { interface: iface }, value: isUp ? 1 : 0 })),
    ),
    gauge('node_net_interface_ip', 'The addresses of each interface', interfaceAddresses()),
  ];
}

/** IFF_UP of each interface under /sys/class/net. */
async function interfacesUp(sys: string): Promise<Map<string, boolean>> {
  const dir = path.join(sys, 'class/net');
  const names = await readdir(dir).catch(() => [] as string[]);
  const flags = await Promise.all(
    names.map((n) => readFile(path.join(dir, n, 'flags'), 'utf8').catch(() => '')),
  );
  const out = new Map<string, boolean>();
  names.forEach((name, i) => {
    if (flags[i] !== '') out.set(name, (Number.parseInt(flags[i]!.trim(), 16) & 0x1) === 1);
  });
  return out;
}

function interfaceAddresses(): Sample[] {
  const samples: Sample[] = [];
  for (const [iface, addresses] of Object.entries(networkInterfaces())) {
    for (const a of addresses ?? []) samples.push({ labels: { interface: iface, ip: a.address }, value: 1 });
  }
  return samples;
}
