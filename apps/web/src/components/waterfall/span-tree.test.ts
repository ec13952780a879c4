import { describe, expect, it } from 'vitest';
import { buildSpanTree, flattenSpanTree } from './span-tree.ts';
import { span } from './test-spans.ts';

const names = (rows: ReturnType<typeof flattenSpanTree>): string[] =>
  rows.map((r) => `${'  '.repeat(r.depth)}${r.node.span.spanId}${r.node.orphan ? '!' : ''}`);

describe('buildSpanTree', () => {
  it('nests children under their parent, ordered by start time', () => {
    const tree = buildSpanTree([
      span('b', 'root', 20, 5),
      span('root', '', 0, 100),
      span('a', 'root', 10, 5),
    ]);
    expect(names(flattenSpanTree(tree.roots, new Set()))).toEqual(['root', '  a', '  b']);
    expect(tree.traceDurationNs).toBe(100e6);
  });

  it('puts spans whose parent is missing at the root, marked as orphans, after the real root', () => {
    const tree = buildSpanTree([
      span('lost', 'gone', 1, 5),
      span('root', '', 5, 100),
      span('kid', 'lost', 2, 1),
    ]);
    expect(names(flattenSpanTree(tree.roots, new Set()))).toEqual(['root', 'lost!', '  kid']);
    expect(tree.byId.get('lost')?.orphan).toBe(true);
  });

  it('measures offsets from the earliest span even when it is an orphan', () => {
    const tree = buildSpanTree([span('root', '', 5, 10), span('early', 'gone', 0, 1)]);
    expect(tree.byId.get('root')?.startOffsetNs).toBe(5e6);
    expect(tree.traceDurationNs).toBe(15e6);
  });

  it('breaks parent cycles instead of losing the spans in them', () => {
    const tree = buildSpanTree([span('root', '', 0, 10), span('x', 'y', 1, 1), span('y', 'x', 2, 1)]);
    const rows = flattenSpanTree(tree.roots, new Set());
    expect(rows).toHaveLength(3);
    expect(rows.filter((r) => r.node.orphan)).toHaveLength(1);
  });

  it('treats a span naming itself as parent as an orphan', () => {
    const tree = buildSpanTree([span('self', 'self', 0, 1)]);
    expect(tree.roots.map((r) => r.orphan)).toEqual([true]);
  });

  it('returns an empty tree for no spans', () => {
    expect(buildSpanTree([]).roots).toEqual([]);
  });
});

describe('flattenSpanTree', () => {
  const tree = buildSpanTree([
    span('root', '', 0, 100),
    span('a', 'root', 1, 50),
    span('a1', 'a', 2, 10),
    span('b', 'root', 60, 10),
  ]);

  it('hides the descendants of a collapsed span but keeps the span itself', () => {
    const rows = flattenSpanTree(tree.roots, new Set(['a']));
    expect(names(rows)).toEqual(['root', '  a', '  b']);
    expect(rows[1]).toMatchObject({ collapsed: true, hasChildren: true });
  });

  it('handles a 10,000-deep chain without overflowing the stack', () => {
    const chain = [span('s0', '', 0, 10_000)];
    for (let i = 1; i < 10_000; i++) chain.push(span(`s${i}`, `s${i - 1}`, i, 10_000 - i));
    const rows = flattenSpanTree(buildSpanTree(chain).roots, new Set());
    expect(rows).toHaveLength(10_000);
    expect(rows[9_999]?.depth).toBe(9_999);
  });
});
