/**
 * What an edge of the neighbourhood says about the traffic between two applications: the
 * server sends each figure as a series over the range; the map shows one number each, the
 * average over the range (a rate averaged over time is the rate of the whole range).
 */
import type { ConnectionView, SeriesJson, Status } from '../../api/types.ts';
import { formatValue } from '../../components/charts/format-unit.ts';

/** One connection's figures over the range; null where the series had no data at all. */
export interface ConnectionFigures {
  readonly requestsPerSecond: number | null;
  /** Failed share of the requests, 0–1. */
  readonly errorShare: number | null;
  readonly latencyP95Seconds: number | null;
  readonly failedConnectsPerSecond: number | null;
  readonly retransmitsPerSecond: number | null;
  /** `critical` with failed connections, `warning` with failed requests, else `ok`. */
  readonly health: Status;
}

/** The mean of the series' values, null when it has none. */
export function seriesMean(s: SeriesJson): number | null {
  let sum = 0;
  let count = 0;
  for (const v of s.values) {
    if (v === null || !Number.isFinite(v)) continue;
    sum += v;
    count++;
  }
  return count === 0 ? null : sum / count;
}

export function connectionFigures(c: ConnectionView): ConnectionFigures {
  const requestsPerSecond = seriesMean(c.requestsPerSecond);
  const errorsPerSecond = seriesMean(c.errorsPerSecond);
  const failedConnectsPerSecond = seriesMean(c.failedConnectsPerSecond);
  const errorShare =
    requestsPerSecond !== null && requestsPerSecond > 0 ? (errorsPerSecond ?? 0) / requestsPerSecond : null;
  const health: Status =
    (failedConnectsPerSecond ?? 0) > 0 ? 'critical' : (errorShare ?? 0) > 0 ? 'warning' : 'ok';
  return {
    requestsPerSecond,
    errorShare,
    latencyP95Seconds: seriesMean(c.latencyP95Seconds),
    failedConnectsPerSecond,
    retransmitsPerSecond: seriesMean(c.retransmitsPerSecond),
    health,
  };
}

/**
 * The edge's label, e.g. `199 req/s · 0% errors · p95 47.3 ms`; for a connection without L7
 * data (plain TCP), its protocol-less figures: `TCP · 0.5 failed connects/s`.
 */
export function connectionLabel(f: ConnectionFigures): string {
  const parts: string[] = [];
  if (f.requestsPerSecond === null) parts.push('TCP');
  else {
    parts.push(formatValue(f.requestsPerSecond, 'req/s'));
    if (f.errorShare !== null) parts.push(`${formatValue(f.errorShare * 100, '%')} errors`);
    if (f.latencyP95Seconds !== null) parts.push(`p95 ${formatValue(f.latencyP95Seconds, 's')}`);
  }
  if ((f.failedConnectsPerSecond ?? 0) > 0)
    parts.push(`${formatValue(f.failedConnectsPerSecond, '/s')} failed connects`);
  if ((f.retransmitsPerSecond ?? 0) > 0)
    parts.push(`${formatValue(f.retransmitsPerSecond, '/s')} retransmits`);
  return parts.join(' · ');
}
