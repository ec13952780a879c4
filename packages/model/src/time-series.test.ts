import { describe, expect, it } from 'vitest';
import {
  emptySeries,
  gridFor,
  maxSeries,
  seriesFromPoints,
  seriesToJson,
  sumSeries,
  type TimeSeries,
} from './time-series.ts';

const grid = gridFor(60_000, 300_000, 60_000); // 5 points: 1 … 5 min
const values = (s: TimeSeries) => Array.from(s.values);

describe('series from points', () => {
  it('places points on the grid in any order, drops times off it, and keeps the last of a repeated time', () => {
    const s = seriesFromPoints(
      grid,
      [300_000, 60_000, 90_000, 180_000, 180_000, 999_000, 0],
      [5, 1, 77, 3, 3.5, 9, 9],
    );
    expect(values(s)).toEqual([1, NaN, 3.5, NaN, 5]);
  });

  it('copies a series that is exactly the grid as it is, NaN included', () => {
    const s = seriesFromPoints(grid, [60_000, 120_000, 180_000, 240_000, 300_000], [1, NaN, 3, 4, 5]);
    expect(values(s)).toEqual([1, NaN, 3, 4, 5]);
    expect(s.values).toBe(s.values); // placed once, then kept
  });

  it('sums and takes maxima straight from points, with NaN only where no input has a value', () => {
    const a = seriesFromPoints(grid, [60_000, 120_000, 180_000, 240_000, 300_000], [1, 2, NaN, 4, 5]);
    const b = seriesFromPoints(grid, [240_000, 120_000], [10, 20]);
    const c = emptySeries(grid);
    expect(values(sumSeries(grid, [a, b, c]))).toEqual([1, 22, NaN, 14, 5]);
    expect(values(maxSeries(grid, [a, b, c]))).toEqual([1, 20, NaN, 10, 5]);
    // A series summed before it was read on its own gives the same values after.
    expect(values(b)).toEqual([NaN, 20, NaN, 10, NaN]);
    expect(values(sumSeries(grid, [b, b]))).toEqual([NaN, 40, NaN, 20, NaN]);
  });

  it('is its own sum when alone', () => {
    const a = seriesFromPoints(grid, [60_000], [7]);
    expect(sumSeries(grid, [a])).toBe(a);
  });
});

describe('series as JSON', () => {
  it('writes null for missing points, and reads the same before and after serializing', () => {
    const s = seriesToJson(seriesFromPoints(grid, [120_000, 240_000], [2, 4]));
    expect(JSON.parse(JSON.stringify({ data: s }))).toEqual({
      data: { fromMs: 60_000, stepMs: 60_000, values: [null, 2, null, 4, null] },
    });
    expect(s.values).toEqual([null, 2, null, 4, null]);
    expect({ ...s }).toEqual({ fromMs: 60_000, stepMs: 60_000, values: [null, 2, null, 4, null] });
  });
});
