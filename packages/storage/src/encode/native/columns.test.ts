import { describe, expect, it } from 'vitest';
import type { AttributeMap } from '@vigil/protocols';
import { LOG_COLUMNS } from '../logs.ts';
import { SPAN_COLUMNS } from '../spans.ts';
import { maps, SharedMaps, sharedMaps, timestamps, uint64s, uint8s } from './columns.ts';
import { LOG_NATIVE_COLUMNS } from './logs.ts';
import { SPAN_NATIVE_COLUMNS } from './spans.ts';
import { NativeWriter } from './writer.ts';

function hex<T>(write: (w: NativeWriter, rows: readonly T[]) => void, rows: readonly T[]): string {
  const w = new NativeWriter(16);
  write(w, rows);
  return w.finish().toString('hex');
}

const u64 = (n: bigint): string => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(n);
  return b.toString('hex');
};

describe('Native column data', () => {
  it.each([
    [1_700_000_000_123_456_789n, 1_700_000_000_123_456_789n],
    [0n, 0n],
    [-1n, 0n], // before the epoch: clamped like the TSV encoder
    [2n ** 64n - 1n, 2n ** 63n - 1n], // past DateTime64(9)'s Int64: its maximum, not a wrap
  ])('writes the timestamp %s ns as %s', (ns, stored) => {
    expect(hex((w, r) => timestamps(w, r, (x) => x), [ns])).toBe(u64(stored));
  });

  it.each([
    [0, 0n],
    [1.9, 1n],
    [-5, 0n],
    [Number.NaN, 0n],
    [2 ** 53 - 1, 2n ** 53n - 1n],
    [2 ** 60, 2n ** 60n],
    [Number.POSITIVE_INFINITY, 2n ** 64n - 2048n],
  ])('writes the duration %d as UInt64 %s', (n, stored) => {
    expect(hex((w, r) => uint64s(w, r, (x) => x), [n])).toBe(u64(stored));
  });

  it('writes UInt8 values outside 0-255 as 0, like the TSV encoder', () => {
    expect(hex((w, r) => uint8s(w, r, (x) => x), [0, 17, 255, 256, -1, 3.7])).toBe('0011ff000003');
  });

  it('writes a map column as offsets, then every key, then every value', () => {
    const rows: AttributeMap[] = [{ a: '1', b: '2' }, {}, { c: '3' }];
    const offsets = [2n, 2n, 3n].map(u64).join('');
    expect(hex((w, r) => maps(w, r, (x) => x), rows)).toBe(`${offsets}016101620163013101320133`);
  });

  it('writes shared maps exactly like the same maps encoded row by row', () => {
    const shared = { 'service.name': 'api', ü: '🎉', long: 'x'.repeat(300) };
    const rows: AttributeMap[] = [shared, {}, shared, { other: 'map' }, shared];
    const cache = new SharedMaps();
    expect(hex((w, r) => sharedMaps(w, r, (x) => x, cache), rows)).toBe(
      hex((w, r) => maps(w, r, (x) => x), rows),
    );
    expect(cache.get(shared)).toBe(cache.get(shared));
  });

  it('declares exactly the TSV encoders’ columns, in their order', () => {
    expect(SPAN_NATIVE_COLUMNS.map((c) => c.name)).toEqual([...SPAN_COLUMNS]);
    expect(LOG_NATIVE_COLUMNS.map((c) => c.name)).toEqual([...LOG_COLUMNS]);
  });
});
