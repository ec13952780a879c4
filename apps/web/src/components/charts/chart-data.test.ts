import { describe, expect, test } from 'vitest';
import { chartToUplotData, hasData, latestValue } from './chart-data.ts';
import type { ChartLineJson } from './chart-types.ts';

const grid = (fromMs: number, stepMs: number, values: Array<number | null>) => ({ fromMs, stepMs, values });

describe('chartToUplotData', () => {
  test.each<{ name: string; lines: ChartLineJson[]; expected: unknown[] }>([
    { name: 'no lines', lines: [], expected: [[]] },
    {
      name: 'one grid line, ms to seconds, null gaps kept',
      lines: [{ name: 'a', data: grid(60_000, 15_000, [1, null, 3]) }],
      expected: [
        [60, 75, 90],
        [1, null, 3],
      ],
    },
    {
      name: 'lines on the same grid share the x array',
      lines: [
        { name: 'a', data: grid(0, 10_000, [1, 2]) },
        { name: 'b', data: grid(0, 10_000, [5, null]) },
      ],
      expected: [
        [0, 10],
        [1, 2],
        [5, null],
      ],
    },
    {
      name: 'grids that differ are merged on the union of their times',
      lines: [
        { name: 'a', data: grid(0, 10_000, [1, 2, 3]) },
        { name: 'b', data: grid(10_000, 5_000, [5, 6]) },
      ],
      expected: [
        [0, 10, 15, 20],
        [1, 2, null, 3],
        [null, 5, 6, null],
      ],
    },
    {
      name: 'points are sorted and merged with a grid',
      lines: [
        { name: 'a', data: grid(0, 10_000, [1, 2]) },
        {
          name: 'b',
          data: {
            points: [
              [15_000, 7],
              [5_000, 4],
            ],
          },
        },
      ],
      expected: [
        [0, 5, 10, 15],
        [1, null, 2, null],
        [null, 4, null, 7],
      ],
    },
    {
      name: 'NaN and Infinity become gaps',
      lines: [{ name: 'a', data: grid(0, 1000, [Number.NaN, Number.POSITIVE_INFINITY, 2]) }],
      expected: [
        [0, 1, 2],
        [null, null, 2],
      ],
    },
  ])('$name', ({ lines, expected }) => {
    expect(chartToUplotData({ lines })).toEqual(expected);
  });
});

describe('latestValue', () => {
  test.each<[string, ChartLineJson['data'], number | null]>([
    ['the last defined grid value', grid(0, 1000, [1, 2, null]), 2],
    ['null when there is no data', grid(0, 1000, [null, null]), null],
    [
      'the newest point, whatever the order',
      {
        points: [
          [20, 9],
          [10, 3],
        ],
      },
      9,
    ],
  ])('%s', (_name, data, expected) => {
    expect(latestValue({ name: 'x', data })).toBe(expected);
  });
});

describe('hasData', () => {
  test('is false when every line is empty and true when one has a value', () => {
    expect(hasData({ lines: [{ name: 'a', data: grid(0, 1, [null]) }] })).toBe(false);
    expect(
      hasData({
        lines: [
          { name: 'a', data: grid(0, 1, [null]) },
          { name: 'b', data: grid(0, 1, [0]) },
        ],
      }),
    ).toBe(true);
  });
});
