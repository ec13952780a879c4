/** What hovering a node or an edge tells: its figures, one per line. */
import { HEALTH_STYLE } from './cy-style.ts';
import { formatPercent, formatSeconds } from './edge-format.ts';
import type { GraphEdge, GraphNode } from './map-types.ts';

/** Title and lines of a node's tooltip. */
export function nodeTooltip(n: GraphNode): { title: string; lines: string[] } {
  const a = n.app;
  const lines = [`Health: ${HEALTH_STYLE[n.status].label}`];
  if (a.namespace !== '') lines.push(`Namespace: ${a.namespace}`);
  lines.push(`Category: ${a.category}`, `Kind: ${a.kind}`);
  if (a.types.length > 0) lines.push(`Types: ${a.types.join(', ')}`);
  if (!n.external) lines.push(`Instances: ${a.instances}`, 'Click to open');
  return { title: n.label, lines };
}

const num = (v: number | null, f: (x: number) => string): string =>
  v === null || !Number.isFinite(v) ? 'no data' : f(v);

/** Title and lines of an edge's tooltip. */
export function edgeTooltip(
  e: GraphEdge,
  labelOf: (id: string) => string,
): { title: string; lines: string[] } {
  const d = e.edge;
  return {
    title: `${labelOf(e.source)} → ${labelOf(e.target)}`,
    lines: [
      `Health: ${HEALTH_STYLE[e.health].label}`,
      `Protocols: ${d.protocols.length > 0 ? d.protocols.join(', ') : 'TCP only'}`,
      `Requests: ${num(d.requestsPerSecond, (v) => `${v.toPrecision(3)}/s`)}`,
      `Errors: ${num(d.errorRate, formatPercent)}`,
      `Latency p95: ${num(d.latencyP95Seconds, formatSeconds)}`,
      `TCP failed connects: ${num(d.failedConnectsPerSecond, (v) => `${v.toPrecision(2)}/s`)}`,
      `TCP retransmits: ${num(d.retransmitsPerSecond, (v) => `${v.toPrecision(2)}/s`)}`,
      `TCP RTT: ${num(d.rttSeconds, formatSeconds)}`,
    ],
  };
}
