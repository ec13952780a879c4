import { describe, expect, it } from 'vitest';
import { positionsFromElk, toElkGraph } from './elk-graph.ts';
import { longestPathLayers, seedLayout } from './seed-layout.ts';
import { SHOP } from './test-map.ts';
import { toGraph } from './to-graph.ts';

describe('longestPathLayers', () => {
  const succ = (pairs: string[]) => {
    const m = new Map<string, string[]>();
    for (const p of pairs) {
      const [a, b] = p.split('>') as [string, string];
      m.set(a, [...(m.get(a) ?? []), b]);
    }
    return m;
  };
  it.each([
    ['a chain', ['a', 'b', 'c'], ['a>b', 'b>c'], [['a'], ['b'], ['c']]],
    ['a shortcut goes to the longest path', ['a', 'b', 'c'], ['a>b', 'b>c', 'a>c'], [['a'], ['b'], ['c']]],
    ['a cycle is broken at its first least-called node', ['a', 'b'], ['a>b', 'b>a'], [['a'], ['b']]],
    ['unconnected nodes share the first layer', ['a', 'b'], [], [['b', 'a']]],
  ])('%s', (_, ids, pairs, want) => {
    expect(longestPathLayers(ids, succ(pairs)).map((l) => [...l].sort())).toEqual(
      want.map((l) => [...l].sort()),
    );
  });
});

describe('seedLayout', () => {
  it('places every node, callers left of callees within a group', () => {
    const g = toGraph(SHOP, { groupBy: 'namespace' });
    const p = seedLayout(g);
    expect(p.size).toBe(g.nodes.length);
    expect(p.get('/k8s/shop/frontend')!.x).toBeLessThan(p.get('/k8s/shop/api')!.x);
  });
});

describe('toElkGraph', () => {
  it('nests nodes in their groups, keeps edges inside a group there and sums edges between groups', () => {
    const elk = toElkGraph(toGraph(SHOP, { groupBy: 'namespace' }));
    expect(elk.children?.map((c) => c.id)).toEqual(['group:ns:db', 'group:ns:shop']);
    expect(elk.children?.[1]?.edges?.map((e) => e.id)).toEqual(['/k8s/shop/frontend→/k8s/shop/api']);
    expect(elk.edges?.map((e) => [e.sources[0], e.targets[0]])).toEqual([['group:ns:shop', 'group:ns:db']]);
  });

  it('turns ELK positions relative to parents into absolute centres', () => {
    const p = positionsFromElk({
      id: 'root',
      children: [
        { id: 'group:ns:shop', x: 100, y: 50, children: [{ id: 'a', x: 10, y: 20, width: 40, height: 60 }] },
      ],
    });
    expect(p.get('a')).toEqual({ x: 130, y: 100 });
    expect(p.has('group:ns:shop')).toBe(false);
  });
});
