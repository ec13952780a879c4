/**
 * The drawn graph as an ELK graph, and ELK's answer back as node centres.
 *
 *   root (layered, RIGHT, SEPARATE_CHILDREN)
 *   ├── group:ns:shop ─ layered RIGHT over the edges inside the group
 *   │     ├── /k8s/shop/frontend ──▶ /k8s/shop/api
 *   ├── group:ns:db
 *   └── edges group → group (one per pair that talks, the calls between groups summed up)
 *
 * Why not one layout over every edge (`INCLUDE_CHILDREN`): at 500 applications and 2,000 edges
 * it took ELK 17–23 s in Node; laying out each group on its own with the groups ordered by the
 * calls between them took about 1 s and reads as well (a namespace's tiers left to right).
 * Edges between groups are drawn straight by cytoscape, so ELK's routes are not read.
 */
import type { ElkExtendedEdge, ElkNode, LayoutOptions } from 'elkjs/lib/elk-api.js';
import type { Graph, Positions } from './map-types.ts';

/** Options ELK runs fast with at 500 nodes: each slower phase was timed and swapped for a linear one. */
export const LAYERED_OPTIONS: LayoutOptions = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.hierarchyHandling': 'SEPARATE_CHILDREN',
  // Network-simplex layering and Brandes–Köpf placement dominated the time; these are linear.
  'elk.layered.layering.strategy': 'LONGEST_PATH',
  'elk.layered.nodePlacement.strategy': 'SIMPLE',
  'elk.layered.cycleBreaking.strategy': 'GREEDY',
  'elk.layered.thoroughness': '1',
  'elk.layered.mergeEdges': 'true',
  'elk.layered.compaction.postCompaction.strategy': 'NONE',
  'elk.edgeRouting': 'POLYLINE',
  'elk.layered.spacing.nodeNodeBetweenLayers': '60',
  'elk.spacing.nodeNode': '16',
  'elk.spacing.componentComponent': '40',
};

const GROUP_OPTIONS: LayoutOptions = {
  ...LAYERED_OPTIONS,
  // Room for the group's title, drawn by cytoscape above its children.
  'elk.padding': '[top=36,left=16,bottom=16,right=16]',
};

/** A node's box: the shape plus its label underneath, wide enough for most names. */
export function nodeBox(label: string): { width: number; height: number } {
  return { width: Math.min(180, Math.max(48, label.length * 7)), height: 64 };
}

/** See the module comment. */
export function toElkGraph(graph: Graph): ElkNode {
  const parentOf = new Map<string, string | undefined>();
  for (const n of graph.nodes) parentOf.set(n.id, n.parent);

  const groupChildren = new Map<string, ElkNode[]>();
  const groupEdges = new Map<string, ElkExtendedEdge[]>();
  const rootChildren: ElkNode[] = [];
  const rootEdges: ElkExtendedEdge[] = [];
  for (const g of graph.groups) {
    groupChildren.set(g.id, []);
    groupEdges.set(g.id, []);
  }

  for (const n of graph.nodes) {
    const box: ElkNode = { id: n.id, ...nodeBox(n.label) };
    const list = n.parent === undefined ? undefined : groupChildren.get(n.parent);
    (list ?? rootChildren).push(box);
  }

  const between = new Set<string>();
  for (const e of graph.edges) {
    if (e.source === e.target) continue; // a self-call says nothing about placement
    const ps = parentOf.get(e.source);
    const pt = parentOf.get(e.target);
    if (ps === pt) {
      const list = ps === undefined ? rootEdges : groupEdges.get(ps);
      list?.push({ id: e.id, sources: [e.source], targets: [e.target] });
      continue;
    }
    // Mixed levels (a grouped node and an ungrouped one) cannot be laid out together under
    // SEPARATE_CHILDREN; they only exist without grouping and are left to the drawing.
    if (ps === undefined || pt === undefined) continue;
    const key = `${ps}\u0000${pt}`;
    if (between.has(key)) continue;
    between.add(key);
    rootEdges.push({ id: `between:${ps}→${pt}`, sources: [ps], targets: [pt] });
  }

  for (const g of graph.groups) {
    rootChildren.push({
      id: g.id,
      layoutOptions: GROUP_OPTIONS,
      children: groupChildren.get(g.id) ?? [],
      edges: groupEdges.get(g.id) ?? [],
    });
  }
  return { id: 'root', layoutOptions: LAYERED_OPTIONS, children: rootChildren, edges: rootEdges };
}

/**
 * Centres of the leaf nodes in root coordinates: ELK gives each child's top-left corner relative
 * to its parent, cytoscape wants centres on one plane (compound boxes follow their children).
 */
export function positionsFromElk(root: ElkNode): Positions {
  const out = new Map<string, { x: number; y: number }>();
  const walk = (node: ElkNode, dx: number, dy: number): void => {
    for (const c of node.children ?? []) {
      const x = dx + (c.x ?? 0);
      const y = dy + (c.y ?? 0);
      if (c.children && c.children.length > 0) walk(c, x, y);
      else if (!c.id.startsWith('group:'))
        out.set(c.id, { x: x + (c.width ?? 0) / 2, y: y + (c.height ?? 0) / 2 });
    }
  };
  walk(root, 0, 0);
  return out;
}
