/**
 * The map API's answer → what the map draws: nodes in groups, edges with their label, width and
 * failure mark, and the search's matches with their neighbours.
 *
 *   MapResponse ──toGraph──▶ Graph { nodes (parent = group), edges, groups, matches }
 *
 * Pure and allocation-light (one pass over nodes, one over edges), so it runs on every keystroke
 * of the search box at 500 nodes without a layout: the layout depends on the grouping and the
 * external toggle only, never on the search.
 */
import { edgeFailing, edgeLabel, edgeWidthPx } from './edge-format.ts';
import type {
  Graph,
  GraphEdge,
  GraphGroup,
  GraphNode,
  GroupBy,
  MapApiNode,
  MapResponse,
  SearchMark,
} from './map-types.ts';

/** How toGraph draws the answer. */
export interface GraphOptions {
  readonly groupBy: GroupBy;
  /** Text to find in names and ids (case-insensitive); blank finds nothing and fades nothing. */
  readonly search?: string;
  /** Show external addresses (in their own group) instead of hiding them and their edges. */
  readonly showExternal?: boolean;
}

/** The compound node of external addresses, whatever the grouping. */
export const EXTERNAL_GROUP_ID = 'group:external';

/** The group a node sits in under `groupBy`, with its label; undefined when ungrouped. */
export function groupOf(node: MapApiNode, groupBy: GroupBy): { id: string; label: string } | undefined {
  if (node.kind === 'external') return { id: EXTERNAL_GROUP_ID, label: 'External' };
  if (groupBy === 'namespace') {
    return {
      id: `group:ns:${node.namespace}`,
      label: node.namespace === '' ? '(no namespace)' : node.namespace,
    };
  }
  if (groupBy === 'category') {
    return {
      id: `group:cat:${node.category}`,
      label: node.category === '' ? '(no category)' : node.category,
    };
  }
  return undefined;
}

/** Does the application's name or id contain `needle` (already lower-cased)? */
function matches(node: MapApiNode, needle: string): boolean {
  return node.name.toLowerCase().includes(needle) || node.id.toLowerCase().includes(needle);
}

/** Builds the drawn graph; see the module comment. */
export function toGraph(map: MapResponse, options: GraphOptions): Graph {
  const showExternal = options.showExternal ?? false;
  const needle = (options.search ?? '').trim().toLowerCase();

  const kept = new Map<string, MapApiNode>();
  const matched = new Set<string>();
  for (const n of map.nodes) {
    if (n.kind === 'external' && !showExternal) continue;
    kept.set(n.id, n);
    if (needle !== '' && matches(n, needle)) matched.add(n.id);
  }

  // Edges to hidden nodes go with them; a neighbour is one edge away from a match, either way.
  const neighbours = new Set<string>();
  const keptEdges = map.edges.filter((e) => kept.has(e.from) && kept.has(e.to));
  for (const e of keptEdges) {
    if (matched.has(e.from)) neighbours.add(e.to);
    if (matched.has(e.to)) neighbours.add(e.from);
  }

  const searching = needle !== '';
  const mark = (id: string): SearchMark =>
    !searching ? 'none' : matched.has(id) ? 'match' : neighbours.has(id) ? 'neighbour' : 'faded';

  const groups = new Map<string, { id: string; label: string; size: number }>();
  const nodes: GraphNode[] = [];
  for (const n of kept.values()) {
    const g = groupOf(n, options.groupBy);
    if (g) {
      const entry = groups.get(g.id) ?? { ...g, size: 0 };
      entry.size++;
      groups.set(g.id, entry);
    }
    nodes.push({
      id: n.id,
      label: n.name,
      parent: g?.id,
      status: n.status,
      external: n.kind === 'external',
      search: mark(n.id),
      app: n,
    });
  }

  const edges: GraphEdge[] = keptEdges.map((e) => ({
    id: `${e.from}→${e.to}`,
    source: e.from,
    target: e.to,
    health: e.health,
    label: edgeLabel(e),
    widthPx: edgeWidthPx(e.requestsPerSecond),
    failing: edgeFailing(e),
    search: !searching ? 'none' : matched.has(e.from) || matched.has(e.to) ? 'match' : 'faded',
    edge: e,
  }));

  const sortedGroups: GraphGroup[] = [...groups.values()].sort((a, b) =>
    // External last: it is context, not something the user runs.
    a.id === EXTERNAL_GROUP_ID ? 1 : b.id === EXTERNAL_GROUP_ID ? -1 : a.label.localeCompare(b.label),
  );
  return { nodes, edges, groups: sortedGroups, matches: [...matched] };
}
