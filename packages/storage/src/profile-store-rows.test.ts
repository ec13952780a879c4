import { describe, expect, it } from 'vitest';
import { profileChunk, stackHash } from './profile-store-rows.ts';

describe('profileChunk', () => {
  it('writes one row per non-zero (stack, type) with the merged labels, and each stack once', () => {
    const chunk = profileChunk(
      {
        types: ['samples:count', 'cpu:nanoseconds'],
        stacks: [
          { frames: ['main', 'work'], values: [2, 20], labels: { thread: 't1' } },
          { frames: ['main', 'idle'], values: [0, 5], labels: {} },
        ],
        timeNanos: 0n,
        durationNanos: 0n,
      },
      {
        service: 'svc "quoted"',
        labels: { 'host.name': 'h1', thread: 'overridden' },
        startUnixNano: 1_700_000_000_000_000_001n,
        endUnixNano: 1_700_000_060_000_000_000n,
      },
    );
    expect(chunk.rows).toBe(3);
    expect([...chunk.stacks.values()]).toEqual([
      ['main', 'work'],
      ['main', 'idle'],
    ]);
    const rows = chunk.sampleRows
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows[0]).toEqual({
      ServiceName: 'svc "quoted"',
      Type: 'samples:count',
      Start: '1700000000.000000001',
      End: '1700000060.000000000',
      Labels: { 'host.name': 'h1', thread: 't1' },
      StackHash: stackHash(['main', 'work']),
      Value: 2,
    });
    expect(rows.map((r) => [r.Type, r.Value])).toEqual([
      ['samples:count', 2],
      ['cpu:nanoseconds', 20],
      ['cpu:nanoseconds', 5],
    ]);
    expect(rows[2]?.Labels).toEqual({ 'host.name': 'h1', thread: 'overridden' });
  });

  it('hashes stacks to a stable UInt64 that differs when frames are split differently', () => {
    expect(stackHash(['a', 'b'])).toBe(stackHash(['a', 'b']));
    expect(stackHash(['a', 'b'])).not.toBe(stackHash(['a b']));
    expect(BigInt(stackHash(['a'])) < 2n ** 64n).toBe(true);
  });
});
