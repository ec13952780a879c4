import { describe, expect, it } from 'vitest';
import { backoffDelayMs, backoffPolicy, DEFAULT_BACKOFF, parseRetryAfterMs } from './backoff.ts';

describe('backoffDelayMs', () => {
  it.each([
    // failures, nominal wait with the defaults (1 s doubling, 30 s max)
    [1, 1000],
    [2, 2000],
    [3, 4000],
    [5, 16_000],
    [6, 30_000],
    [100, 30_000],
    [10_000, 30_000],
  ])('failure %i waits between half and all of %i ms', (failures, nominal) => {
    expect(backoffDelayMs(failures, DEFAULT_BACKOFF, () => 0)).toBe(nominal / 2);
    expect(backoffDelayMs(failures, DEFAULT_BACKOFF, () => 0.999_999)).toBe(nominal);
    expect(backoffDelayMs(failures, DEFAULT_BACKOFF, () => 0.5)).toBe((nominal * 3) / 4);
  });

  it('fills in defaults and refuses an inverted or empty range', () => {
    expect(backoffPolicy()).toEqual({ initialMs: 1000, maxMs: 30_000 });
    expect(backoffPolicy({ initialMs: 10 })).toEqual({ initialMs: 10, maxMs: 30_000 });
    expect(backoffPolicy({ initialMs: 60_000 })).toEqual({ initialMs: 60_000, maxMs: 60_000 });
    expect(() => backoffPolicy({ initialMs: 0 })).toThrow(/initialMs/);
    expect(() => backoffPolicy({ initialMs: 100, maxMs: 50 })).toThrow(/initialMs/);
  });
});

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2024-11-26T10:00:00Z');
  it.each([
    ['120', 120_000],
    [' 1 ', 1000],
    ['0', 0],
    ['Tue, 26 Nov 2024 10:00:30 GMT', 30_000],
    ['Tue, 26 Nov 2024 09:00:00 GMT', 0],
    [null, undefined],
    ['', undefined],
    ['1.5', undefined],
    ['-3', undefined],
    ['soon', undefined],
  ])('%j → %j', (header, expected) => {
    expect(parseRetryAfterMs(header, now)).toBe(expected);
  });
});
