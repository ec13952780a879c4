import { describe, expect, it } from 'vitest';
import { planInsert } from './insert-plan.ts';
import { KnownSeriesCache } from './known-series.ts';

const labels = [
  { name: '__name__', value: 'm' },
  { name: 'job', value: 'x' },
];

describe('planInsert', () => {
  it('writes markers as StaleNaN bits and every other NaN as the canonical quiet NaN', () => {
    const plan = planInsert(
      [{ labels, timestampsMs: [1, 2, 3], values: [1, NaN, NaN], staleIndexes: [2, 7] }],
      new KnownSeriesCache(10),
    );
    const words = new Uint32Array(plan.samples.values.buffer);
    expect([...words]).toEqual([0, 0x3ff00000, 0, 0x7ff80000, 2, 0x7ff00000]);
  });

  it('writes timestamps as Int64 words, clamping negative and huge ones', () => {
    const plan = planInsert(
      [{ labels, timestampsMs: [-5, 2 ** 40 + 7, 1e300], values: [0, 0, 0] }],
      new KnownSeriesCache(10),
    );
    expect([...plan.samples.timestamps]).toEqual([0, 0, 7, 256, 0xffffffff, 0x1fffff]);
  });

  it('plans a series row only for series not yet committed to the cache', () => {
    const cache = new KnownSeriesCache(10);
    const batch = [{ labels, timestampsMs: [1000], values: [1] }];
    const first = planInsert(batch, cache);
    expect(first.seriesRows).toHaveLength(1);
    expect(first.seriesRows[0]!.labels).toEqual([{ name: 'job', value: 'x' }]);
    expect(planInsert(batch, cache).seriesRows).toHaveLength(1); // not committed yet
    first.commit();
    expect(planInsert(batch, cache).seriesRows).toHaveLength(0);
  });

  it('uses the shorter of timestamps and values and skips empty series', () => {
    const plan = planInsert(
      [
        { labels, timestampsMs: [1, 2, 3], values: [1] },
        { labels, timestampsMs: [], values: [] },
      ],
      new KnownSeriesCache(10),
    );
    expect(plan.samples.count).toBe(1);
    expect(plan.seriesRows).toHaveLength(1);
  });
});
