import { describe, expect, it } from 'vitest';
import { changedPoint, WrittenPoints, type ChunkGrid } from './written-points.ts';

const STEP = 15_000;
const CHUNK: ChunkGrid = { startMs: 600_000, stepMs: STEP, slots: 40 };
const times = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i * STEP);

/** The points of one result series that `written` lets through, as indexes. */
function kept(
  written: WrittenPoints,
  ts: number[],
  values: number[],
  chunk = CHUNK,
  hash = 1,
  queryKey = 'q',
): number[] {
  const tail = written.series(queryKey, hash, chunk);
  const slot = (t: number) => Math.round((t - chunk.startMs) / chunk.stepMs);
  return ts.flatMap((t, i) => (changedPoint(tail, slot(t), values[i]!) ? [i] : []));
}

describe('WrittenPoints', () => {
  it('lets a point through once per value', () => {
    const w = new WrittenPoints();
    const ts = times(CHUNK.startMs + 10 * STEP, 5);
    expect(kept(w, ts, [1, 2, 3, 4, 5])).toEqual([0, 1, 2, 3, 4]);
    // The next refresh: the same four points again plus a new one; one value changed.
    expect(kept(w, times(CHUNK.startMs + 11 * STEP, 5), [2, 3, 4.5, 5, 6])).toEqual([2, 4]);
    expect(kept(w, times(CHUNK.startMs + 11 * STEP, 5), [2, 3, 4.5, 5, 6])).toEqual([]);
  });

  it('compares values exactly: NaN equals NaN, -0 is not 0', () => {
    const w = new WrittenPoints();
    const ts = times(CHUNK.startMs, 3);
    kept(w, ts, [NaN, 0, Infinity]);
    expect(kept(w, ts, [NaN, -0, Infinity])).toEqual([1]);
  });

  it('keeps series and queries apart', () => {
    const w = new WrittenPoints();
    const ts = times(CHUNK.startMs, 2);
    kept(w, ts, [1, 2], CHUNK, 1);
    expect(kept(w, ts, [1, 2], CHUNK, 2)).toEqual([0, 1]);
    expect(kept(w, ts, [1, 2], CHUNK, 1, 'other')).toEqual([0, 1]);
  });

  it('forgets a chunk when the series moves to the next one, or the step changes', () => {
    const w = new WrittenPoints();
    kept(w, times(CHUNK.startMs, 2), [1, 2]);
    const next = { ...CHUNK, startMs: CHUNK.startMs + 40 * STEP };
    expect(kept(w, times(next.startMs, 2), [1, 2], next)).toEqual([0, 1]);
    expect(kept(w, times(CHUNK.startMs, 2), [1, 2])).toEqual([0, 1]);
    const coarser = { startMs: CHUNK.startMs, stepMs: 2 * STEP, slots: 20 };
    expect(kept(w, [CHUNK.startMs, CHUNK.startMs + 2 * STEP], [1, 2], coarser)).toEqual([0, 1]);
  });

  it('lets everything through after clear() and when it outgrows its limit', () => {
    const w = new WrittenPoints(80);
    const ts = times(CHUNK.startMs, 3);
    kept(w, ts, [1, 2, 3]);
    w.clear();
    expect(kept(w, ts, [1, 2, 3])).toEqual([0, 1, 2]);
    kept(w, ts, [1, 2, 3], CHUNK, 2);
    expect(w.size).toBe(80);
    kept(w, ts, [1, 2, 3], CHUNK, 3); // a third series: over the limit, starts afresh
    expect(w.size).toBe(40);
    expect(kept(w, ts, [1, 2, 3], CHUNK, 1)).toEqual([0, 1, 2]);
  });
});
