import { describe, expect, it } from 'vitest';
import { formatDurationMs, formatValue } from './explain.ts';

describe('explanation formatting', () => {
  it.each([
    [45_000, '45 s'],
    [120_000, '2 min'],
    [150_000, '2.5 min'],
    [-720_000, '12 min'],
    [5_400_000, '1.5 h'],
  ])('writes %d ms as %s', (ms, text) => {
    expect(formatDurationMs(ms)).toBe(text);
  });

  it.each([
    [12.345, '%', '12.3%'],
    [0.34, 's', '340 ms'],
    [2.5, 's', '2.5 s'],
    [1.5 * 1024 ** 3, 'bytes', '1.5 GiB'],
    [2048, 'bytes/s', '2 KiB/s'],
    [0.25, '/s', '0.25 /s'],
    [NaN, '%', 'no data'],
  ])('writes %d %s as %s', (v, unit, text) => {
    expect(formatValue(v, unit)).toBe(text);
  });
});
