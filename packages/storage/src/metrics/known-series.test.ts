import { describe, expect, it } from 'vitest';
import { DAY_MS, KnownSeriesIndex, needsRewrite, type KnownSeries } from './known-series.ts';
import { WordPairMap } from './word-pair-map.ts';

const entry = (firstMs: number, lastMs: number): KnownSeries => ({ idHigh: 0, idLow: 1, firstMs, lastMs });

describe('WordPairMap', () => {
  it('keeps at most `limit` entries and keeps recently used ones', () => {
    const map = new WordPairMap<string>(4);
    map.set(0, 1, 'a');
    map.set(0, 2, 'b');
    map.set(0, 3, 'c'); // current {a,b} becomes previous
    expect(map.get(0, 1)).toBe('a'); // moved to current {c,a}
    map.set(0, 4, 'd'); // current {c,a} becomes previous; b is dropped
    expect(map.get(0, 2)).toBeUndefined();
    expect(map.get(0, 1)).toBe('a');
    expect(map.get(0, 3)).toBe('c');
  });

  it('tells keys apart by both words, including negative and unsigned forms of one word', () => {
    const map = new WordPairMap<number>(1_000_000);
    let n = 0;
    for (let high = -3; high <= 3; high++) for (let low = -50; low <= 50; low++) map.set(high, low, n++);
    map.set(0xffffffff, 1, -1); // the same 32 bits as high -1
    n = 0;
    for (let high = -3; high <= 3; high++)
      for (let low = -50; low <= 50; low++) {
        const expected = high === -1 && low === 1 ? -1 : n;
        expect(map.get(high, low)).toBe(expected);
        n++;
      }
    expect(map.get(4, 0)).toBeUndefined();
  });

  it('grows past its initial capacity without losing entries', () => {
    const map = new WordPairMap<number>(100_000);
    for (let i = 0; i < 40_000; i++) map.set(i * 7919, ~i, i);
    for (let i = 0; i < 40_000; i++) expect(map.get(i * 7919, ~i)).toBe(i);
  });
});

describe('KnownSeriesIndex', () => {
  it('finds entries by id and by label-bytes hash apart, and forgets both on clear', () => {
    const index = new KnownSeriesIndex(10);
    const e = entry(0, 0);
    index.remember(e);
    expect(index.byId(0, 1)).toBe(e);
    expect(index.find(0, 1)).toBeUndefined();
    index.rememberLabelBytes(5, 6, e);
    expect(index.find(5, 6)).toBe(e);
    index.clear();
    expect(index.byId(0, 1)).toBeUndefined();
    expect(index.find(5, 6)).toBeUndefined();
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
