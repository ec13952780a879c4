import { describe, expect, it } from 'vitest';
import { DAY_MS, KnownSeriesCache, needsRewrite, type KnownSeries } from './known-series.ts';

const entry = (firstMs: number, lastMs: number): KnownSeries => ({ idHigh: 0, idLow: 1, firstMs, lastMs });

describe('KnownSeriesCache', () => {
  it('keeps at most `limit` entries and keeps recently used ones', () => {
    const cache = new KnownSeriesCache(4);
    for (const key of ['a', 'b']) cache.set(key, entry(0, 0));
    cache.set('c', entry(0, 0)); // current {a,b} becomes previous
    expect(cache.get('a')).toBeDefined(); // moved back to current {c,a}
    cache.set('d', entry(0, 0)); // current {c,a} becomes previous; b is dropped
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBeDefined();
    expect(cache.size).toBeLessThanOrEqual(4);
  });
});

describe('needsRewrite', () => {
  const known = entry(10 * DAY_MS + 5, 10 * DAY_MS + 100);
  const cases: Array<[string, number, number, boolean]> = [
    ['same day', 10 * DAY_MS + 1, 11 * DAY_MS - 1, false],
    ['a later day', 10 * DAY_MS + 1, 11 * DAY_MS, true],
    ['an earlier day', 10 * DAY_MS - 1, 10 * DAY_MS + 1, true],
  ];
  for (const [name, minMs, maxMs, expected] of cases) {
    it(`is ${expected} for samples on ${name}`, () => {
      expect(needsRewrite(known, minMs, maxMs)).toBe(expected);
    });
  }
});
