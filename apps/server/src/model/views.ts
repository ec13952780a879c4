/**
 * The JSON the UI reads, shaped from a world and its audit: compact rows for the overview tables,
 * full reports for an application or node page. Series travel as `{fromMs, stepMs, values}`.
 * Each view is declared with its @vigil/spec type, so a model or audit change that breaks the
 * API's promise fails typecheck here rather than in the web UI.
 */
import { RECENT_MS, worstStatus, type Check, type Report } from '@vigil/audit';
import {
  countedInterfaces,
  histogramQuantile,
  nodeTraffic,
  mergeL7Stats,
  recentValue,
  requestTotals,
  seriesStats,
  seriesToJson,
  serviceMap,
  sumSeries,
  type Application,
  type Connection,
  type NodeInfo,
  type World,
} from '@vigil/model';
import type {
  ApplicationRow,
  ApplicationView,
  ConnectionView,
  NodeRow,
  NodeView,
  ReportCell,
  ServiceMapResponse,
} from '@vigil/spec';
import type { AppAudit } from './audit-service.ts';

function cell(r: Report): ReportCell {
  const rank = (c: Check) => ['unknown', 'ok', 'warning', 'critical'].indexOf(c.status);
  const worst = [...r.checks].sort((a, b) => rank(b) - rank(a))[0];
  return { status: r.status, message: r.noData ?? worst?.message ?? '' };
}

export function applicationRow(a: AppAudit): ApplicationRow {
  const { app, reports } = a;
  return {
    id: app.id,
    name: app.name,
    namespace: app.namespace,
    kind: app.kind,
    category: app.category,
    types: app.types,
    instances: app.instances.length,
    status: worstStatus(reports.filter((r) => r.noData === undefined).map((r) => r.status)),
    reports: Object.fromEntries(reports.map((r) => [r.name, cell(r)])),
  };
}

export function mapView(world: World, audits: ReadonlyMap<string, AppAudit>): ServiceMapResponse {
  const map = serviceMap(world);
  return {
    grid: world.grid,
    nodes: map.nodes.map((n) => {
      const a = audits.get(n.id);
      const status = a
        ? worstStatus(a.reports.filter((r) => r.noData === undefined).map((r) => r.status))
        : 'unknown';
      return { ...n, status };
    }),
    edges: map.edges,
  };
}

function connectionView(
  world: World,
  list: readonly Connection[],
  peer: (c: Connection) => string,
): ConnectionView[] {
  const byPeer = new Map<string, Connection[]>();
  for (const c of list) byPeer.set(peer(c), [...(byPeer.get(peer(c)) ?? []), c]);
  return [...byPeer].map(([appId, cs]) => {
    const stats = mergeL7Stats(
      world.grid,
      cs.flatMap((c) => [...c.l7.values()]),
    );
    const { total, failed } = requestTotals(world.grid, stats);
    return {
      appId,
      protocols: [...new Set(cs.flatMap((c) => [...c.l7.keys()]))].sort(),
      requestsPerSecond: seriesToJson(total),
      errorsPerSecond: seriesToJson(failed),
      latencyP95Seconds: seriesToJson(histogramQuantile(world.grid, stats.histogram, 0.95)),
      retransmitsPerSecond: seriesToJson(
        sumSeries(
          world.grid,
          cs.map((c) => c.tcp.retransmits),
        ),
      ),
      failedConnectsPerSecond: seriesToJson(
        sumSeries(
          world.grid,
          cs.map((c) => c.tcp.failedConnects),
        ),
      ),
    };
  });
}

export function applicationView(world: World, a: AppAudit): ApplicationView {
  const { app } = a;
  return {
    ...applicationRow(a),
    grid: world.grid,
    incomplete: world.incomplete,
    instances: app.instances.map((i) => ({
      id: i.id,
      node: i.node,
      images: i.images,
      listens: i.listens,
      // `up` is 1 or missing: an instance replaced by a rollout keeps its old 1s in the range.
      up: recentValue(i.up, RECENT_MS) === 1,
      cpuCores: seriesStats(i.cpuUsageCores).last,
      memoryRssBytes: seriesStats(i.memoryRssBytes).last,
    })),
    upstreams: connectionView(world, app.upstreams, (c) => c.toApp),
    downstreams: connectionView(world, app.downstreams, (c) => c.fromApp),
    deployments: a.deployments,
    reportDetails: a.reports,
  };
}

/**
 * A node's figures for the nodes table. Network is the newest rate summed over the interfaces that
 * count (the host's NICs: not `lo`, container veths, bridges or tunnels, whose bytes would be
 * counted twice; see @vigil/model node-network.ts), bytes per second. Checked against the wire type
 * rather than declared as it: here the figures are numbers (NaN without data), null only in JSON.
 */
export function nodeRow(n: NodeInfo) {
  const mem = seriesStats(n.memoryTotalBytes).last;
  const avail = seriesStats(n.memoryAvailableBytes).last;
  // Every series of a world shares its grid (a node without CPU figures has an empty one on it).
  const traffic = nodeTraffic(n.cpuUsagePercent.grid, n.network);
  return {
    name: n.name,
    hostname: n.hostname,
    ips: n.ips,
    cpuCores: seriesStats(n.cpuCores).last,
    cpuUsagePercent: seriesStats(n.cpuUsagePercent).last,
    cpuUsagePercentMax: seriesStats(n.cpuUsagePercent).max,
    memoryTotalBytes: mem,
    memoryUsedPercent: mem > 0 ? ((mem - avail) / mem) * 100 : null,
    networkReceivedBytesPerSecond: seriesStats(traffic.receivedBytesPerSecond).last,
    networkTransmittedBytesPerSecond: seriesStats(traffic.transmittedBytesPerSecond).last,
    instances: n.instances.length,
    up: seriesStats(n.cpuUsagePercent).count > 0 && !Number.isNaN(recentValue(n.cpuUsagePercent, RECENT_MS)),
  } satisfies NodeRow;
}

export function nodeView(world: World, n: NodeInfo, apps: readonly Application[]): NodeView {
  return {
    ...nodeRow(n),
    grid: world.grid,
    charts: {
      cpuUsagePercent: seriesToJson(n.cpuUsagePercent),
      memoryTotalBytes: seriesToJson(n.memoryTotalBytes),
      memoryAvailableBytes: seriesToJson(n.memoryAvailableBytes),
      diskIoTime: Object.fromEntries([...n.diskIoTime].map(([d, s]) => [d, seriesToJson(s)])),
      // The interfaces the row's totals add up, each way; the others only repeat their bytes.
      network: Object.fromEntries(
        countedInterfaces(n.network).map(([name, t]) => [
          name,
          {
            receivedBytesPerSecond: seriesToJson(t.receivedBytesPerSecond),
            transmittedBytesPerSecond: seriesToJson(t.transmittedBytesPerSecond),
          },
        ]),
      ),
    },
    containers: n.instances.map((i) => ({
      id: i.id,
      appId: i.appId,
      category: apps.find((a) => a.id === i.appId)?.category ?? 'application',
      cpuCores: seriesToJson(i.cpuUsageCores),
      memoryRssBytes: seriesToJson(i.memoryRssBytes),
    })),
  };
}
