/**
 * A node's network traffic: which interfaces count toward "the node's traffic", and their sum.
 *
 * The node agent reports every interface in /proc/net/dev. Most of them carry the same bytes a
 * second time: `lo` never leaves the host; a container's `veth*` end and the bridge it hangs on
 * (`docker0`, `br-*`, `cni0`, `virbr*`) carry traffic that also crosses the physical NIC when it
 * leaves the node; overlay and tunnel devices (`flannel.1`, `vxlan*`, `tunl0`, `cali*`, `wg0`, …)
 * carry it before encapsulation; a bond or team sums its member NICs, a VLAN sub-interface
 * (`eth0.100`) is counted on its parent, and an `ifb*` device replays another's ingress for
 * traffic shaping. Summing all of them would count one request's bytes two to four times, so the
 * totals and the charts count only the rest: the host's own NICs (`eth0`, `ens5`, `enp0s31f6`,
 * `wlan0`, …). Names are the only signal the agent sends today; it could tell
 * virtual devices exactly (they live under /sys/devices/virtual/net), and then this list goes.
 */
import type { LabelledSeries } from './series-index.ts';
import { emptySeries, sumSeries, type TimeGrid, type TimeSeries } from './time-series.ts';

/** Bytes per second through one interface, each way. */
export interface InterfaceTraffic {
  readonly receivedBytesPerSecond: TimeSeries;
  readonly transmittedBytesPerSecond: TimeSeries;
}

/** Prefixes of interfaces that carry traffic counted elsewhere (see the module comment). */
const DUPLICATE_PREFIXES = [
  'veth',
  'docker',
  'br-',
  'cni',
  'virbr',
  'vnet',
  'tap',
  'tun',
  'wg',
  'flannel',
  'vxlan',
  'geneve',
  'genev_sys',
  'tunl',
  'cali',
  'cilium_',
  'lxc',
  'weave',
  'kube-',
  'ovs-',
  'bond',
  'team',
  'dummy',
  'ifb',
  'nodelocaldns',
] as const;

/**
 * Whether an interface's bytes are also counted on another one (or never leave the host), so a
 * node's total leaves it out: `lo`, a VLAN sub-interface (`eth0.100`, a dot in the name), or a
 * name with one of the prefixes above.
 */
export function isDuplicateInterface(name: string): boolean {
  if (name === 'lo' || name.includes('.')) return true;
  return DUPLICATE_PREFIXES.some((p) => name.startsWith(p));
}

/** The interfaces a node's traffic is read from, by name (sorted), duplicates left out. */
export function countedInterfaces(
  network: ReadonlyMap<string, InterfaceTraffic>,
): Array<[string, InterfaceTraffic]> {
  return [...network]
    .filter(([name]) => !isDuplicateInterface(name))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The node's traffic each way: the sum over its counted interfaces (all NaN when there are none). */
export function nodeTraffic(
  grid: TimeGrid,
  network: ReadonlyMap<string, InterfaceTraffic>,
): InterfaceTraffic {
  const counted = countedInterfaces(network).map(([, t]) => t);
  return {
    receivedBytesPerSecond: sumSeries(
      grid,
      counted.map((t) => t.receivedBytesPerSecond),
    ),
    transmittedBytesPerSecond: sumSeries(
      grid,
      counted.map((t) => t.transmittedBytesPerSecond),
    ),
  };
}

/**
 * One node's per-interface rates from the `node_net_rx_bytes` and `node_net_tx_bytes` series
 * (label `interface`); an interface seen one way only gets a gap the other way.
 */
export function interfaceTraffic(
  grid: TimeGrid,
  received: readonly LabelledSeries[],
  transmitted: readonly LabelledSeries[],
): Map<string, InterfaceTraffic> {
  const rx = new Map(received.map((s) => [s.labels['interface'] ?? '', s.series]));
  const tx = new Map(transmitted.map((s) => [s.labels['interface'] ?? '', s.series]));
  const names = [...new Set([...rx.keys(), ...tx.keys()])].filter((n) => n !== '').sort();
  return new Map(
    names.map((n) => [
      n,
      {
        receivedBytesPerSecond: rx.get(n) ?? emptySeries(grid),
        transmittedBytesPerSecond: tx.get(n) ?? emptySeries(grid),
      },
    ]),
  );
}
