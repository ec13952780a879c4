import { describe, expect, it } from 'vitest';
import type { LogView } from '@vigil/spec';
import { logAt } from '../../pages/logs/test-harness.tsx';
import { nextKeys, type RowKeys } from './row-keys.ts';

const [a, b, c, d, x, y, p, q] = ['a', 'b', 'c', 'd', 'x', 'y', 'p', 'q'].map((body, i) =>
  logAt(i, body),
) as [LogView, LogView, LogView, LogView, LogView, LogView, LogView, LogView];
const start = (records: readonly LogView[], offset = 0): RowKeys => ({
  records,
  offset,
  prepended: 0,
  replaced: false,
});
/** The key each record gets: index + offset. */
const keysOf = (k: RowKeys): Record<string, number> =>
  Object.fromEntries(k.records.map((r, i) => [r.body, i + k.offset]));

describe('nextKeys', () => {
  const cases: Array<{
    name: string;
    from: RowKeys;
    to: LogView[];
    keys: Record<string, number>;
    prepended: number;
    replaced: boolean;
  }> = [
    {
      name: 'keeps the keys when records are appended (live tail)',
      from: start([a, b]),
      to: [a, b, c],
      keys: { a: 0, b: 1, c: 2 },
      prepended: 0,
      replaced: false,
    },
    {
      name: 'gives prepended (older) records keys below the held ones, which keep theirs',
      from: start([a, b, c]),
      to: [x, y, a, b, c],
      keys: { x: -2, y: -1, a: 0, b: 1, c: 2 },
      prepended: 2,
      replaced: false,
    },
    {
      name: 'keeps the keys of the records left when the oldest are cut (tail cap)',
      from: start([a, b, c]),
      to: [b, c, d],
      keys: { b: 1, c: 2, d: 3 },
      prepended: 0,
      replaced: false,
    },
    {
      name: 'gives a new list keys the last list did not use',
      from: start([a, b, c], 5),
      to: [p, q],
      keys: { p: 8, q: 9 },
      prepended: 0,
      replaced: true,
    },
    {
      name: 'counts a list filling an empty one as replaced',
      from: start([]),
      to: [a],
      keys: { a: 0 },
      prepended: 0,
      replaced: true,
    },
  ];
  for (const t of cases)
    it(t.name, () => {
      const next = nextKeys(t.from, t.to);
      expect(next.records).toBe(t.to);
      expect(keysOf(next)).toEqual(t.keys);
      expect(next.prepended).toBe(t.prepended);
      expect(next.replaced).toBe(t.replaced);
    });
});
