import { describe, expect, it } from 'vitest';
import type { FlameNodeLike } from './flame-layout.ts';
import { functionStats, searchFlameGraph } from './flame-stats.ts';

function n(name: string, total: number, self: number, children: FlameNodeLike[] = []): FlameNodeLike {
  return { name, total, self, children };
}

// total ─ main ─ parse ─ parse (recursion) ─ alloc
//       └ gc ─ alloc
const tree = n('total', 100, 0, [
  n('main', 70, 10, [n('parse', 60, 20, [n('parse', 40, 30, [n('alloc', 10, 10)])])]),
  n('gc', 30, 20, [n('alloc', 10, 10)]),
]);

describe('functionStats', () => {
  const byName = new Map(functionStats(tree).map((s) => [s.name, s]));
  it.each([
    { name: 'main', self: 10, total: 70 },
    { name: 'parse', self: 50, total: 60 }, // recursion counted once
    { name: 'alloc', self: 20, total: 20 },
    { name: 'gc', self: 20, total: 30 },
  ])('sums $name: self $self, total $total', ({ name, self, total }) => {
    expect(byName.get(name)).toEqual({ name, self, total });
  });

  it('leaves out the root', () => {
    expect(byName.has('total')).toBe(false);
  });

  it('counts a zoomed-in frame as a function, its self time included', () => {
    const zoomed = new Map(functionStats(tree.children[0]!, true).map((s) => [s.name, s]));
    expect(zoomed.get('main')).toEqual({ name: 'main', self: 10, total: 70 });
    expect(zoomed.get('parse')).toEqual({ name: 'parse', self: 50, total: 60 });
  });
});

describe('searchFlameGraph', () => {
  it.each([
    { query: 'alloc', frames: 2, share: 0.2 },
    { query: 'PARSE', frames: 2, share: 0.6 }, // nested match counted once, case-insensitive
    { query: 'a', frames: 6, share: 1 }, // main, parse×2, alloc×2, total: the root itself matches
    { query: 'nothing', frames: 0, share: 0 },
    { query: '   ', frames: 0, share: 0 },
  ])('"$query" matches $frames frames, $share of the total', ({ query, frames, share }) => {
    const r = searchFlameGraph(tree, query);
    expect(r.frames).toBe(frames);
    expect(r.share).toBeCloseTo(share);
  });
});
