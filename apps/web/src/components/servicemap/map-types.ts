/**
 * The JSON of `GET /api/v1/overview/map` (apps/server/src/model/views.ts `mapView`, built from
 * packages/model/src/service-map.ts) and the graph the map draws from it.
 */
import type { Status } from '../../api/types.ts';

/** An application on the map, with its worst report status. */
export interface MapApiNode {
  readonly id: string;
  readonly name: string;
  /** Kubernetes namespace, else ''. */
  readonly namespace: string;
  /** `kubernetes`, `docker`, `systemd`, `process` or `external` (an address nobody listens on). */
  readonly kind: string;
  readonly category: string;
  readonly types: readonly string[];
  readonly instances: number;
  readonly status: Status;
}

/**
 * One caller → callee pair, means over the window. Figures a window has no data for are NaN on
 * the server and arrive as `null` (JSON has no NaN).
 */
export interface MapApiEdge {
  readonly from: string;
  readonly to: string;
  readonly protocols: readonly string[];
  readonly requestsPerSecond: number | null;
  /** Failed share of requests, 0..1. */
  readonly errorRate: number | null;
  readonly latencyP95Seconds: number | null;
  readonly failedConnectsPerSecond: number | null;
  readonly retransmitsPerSecond: number | null;
  readonly rttSeconds: number | null;
  /** The edge's own verdict: >1% errors or any failed connect warns, >10% errors is critical. */
  readonly health: Status;
}

/** `GET /api/v1/overview/map`. */
export interface MapResponse {
  readonly nodes: readonly MapApiNode[];
  readonly edges: readonly MapApiEdge[];
}

/** How the map boxes applications. */
export type GroupBy = 'namespace' | 'category' | 'none';

/** Where a node stands against the search: matched, next to a match, or neither. */
export type SearchMark = 'match' | 'neighbour' | 'faded' | 'none';

/** A node as drawn: the API's figures plus what the drawing needs. */
export interface GraphNode {
  readonly id: string;
  readonly label: string;
  /** The compound node it sits in, when grouped. */
  readonly parent: string | undefined;
  readonly status: Status;
  readonly external: boolean;
  readonly search: SearchMark;
  readonly app: MapApiNode;
}

/** An edge as drawn. */
export interface GraphEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly health: Status;
  /** "120 rps · 2.1% err · p95 85 ms". */
  readonly label: string;
  /** Line width in px, grows with the log of the request rate. */
  readonly widthPx: number;
  /** Some requests failed or some connections were refused: drawn dashed, not by colour alone. */
  readonly failing: boolean;
  readonly search: SearchMark;
  readonly edge: MapApiEdge;
}

/** A box of applications (a namespace, a category, or the external addresses). */
export interface GraphGroup {
  readonly id: string;
  readonly label: string;
  readonly size: number;
}

/** What the map draws. */
export interface Graph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly groups: readonly GraphGroup[];
  /** Ids of the nodes the search matched, in the API's order. */
  readonly matches: readonly string[];
}

/** Node id → the centre of the node in model coordinates (what cytoscape calls a position). */
export type Positions = ReadonlyMap<string, { readonly x: number; readonly y: number }>;
