import { describe, expect, it } from 'vitest';
import { DAY_MS, KnownSeriesIndex, needsRewrite } from './known-series.ts';
import { INT_OFFSET, WordPairMap } from './word-pair-map.ts';

/** A map with one int column: put and get as a plain map would. */
function intMap(limit: number) {
  const map = new WordPairMap(limit, 1, 0);
  return {
    map,
    set(high: number, low: number, value: number): void {
      const slot = map.insert(high, low);
      map.ints[slot * map.intStride + INT_OFFSET] = value;
    },
    get(high: number, low: number): number | undefined {
      const slot = map.find(high, low);
      return slot < 0 ? undefined : map.ints[slot * map.intStride + INT_OFFSET];
    },
  };
}

describe('WordPairMap', () => {
  it('keeps `limit` entries per generation and keeps recently used ones', () => {
    const m = intMap(2);
    m.set(0, 1, 10);
    m.set(0, 2, 20);
    m.set(0, 3, 30); // current {1,2} becomes previous
    expect(m.get(0, 1)).toBe(10); // copied to current {3,1}, value and all
    m.set(0, 4, 40); // current {3,1} becomes previous; 2 is dropped
    expect(m.get(0, 2)).toBeUndefined();
    expect(m.get(0, 1)).toBe(10);
    expect(m.get(0, 3)).toBe(30);
    expect(m.map.size).toBeLessThanOrEqual(4);
  });

  it('settles a working set as large as the limit in one generation (no endless turnover)', () => {
    const m = intMap(1000);
    for (let round = 0; round < 5; round++) for (let i = 0; i < 1000; i++) m.set(i, 0, i);
    const sizeBefore = m.map.size;
    for (let round = 0; round < 5; round++) for (let i = 0; i < 1000; i++) expect(m.get(i, 0)).toBe(i);
    expect(m.map.size).toBe(sizeBefore);
  });

  it('tells keys apart by both words, including negative and unsigned forms of one word', () => {
    const m = intMap(1_000_000);
    let n = 0;
    for (let high = -3; high <= 3; high++) for (let low = -50; low <= 50; low++) m.set(high, low, n++);
    m.set(0xffffffff, 1, -1); // the same 32 bits as high -1
    n = 0;
    for (let high = -3; high <= 3; high++)
      for (let low = -50; low <= 50; low++) {
        const expected = high === -1 && low === 1 ? -1 : n;
        expect(m.get(high, low)).toBe(expected);
        n++;
      }
    expect(m.get(4, 0)).toBeUndefined();
  });

  it('grows past its initial capacity without losing entries or their columns', () => {
    const map = new WordPairMap(100_000, 2, 1);
    for (let i = 0; i < 40_000; i++) {
      const slot = map.insert(i * 7919, ~i);
      map.ints[slot * map.intStride + INT_OFFSET] = i;
      map.ints[slot * map.intStride + INT_OFFSET + 1] = -(i + 1);
      map.floats[slot] = i / 2;
    }
    for (let i = 0; i < 40_000; i++) {
      const slot = map.find(i * 7919, ~i);
      const at = slot * map.intStride + INT_OFFSET;
      expect([map.ints[at], map.ints[at + 1], map.floats[slot]]).toEqual([i, -(i + 1), i / 2]);
    }
  });
});

/** The span remembered for an id, or undefined. */
function spanById(index: KnownSeriesIndex, high: number, low: number) {
  const span = { firstMs: 0, lastMs: 0 };
  return index.spanOf(high, low, span) ? span : undefined;
}

describe('KnownSeriesIndex', () => {
  it('finds spans by id and ids by label-bytes hash, and forgets both on clear', () => {
    const index = new KnownSeriesIndex(10);
    expect(spanById(index, 0, 1)).toBeUndefined();
    index.remember(0, 1, 10 * DAY_MS + 5, 10 * DAY_MS + 100);
    index.remember(0, 1, 10 * DAY_MS + 1, 10 * DAY_MS + 50); // widens, never narrows
    expect(spanById(index, 0, 1)).toEqual({ firstMs: 10 * DAY_MS + 1, lastMs: 10 * DAY_MS + 100 });
    expect(index.find(5, 6)).toBeUndefined();
    index.rememberLabelBytes(5, 6, 0, 1);
    const ref = index.find(5, 6)!;
    const id = new Uint32Array(2);
    index.idWords(ref, id);
    expect([...id]).toEqual([0, 1]);
    expect(index.accepts(ref, 10 * DAY_MS, 11 * DAY_MS - 1)).toBe(true);
    expect(index.accepts(ref, 10 * DAY_MS - 1, 10 * DAY_MS + 5)).toBe(false);
    expect(index.accepts(ref, 10 * DAY_MS + 5, 11 * DAY_MS)).toBe(false);
    index.clear();
    expect(spanById(index, 0, 1)).toBeUndefined();
    expect(index.find(5, 6)).toBeUndefined();
  });

  it('records no label-bytes hash for a series id it does not know', () => {
    const index = new KnownSeriesIndex(10);
    index.rememberLabelBytes(5, 6, 0, 1);
    expect(index.find(5, 6)).toBeUndefined();
  });
});

describe('needsRewrite', () => {
  const known = { firstMs: 10 * DAY_MS + 5, lastMs: 10 * DAY_MS + 100 };
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
