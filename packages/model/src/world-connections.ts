/**
 * Connections out of each instance, from the outbound L7 and TCP series: one per (instance,
 * destination), resolved to the instance listening at the destination (destinations.ts) or to an
 * external application named after the address.
 */
import { EXTERNAL_PREFIX } from './app-identity.ts';
import type { SourceRead } from './data-source.ts';
import type { DestinationResolver } from './destinations.ts';
import { l7Stats } from './l7-stats.ts';
import { l7QueryIds } from './queries.ts';
import { instanceKey, SeriesIndex, type LabelledSeries } from './series-index.ts';
import { seriesFromPoints, sumSeries, type TimeGrid } from './time-series.ts';
import { L7_PROTOCOLS, type Connection, type L7Protocol, type L7Stats } from './world.ts';

/** Query results by query id. */
export type Reads = ReadonlyMap<string, SourceRead>;

/** Outbound connections by caller instance key. */
export function buildConnections(
  grid: TimeGrid,
  reads: Reads,
  resolver: DestinationResolver,
  appOf: ReadonlyMap<string, string>,
): Map<string, Connection[]> {
  // (instance, destination) → the series that describe it.
  const parts = new Map<
    string,
    { key: string; destination: string; actual: string; series: Map<string, LabelledSeries[]> }
  >();
  const add = (queryId: string) => {
    for (const s of reads.get(queryId)?.series ?? []) {
      const key = instanceKey(s.labels);
      const destination = s.labels['destination'];
      if (key === undefined || !destination) continue;
      const id = `${key}\u0000${destination}`;
      let p = parts.get(id);
      if (!p) {
        p = { key, destination, actual: s.labels['actual_destination'] || destination, series: new Map() };
        parts.set(id, p);
      }
      const list = p.series.get(queryId);
      const entry = { labels: s.labels, series: seriesFromPoints(grid, s.timestampsMs, s.values) };
      if (list) list.push(entry);
      else p.series.set(queryId, [entry]);
    }
  };
  const tcpIds = [
    'container_net_tcp_successful_connects',
    'container_net_tcp_failed_connects',
    'container_net_tcp_retransmits',
    'container_net_tcp_active_connections',
  ];
  for (const id of tcpIds) add(id);
  for (const p of L7_PROTOCOLS) {
    const ids = l7QueryIds(p, false);
    add(ids.count);
    add(ids.histogram);
  }
  // RTT is per destination IP, not per ip:port.
  const rtt = new SeriesIndex(grid, reads.get('container_net_latency')?.series ?? [], (l) => {
    const k = instanceKey(l);
    return k === undefined ? undefined : `${k}\u0000${l['destination_ip'] ?? ''}`;
  });

  const out = new Map<string, Connection[]>();
  for (const p of parts.values()) {
    const node = p.key.slice(0, p.key.indexOf('|'));
    const target = resolver.resolve(node, p.actual) ?? resolver.resolve(node, p.destination);
    const toApp = target
      ? (appOf.get(target.instanceKey) ?? `${EXTERNAL_PREFIX}${p.destination}`)
      : `${EXTERNAL_PREFIX}${p.destination}`;
    const sum = (id: string) =>
      sumSeries(
        grid,
        (p.series.get(id) ?? []).map((s) => s.series),
      );
    const l7 = new Map<L7Protocol, L7Stats>();
    for (const protocol of L7_PROTOCOLS) {
      const ids = l7QueryIds(protocol, false);
      const counts = p.series.get(ids.count);
      if (counts) l7.set(protocol, l7Stats(grid, counts, p.series.get(ids.histogram) ?? []));
    }
    const host = p.actual.slice(0, Math.max(0, p.actual.lastIndexOf(':'))).replace(/^\[|\]$/g, '');
    const connection: Connection = {
      fromApp: appOf.get(p.key)!,
      fromInstance: p.key.slice(p.key.indexOf('|') + 1),
      destination: p.destination,
      actualDestination: p.actual,
      toApp,
      ...(target ? { toInstance: target.instanceKey.slice(target.instanceKey.indexOf('|') + 1) } : {}),
      l7,
      tcp: {
        connects: sum(tcpIds[0]!),
        failedConnects: sum(tcpIds[1]!),
        retransmits: sum(tcpIds[2]!),
        activeConnections: sum(tcpIds[3]!),
        rttSeconds: rtt.one(`${p.key}\u0000${host}`),
      },
    };
    const list = out.get(p.key);
    if (list) list.push(connection);
    else out.set(p.key, [connection]);
  }
  return out;
}
