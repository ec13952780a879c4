import { describe, expect, it } from 'vitest';
import { buildDiffFlameGraph, buildFlameGraph } from './profile-store-flamegraph.ts';

const s = (folded: string, value: number) => ({ frames: folded.split(';'), value });

describe('buildFlameGraph', () => {
  it('sums totals along each stack and self at its leaf, largest child first', () => {
    const tree = buildFlameGraph([s('main;a;x', 5), s('main;a', 2), s('main;b', 1), s('gc', 4)]);
    expect(tree).toEqual({
      name: 'total',
      total: 12,
      self: 0,
      children: [
        {
          name: 'main',
          total: 8,
          self: 0,
          children: [
            { name: 'a', total: 7, self: 2, children: [{ name: 'x', total: 5, self: 5, children: [] }] },
            { name: 'b', total: 1, self: 0 + 1, children: [] },
          ],
        },
        { name: 'gc', total: 4, self: 4, children: [] },
      ],
    });
  });

  it('puts value of stacks left out beyond the limit in the root', () => {
    const tree = buildFlameGraph([s('main', 3)], 10);
    expect(tree.total).toBe(10);
    expect(tree.self).toBe(7);
    expect(tree.children[0]?.total).toBe(3);
  });
});

describe('buildDiffFlameGraph', () => {
  it('keeps the current and base values of every frame, including frames only one side has', () => {
    const tree = buildDiffFlameGraph([s('main;a', 6), s('main;new', 2)], [s('main;a', 1), s('main;old', 3)]);
    expect(tree.total).toBe(8);
    expect(tree.baseTotal).toBe(4);
    const main = tree.children[0];
    expect(main?.name).toBe('main');
    const byName = new Map(main?.children.map((c) => [c.name, c]));
    expect(byName.get('a')).toMatchObject({ total: 6, self: 6, baseTotal: 1, baseSelf: 1 });
    expect(byName.get('new')).toMatchObject({ total: 2, self: 2, baseTotal: 0, baseSelf: 0 });
    expect(byName.get('old')).toMatchObject({ total: 0, self: 0, baseTotal: 3, baseSelf: 3 });
    expect(main?.children.map((c) => c.name)).toEqual(['a', 'old', 'new']);
  });
});
