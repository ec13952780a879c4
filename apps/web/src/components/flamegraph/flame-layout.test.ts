import { describe, expect, it } from 'vitest';
import {
  ancestorsAtPath,
  hitTest,
  layoutFlameGraph,
  nodeAtPath,
  rowCount,
  type FlameNodeLike,
} from './flame-layout.ts';

function n(name: string, total: number, children: FlameNodeLike[] = []): FlameNodeLike {
  const childSum = children.reduce((s, c) => s + c.total, 0);
  return { name, total, self: total - childSum, children };
}

const tree = n('total', 100, [n('main', 60, [n('parse', 30), n('eval', 20)]), n('gc', 40, [n('mark', 0.1)])]);

describe('layoutFlameGraph', () => {
  it.each([
    { name: 'total', x: 0, widthPx: 1000, depth: 0 },
    { name: 'main', x: 0, widthPx: 600, depth: 1 },
    { name: 'gc', x: 600, widthPx: 400, depth: 1 },
    { name: 'parse', x: 0, widthPx: 300, depth: 2 },
    { name: 'eval', x: 300, widthPx: 200, depth: 2 },
  ])('places $name at x=$x with width $widthPx (proportional to its total)', (want) => {
    const rect = layoutFlameGraph(tree, 1000).find((r) => r.node.name === want.name);
    expect(rect && { name: rect.node.name, x: rect.x, widthPx: rect.widthPx, depth: rect.depth }).toEqual(
      want,
    );
  });

  it('keeps every child within its parent', () => {
    const rects = layoutFlameGraph(tree, 777);
    for (const r of rects) {
      const p = rects[r.parent];
      if (p === undefined) continue;
      expect(r.x).toBeGreaterThanOrEqual(p.x);
      expect(r.x + r.widthPx).toBeLessThanOrEqual(p.x + p.widthPx + 1e-9);
      expect(r.depth).toBe(p.depth + 1);
    }
  });

  it.each([
    { widthPx: 1000, minWidthPx: 0.5, culled: false }, // mark is 1px
    { widthPx: 1000, minWidthPx: 2, culled: true },
    { widthPx: 100, minWidthPx: 0.5, culled: true }, // mark is 0.1px
  ])(
    'culls frames narrower than $minWidthPx px at width $widthPx: $culled',
    ({ widthPx, minWidthPx, culled }) => {
      const names = layoutFlameGraph(tree, widthPx, { minWidthPx }).map((r) => r.node.name);
      expect(names.includes('mark')).toBe(!culled);
    },
  );

  it('culls the subtree of a culled frame', () => {
    const deep = n('total', 1000, [n('big', 999), n('tiny', 1, [n('tinier', 1)])]);
    const names = layoutFlameGraph(deep, 100, { minWidthPx: 1 }).map((r) => r.node.name);
    expect(names).toEqual(['total', 'big']);
  });

  it.each([
    { widthPx: 0, root: tree },
    { widthPx: 500, root: n('total', 0) },
  ])('returns nothing when there is no width or no value', ({ widthPx, root }) => {
    expect(layoutFlameGraph(root, widthPx)).toEqual([]);
  });

  it('uses a custom weight', () => {
    const rects = layoutFlameGraph(tree, 100, { weight: (node) => (node.name === 'gc' ? 0 : node.total) });
    expect(rects.find((r) => r.node.name === 'gc')).toBeUndefined();
  });

  it('records child-index paths that find the node again', () => {
    for (const r of layoutFlameGraph(tree, 1000)) expect(nodeAtPath(tree, r.path)).toBe(r.node);
  });
});

describe('zoom helpers', () => {
  it('lists the ancestors of a path from the root', () => {
    expect(ancestorsAtPath(tree, [0, 1]).map((a) => a.name)).toEqual(['total', 'main']);
  });

  it('returns undefined for a path that no longer exists', () => {
    expect(nodeAtPath(tree, [5])).toBeUndefined();
  });
});

describe('hitTest', () => {
  const rects = layoutFlameGraph(tree, 1000);
  it.each([
    { x: 10, depth: 0, name: 'total' },
    { x: 599, depth: 1, name: 'main' },
    { x: 600, depth: 1, name: 'gc' },
    { x: 350, depth: 2, name: 'eval' },
    { x: 550, depth: 2, name: undefined }, // main's self time: no frame
  ])('finds $name at x=$x depth $depth', ({ x, depth, name }) => {
    expect(rects[hitTest(rects, x, depth)]?.node.name).toBe(name);
  });

  it('counts rows', () => {
    expect(rowCount(rects)).toBe(3);
  });
});
