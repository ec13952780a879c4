/**
 * The service map: applications as nodes and, for every pair that talked, one edge with the
 * traffic summed over instances and protocols — requests per second, failed share, p95 latency,
 * TCP failures and retransmits — and a health verdict for the edge itself.
 */
import { histogramQuantile, mergeL7Stats, requestTotals } from './l7-stats.ts';
import { seriesStats, sumSeries, maxSeries, type TimeSeries } from './time-series.ts';
import type { Connection, L7Protocol, World } from './world.ts';

export type EdgeHealth = 'ok' | 'warning' | 'critical' | 'unknown';

export interface ServiceMapEdge {
  readonly from: string;
  readonly to: string;
  readonly protocols: readonly L7Protocol[];
  /** Means over the window. */
  readonly requestsPerSecond: number;
  readonly errorRate: number;
  readonly latencyP95Seconds: number;
  readonly failedConnectsPerSecond: number;
  readonly retransmitsPerSecond: number;
  readonly rttSeconds: number;
  readonly health: EdgeHealth;
}

export interface ServiceMapNode {
  readonly id: string;
  readonly name: string;
  readonly namespace: string;
  readonly kind: string;
  readonly category: string;
  readonly types: readonly string[];
  readonly instances: number;
}

export interface ServiceMap {
  readonly nodes: readonly ServiceMapNode[];
  readonly edges: readonly ServiceMapEdge[];
}

/** Thresholds of an edge's own verdict: any failed connection or >1% errors warns; >10% errors is critical. */
const EDGE_WARNING_ERROR_RATE = 0.01;
const EDGE_CRITICAL_ERROR_RATE = 0.1;

function mean(s: TimeSeries): number {
  return seriesStats(s).mean;
}

export function serviceMap(world: World): ServiceMap {
  const byPair = new Map<string, Connection[]>();
  for (const app of world.applications)
    for (const c of app.upstreams) {
      const key = `${c.fromApp}\u0000${c.toApp}`;
      const list = byPair.get(key);
      if (list) list.push(c);
      else byPair.set(key, [c]);
    }
  const edges: ServiceMapEdge[] = [];
  for (const list of byPair.values()) {
    const grid = world.grid;
    const protocols = [...new Set(list.flatMap((c) => [...c.l7.keys()]))].sort();
    const stats = mergeL7Stats(
      grid,
      list.flatMap((c) => [...c.l7.values()]),
    );
    const { total, failed } = requestTotals(grid, stats);
    const rps = mean(total);
    const errorRate = rps > 0 ? mean(failed) / rps : 0;
    const failedConnects = mean(
      sumSeries(
        grid,
        list.map((c) => c.tcp.failedConnects),
      ),
    );
    const health: EdgeHealth =
      errorRate > EDGE_CRITICAL_ERROR_RATE
        ? 'critical'
        : errorRate > EDGE_WARNING_ERROR_RATE || failedConnects > 0
          ? 'warning'
          : 'ok';
    edges.push({
      from: list[0]!.fromApp,
      to: list[0]!.toApp,
      protocols,
      requestsPerSecond: Number.isNaN(rps) ? 0 : rps,
      errorRate: Number.isNaN(errorRate) ? 0 : errorRate,
      latencyP95Seconds: mean(histogramQuantile(grid, stats.histogram, 0.95)),
      failedConnectsPerSecond: Number.isNaN(failedConnects) ? 0 : failedConnects,
      retransmitsPerSecond:
        mean(
          sumSeries(
            grid,
            list.map((c) => c.tcp.retransmits),
          ),
        ) || 0,
      rttSeconds: mean(
        maxSeries(
          grid,
          list.map((c) => c.tcp.rttSeconds),
        ),
      ),
      health,
    });
  }
  edges.sort((a, b) => (a.from + a.to < b.from + b.to ? -1 : 1));
  return {
    nodes: world.applications.map((a) => ({
      id: a.id,
      name: a.name,
      namespace: a.namespace,
      kind: a.kind,
      category: a.category,
      types: a.types,
      instances: a.instances.length,
    })),
    edges,
  };
}
