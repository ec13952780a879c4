import { gridFor, seriesFromPoints } from '@vigil/model';
import { describe, expect, it } from 'vitest';
import { baselineOf, median, spearman } from './robust-stats.ts';

const grid = gridFor(0, 9, 1);
const series = (values: number[]) =>
  seriesFromPoints(
    grid,
    values.map((_, i) => i),
    values,
  );

describe('robust statistics', () => {
  it.each([
    [[], NaN],
    [[3], 3],
    [[5, 1, 3], 3],
    [[4, 1, 3, 2], 2.5],
  ])('the median of %j is %d', (values, expected) => {
    expect(median(values)).toEqual(expected);
  });

  it('ignores a spike in the baseline: level and spread come from the bulk of the points', () => {
    const b = baselineOf(series([10, 11, 9, 10, 1000, 10, 11, 9, 10, 10]), 0, 10);
    expect(b.median).toBe(10);
    expect(b.sigma).toBeCloseTo(1.4826 * 0.5, 6);
    expect(b.count).toBe(10);
  });

  it('floors the spread of a flat baseline at 5% of its level', () => {
    expect(baselineOf(series(Array(10).fill(20)), 0, 10).sigma).toBeCloseTo(1, 9);
  });

  it.each([
    [
      'a monotone but non-linear relation',
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      [1, 4, 9, 16, 25, 36, 49, 64, 81, 100],
      1,
    ],
    ['an inverse relation', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], [10, 9, 8, 7, 6, 5, 4, 3, 2, 1], -1],
    ['a constant series', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], Array(10).fill(4), NaN],
    [
      'too few shared points',
      [1, 2, NaN, NaN, NaN, NaN, NaN, NaN, 3, 4],
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      NaN,
    ],
  ])('Spearman of %s is %s', (_name, a, b, expected) => {
    const rho = spearman(series(a), series(b), 0, 10);
    if (Number.isNaN(expected)) expect(rho).toBeNaN();
    else expect(rho).toBeCloseTo(expected, 9);
  });
});
