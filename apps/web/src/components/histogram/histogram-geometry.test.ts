import { describe, expect, it } from 'vitest';
import type { LogHistogram } from '@vigil/spec';
import { brushRange, orderSeverities, stackBars, timeTicks } from './histogram-geometry.ts';

describe('brushRange', () => {
  // A 1000 px chart over 0..100 s: 1 px = 100 ms.
  it.each([
    ['left to right', 100, 300, { fromMs: 10_000, toMs: 30_000 }],
    ['right to left', 300, 100, { fromMs: 10_000, toMs: 30_000 }],
    ['past the edges', -50, 1200, { fromMs: 0, toMs: 100_000 }],
    ['a click', 500, 502, undefined],
  ])('%s', (_, x0, x1, expected) => {
    expect(brushRange(x0, x1, 1000, 0, 100_000)).toEqual(expected);
  });
});

describe('stackBars', () => {
  const histogram: LogHistogram = {
    stepMs: 10_000,
    buckets: [
      { timeMs: 0, counts: { error: 1, info: 3 } },
      { timeMs: 10_000, counts: {} },
      { timeMs: 20_000, counts: { info: 2 } },
    ],
  };

  it('stacks severities in order from the bottom, scaled to the tallest bar', () => {
    const bars = stackBars(histogram, 0, 30_000, 300, 100);
    expect(bars.map((b) => [b.timeMs, b.severity, b.y, b.height])).toEqual([
      [0, 'info', 25, 75],
      [0, 'error', 0, 25],
      [20_000, 'info', 50, 50],
    ]);
    expect(bars[0]).toMatchObject({ x: 0, width: 99 });
  });

  it('draws nothing for an empty histogram', () => {
    expect(stackBars({ stepMs: 1000, buckets: [{ timeMs: 0, counts: {} }] }, 0, 1000, 100, 100)).toEqual([]);
  });
});

describe('orderSeverities', () => {
  it('puts custom names near the bottom and fatal on top', () => {
    expect(orderSeverities(['fatal', 'notice', 'info', 'unknown'])).toEqual([
      'unknown',
      'notice',
      'info',
      'fatal',
    ]);
  });
});

describe('timeTicks', () => {
  it('places ticks on whole minutes inside the range', () => {
    expect(timeTicks(30_000, 330_000, 5)).toEqual([60_000, 120_000, 180_000, 240_000, 300_000]);
  });
});
