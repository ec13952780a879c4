/**
 * The node agent's own series for each simulated node: identity, CPU (a base load plus what the
 * apps on it burn), memory, disk, and network per interface.
 */
import type { SeriesWriter } from './series-writer.ts';
import type { StepState, SystemSpec } from './system.ts';

/**
 * Bytes per second through a node's NIC (`eth0`): a fixed background plus so much per request
 * the node's apps serve. `lo` and the container bridge `cni0` carry traffic too, which a node's
 * total must leave out (packages/model node-network.ts).
 */
export const NODE_NETWORK = {
  receivedBaseBytesPerSecond: 40_000,
  receivedBytesPerRequest: 1_000,
  transmittedBaseBytesPerSecond: 20_000,
  transmittedBytesPerRequest: 4_000,
  loopbackBytesPerSecond: 100_000,
  bridgeBytesPerSecond: 30_000,
} as const;

/** Writes every node's series at `t`; `flows` gives each app's requests per second. */
export function writeNodes(
  out: SeriesWriter,
  system: SystemSpec,
  flows: ReadonlyMap<string, { readonly rps: number }>,
  states: ReadonlyMap<string, StepState>,
  t: number,
  stepS: number,
): void {
  for (const node of system.nodes) {
    const labels = { machine_id: node.name };
    let busy = 0.2;
    let served = 0;
    for (const app of system.apps.filter((a) => a.node === node.name)) {
      const perInstance = (flows.get(app.id)?.rps ?? 0) / app.instances;
      const s = states.get(app.id)!;
      const running = app.instances - s.missingInstances;
      served += running * perInstance;
      busy +=
        running *
        Math.min(
          app.cpuBaseCores + app.cpuPerRequest * perInstance + s.extraCpuCores,
          app.cpuLimitCores ?? Infinity,
        );
    }
    busy = Math.min(busy, node.cores);
    out.gauge('node_info', { ...labels, hostname: node.name, kernel_version: '6.1.0' }, t, 1);
    out.gauge('node_resources_cpu_logical_cores', labels, t, node.cores);
    out.counter('node_resources_cpu_usage_seconds_total', { ...labels, mode: 'user' }, t, busy * stepS);
    out.counter(
      'node_resources_cpu_usage_seconds_total',
      { ...labels, mode: 'idle' },
      t,
      (node.cores - busy) * stepS,
    );
    out.gauge('node_resources_memory_total_bytes', labels, t, node.memoryBytes);
    out.gauge('node_resources_memory_available_bytes', labels, t, node.memoryBytes * 0.6);
    out.counter('node_resources_disk_io_time_seconds_total', { ...labels, device: 'vda' }, t, 0.05 * stepS);
    out.gauge('node_net_interface_ip', { ...labels, interface: 'eth0', ip: node.ip }, t, 1);
    writeNetwork(out, labels, served, t, stepS);
  }
}

function writeNetwork(
  out: SeriesWriter,
  labels: Readonly<Record<string, string>>,
  requestsPerSecond: number,
  t: number,
  stepS: number,
): void {
  const n = NODE_NETWORK;
  const perSecond: Array<[string, number, number]> = [
    [
      'eth0',
      n.receivedBaseBytesPerSecond + n.receivedBytesPerRequest * requestsPerSecond,
      n.transmittedBaseBytesPerSecond + n.transmittedBytesPerRequest * requestsPerSecond,
    ],
    ['lo', n.loopbackBytesPerSecond, n.loopbackBytesPerSecond],
    ['cni0', n.bridgeBytesPerSecond, n.bridgeBytesPerSecond],
  ];
  for (const [iface, received, transmitted] of perSecond) {
    const at = { ...labels, interface: iface };
    out.counter('node_net_received_bytes_total', at, t, received * stepS);
    out.counter('node_net_transmitted_bytes_total', at, t, transmitted * stepS);
  }
}
