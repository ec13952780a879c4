/** Per-instance parts of the world: log statistics and the cluster agent's database series. */
import type { DestinationResolver } from './destinations.ts';
import { DATABASE_QUERY_IDS } from './queries.ts';
import { stepIncreases, type LabelledSeries } from './series-index.ts';
import { seriesFromPoints, sumSeries, type TimeGrid, type TimeSeries } from './time-series.ts';
import type { LogStats } from './world.ts';
import type { Reads } from './world-connections.ts';

/**
 * Cluster-agent series by the instance listening at their `address`: the agent connects to the
 * database from outside, so the address is resolved like a connection from no particular node.
 */
export function databaseSeries(
  grid: TimeGrid,
  reads: Reads,
  resolver: DestinationResolver,
): Map<string, Map<string, LabelledSeries[]>> {
  const out = new Map<string, Map<string, LabelledSeries[]>>();
  for (const id of DATABASE_QUERY_IDS) {
    for (const s of reads.get(id)?.series ?? []) {
      const address = s.labels['address'];
      const target = address ? resolver.resolve('', address) : undefined;
      if (!target) continue;
      let byQuery = out.get(target.instanceKey);
      if (!byQuery) out.set(target.instanceKey, (byQuery = new Map()));
      const entry = { labels: s.labels, series: seriesFromPoints(grid, s.timestampsMs, s.values) };
      const list = byQuery.get(id);
      if (list) list.push(entry);
      else byQuery.set(id, [entry]);
    }
  }
  return out;
}

export function logStats(grid: TimeGrid, series: readonly LabelledSeries[]): LogStats {
  const byLevel = new Map<string, TimeSeries[]>();
  const patterns = new Map<string, { level: string; sample: string; parts: TimeSeries[] }>();
  for (const s of series) {
    const level = s.labels['level'] ?? 'unknown';
    const steps = stepIncreases(s.series);
    const list = byLevel.get(level);
    if (list) list.push(steps);
    else byLevel.set(level, [steps]);
    const hash = s.labels['pattern_hash'];
    if (hash) {
      const p = patterns.get(hash);
      if (p) p.parts.push(steps);
      else patterns.set(hash, { level, sample: s.labels['sample'] ?? '', parts: [steps] });
    }
  }
  return {
    byLevel: new Map([...byLevel].map(([level, list]) => [level, sumSeries(grid, list)])),
    patterns: new Map(
      [...patterns].map(([hash, p]) => [
        hash,
        { level: p.level, sample: p.sample, messages: sumSeries(grid, p.parts) },
      ]),
    ),
  };
}
