/**
 * The service map: applications as nodes and, for every pair that talked, one edge with the
 * traffic summed over instances and protocols — requests per second, failed share, p95 latency,
 * TCP failures and retransmits — and a health verdict for the edge itself.
 */
import { edgesByCaller } from './edges.ts';
import { histogramQuantile, requestTotals } from './l7-stats.ts';
import { seriesStats, type TimeSeries } from './time-series.ts';
import type { L7Protocol, World } from './world.ts';

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
  const grid = world.grid;
  const edges: ServiceMapEdge[] = [];
  for (const out of edgesByCaller(world).values())
    for (const edge of out.values()) {
      const { total, failed } = requestTotals(grid, edge.l7);
      const rps = mean(total);
      const errorRate = rps > 0 ? mean(failed) / rps : 0;
      const failedConnects = mean(edge.failedConnects);
      const health: EdgeHealth =
        errorRate > EDGE_CRITICAL_ERROR_RATE
          ? 'critical'
          : errorRate > EDGE_WARNING_ERROR_RATE || failedConnects > 0
            ? 'warning'
            : 'ok';
      edges.push({
        from: edge.from,
        to: edge.to,
        protocols: edge.protocols,
        requestsPerSecond: Number.isNaN(rps) ? 0 : rps,
        errorRate: Number.isNaN(errorRate) ? 0 : errorRate,
        latencyP95Seconds: mean(histogramQuantile(grid, edge.l7.histogram, 0.95)),
        failedConnectsPerSecond: Number.isNaN(failedConnects) ? 0 : failedConnects,
        retransmitsPerSecond: mean(edge.retransmits) || 0,
        rttSeconds: mean(edge.rttSeconds),
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
