/**
 * What the map reads of `GET /api/v1/overview/map` (apps/server/src/model/views.ts `mapView`,
 * shaped in @vigil/spec) and the graph the map draws from it.
 */
import type { HealthStatus as Status, MapEdge, MapNode, ServiceMapResponse } from '@vigil/spec';

/** An application on the map, with its worst report status. */
export type MapApiNode = MapNode;

/**
 * One caller → callee pair, means over the window. Figures a window has no data for are NaN on
 * the server and arrive as `null` (JSON has no NaN).
 */
export type MapApiEdge = MapEdge;

/** `GET /api/v1/overview/map`, the parts the map draws (it has no use for the grid). */
export type MapResponse = Pick<ServiceMapResponse, 'nodes' | 'edges'>;

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
