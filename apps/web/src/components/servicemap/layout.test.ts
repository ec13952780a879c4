import { describe, expect, it } from 'vitest';
import { layeredLayout, nodeBox, type Box } from './layered-layout.ts';
import { acyclicSuccessors, longestPathRanks, orderRanks } from './layering.ts';
import { app, edge, generatedMap, SHOP } from './test-map.ts';
import { toGraph } from './to-graph.ts';

/** Callee lists over nodes 0..n-1 from "0>1" pairs. */
const succ = (n: number, pairs: string[]): number[][] => {
  const out: number[][] = Array.from({ length: n }, () => []);
  for (const p of pairs) {
    const [a, b] = p.split('>').map(Number) as [number, number];
    out[a]!.push(b);
  }
  return out;
};

describe('acyclicSuccessors', () => {
  it.each([
    ['a chain is kept', 3, ['0>1', '1>2'], [[1], [2], []]],
    ['a two-cycle turns round the edge back to the entry', 2, ['0>1', '1>0'], [[1, 1], []]],
    ['a three-cycle entered at 0 loses only 2>0', 3, ['0>1', '1>2', '2>0'], [[1, 2], [2], []]],
    ['a self-call is dropped', 2, ['0>0', '0>1'], [[1], []]],
    ['a cycle with no entry starts at the first node', 2, ['1>0', '0>1'], [[1, 1], []]],
  ])('%s', (_, n, pairs, want) => {
    expect(acyclicSuccessors(succ(n, pairs))).toEqual(want);
  });
});

describe('longestPathRanks', () => {
  it.each([
    ['a chain', 3, ['0>1', '1>2'], [0, 1, 2]],
    ['a shortcut takes the longest path', 3, ['0>1', '1>2', '0>2'], [0, 1, 2]],
    ['a diamond', 4, ['0>1', '0>2', '1>3', '2>3'], [0, 1, 1, 2]],
    ['unconnected nodes share the first rank', 2, [], [0, 0]],
  ])('%s', (_, n, pairs, want) => {
    expect(longestPathRanks(succ(n, pairs))).toEqual(want);
  });
});

describe('orderRanks', () => {
  it('orders callees by the mean row of their callers, undoing the crossings of discovery order', () => {
    // Depth-first discovery puts 3 (0's first callee) above 4; but 3 is called from every row
    // and 4 only from the top one, so 4 goes up: 0→4 no longer crosses 1→3 and 2→3.
    const s = succ(5, ['0>3', '0>4', '1>3', '2>3']);
    expect(orderRanks(s, longestPathRanks(s))).toEqual([
      [0, 1, 2],
      [4, 3],
    ]);
  });

  it('puts every node in exactly one rank', () => {
    const s = acyclicSuccessors(succ(6, ['0>1', '1>2', '2>0', '3>4', '4>5', '0>5']));
    expect(
      orderRanks(s, longestPathRanks(s))
        .flat()
        .sort((a, b) => a - b),
    ).toEqual([0, 1, 2, 3, 4, 5]);
  });
});

/** Does `a` overlap `b` (centres and sizes)? Touching edges do not count. */
const overlaps = (a: Box, b: Box): boolean =>
  Math.abs(a.x - b.x) * 2 < a.width + b.width && Math.abs(a.y - b.y) * 2 < a.height + b.height;

describe('layeredLayout', () => {
  const big = toGraph(generatedMap(200, 700, 8), { groupBy: 'namespace' });

  it('places callers left of callees within a group, and boxes the groups', () => {
    const g = toGraph(SHOP, { groupBy: 'namespace' });
    const l = layeredLayout(g);
    expect(l.positions.size).toBe(g.nodes.length);
    expect(l.positions.get('/k8s/shop/frontend')!.x).toBeLessThan(l.positions.get('/k8s/shop/api')!.x);
    expect([...l.groups.keys()].sort()).toEqual(['group:ns:db', 'group:ns:shop']);
  });

  it('is deterministic: the same graph gives the same places', () => {
    const a = layeredLayout(big);
    const b = layeredLayout(toGraph(generatedMap(200, 700, 8), { groupBy: 'namespace' }));
    expect([...b.positions]).toEqual([...a.positions]);
    expect([...b.groups]).toEqual([...a.groups]);
  });

  it('ranks follow the calls: on an acyclic map every call inside a group goes right', () => {
    const dag = toGraph(generatedMap(150, 500, 5, true), { groupBy: 'namespace' });
    const l = layeredLayout(dag);
    const parent = new Map(dag.nodes.map((n) => [n.id, n.parent]));
    const inside = dag.edges.filter((e) => parent.get(e.source) === parent.get(e.target));
    expect(inside.length).toBeGreaterThan(300);
    for (const e of inside) expect(l.positions.get(e.source)!.x).toBeLessThan(l.positions.get(e.target)!.x);
  });

  it('keeps each group together: its applications inside its box, no one else there, boxes apart', () => {
    const l = layeredLayout(big);
    const boxOf = (id: string): Box => ({
      ...l.positions.get(id)!,
      ...nodeBox(big.nodes.find((n) => n.id === id)!.label),
    });
    for (const n of big.nodes) {
      const node = boxOf(n.id);
      for (const [groupId, box] of l.groups) {
        const within =
          Math.abs(node.x - box.x) * 2 <= box.width - node.width &&
          Math.abs(node.y - box.y) * 2 <= box.height - node.height;
        if (groupId === n.parent) expect(within, `${n.id} inside ${groupId}`).toBe(true);
        else expect(overlaps(node, box), `${n.id} clear of ${groupId}`).toBe(false);
      }
    }
    const boxes = [...l.groups.values()];
    boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b) => expect(overlaps(a, b)).toBe(false)));
  });

  it('never overlaps two applications, label room included', () => {
    for (const groupBy of ['namespace', 'category', 'none'] as const) {
      const g = toGraph(generatedMap(200, 700, 8), { groupBy });
      const l = layeredLayout(g);
      const boxes = g.nodes.map((n) => ({ ...l.positions.get(n.id)!, ...nodeBox(n.label) }));
      boxes.forEach((a, i) =>
        boxes
          .slice(i + 1)
          .forEach((b) => expect(overlaps(a, b), `${groupBy}: ${JSON.stringify([a, b])}`).toBe(false)),
      );
    }
  });

  it('wraps a rank too tall for its group into sub-columns, still right of the caller', () => {
    const hub = app('/k8s/shop/hub');
    const callees = Array.from({ length: 100 }, (_, i) => app(`/k8s/shop/svc-${i}`));
    const g = toGraph(
      { nodes: [hub, ...callees], edges: callees.map((c) => edge(hub.id, c.id)) },
      { groupBy: 'namespace' },
    );
    const l = layeredLayout(g);
    const box = l.groups.get('group:ns:shop')!;
    // 100 callees in one column would be 100 rows (8,000 px); wrapped, about 13.
    expect(box.height).toBeLessThan(15 * 80);
    for (const c of callees) expect(l.positions.get(c.id)!.x).toBeGreaterThan(l.positions.get(hub.id)!.x);
    const boxes = g.nodes.map((n) => ({ ...l.positions.get(n.id)!, ...nodeBox(n.label) }));
    boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b) => expect(overlaps(a, b)).toBe(false)));
  });

  it('gives an empty map no places', () => {
    const l = layeredLayout({ nodes: [], edges: [], groups: [], matches: [] });
    expect(l.positions.size).toBe(0);
    expect(l.groups.size).toBe(0);
  });
});
