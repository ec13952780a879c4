/**
 * Where the neighbourhood map puts things: the application in the middle, the applications that
 * call it (clients) in a column on the left, the ones it calls (dependencies) on the right, each
 * column centred on the application, busiest peer first.
 *
 * ```
 *   frontend ─┐                 ┌─ postgres
 *             ├──▶   api   ──▶──┤
 *   batch ────┘                 └─ redis
 * ```
 *
 * Each edge leaves or enters its peer through a level stub that carries its label, so labels
 * never sit on a slanted line; the slant is in the gap next to the application. Coordinates are
 * in the SVG's user units (its viewBox); the SVG scales to its container.
 */
import type { ConnectionView, Status } from '../../api/types.ts';
import { connectionFigures, connectionLabel, type ConnectionFigures } from './connection-figures.ts';

export const NODE_WIDTH = 180;
export const NODE_HEIGHT = 36;
export const ROW_HEIGHT = 60;
export const MAP_WIDTH = 1200;
/** The level part of an edge next to a peer: room for a label like `1.2k req/s · 0.5% errors · p95 340 ms`. */
export const STUB_WIDTH = 220;
/** Peers drawn per side; past this the rest are counted ("and 4 more clients"). */
export const MAX_PER_SIDE = 10;

const CENTER_X = (MAP_WIDTH - NODE_WIDTH) / 2;
const RIGHT_X = MAP_WIDTH - NODE_WIDTH;

export type Side = 'client' | 'dependency';

/** A peer application as the page knows it: its name and health come from the overview. */
export interface Peer {
  readonly appId: string;
  readonly name: string;
  readonly status: Status;
  /** False when the peer is not an application of this range's overview (no page to open). */
  readonly known: boolean;
  readonly connection: ConnectionView;
}

export interface PlacedPeer extends Peer {
  readonly side: Side;
  /** Top-left corner of its box. */
  readonly x: number;
  readonly y: number;
  readonly figures: ConnectionFigures;
  readonly label: string;
  /** The edge's points, in the direction of the calls (caller → callee): a polyline. */
  readonly edge: ReadonlyArray<readonly [number, number]>;
  /** Where the edge's label starts, next to the peer's box, and which way it runs. */
  readonly labelAt: { readonly x: number; readonly y: number; readonly anchor: 'start' | 'end' };
}

export interface NeighbourhoodLayout {
  readonly widthPx: number;
  readonly heightPx: number;
  /** Top-left corner of the application's box. */
  readonly center: { readonly x: number; readonly y: number };
  readonly peers: readonly PlacedPeer[];
  /** Peers left out past MAX_PER_SIDE, per side. */
  readonly hidden: { readonly client: number; readonly dependency: number };
}

function busiestFirst(list: readonly Peer[]): Array<{ peer: Peer; figures: ConnectionFigures }> {
  return list
    .map((peer) => ({ peer, figures: connectionFigures(peer.connection) }))
    .sort(
      (a, b) =>
        (b.figures.requestsPerSecond ?? -1) - (a.figures.requestsPerSecond ?? -1) ||
        a.peer.name.localeCompare(b.peer.name),
    );
}

/** Lays out `clients` (they call the application) and `dependencies` (it calls them). */
export function layoutNeighbourhood(
  clients: readonly Peer[],
  dependencies: readonly Peer[],
): NeighbourhoodLayout {
  const left = busiestFirst(clients);
  const right = busiestFirst(dependencies);
  const rows = Math.max(1, Math.min(MAX_PER_SIDE, Math.max(left.length, right.length)));
  const heightPx = rows * ROW_HEIGHT;
  const center = { x: CENTER_X, y: (heightPx - NODE_HEIGHT) / 2 };
  const midY = center.y + NODE_HEIGHT / 2;

  const place = (list: typeof left, side: Side): PlacedPeer[] => {
    const shown = list.slice(0, MAX_PER_SIDE);
    // The column is centred on the application, so a lone peer sits level with it.
    const top = (heightPx - shown.length * ROW_HEIGHT) / 2 + (ROW_HEIGHT - NODE_HEIGHT) / 2;
    return shown.map(({ peer, figures }, i) => {
      const x = side === 'client' ? 0 : RIGHT_X;
      const y = top + i * ROW_HEIGHT;
      const peerY = y + NODE_HEIGHT / 2;
      const edge: PlacedPeer['edge'] =
        side === 'client'
          ? [
              [NODE_WIDTH, peerY],
              [NODE_WIDTH + STUB_WIDTH, peerY],
              [CENTER_X, midY],
            ]
          : [
              [CENTER_X + NODE_WIDTH, midY],
              [RIGHT_X - STUB_WIDTH, peerY],
              [RIGHT_X, peerY],
            ];
      const labelAt =
        side === 'client'
          ? { x: NODE_WIDTH + 6, y: peerY - 6, anchor: 'start' as const }
          : { x: RIGHT_X - 6, y: peerY - 6, anchor: 'end' as const };
      return { ...peer, side, x, y, figures, label: connectionLabel(figures), edge, labelAt };
    });
  };

  return {
    widthPx: MAP_WIDTH,
    heightPx,
    center,
    peers: [...place(left, 'client'), ...place(right, 'dependency')],
    hidden: {
      client: Math.max(0, left.length - MAX_PER_SIDE),
      dependency: Math.max(0, right.length - MAX_PER_SIDE),
    },
  };
}
