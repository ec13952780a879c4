/**
 * Enhanced Monitoring documents as series, named as Coroot's cluster agent names them; every
 * sample carries `rds_instance_id`.
 *
 * | family                            | labels              | document field                              |
 * |-----------------------------------|---------------------|---------------------------------------------|
 * | aws_rds_cpu_cores                 |                     | numVCPUs                                    |
 * | aws_rds_cpu_usage_percent         | mode                | cpuUtilization.{guest,irq,nice,steal,system,user,wait} |
 * | aws_rds_load_average              | period (1m, 5m, 15m)| loadAverageMinute (Vigil's; not in Coroot)  |
 * | aws_rds_memory_{total,cached,free}_bytes |              | memory.{total,cached,free} (KiB)            |
 * | aws_rds_fs_{total,used}_bytes     | mount_point         | fileSys[].{total,used} (KiB)                |
 * | aws_rds_io_ops_per_second         | device, operation   | physicalDeviceIO[].{read,write}IOsPS        |
 * | aws_rds_io_bytes_per_second       | device, operation   | physicalDeviceIO[].{read,write}KbPS         |
 * | aws_rds_io_await_seconds          | device              | physicalDeviceIO[].await (ms)               |
 * | aws_rds_io_util_percent           | device              | physicalDeviceIO[].util                     |
 * | aws_rds_io_latency_seconds        | device=aurora-data, operation | Aurora's diskIO[] (no device) {read,write}Latency (ms) |
 * | aws_rds_net_{rx,tx}_bytes_per_second | interface        | network[].{rx,tx}                           |
 *
 * Sizes are kilobytes of 1024 bytes (the document copies /proc/meminfo and statfs, which count
 * KiB); Coroot multiplies by 1000, so its byte values read about 2% lower than ours. Idle CPU is
 * left out, as in Coroot, so that the modes add up to the busy share.
 */
import type { MetricFamily } from '@vigil/agent-kit';
import type { OsMetrics } from './enhanced-monitoring.ts';
import { Gauges } from './gauges.ts';

const HELP = {
  aws_rds_cpu_cores: 'Virtual CPUs of the instance.',
  aws_rds_cpu_usage_percent: 'Share of CPU time spent in each mode.',
  aws_rds_load_average: 'Load average over the period.',
  aws_rds_memory_total_bytes: 'Total memory.',
  aws_rds_memory_cached_bytes: 'Memory used as page cache.',
  aws_rds_memory_free_bytes: 'Unassigned memory.',
  aws_rds_fs_total_bytes: 'Size of the file system.',
  aws_rds_fs_used_bytes: 'Space used by files in the file system.',
  aws_rds_io_ops_per_second: 'I/O operations per second.',
  aws_rds_io_bytes_per_second: 'Bytes read or written per second.',
  aws_rds_io_await_seconds: 'Average time to serve a request, queueing included.',
  aws_rds_io_util_percent: 'Share of time the device had requests in flight.',
  aws_rds_io_latency_seconds: 'Average time from submitting an I/O request to its completion (Aurora).',
  aws_rds_net_rx_bytes_per_second: 'Bytes received per second.',
  aws_rds_net_tx_bytes_per_second: 'Bytes sent per second.',
} as const;

const KIB = 1024;
const CPU_MODES = ['guest', 'irq', 'nice', 'steal', 'system', 'user', 'wait'] as const;
const times = (v: number | undefined, k: number) => (v === undefined ? undefined : v * k);

/** The OS series of the instances that have a document. */
export function osMetricsFamilies(byInstance: ReadonlyMap<string, OsMetrics>): MetricFamily[] {
  const g = new Gauges(HELP);
  for (const [rdsInstanceId, m] of byInstance) {
    const id = { rds_instance_id: rdsInstanceId };
    g.add('aws_rds_cpu_cores', id, m.numVCPUs);
    for (const mode of CPU_MODES) g.add('aws_rds_cpu_usage_percent', { ...id, mode }, m.cpuUtilization[mode]);
    g.add('aws_rds_load_average', { ...id, period: '1m' }, m.loadAverageMinute.one);
    g.add('aws_rds_load_average', { ...id, period: '5m' }, m.loadAverageMinute.five);
    g.add('aws_rds_load_average', { ...id, period: '15m' }, m.loadAverageMinute.fifteen);
    g.add('aws_rds_memory_total_bytes', id, times(m.memory.total, KIB));
    g.add('aws_rds_memory_cached_bytes', id, times(m.memory.cached, KIB));
    g.add('aws_rds_memory_free_bytes', id, times(m.memory.free, KIB));
    for (const fs of m.fileSys) {
      const labels = { ...id, mount_point: fs.mountPoint ?? '' };
      g.add('aws_rds_fs_total_bytes', labels, times(fs.total, KIB));
      g.add('aws_rds_fs_used_bytes', labels, times(fs.used, KIB));
    }
    for (const d of m.physicalDeviceIO) {
      const device = { ...id, device: d.device ?? '' };
      g.add('aws_rds_io_ops_per_second', { ...device, operation: 'read' }, d.readIOsPS);
      g.add('aws_rds_io_ops_per_second', { ...device, operation: 'write' }, d.writeIOsPS);
      g.add('aws_rds_io_bytes_per_second', { ...device, operation: 'read' }, times(d.readKbPS, KIB));
      g.add('aws_rds_io_bytes_per_second', { ...device, operation: 'write' }, times(d.writeKbPS, KIB));
      g.add('aws_rds_io_await_seconds', device, times(d.await, 1 / 1000));
      g.add('aws_rds_io_util_percent', device, d.util);
    }
    // Aurora's shared cluster volume is the diskIO entry without a device; the other diskIO
    // entries (`rdsdev`, `filesystem`) are aggregates of the physical devices above.
    for (const d of m.diskIO.filter((x) => !x.device)) {
      const device = { ...id, device: 'aurora-data' };
      g.add('aws_rds_io_ops_per_second', { ...device, operation: 'read' }, d.readIOsPS);
      g.add('aws_rds_io_ops_per_second', { ...device, operation: 'write' }, d.writeIOsPS);
      g.add('aws_rds_io_latency_seconds', { ...device, operation: 'read' }, times(d.readLatency, 1 / 1000));
      g.add('aws_rds_io_latency_seconds', { ...device, operation: 'write' }, times(d.writeLatency, 1 / 1000));
    }
    for (const net of m.network) {
      const labels = { ...id, interface: net.interface ?? '' };
      g.add('aws_rds_net_rx_bytes_per_second', labels, net.rx);
      g.add('aws_rds_net_tx_bytes_per_second', labels, net.tx);
    }
  }
  return g.toFamilies();
}
