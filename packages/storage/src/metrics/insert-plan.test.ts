import { describe, expect, it } from 'vitest';
import { planInsert } from './insert-plan.ts';
import { KnownSeriesIndex } from './known-series.ts';
import { seriesIdWords, seriesKey } from './series-id.ts';

const labels = [
  { name: '__name__', value: 'm' },
  { name: 'job', value: 'x' },
];

describe('planInsert', () => {
  it('writes markers as StaleNaN bits and every other NaN as the canonical quiet NaN', () => {
    const plan = planInsert(
      [{ series: [{ labels, timestampsMs: [1, 2, 3], values: [1, NaN, NaN], staleIndexes: [2, 7] }] }],
      new KnownSeriesIndex(10),
    );
    const words = new Uint32Array(plan.samples.values.buffer);
    expect([...words]).toEqual([0, 0x3ff00000, 0, 0x7ff80000, 2, 0x7ff00000]);
  });

  it('writes timestamps as Int64 words, clamping negative and huge ones', () => {
    const plan = planInsert(
      [{ series: [{ labels, timestampsMs: [-5, 2 ** 40 + 7, 1e300], values: [0, 0, 0] }] }],
      new KnownSeriesIndex(10),
    );
    expect([...plan.samples.timestamps]).toEqual([0, 0, 7, 256, 0xffffffff, 0x1fffff]);
  });

  it('plans a series row only for series not yet committed to the cache', () => {
    const cache = new KnownSeriesIndex(10);
    const batch = [{ series: [{ labels, timestampsMs: [1000], values: [1] }] }];
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
        {
          series: [
            { labels, timestampsMs: [1, 2, 3], values: [1] },
            { labels, timestampsMs: [], values: [] },
          ],
        },
      ],
      new KnownSeriesIndex(10),
    );
    expect(plan.samples.count).toBe(1);
    expect(plan.seriesRows).toHaveLength(1);
  });

  it('copies resolved samples with their ids, keeping markers and canonicalising other NaNs', () => {
    const index = new KnownSeriesIndex(10);
    // value words: 2.5, StaleNaN, a NaN with a payload (0x7ff4…01), -0
    const valueWords = new Uint32Array([0, 0x40040000, 2, 0x7ff00000, 1, 0x7ff40000, 0, 0x80000000]);
    const idWords = new Uint32Array([1, 2, 1, 2, 3, 4, 3, 4]);
    const plan = planInsert(
      [
        { series: [{ labels, timestampsMs: [1000], values: [1] }] },
        {
          series: [],
          resolved: {
            count: 4,
            idWords,
            timestampsMs: new Float64Array([2000, 3000, 4000, 2 ** 40 + 7]),
            valueWords,
          },
        },
      ],
      index,
    );
    expect(plan.seriesRows).toHaveLength(1); // the fully decoded series only
    expect(plan.samples.count).toBe(5);
    expect([...new Uint32Array(plan.samples.values.buffer).subarray(2)]).toEqual([
      0, 0x40040000, 2, 0x7ff00000, 0, 0x7ff80000, 0, 0x80000000,
    ]);
    expect([...plan.samples.ids.subarray(2)]).toEqual([...idWords]);
    expect([...plan.samples.timestamps.subarray(8)]).toEqual([7, 256]);
    expect(plan.samples.minMs).toBe(1000);
    expect(plan.samples.maxMs).toBe(2 ** 40 + 7);
  });

  it('finds a series decoded in full by its id, whatever order its labels came in', () => {
    const index = new KnownSeriesIndex(10);
    const first = planInsert([{ series: [{ labels, timestampsMs: [1000], values: [1] }] }], index);
    first.commit();
    const reordered = [...labels].reverse().concat({ name: 'empty', value: '' });
    const again = planInsert([{ series: [{ labels: reordered, timestampsMs: [2000], values: [2] }] }], index);
    expect(again.seriesRows).toHaveLength(0);
    expect([...again.samples.ids]).toEqual([...first.samples.ids]);
  });

  it('remembers label-bytes hashes only once committed, and rewrites a row on a new day', () => {
    const index = new KnownSeriesIndex(10);
    const day = 86_400_000;
    const series = { labels, timestampsMs: [day + 5], values: [1], labelBytesHigh: 1, labelBytesLow: 2 };
    const plan = planInsert([{ series: [series] }], index);
    expect(index.find(1, 2)).toBeUndefined();
    plan.commit();
    const entry = index.find(1, 2)!;
    expect(index.accepts(entry, day + 10, 2 * day - 1)).toBe(true);
    expect(index.accepts(entry, day + 10, 2 * day)).toBe(false);
    const next = planInsert([{ series: [{ ...series, timestampsMs: [2 * day + 1] }] }], index);
    expect(next.seriesRows).toHaveLength(1);
    expect(next.seriesRows[0]).toMatchObject({ firstMs: day + 5, lastMs: 2 * day + 1 });
    next.commit();
    expect(index.accepts(entry, day + 10, 2 * day + 100)).toBe(true);
  });

  it('keeps the ids of series without label bytes by label text, and of the others not', () => {
    const index = new KnownSeriesIndex(10);
    const other = [{ name: '__name__', value: 'n' }];
    planInsert(
      [
        {
          series: [
            { labels, timestampsMs: [1000], values: [1] },
            { labels: other, timestampsMs: [1000], values: [1], labelBytesHigh: 3, labelBytesLow: 4 },
          ],
        },
      ],
      index,
    );
    expect(index.idOfLabelKey(seriesKey(labels))).toEqual(seriesIdWords(labels));
    expect(index.idOfLabelKey(seriesKey(other))).toBeUndefined();
  });
});
