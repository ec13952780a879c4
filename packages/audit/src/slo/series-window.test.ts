import { describe, expect, it } from 'vitest';
import { gridFor, seriesFromPoints } from '@vigil/model';
import { gridOffset, prefixSums, sliceSeries, windowPoints, windowSum } from './series-window.ts';
import { MINUTE_MS, T0_MS, seriesOf } from './testing.ts';

describe('windowPoints', () => {
  it.each([
    ['5 min on a 15 s grid', 15_000, 5 * MINUTE_MS, 20],
    ['1 h on a 1 min grid', MINUTE_MS, 60 * MINUTE_MS, 60],
    ['5 min on a 5 min grid is one step', 5 * MINUTE_MS, 5 * MINUTE_MS, 1],
    ['1 min on a 5 min grid still uses one step', 5 * MINUTE_MS, MINUTE_MS, 1],
    ['15 min on a 4 min grid rounds up to cover the window', 4 * MINUTE_MS, 15 * MINUTE_MS, 4],
  ])('%s', (_name, stepMs, windowMs, points) => {
    expect(windowPoints(gridFor(T0_MS, T0_MS + 6 * 60 * MINUTE_MS, stepMs), windowMs)).toBe(points);
  });
});

describe('windowSum', () => {
  const grid = gridFor(T0_MS, T0_MS + 9 * MINUTE_MS, MINUTE_MS);
  const s = seriesOf(grid, (i) => (i >= 3 && i < 6 ? NaN : i));
  const p = prefixSums(s);

  it.each([
    ['sums the trailing points, skipping gaps', 7, 5, 0 + 7 + 6],
    ['clips at the start of the grid', 1, 5, 0 + 1],
    ['is NaN when every point in the window is a gap', 5, 3, NaN],
    ['tells zero traffic (0) from no data (NaN)', 0, 1, 0],
  ])('%s', (_name, end, points, expected) => {
    expect(windowSum(p, end, points)).toBe(expected);
  });
});

describe('sliceSeries', () => {
  const grid = gridFor(T0_MS, T0_MS + 9 * MINUTE_MS, MINUTE_MS);
  const s = seriesOf(grid, (i) => i);

  it('cuts the sub-grid out of a longer series', () => {
    const inner = gridFor(T0_MS + 2 * MINUTE_MS, T0_MS + 4 * MINUTE_MS, MINUTE_MS);
    expect(Array.from(sliceSeries(s, inner).values)).toEqual([2, 3, 4]);
  });

  it.each([
    ['a different step', gridFor(T0_MS, T0_MS + 4 * MINUTE_MS, 2 * MINUTE_MS)],
    ['a grid running past the end', gridFor(T0_MS + 5 * MINUTE_MS, T0_MS + 12 * MINUTE_MS, MINUTE_MS)],
    ['a grid starting before', gridFor(T0_MS - MINUTE_MS, T0_MS + MINUTE_MS, MINUTE_MS)],
  ])('refuses %s', (_name, inner) => {
    expect(() => gridOffset(grid, inner)).toThrow(RangeError);
  });

  it('keeps gaps as gaps', () => {
    const sparse = seriesFromPoints(grid, [T0_MS + MINUTE_MS], [5]);
    const inner = gridFor(T0_MS, T0_MS + MINUTE_MS, MINUTE_MS);
    expect(Array.from(sliceSeries(sparse, inner).values)).toEqual([NaN, 5]);
  });
});
