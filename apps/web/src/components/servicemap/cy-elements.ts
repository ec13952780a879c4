/**
 * The drawn graph as cytoscape element definitions, placed where the layout put them: health,
 * failure and search state as classes (the stylesheet in cy-style.ts turns them into looks).
 *
 * Groups are plain nodes sized to the layout's box and drawn beneath everything, not compound
 * parents: cytoscape re-measures a compound parent from its children whenever one moves or is
 * styled, which at 500 applications cost more than the rest of the first frame.
 */
import type { Core, ElementDefinition } from 'cytoscape';
import type { MapLayout } from './layered-layout.ts';
import type { Graph, GraphEdge, GraphNode } from './map-types.ts';

/** Classes of a node or edge: its health, then marks. */
function classes(...names: Array<string | false>): string {
  return names.filter((n) => n !== false && n !== 'none').join(' ');
}

/** An application's classes: health, external, search mark. */
export function nodeClasses(n: GraphNode): string {
  return classes(n.status, n.external && 'external', n.search);
}

/** An edge's classes: health, failing, search mark. */
export function edgeClasses(e: GraphEdge): string {
  return classes(e.health, e.failing && 'failing', e.search);
}

/** Element definitions for `graph` at `layout`'s places (a node it misses starts at 0,0). */
export function toElements(graph: Graph, layout: MapLayout): ElementDefinition[] {
  const out: ElementDefinition[] = [];
  for (const g of graph.groups) {
    const box = layout.groups.get(g.id) ?? { x: 0, y: 0, width: 0, height: 0 };
    out.push({
      group: 'nodes',
      data: { id: g.id, label: `${g.label} (${g.size})`, widthPx: box.width, heightPx: box.height },
      classes: 'group',
      position: { x: box.x, y: box.y },
    });
  }
  for (const n of graph.nodes) {
    const p = layout.positions.get(n.id);
    out.push({
      group: 'nodes',
      data: { id: n.id, label: n.label },
      classes: nodeClasses(n),
      position: p ? { x: p.x, y: p.y } : { x: 0, y: 0 },
    });
  }
  for (const e of graph.edges)
    out.push({
      group: 'edges',
      data: { id: e.id, source: e.source, target: e.target, label: e.label, widthPx: e.widthPx },
      classes: edgeClasses(e),
    });
  return out;
}

/** Moves existing elements to `layout`'s places (same structure, another layout). */
export function placeElements(cy: Core, graph: Graph, layout: MapLayout): void {
  for (const g of graph.groups) {
    const box = layout.groups.get(g.id);
    if (box) cy.getElementById(g.id).data({ widthPx: box.width, heightPx: box.height }).position(box);
  }
  for (const n of graph.nodes) {
    const p = layout.positions.get(n.id);
    if (p) cy.getElementById(n.id).position(p);
  }
}

/**
 * Shows all of `bounds` (the layout's extent) with a margin. Not `cy.fit()`: that measures every
 * element's bounding box, labels included, which forces styling all 2,500 elements before the
 * first frame; the layout already knows the extent.
 */
export function fitBounds(cy: Core, bounds: MapLayout['bounds'], paddingPx = 24): void {
  const width = Math.max(1, bounds.x2 - bounds.x1);
  const height = Math.max(1, bounds.y2 - bounds.y1);
  const fit = Math.min((cy.width() - 2 * paddingPx) / width, (cy.height() - 2 * paddingPx) / height);
  const zoom = Math.min(cy.maxZoom(), Math.max(cy.minZoom(), fit));
  cy.viewport({
    zoom,
    pan: {
      x: cy.width() / 2 - (zoom * (bounds.x1 + bounds.x2)) / 2,
      y: cy.height() / 2 - (zoom * (bounds.y1 + bounds.y2)) / 2,
    },
  });
}

/** Everything about the graph except search marks: when it is unchanged only classes are updated. */
export function structureKey(graph: Graph): string {
  let key = `${graph.groups.length}:${graph.nodes.length}:${graph.edges.length}`;
  for (const n of graph.nodes) key += `|${n.id}@${n.parent ?? ''}`;
  // Edge ids too: another set of calls between the same applications is another structure.
  for (const e of graph.edges) key += `|${e.id}`;
  return key;
}
