import { describe, expect, it } from 'vitest';
import type { LogHistogram } from '@vigil/spec';
import {
  bucketSlots,
  clockLabel,
  countsSummary,
  MAX_SLOTS,
  slotLabel,
  slotsRange,
  sumCounts,
} from './bucket-slots.ts';

describe('bucketSlots', () => {
  const histogram: LogHistogram = {
    stepMs: 10_000,
    buckets: [
      { timeMs: 0, counts: { info: 3 } },
      { timeMs: 20_000, counts: { error: 1 } },
    ],
  };

  it('gives every step a slot, empty where the server sent no bucket', () => {
    expect(bucketSlots(histogram, 0, 30_000)).toEqual([
      { bucketMs: 0, startMs: 0, endMs: 10_000, counts: { info: 3 } },
      { bucketMs: 10_000, startMs: 10_000, endMs: 20_000, counts: {} },
      { bucketMs: 20_000, startMs: 20_000, endMs: 30_000, counts: { error: 1 } },
    ]);
  });

  it('clips the first and last slots to a range that cuts through buckets', () => {
    expect(bucketSlots(histogram, 5_000, 25_000).map((s) => [s.bucketMs, s.startMs, s.endMs])).toEqual([
      [0, 5_000, 10_000],
      [10_000, 10_000, 20_000],
      [20_000, 20_000, 25_000],
    ]);
  });

  it.each([
    ['no step', { stepMs: 0, buckets: [] }, 0, 1000],
    ['an empty range', histogram, 1000, 1000],
  ])('has no slots for %s', (_, h, fromMs, toMs) => {
    expect(bucketSlots(h, fromMs, toMs)).toEqual([]);
  });

  it(`stops at ${MAX_SLOTS} slots`, () => {
    expect(bucketSlots({ stepMs: 1, buckets: [] }, 0, 1_000_000)).toHaveLength(MAX_SLOTS);
  });
});

describe('slotsRange and sumCounts', () => {
  const slots = bucketSlots(
    {
      stepMs: 60_000,
      buckets: [
        { timeMs: 0, counts: { info: 2 } },
        { timeMs: 60_000, counts: { info: 1, error: 1 } },
        { timeMs: 120_000, counts: { warn: 5 } },
      ],
    },
    30_000,
    180_000,
  );

  it.each([
    ['one slot', 1, 1, { fromMs: 60_000, toMs: 120_000 }],
    ['forwards', 0, 1, { fromMs: 30_000, toMs: 120_000 }],
    ['backwards', 2, 0, { fromMs: 30_000, toMs: 180_000 }],
    ['outside the slots', 0, 7, undefined],
  ])('%s', (_, a, b, expected) => {
    expect(slotsRange(slots, a, b)).toEqual(expected);
  });

  it('adds the counts of every selected slot per severity', () => {
    expect(sumCounts(slots, 2, 0)).toEqual({ info: 3, error: 1, warn: 5 });
  });
});

describe('countsSummary', () => {
  it.each([
    [{}, 'no logs'],
    [{ info: 0 }, 'no logs'],
    [{ info: 1 }, '1 log: 1 info'],
    [{ info: 4, error: 1, debug: 2 }, '7 logs: 1 error, 4 info, 2 debug'],
    [{ info: 1200 }, '1,200 logs: 1,200 info'],
  ])('%o reads "%s"', (counts, expected) => {
    expect(countsSummary(counts)).toBe(expected);
  });
});

describe('clockLabel and slotLabel', () => {
  const at = (h: number, m: number, s = 0) => new Date(2024, 2, 14, h, m, s).getTime();

  it.each([
    ['minutes for minute steps', at(9, 5), {}, '09:05'],
    ['seconds for shorter steps', at(9, 5, 30), { stepMs: 10_000 }, '09:05:30'],
    ['the date over more than a day', at(9, 5), { spanMs: 2 * 86_400_000 }, '3/14 09:05'],
  ])('%s', (_, ms, format, expected) => {
    expect(clockLabel(ms, format)).toBe(expected);
  });

  it('labels a slot with its times and counts', () => {
    const slot = { bucketMs: at(9, 5), startMs: at(9, 5), endMs: at(9, 6), counts: { warn: 2 } };
    expect(slotLabel(slot, { stepMs: 60_000, spanMs: 3_600_000 })).toBe('09:05–09:06: 2 logs: 2 warn');
  });
});
