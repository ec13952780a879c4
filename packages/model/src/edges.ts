/**
 * Application-to-application edges: every connection from one application to another, summed.
 * The service map, the Net report and root-cause analysis all look at traffic per pair of
 * applications; an edge is summed once per world and shared (kept beside the world, not in it,
 * so a world stays plain data).
 */
import { mergeL7Stats } from './l7-stats.ts';
import { maxSeries, sumSeries, type TimeSeries } from './time-series.ts';
import type { Connection, L7Protocol, L7Stats, World } from './world.ts';

export interface Edge {
  readonly from: string;
  readonly to: string;
  readonly connections: readonly Connection[];
  /** Protocols seen on the edge, sorted. */
  readonly protocols: readonly L7Protocol[];
  /** Every protocol's requests and latency buckets summed. */
  readonly l7: L7Stats;
  readonly connects: TimeSeries;
  readonly failedConnects: TimeSeries;
  readonly retransmits: TimeSeries;
  /** The slowest connection's round-trip time at each point. */
  readonly rttSeconds: TimeSeries;
}

const byWorld = new WeakMap<World, Map<string, Map<string, Edge>>>();

/** Edges out of each application: caller id → callee id → edge. */
export function edgesByCaller(world: World): ReadonlyMap<string, ReadonlyMap<string, Edge>> {
  let edges = byWorld.get(world);
  if (!edges) {
    edges = new Map();
    for (const app of world.applications) {
      if (app.upstreams.length === 0) continue;
      const byCallee = new Map<string, Connection[]>();
      for (const c of app.upstreams) {
        const list = byCallee.get(c.toApp);
        if (list) list.push(c);
        else byCallee.set(c.toApp, [c]);
      }
      const out = new Map<string, Edge>();
      for (const [to, list] of byCallee) out.set(to, lazyEdge(world, app.id, to, list));
      edges.set(app.id, out);
    }
    byWorld.set(world, edges);
  }
  return edges;
}

/** The edges out of one application (empty when it calls nothing). */
export function edgesFrom(world: World, appId: string): ReadonlyMap<string, Edge> {
  return edgesByCaller(world).get(appId) ?? new Map();
}

/** An edge whose sums are made when first read: the Net report reads only the TCP ones. */
function lazyEdge(world: World, from: string, to: string, connections: readonly Connection[]): Edge {
  const grid = world.grid;
  let l7: L7Stats | undefined;
  let protocols: L7Protocol[] | undefined;
  let connects: TimeSeries | undefined;
  let failedConnects: TimeSeries | undefined;
  let retransmits: TimeSeries | undefined;
  let rtt: TimeSeries | undefined;
  const pick = (f: (c: Connection) => TimeSeries) => connections.map(f);
  return {
    from,
    to,
    connections,
    get protocols() {
      return (protocols ??= [...new Set(connections.flatMap((c) => [...c.l7.keys()]))].sort());
    },
    get l7() {
      return (l7 ??= mergeL7Stats(
        grid,
        connections.flatMap((c) => [...c.l7.values()]),
      ));
    },
    get connects() {
      return (connects ??= sumSeries(
        grid,
        pick((c) => c.tcp.connects),
      ));
    },
    get failedConnects() {
      return (failedConnects ??= sumSeries(
        grid,
        pick((c) => c.tcp.failedConnects),
      ));
    },
    get retransmits() {
      return (retransmits ??= sumSeries(
        grid,
        pick((c) => c.tcp.retransmits),
      ));
    },
    get rttSeconds() {
      return (rtt ??= maxSeries(
        grid,
        pick((c) => c.tcp.rttSeconds),
      ));
    },
  };
}
