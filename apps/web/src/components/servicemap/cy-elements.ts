/**
 * The drawn graph as cytoscape element definitions: groups as compound parents, health, failure
 * and search state as classes (the stylesheet in cy-style.ts turns them into looks).
 */
import type { ElementDefinition } from 'cytoscape';
import type { Graph, Positions } from './map-types.ts';

/** Classes of a node or edge: its health, then marks. */
function classes(...names: Array<string | false>): string {
  return names.filter((n) => n !== false && n !== 'none').join(' ');
}

/** Element definitions for `graph`, placed at `positions` (nodes without one start at 0,0). */
export function toElements(graph: Graph, positions: Positions | undefined): ElementDefinition[] {
  const out: ElementDefinition[] = [];
  for (const g of graph.groups)
    out.push({ group: 'nodes', data: { id: g.id, label: `${g.label} (${g.size})` }, classes: 'group' });
  for (const n of graph.nodes) {
    const p = positions?.get(n.id);
    out.push({
      group: 'nodes',
      data:
        n.parent === undefined
          ? { id: n.id, label: n.label }
          : { id: n.id, label: n.label, parent: n.parent },
      classes: classes(n.status, n.external && 'external', n.search),
      position: p ? { x: p.x, y: p.y } : { x: 0, y: 0 },
    });
  }
  for (const e of graph.edges)
    out.push({
      group: 'edges',
      data: { id: e.id, source: e.source, target: e.target, label: e.label, widthPx: e.widthPx },
      classes: classes(e.health, e.failing && 'failing', e.search),
    });
  return out;
}

/** Everything about the graph except search marks: when it is unchanged only classes are updated. */
export function structureKey(graph: Graph): string {
  let key = `${graph.groups.length}:${graph.nodes.length}:${graph.edges.length}`;
  for (const n of graph.nodes) key += `|${n.id}@${n.parent ?? ''}`;
  return key;
}
