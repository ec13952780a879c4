import { describe, expect, it } from 'vitest';
import { criticalPath } from './critical-path.ts';
import { span } from './test-spans.ts';
import type { SpanView } from '@vigil/spec';

/** Each case: spans as [id, parent, startMs, durationMs], and the ids expected on the path. */
const cases: Array<{ name: string; spans: Array<[string, string, number, number]>; expected: string[] }> = [
  { name: 'a single span is its own critical path', spans: [['root', '', 0, 10]], expected: ['root'] },
  {
    name: 'sequential children are all on the path',
    spans: [
      ['root', '', 0, 100],
      ['a', 'root', 0, 40],
      ['b', 'root', 50, 40],
    ],
    expected: ['root', 'a', 'b'],
  },
  {
    name: 'back-to-back children that touch are both on the path',
    spans: [
      ['root', '', 0, 20],
      ['a', 'root', 0, 10],
      ['b', 'root', 10, 10],
    ],
    expected: ['root', 'a', 'b'],
  },
  {
    name: 'of parallel children only the one finishing last is on the path',
    spans: [
      ['root', '', 0, 100],
      ['a', 'root', 10, 80],
      ['b', 'root', 20, 30],
    ],
    expected: ['root', 'a'],
  },
  {
    name: 'a child outliving its parent is clipped and still on the path',
    spans: [
      ['root', '', 0, 100],
      ['a', 'root', 10, 140],
      ['b', 'root', 0, 5],
    ],
    expected: ['root', 'a', 'b'],
  },
  {
    name: 'a child starting after its parent ended is ignored',
    spans: [
      ['root', '', 0, 100],
      ['late', 'root', 120, 30],
    ],
    expected: ['root'],
  },
  {
    name: 'the walk descends into grandchildren and comes back out',
    spans: [
      ['root', '', 0, 100],
      ['a', 'root', 0, 60],
      ['a1', 'a', 10, 40],
      ['a2', 'a', 15, 20],
      ['b', 'root', 70, 25],
    ],
    expected: ['root', 'b', 'a', 'a1'],
  },
  {
    name: 'orphans are not on the path of the root',
    spans: [
      ['root', '', 0, 100],
      ['orphan', 'missing', 10, 20],
    ],
    expected: ['root'],
  },
];

describe('criticalPath', () => {
  it.each(cases)('$name', ({ spans, expected }) => {
    const input: SpanView[] = spans.map(([id, parent, start, duration]) => span(id, parent, start, duration));
    expect([...criticalPath(input)].sort()).toEqual([...expected].sort());
  });

  it('returns an empty set for an empty trace', () => {
    expect(criticalPath([]).size).toBe(0);
  });

  it('terminates on zero-length children', () => {
    const input = [span('root', '', 0, 10), span('z1', 'root', 5, 0), span('z2', 'root', 5, 0)];
    expect([...criticalPath(input)].sort()).toEqual(['root', 'z1', 'z2']);
  });
});
