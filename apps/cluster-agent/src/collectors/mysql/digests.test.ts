import { describe, expect, it } from 'vitest';
import {
  diffDigests,
  diffTableIo,
  digestSnapshot,
  tableIoSnapshot,
  topBy,
  type DigestRow,
} from './digests.ts';

const row = (digest: string, calls: number, timePs: number, extra: Partial<DigestRow> = {}): DigestRow => ({
  schema: 'app',
  digest,
  query: `SELECT * FROM \`t${digest}\` WHERE \`id\` = ?`,
  calls,
  timePs,
  lockTimePs: 0,
  ...extra,
});

describe('diffDigests', () => {
  it('reports what grew between two snapshots', () => {
    const before = digestSnapshot([row('a', 100, 5e12, { lockTimePs: 1e9 })], 0);
    const after = digestSnapshot([row('a', 120, 7e12, { lockTimePs: 3e9 })], 10_000, before);
    expect(diffDigests(before, after)).toEqual([
      { schema: 'app', query: 'SELECT * FROM `ta` WHERE `id` = ?', calls: 20, timePs: 2e12, lockTimePs: 2e9 },
    ]);
  });

  it('treats a digest whose counters went down (TRUNCATE in between) as new', () => {
    const before = digestSnapshot([row('a', 100, 5e12)], 0);
    const after = digestSnapshot([row('a', 7, 3e11)], 10_000, before);
    expect(diffDigests(before, after)).toMatchObject([{ calls: 7, timePs: 3e11 }]);
  });

  it('counts a digest that first appears in the second snapshot from zero', () => {
    const before = digestSnapshot([], 0);
    const after = digestSnapshot([row('a', 5, 1e9)], 1000, before);
    expect(diffDigests(before, after)).toMatchObject([{ calls: 5, timePs: 1e9 }]);
  });

  it('leaves out digests without calls in the interval', () => {
    const before = digestSnapshot([row('a', 5, 1e9)], 0);
    const after = digestSnapshot([row('a', 5, 1e9)], 1000, before);
    expect(diffDigests(before, after)).toEqual([]);
  });

  it('sums digests that obfuscate to the same text and keeps schemas apart', () => {
    const rows = (n: number): DigestRow[] => [
      row('a', n, n, { query: 'SELECT 1' }),
      row('b', n, n, { query: 'SELECT 2' }),
      row('c', n, n, { query: 'SELECT 1', schema: 'other' }),
    ];
    const before = digestSnapshot(rows(1), 0);
    const after = digestSnapshot(rows(3), 1000, before);
    expect(diffDigests(before, after)).toEqual([
      { schema: 'app', query: 'SELECT ?', calls: 4, timePs: 4, lockTimePs: 0 },
      { schema: 'other', query: 'SELECT ?', calls: 2, timePs: 2, lockTimePs: 0 },
    ]);
  });
});

describe('diffTableIo', () => {
  const io = (table: string, readPs: number, writePs: number) => ({ schema: 'app', table, readPs, writePs });

  it('reports read and write wait time per table, new tables from zero, idle tables not at all', () => {
    const before = tableIoSnapshot([io('a', 10, 20), io('idle', 5, 5)], 0);
    const after = tableIoSnapshot([io('a', 15, 40), io('idle', 5, 5), io('new', 3, 0)], 1000);
    expect(diffTableIo(before, after)).toEqual([io('a', 5, 20), io('new', 3, 0)]);
  });

  it('treats a table whose timers went down as reset', () => {
    const before = tableIoSnapshot([io('a', 100, 100)], 0);
    const after = tableIoSnapshot([io('a', 4, 150)], 1000);
    expect(diffTableIo(before, after)).toEqual([io('a', 4, 150)]);
  });
});

describe('topBy', () => {
  it('keeps the n largest, largest first', () => {
    expect(topBy([3, 9, 1, 7], (x) => x, 2)).toEqual([9, 7]);
  });
});
