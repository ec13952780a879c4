import { describe, expect, it } from 'vitest';
import { BUCKET_MS, bucketEndOf, RollupCoverage } from './coverage.ts';

const B = BUCKET_MS;

function loaded(coveredUntil: number | undefined): RollupCoverage {
  const c = new RollupCoverage();
  c.load({ coveredUntil, dirty: [] });
  return c;
}

describe('RollupCoverage', () => {
  it('names a bucket by its end: (E - 5 min, E]', () => {
    expect(bucketEndOf(10 * B)).toBe(10 * B);
    expect(bucketEndOf(10 * B + 1)).toBe(11 * B);
    expect(bucketEndOf(10 * B - 1)).toBe(10 * B);
  });

  it('does not claim a bucket a write in flight may still add to', () => {
    const c = loaded(10 * B);
    const write = c.beginWrite(14 * B + 5, 16 * B);
    expect(write.dirty).toBe(false);
    expect(c.claim(20 * B)).toEqual({ from: 11 * B, to: 14 * B });
    write.done();
    c.advance(14 * B);
    expect(c.claim(20 * B)).toEqual({ from: 15 * B, to: 20 * B });
  });

  it('marks the range dirty when a write reaches a claimed or built bucket', () => {
    const c = loaded(10 * B);
    expect(c.claim(20 * B)).toEqual({ from: 11 * B, to: 20 * B });
    // Begun during the build, into claimed buckets: the build may miss it.
    const write = c.beginWrite(18 * B - 1, 25 * B);
    expect(write.dirty).toBe(true);
    expect(c.state().dirty).toEqual([{ from: 18 * B, to: 20 * B }]);
    // The same range again changes nothing (no second save).
    const again = c.beginWrite(19 * B, 19 * B);
    expect(again.dirty).toBe(false);
    again.done();
    c.advance(20 * B);
    expect(c.trusted(11 * B, 17 * B)).toBe(true);
    expect(c.trusted(11 * B, 18 * B)).toBe(false);
    // Not rebuilt while the write that made it dirty is in flight.
    expect(c.takeDirty()).toEqual([]);
    write.done();
    const [range] = c.takeDirty();
    expect(range).toEqual({ from: 18 * B, to: 20 * B });
    // Being rebuilt is still untrusted, and still saved as dirty.
    expect(c.trusted(19 * B, 19 * B)).toBe(false);
    expect(c.state().dirty).toEqual([range]);
    c.rebuilt(range!);
    expect(c.trusted(0, 30 * B)).toBe(true);
    expect(c.dirtyCount).toBe(0);
  });

  it('merges overlapping and adjacent dirty ranges', () => {
    const c = loaded(100 * B);
    c.beginWrite(10 * B, 12 * B).done();
    c.beginWrite(20 * B, 21 * B).done();
    c.beginWrite(13 * B, 13 * B).done();
    expect(c.state().dirty).toEqual([
      { from: 10 * B, to: 13 * B },
      { from: 20 * B, to: 21 * B },
    ]);
  });

  it('a failed rebuild is dirty again; a failed build gives its claim back', () => {
    const c = loaded(100 * B);
    c.beginWrite(10 * B, 10 * B).done();
    const [range] = c.takeDirty();
    c.rebuildFailed(range!);
    expect(c.state().dirty).toEqual([{ from: 10 * B, to: 10 * B }]);
    expect(c.claim(110 * B)).toEqual({ from: 101 * B, to: 110 * B });
    c.release();
    // After the release a write past the built buckets is not dirty.
    expect(c.beginWrite(105 * B, 105 * B).dirty).toBe(false);
  });

  it('checks writes begun before the saved state was read against it', () => {
    const c = new RollupCoverage();
    c.beginWrite(5 * B, 6 * B).done();
    c.beginWrite(50 * B, 60 * B).done();
    expect(c.trusted(0, B)).toBe(false);
    expect(c.load({ coveredUntil: 20 * B, dirty: [{ from: 30 * B, to: 30 * B }] })).toBe(true);
    expect(c.state()).toEqual({
      coveredUntil: 20 * B,
      dirty: [
        { from: 5 * B, to: 20 * B },
        { from: 30 * B, to: 30 * B },
      ],
    });
  });

  it('starts before the oldest sample stored or written', () => {
    const c = loaded(undefined);
    expect(c.startFrom(undefined)).toBeUndefined();
    expect(c.claim(10 * B)).toBeUndefined();
    c.beginWrite(7 * B + 1, 8 * B).done();
    expect(c.startFrom(9 * B)).toBe(7 * B);
    expect(c.startFrom(3 * B)).toBe(2 * B);
    c.start(7 * B);
    expect(c.coveredUntil).toBe(7 * B);
  });
});
