import { describe, expect, it } from 'vitest';
import { bucketHeatmap, durationEdgesNs, selectionCounts, selectionRange } from './heatmap-buckets.ts';

const MS = 1e6;

describe('durationEdgesNs', () => {
  it.each([
    { min: 3 * MS, max: 40 * MS, expected: [2, 5, 10, 20, 50].map((x) => x * MS) },
    { min: 1 * MS, max: 1 * MS, expected: [1, 2, 5, 10, 20].map((x) => x * MS) },
    { min: 150, max: 900, expected: [100, 200, 500, 1000, 2000] },
  ])('covers $min..$max ns at 1-2-5 steps', ({ min, max, expected }) => {
    expect(durationEdgesNs(min, max)).toEqual(expected);
  });
});

describe('bucketHeatmap', () => {
  const grid = bucketHeatmap(
    [
      { timeMs: 1000, durationNs: 3 * MS, isError: false },
      { timeMs: 1050, durationNs: 4 * MS, isError: true },
      { timeMs: 1999, durationNs: 40 * MS, isError: false },
      { timeMs: 5000, durationNs: 1 * MS, isError: false }, // outside the range: dropped
    ],
    1000,
    2000,
    10,
  );
  const cell = (column: number, row: number) => grid.cells[row * grid.columns + column];

  it('counts points per time column and log duration row, with errors counted apart', () => {
    expect(cell(0, 0)).toEqual({ column: 0, row: 0, count: 2, errorCount: 1 });
    expect(cell(9, 3)).toEqual({ column: 9, row: 3, count: 1, errorCount: 0 });
    expect(grid.maxCount).toBe(2);
    expect(grid.cells.reduce((n, c) => n + c.count, 0)).toBe(3);
  });

  it('maps a dragged rectangle to a time window and duration band whichever way it was drawn', () => {
    expect(selectionRange(grid, { column: 9, row: 3 }, { column: 0, row: 0 })).toEqual({
      fromMs: 1000,
      toMs: 2000,
      minDurationMs: 2,
      maxDurationMs: 50,
    });
    expect(selectionRange(grid, { column: 3, row: 1 }, { column: 4, row: 1 })).toEqual({
      fromMs: 1300,
      toMs: 1500,
      minDurationMs: 5,
      maxDurationMs: 10,
    });
  });
});

describe('selectionCounts', () => {
  const grid = bucketHeatmap(
    [
      { timeMs: 1000, durationNs: 3 * MS, isError: false },
      { timeMs: 1050, durationNs: 4 * MS, isError: true },
      { timeMs: 1999, durationNs: 40 * MS, isError: false },
    ],
    1000,
    2000,
    10,
  );

  it.each([
    ['one cell with an error', { column: 0, row: 0 }, { column: 0, row: 0 }, { count: 2, errorCount: 1 }],
    [
      'the whole grid, drawn backwards',
      { column: 9, row: 3 },
      { column: 0, row: 0 },
      { count: 3, errorCount: 1 },
    ],
    ['an empty corner', { column: 1, row: 1 }, { column: 8, row: 3 }, { count: 0, errorCount: 0 }],
  ])('counts %s', (_, a, b, expected) => {
    expect(selectionCounts(grid, a, b)).toEqual(expected);
  });
});
