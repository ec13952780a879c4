import { describe, expect, it } from 'vitest';
import { latencySummary } from './latency.ts';
import {
  buildSnapshot,
  diffSnapshots,
  topByTime,
  type StatementDelta,
  type StatementRow,
} from './statements.ts';

const row = (
  queryId: string,
  calls: number,
  totalTimeMs: number,
  extra: Partial<StatementRow> = {},
): StatementRow => ({
  db: 'app',
  user: 'web',
  queryId,
  query: `SELECT * FROM t${queryId} WHERE id = $1`,
  calls,
  totalTimeMs,
  ioTimeMs: 0,
  ...extra,
});

const delta = (query: string, calls: number, timeMs: number): StatementDelta => ({
  db: 'app',
  user: 'web',
  query,
  calls,
  timeMs,
  ioTimeMs: 0,
});

describe('diffSnapshots', () => {
  it('reports what grew between two snapshots, with obfuscated text', () => {
    const before = buildSnapshot([row('1', 100, 500, { ioTimeMs: 10 })], 0);
    const after = buildSnapshot([row('1', 120, 700, { ioTimeMs: 15 })], 10_000, before);
    expect(diffSnapshots(before, after)).toEqual([
      { db: 'app', user: 'web', query: 'SELECT * FROM t1 WHERE id = ?', calls: 20, timeMs: 200, ioTimeMs: 5 },
    ]);
  });

  it('treats a statement whose counters went down (a reset in between) as new', () => {
    const before = buildSnapshot([row('1', 100, 500)], 0);
    const after = buildSnapshot([row('1', 7, 30)], 10_000, before);
    expect(diffSnapshots(before, after)).toMatchObject([{ calls: 7, timeMs: 30 }]);
  });

  it('counts a statement absent from the previous snapshot from zero', () => {
    const before = buildSnapshot([row('1', 100, 500)], 0);
    const after = buildSnapshot([row('1', 100, 500), row('2', 5, 50)], 10_000, before);
    expect(diffSnapshots(before, after)).toMatchObject([
      { query: 'SELECT * FROM t2 WHERE id = ?', calls: 5, timeMs: 50 },
    ]);
  });

  it('leaves out statements not called in the interval', () => {
    const before = buildSnapshot([row('1', 100, 500)], 0);
    const after = buildSnapshot([row('1', 100, 500)], 10_000, before);
    expect(diffSnapshots(before, after)).toEqual([]);
  });

  it('sums query ids that obfuscate to the same text for the same db and user', () => {
    const same = { query: 'SELECT 1' };
    const before = buildSnapshot(
      [row('1', 1, 1, same), row('2', 1, 1, same), row('3', 1, 1, { ...same, user: 'batch' })],
      0,
    );
    const after = buildSnapshot(
      [row('1', 3, 5, same), row('2', 5, 9, same), row('3', 2, 2, { ...same, user: 'batch' })],
      1000,
      before,
    );
    const deltas = diffSnapshots(before, after);
    expect(deltas).toHaveLength(2);
    expect(deltas.find((d) => d.user === 'web')).toMatchObject({ query: 'SELECT ?', calls: 6, timeMs: 12 });
    expect(deltas.find((d) => d.user === 'batch')).toMatchObject({ calls: 1, timeMs: 1 });
  });

  it('keeps the text obfuscated in the previous snapshot for a known statement', () => {
    const before = buildSnapshot([row('1', 1, 1)], 0);
    const after = buildSnapshot([row('1', 2, 2, { query: 'changed 42' })], 1000, before);
    expect(after.statements.values().next().value?.query).toBe('SELECT * FROM t1 WHERE id = ?');
  });
});

describe('topByTime', () => {
  it('keeps the n statements with the most time, most first', () => {
    const deltas = [delta('a', 1, 5), delta('b', 1, 50), delta('c', 1, 20)];
    expect(topByTime(deltas, 2).map((d) => d.query)).toEqual(['b', 'c']);
  });
});

describe('latencySummary', () => {
  it('gives the exact average and quantiles of per-statement means weighted by calls', () => {
    // 90 calls of 1 ms, 9 of 10 ms, 1 of 500 ms.
    const summary = latencySummary([delta('a', 90, 90), delta('b', 9, 90), delta('c', 1, 500)]);
    expect(summary.get('avg')).toBeCloseTo(680 / 100 / 1000, 9);
    expect(summary.get('p50')).toBeCloseTo(0.001, 9);
    expect(summary.get('p75')).toBeCloseTo(0.001, 9);
    expect(summary.get('p95')).toBeCloseTo(0.01, 9);
    expect(summary.get('p99')).toBeCloseTo(0.01, 9);
    expect(summary.get('max')).toBeCloseTo(0.5, 9);
  });

  it('is empty when nothing was called', () => {
    expect(latencySummary([]).size).toBe(0);
  });
});
