/**
 * How an edge's figures read on the map: the label text, the line width, whether it is failing.
 * Kept apart from the graph building so the wording is tested on its own.
 */
import type { MapApiEdge } from './map-types.ts';

/** A figure that the window had no data for (`null`) or that is not finite counts as absent. */
function present(v: number | null): v is number {
  return v !== null && Number.isFinite(v);
}

/** Two significant digits for small figures, whole numbers from 100 up: "0.42", "3.1", "120". */
function short(v: number): string {
  if (v === 0) return '0';
  // Not toLocaleString: it cost 0.2 s over 2,000 edges in Chromium (a formatter per call).
  if (Math.abs(v) >= 100) return String(Math.round(v)).replace(/\B(?=(\d{3})+$)/g, ',');
  return String(Number(v.toPrecision(2)));
}

/** Seconds as the unit a reader expects: "850 µs", "85 ms", "1.2 s". */
export function formatSeconds(seconds: number): string {
  if (seconds < 0.001) return `${short(seconds * 1e6)} µs`;
  if (seconds < 1) return `${short(seconds * 1000)} ms`;
  return `${short(seconds)} s`;
}

/** A 0..1 share as a percentage: "2.1%", "0.05%", "100%". */
export function formatPercent(share: number): string {
  return `${short(share * 100)}%`;
}

/**
 * The edge's one-line summary, e.g. "120 rps · 2.1% err · p95 85 ms"; a TCP-only edge (no L7
 * requests) says what TCP saw instead: "tcp · 0.5 failed/s · rtt 2 ms".
 */
export function edgeLabel(e: MapApiEdge): string {
  const rps = e.requestsPerSecond ?? 0;
  const parts: string[] = [];
  if (rps > 0) {
    parts.push(`${short(rps)} rps`);
    if (present(e.errorRate) && e.errorRate > 0) parts.push(`${formatPercent(e.errorRate)} err`);
    if (present(e.latencyP95Seconds)) parts.push(`p95 ${formatSeconds(e.latencyP95Seconds)}`);
  } else parts.push('tcp');
  if (present(e.failedConnectsPerSecond) && e.failedConnectsPerSecond > 0)
    parts.push(`${short(e.failedConnectsPerSecond)} failed/s`);
  if (rps === 0 && present(e.rttSeconds)) parts.push(`rtt ${formatSeconds(e.rttSeconds)}`);
  return parts.join(' · ');
}

const MIN_WIDTH_PX = 1;
const MAX_WIDTH_PX = 8;

/**
 * Line width by request rate on a log scale: 0 rps is a hairline, each tenfold adds 1.5 px, so
 * 1 rps and 10k rps are both legible on one map without the busy edges covering everything.
 */
export function edgeWidthPx(requestsPerSecond: number | null): number {
  const rps = present(requestsPerSecond) && requestsPerSecond > 0 ? requestsPerSecond : 0;
  const w = MIN_WIDTH_PX + 1.5 * Math.log10(1 + rps);
  return Math.min(MAX_WIDTH_PX, Math.round(w * 10) / 10);
}

/** Some requests failed or some connections were refused on this edge. */
export function edgeFailing(e: MapApiEdge): boolean {
  return (
    (present(e.errorRate) && e.errorRate > 0) ||
    (present(e.failedConnectsPerSecond) && e.failedConnectsPerSecond > 0)
  );
}
