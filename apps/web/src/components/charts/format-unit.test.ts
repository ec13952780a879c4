import { describe, expect, test } from 'vitest';
import { axisTickFormatter, formatValue } from './format-unit.ts';

describe('formatValue', () => {
  test.each([
    [42.456, '%', '42.5%'],
    [0, '%', '0%'],
    [100, '%', '100%'],
    [512, 'bytes', '512 B'],
    [1536, 'bytes', '1.5 KiB'],
    [1024 ** 3, 'bytes', '1 GiB'],
    [3.25 * 1024 ** 2, 'bytes/s', '3.25 MiB/s'],
    [0.00042, 's', '420 µs'],
    [0.34, 's', '340 ms'],
    [2.5, 's', '2.5 s'],
    [600, 's', '10 min'],
    [10_800, 's', '3 h'],
    [0.25, 's/s', '0.25 s/s'],
    [7, 'count', '7'],
    [1234, 'count', '1.23k'],
    [2_500_000, 'count', '2.5M'],
    [0.5, '/s', '0.5/s'],
    [1200, 'req/s', '1.2k req/s'],
    [35, 'rps', '35 req/s'],
    [1, 'cores', '1 core'],
    [3.5, 'cores', '3.5 cores'],
    [2, 'widgets', '2 widgets'],
    [1, 'deployed', 'new version'],
    [0, 'deployed', 'old version'],
    [0.123456, '', '0.123'],
    [-0.5, '%', '-0.5%'],
    [null, '%', 'no data'],
    [Number.NaN, 'bytes', 'no data'],
    [Number.POSITIVE_INFINITY, 's', 'no data'],
  ] as const)('formats %s %s as %s', (value, unit, expected) => {
    expect(formatValue(value, unit)).toBe(expected);
  });
});

describe('axisTickFormatter', () => {
  test('formats every tick with the unit, so the axis and the legend read alike', () => {
    expect(axisTickFormatter('bytes')(null, [0, 512 * 1024, 1024 ** 2])).toEqual(['0 B', '512 KiB', '1 MiB']);
    expect(axisTickFormatter('%')(null, [0, 50, 100])).toEqual(['0%', '50%', '100%']);
  });
});
